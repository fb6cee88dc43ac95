const fs = require('fs');
fs.rmSync('/tmp/rr2', { recursive: true, force: true });
fs.mkdirSync('/tmp/rr2/a/b', { recursive: true });
fs.writeFileSync('/tmp/rr2/a/b/c.txt', '');
console.log(fs.readdirSync('/tmp/rr2', { recursive: true }).sort());
