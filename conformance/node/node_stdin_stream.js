const cp = require('child_process');
const r = cp.spawnSync('node', ['-e', 'let s=""; process.stdin.on("data", d => s += d); process.stdin.on("end", () => console.log("len", s.length, s.trim()))'], { input: 'hello stdin' });
console.log(r.stdout.toString().trim());
