const fs = require('fs');
for (const f of [() => fs.mkdirSync('/tmp'), () => fs.rmdirSync('/'), () => fs.readdirSync('/etc/hostname'), () => fs.unlinkSync('/tmp/none')]) { try { f(); } catch (e) { console.log(e.code, e.syscall); } }
