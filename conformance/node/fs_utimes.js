const fs = require('fs');
fs.writeFileSync('/tmp/ut', '');
fs.utimesSync('/tmp/ut', 1000, 2000);
const s = fs.statSync('/tmp/ut');
console.log(s.atimeMs, s.mtimeMs);
