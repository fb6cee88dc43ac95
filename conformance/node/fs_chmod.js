const fs = require('fs');
fs.writeFileSync('/tmp/cm', '');
fs.chmodSync('/tmp/cm', 0o640);
console.log((fs.statSync('/tmp/cm').mode & 0o777).toString(8));
