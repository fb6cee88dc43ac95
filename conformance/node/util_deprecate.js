const util = require('util');
const f = util.deprecate(() => 'r', 'f is old', 'DEP0999');
process.on('warning', (w) => console.log(w.name, w.message));
console.log(f(), f());
