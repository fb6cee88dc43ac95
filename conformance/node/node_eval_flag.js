const cp = require('child_process');
console.log(cp.execFileSync('node', ['-e', 'console.log(process.argv.length)', 'x', 'y']).toString().trim());
console.log(cp.execFileSync('node', ['-p', '6 * 7']).toString().trim());
console.log(cp.execFileSync('node', ['-p', '({a: [1]})']).toString().trim());
