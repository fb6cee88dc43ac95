const fs = require('fs');
fs.writeFileSync('/tmp/tr', '123456');
fs.truncateSync('/tmp/tr', 2);
console.log(fs.readFileSync('/tmp/tr', 'utf8'));
