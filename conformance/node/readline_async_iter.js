const fs = require('fs'); const readline = require('readline');
fs.writeFileSync('/tmp/l2.txt', 'a\nb\n');
(async () => { const rl = readline.createInterface({ input: fs.createReadStream('/tmp/l2.txt') }); for await (const l of rl) console.log('L', l); console.log('end'); })();
