const fs = require('fs'); const readline = require('readline');
fs.writeFileSync('/tmp/lines.txt', 'one\ntwo\r\nthree');
const rl = readline.createInterface({ input: fs.createReadStream('/tmp/lines.txt'), crlfDelay: Infinity });
rl.on('line', (l) => console.log('line', JSON.stringify(l)));
rl.on('close', () => console.log('closed'));
