const fs = require('fs');
fs.rmSync('/tmp/rd', { recursive: true, force: true });
fs.mkdirSync('/tmp/rd/sub', { recursive: true });
fs.writeFileSync('/tmp/rd/f.txt', '');
console.log(fs.readdirSync('/tmp/rd').sort());
console.log(fs.readdirSync('/tmp/rd', { withFileTypes: true }).map((d) => [d.name, d.isFile(), d.isDirectory()]).sort());
