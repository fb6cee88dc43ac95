const os = require('os');
console.log(os.EOL === '\n', os.platform(), os.type(), typeof os.hostname(), os.tmpdir(), typeof os.cpus().length, os.endianness(), typeof os.totalmem());
