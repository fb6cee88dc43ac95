const { PassThrough } = require('stream');
const p = new PassThrough(); p.setEncoding('utf8');
p.on('data', (d) => console.log(typeof d, d)); p.end(Buffer.from('hé'));
