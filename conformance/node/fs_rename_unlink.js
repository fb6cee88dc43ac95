const fs = require('fs');
fs.writeFileSync('/tmp/r1', 'x');
fs.renameSync('/tmp/r1', '/tmp/r2');
console.log(fs.existsSync('/tmp/r1'), fs.existsSync('/tmp/r2'));
fs.unlinkSync('/tmp/r2');
console.log(fs.existsSync('/tmp/r2'));
