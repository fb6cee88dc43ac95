const util = require('util');
util.callbackify(async (x) => x + 1)(1, (e, v) => console.log(e, v));
