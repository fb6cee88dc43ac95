const util = require('util');
console.log(util.format('%s:%s', 'a'), util.format('%d%%', 50), util.format(1, 2), util.format('%j', { x: [1] }));
