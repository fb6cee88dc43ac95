const p = require('path');
console.log(p.sep, p.delimiter, p.posix === p, typeof p.win32.join);
