const cp = require('child_process');
const c = cp.spawn('cat');
let out = ''; c.stdout.on('data', (d) => out += d);
c.on('close', () => console.log('cat said', out));
c.stdin.write('piped '); c.stdin.end('input');
