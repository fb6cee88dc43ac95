const cp = require('child_process');
const c = cp.spawn('definitely-not-a-command');
c.on('error', (e) => console.log('error', e.code, e.syscall));
