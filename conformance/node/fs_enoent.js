const fs = require('fs');
try { fs.readFileSync('/tmp/nope.txt'); } catch (e) { console.log(e.message, e.code, e.errno, e.syscall, e.path); }
