const fs = require('fs');
fs.writeFileSync('/tmp/wx', 'a');
try { fs.writeFileSync('/tmp/wx', 'b', { flag: 'wx' }); } catch (e) { console.log(e.code); }
fs.writeFileSync('/tmp/wx', 'c', { flag: 'a' });
console.log(fs.readFileSync('/tmp/wx', 'utf8'));
