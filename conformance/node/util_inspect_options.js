const util = require('util');
console.log(util.inspect('str'), util.inspect([1, [2, [3, [4]]]], { depth: 1 }), util.inspect({ b: 1, a: 2 }, { sorted: true }), util.inspect({ a: 1, b: 2 }, { compact: true }));
