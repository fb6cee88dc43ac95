const assert = require('assert').strict;
try { assert.equal(1, '1'); } catch (e) { console.log('strict equal fails', e.code); }
