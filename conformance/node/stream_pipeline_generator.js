// pipeline with generator stages between a source and a sink (callback form).
const { pipeline, Readable, Writable } = require('stream');
const out = [];
pipeline(
  Readable.from(['a', 'b', 'c']),
  async function* upper(src) { for await (const x of src) yield String(x).toUpperCase(); },
  async function* twice(src) { for await (const x of src) { yield x; yield x; } },
  new Writable({ write(c, e, cb) { out.push(String(c)); cb(); } }),
  (err) => console.log('done', err, out.join('')),
);
