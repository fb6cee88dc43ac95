const fs = require('fs');
fs.writeFileSync('/tmp/big.txt', 'x'.repeat(200000));
let n = 0, chunks = 0;
fs.createReadStream('/tmp/big.txt').on('data', (c) => { n += c.length; chunks++; }).on('end', () => console.log('read', n, chunks > 1)).on('close', () => console.log('closed'));
