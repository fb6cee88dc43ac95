const fs = require('fs');
const fd = fs.openSync('/tmp/fd.txt', 'w+');
fs.writeSync(fd, 'hello world');
const b = Buffer.alloc(5);
fs.readSync(fd, b, 0, 5, 6);
console.log(b.toString(), fs.fstatSync(fd).size);
fs.ftruncateSync(fd, 5);
fs.closeSync(fd);
console.log(fs.readFileSync('/tmp/fd.txt', 'utf8'));
