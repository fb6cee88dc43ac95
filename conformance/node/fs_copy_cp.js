const fs = require('fs');
fs.rmSync('/tmp/cpd', { recursive: true, force: true }); fs.rmSync('/tmp/cpd2', { recursive: true, force: true });
fs.mkdirSync('/tmp/cpd/x', { recursive: true }); fs.writeFileSync('/tmp/cpd/x/f', 'F');
fs.copyFileSync('/tmp/cpd/x/f', '/tmp/cpd/g');
fs.cpSync('/tmp/cpd', '/tmp/cpd2', { recursive: true });
console.log(fs.readdirSync('/tmp/cpd2', { recursive: true }).sort(), fs.readFileSync('/tmp/cpd2/g', 'utf8'));
