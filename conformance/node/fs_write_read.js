const fs = require('fs');
fs.writeFileSync('/tmp/f1.txt', 'hello');
fs.appendFileSync('/tmp/f1.txt', ' world');
console.log(fs.readFileSync('/tmp/f1.txt', 'utf8'), fs.readFileSync('/tmp/f1.txt'));
