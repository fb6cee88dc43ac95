const cp = require('child_process');
cp.exec('echo $((6*7))', (err, stdout, stderr) => console.log(err, stdout.trim(), JSON.stringify(stderr)));
