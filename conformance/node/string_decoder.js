const { StringDecoder } = require('string_decoder');
const d = new StringDecoder('utf8');
const euro = Buffer.from('€');
console.log(JSON.stringify(d.write(euro.subarray(0, 1))), JSON.stringify(d.write(euro.subarray(1))), JSON.stringify(d.end()));
