const fs = require('fs');
fs.writeFileSync('/tmp/bad_syntax.js', 'let x = ;');
try { require('/tmp/bad_syntax.js'); } catch (e) { console.log(e.name); }
