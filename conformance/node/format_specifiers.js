const util = require('util');
console.log(util.format('%s %d %i %f %j %%', 'str', 3.7, 3.7, '2.5', { a: 1 }));
console.log(util.format('%o', [1]), util.format('extra', 1, 'two'));
