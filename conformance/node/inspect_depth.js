const util = require('util');
console.log(util.inspect({ a: { b: { c: { d: {} } } } }, { depth: 0 }));
console.log(util.inspect({ a: { b: { c: { d: {} } } } }, { depth: null }));
