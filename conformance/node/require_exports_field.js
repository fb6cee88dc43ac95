const fs = require('fs');
const d = '/tmp/ex/node_modules/cond';
fs.mkdirSync(d + '/dist', { recursive: true });
fs.writeFileSync(d + '/package.json', JSON.stringify({ name: 'cond', exports: { '.': { import: './dist/m.mjs', require: './dist/c.js' }, './sub/*': './dist/sub-*.js' } }));
fs.writeFileSync(d + '/dist/c.js', 'module.exports = "cjs"');
fs.writeFileSync(d + '/dist/sub-x.js', 'module.exports = "sub x"');
fs.writeFileSync('/tmp/ex/a.js', 'module.exports = [require("cond"), require("cond/sub/x")]');
console.log(require('/tmp/ex/a.js'));
try { require('/tmp/ex/node_modules/cond/../../a.js'); require.resolve('cond/nope', { paths: ['/tmp/ex'] }); } catch (e) { console.log(e.code); }
