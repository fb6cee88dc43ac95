const util = require('util');
class P { [util.inspect.custom]() { return 'P<custom>'; } }
console.log(new P(), [new P()]);
