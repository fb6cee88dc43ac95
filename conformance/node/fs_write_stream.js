const fs = require('fs');
const w = fs.createWriteStream('/tmp/ws.txt');
for (let i = 0; i < 5; i++) w.write(`line ${i}\n`);
w.end('end\n');
w.on('finish', () => console.log(fs.readFileSync('/tmp/ws.txt', 'utf8')));
