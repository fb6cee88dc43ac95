const fs = require('fs');
fs.mkdirSync('/tmp/imp/src', { recursive: true });
fs.writeFileSync('/tmp/imp/package.json', JSON.stringify({ imports: { '#util': './src/util.js' } }));
fs.writeFileSync('/tmp/imp/src/util.js', 'module.exports = "util via imports"');
fs.writeFileSync('/tmp/imp/main.js', 'module.exports = require("#util")');
console.log(require('/tmp/imp/main.js'));
