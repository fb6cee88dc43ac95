const util = require('util');
console.log(util.stripVTControlCharacters('\u001b[31mred\u001b[39m'), util.styleText('red', 'x') === '\u001b[31mx\u001b[39m');
