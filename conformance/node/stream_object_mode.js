const { Readable, Writable } = require('stream');
const w = new Writable({ objectMode: true, write(o, e, cb) { console.log('obj', o); cb(); } });
Readable.from([{ a: 1 }, { b: 2 }]).pipe(w);
