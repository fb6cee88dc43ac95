const assert = require('assert');
assert.throws(() => { throw new TypeError('bad'); }, TypeError);
assert.throws(() => { throw new Error('msg x'); }, /msg/);
assert.throws(() => { throw Object.assign(new Error('e'), { code: 'C' }); }, { code: 'C' });
try { assert.throws(() => {}); } catch (e) { console.log(e.message); }
