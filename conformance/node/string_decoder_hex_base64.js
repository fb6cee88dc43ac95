const { StringDecoder } = require('string_decoder');
const d = new StringDecoder('base64');
console.log(d.write(Buffer.from('ab')), d.write(Buffer.from('c')), d.end(), new StringDecoder('hex').write(Buffer.from([255])));
