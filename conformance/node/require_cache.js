const fs = require('fs');
fs.writeFileSync('/tmp/counter.js', 'module.exports = { n: 0 }; module.exports.n++;');
const a = require('/tmp/counter.js'); const b = require('/tmp/counter.js');
console.log(a === b, a.n);
