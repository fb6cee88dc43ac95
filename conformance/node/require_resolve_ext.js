const fs = require('fs');
fs.mkdirSync('/tmp/rr', { recursive: true });
fs.writeFileSync('/tmp/rr/mod.js', 'exports.x = 1');
fs.writeFileSync('/tmp/rr/main.js', 'module.exports = require("./mod").x + 1');
console.log(require('/tmp/rr/main'));
