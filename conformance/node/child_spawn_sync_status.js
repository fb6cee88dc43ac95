const cp = require('child_process');
const r = cp.spawnSync('sh', ['-c', 'echo out; echo err >&2; exit 4'], { encoding: 'utf8' });
console.log(r.status, r.stdout, r.stderr, r.signal);
