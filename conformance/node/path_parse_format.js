const p = require('path');
const o = p.parse('/home/u/file.tar.gz');
console.log(o, p.format(o), p.format({ name: 'n', ext: 'e' }));
