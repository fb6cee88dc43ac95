const fs = require('fs');
const d = fs.mkdtempSync('/tmp/pre-');
console.log(d.startsWith('/tmp/pre-'), d.length, fs.statSync(d).isDirectory());
