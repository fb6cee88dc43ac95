const fs = require('fs');
fs.writeFileSync('/tmp/ca.js', 'exports.a = 1; const b = require("./cb"); exports.fromB = b.b; exports.done = true;');
fs.writeFileSync('/tmp/cb.js', 'const a = require("./ca"); exports.b = "b saw " + a.a;');
console.log(require('/tmp/ca.js'));
