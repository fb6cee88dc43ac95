const { parseArgs } = require('util');
const { values, positionals } = parseArgs({ args: ['-f', '--bar', 'b', 'pos'], options: { foo: { type: 'boolean', short: 'f' }, bar: { type: 'string' } }, allowPositionals: true });
console.log(values, positionals);
