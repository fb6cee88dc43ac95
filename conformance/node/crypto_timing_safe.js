const c = require('crypto');
console.log(c.timingSafeEqual(Buffer.from('a'), Buffer.from('a')), c.timingSafeEqual(Buffer.from('a'), Buffer.from('b')));
try { c.timingSafeEqual(Buffer.from('a'), Buffer.from('ab')); } catch (e) { console.log(e.code); }
