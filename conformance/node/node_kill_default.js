const cp = require('child_process');
const c = cp.spawn('node', ['-e', 'setInterval(() => {}, 1000); console.log("up")']);
c.stdout.once('data', () => c.kill());
c.on('exit', (code, sig) => console.log('exit', code, sig));
