const fs = require('fs');
fs.writeFileSync('/tmp/data.json', JSON.stringify({ a: [1, 2] }));
console.log(require('/tmp/data.json'));
