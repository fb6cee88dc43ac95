const cp = require('child_process');
console.log(cp.execSync('tr a-z A-Z', { input: 'shout' }).toString());
