const cp = require('child_process');
console.log(cp.execFileSync('node', ['-e', 'console.log(1 + 1)']).toString().trim());
console.log(cp.spawnSync('node', ['-e', 'process.exit(7)']).status);
