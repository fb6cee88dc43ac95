const { StringDecoder } = require('string_decoder');
const d = new StringDecoder('utf16le');
console.log(d.write(Buffer.from([0x61])), d.write(Buffer.from([0x00, 0x62])), d.end(Buffer.from([0x00])));
