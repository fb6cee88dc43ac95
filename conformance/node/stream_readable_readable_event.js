const { Readable } = require('stream');
const r = new Readable({ read() {} });
r.push('abc'); r.push(null);
r.on('readable', () => { let c; while ((c = r.read()) !== null) console.log('chunk', c.toString()); });
r.on('end', () => console.log('end'));
