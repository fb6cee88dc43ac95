const { finished, Readable } = require('stream');
const r = Readable.from(['a']);
finished(r, (err) => console.log('finished', err));
r.resume();
