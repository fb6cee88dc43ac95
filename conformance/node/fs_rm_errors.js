const fs = require('fs');
fs.mkdirSync('/tmp/rme', { recursive: true });
try { fs.rmSync('/tmp/rme'); } catch (e) { console.log(e.code); }
try { fs.rmSync('/tmp/rme-none'); } catch (e) { console.log(e.code); }
fs.rmSync('/tmp/rme-none', { force: true }); console.log('forced ok');
