const cp = require('child_process');
console.log(cp.execSync('echo $MYVAR; pwd', { env: { ...process.env, MYVAR: 'set!' }, cwd: '/tmp' }).toString());
