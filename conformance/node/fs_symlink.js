const fs = require('fs');
fs.rmSync('/tmp/ln', { force: true }); fs.writeFileSync('/tmp/lt', 'target');
fs.symlinkSync('/tmp/lt', '/tmp/ln');
console.log(fs.readlinkSync('/tmp/ln'), fs.lstatSync('/tmp/ln').isSymbolicLink(), fs.readFileSync('/tmp/ln', 'utf8'), fs.realpathSync('/tmp/ln'));
