const cp = require('child_process');
console.log(cp.execFileSync('node', [], { input: 'console.log("from stdin", 1 + 2)' }).toString().trim());
