const { pipeline, Readable, Writable, PassThrough } = require('stream');
let s = '';
pipeline(Readable.from(['1', '2', '3']), new PassThrough(), new Writable({ write(c, e, cb) { s += c; cb(); } }), (err) => console.log('done', err, s));
