const assert = require('assert');
assert(true); assert.ok(1); assert.equal(1, '1'); assert.strictEqual(2, 2); assert.deepEqual({ a: [1] }, { a: [1] });
try { assert.strictEqual(1, 2); } catch (e) { console.log(e.name, e.code, e.message); }
