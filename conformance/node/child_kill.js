const cp = require('child_process');
const c = cp.spawn('sleep', ['5']);
c.on('exit', (code, sig) => console.log('exit', code, sig, c.killed));
setTimeout(() => c.kill(), 10);
