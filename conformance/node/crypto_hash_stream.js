const c = require('crypto');
const h = c.createHash('sha1'); h.write('abc'); h.end();
h.on('readable', () => { const d = h.read(); if (d) console.log(d.toString('hex')); });
