const fs = require('fs');
fs.rmSync('/tmp/mk', { recursive: true, force: true });
console.log(fs.mkdirSync('/tmp/mk/a/b', { recursive: true }));
console.log(fs.mkdirSync('/tmp/mk/a/b', { recursive: true }));
console.log(fs.existsSync('/tmp/mk/a/b'));
