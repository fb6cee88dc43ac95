const fs = require('fs');
fs.mkdirSync('/tmp/di/lib', { recursive: true });
fs.writeFileSync('/tmp/di/lib/index.js', 'module.exports = "index"');
console.log(require('/tmp/di/lib'));
