const fs = require('fs');
fs.writeFileSync('/tmp/s.txt', 'abc');
const s = fs.statSync('/tmp/s.txt');
console.log(s.size, s.isFile(), s.isDirectory(), s.mtime instanceof Date, typeof s.mtimeMs, fs.statSync('/tmp').isDirectory());
