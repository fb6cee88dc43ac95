const cp = require('child_process');
console.log(cp.execSync('echo hello && echo err 1>&2', { stdio: 'pipe' }).toString());
