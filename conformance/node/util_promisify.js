const util = require('util');
const f = (x, cb) => setTimeout(() => cb(null, x * 2), 1);
util.promisify(f)(21).then((v) => console.log(v));
const g = (cb) => cb(new Error('bad'));
util.promisify(g)().catch((e) => console.log(e.message));
