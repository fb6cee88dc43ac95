const assert = require('assert');
try { assert.deepStrictEqual([1, 2], [1, '2']); } catch (e) { console.log(e.code); }
assert.deepStrictEqual(new Map([[1, { a: 1 }]]), new Map([[1, { a: 1 }]]));
console.log('maps ok');
