const util = require('util');
const exec = util.promisify(require('child_process').exec);
exec('echo promised').then(({ stdout }) => console.log(stdout.trim()));
