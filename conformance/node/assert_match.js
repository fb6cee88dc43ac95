const assert = require('assert');
assert.match('abc', /b/);
try { assert.match('abc', /z/); } catch (e) { console.log(e.code); }
