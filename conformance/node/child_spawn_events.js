const cp = require('child_process');
const c = cp.spawn('sh', ['-c', 'echo one; sleep 0.01; echo two']);
let out = '';
c.stdout.on('data', (d) => out += d);
c.on('exit', (code) => console.log('exit', code));
c.on('close', (code) => console.log('close', code, JSON.stringify(out)));
