const cp = require('child_process');
for (const code of ['process.exit(3)', 'throw new Error("x")', 'process.exitCode = 9', '']) console.log(JSON.stringify(code), cp.spawnSync('node', ['-e', code]).status);
