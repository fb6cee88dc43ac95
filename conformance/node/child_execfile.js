const cp = require('child_process');
cp.execFile('echo', ['a', 'b'], (err, out) => console.log(err, out));
