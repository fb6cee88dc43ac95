const { Readable, Transform, Writable } = require('stream');
const up = new Transform({ transform(c, e, cb) { cb(null, c.toString().toUpperCase()); } });
const out = [];
const w = new Writable({ write(c, e, cb) { out.push(c.toString()); cb(); } });
Readable.from(['x', 'y']).pipe(up).pipe(w).on('finish', () => console.log(out));
