const util = require('util');
console.log(util.format('%s', { a: 1 }), util.format('%s', [1, 2]), util.format('%s', null));
