const tty = require('tty');
console.log(typeof tty.isatty, tty.isatty(99));
