const { pipeline } = require('stream/promises');
const { Readable, Writable } = require('stream');
let n = 0;
pipeline(Readable.from([1, 2, 3]), async function* (src) { for await (const x of src) yield String(x * 2); }, new Writable({ write(c, e, cb) { n += Number(c); cb(); } })).then(() => console.log('sum', n));
