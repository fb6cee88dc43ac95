const fs = require('fs');
console.log(fs.existsSync('/tmp'), fs.existsSync('/nope'));
try { fs.accessSync('/nope'); } catch (e) { console.log(e.code, e.syscall); }
