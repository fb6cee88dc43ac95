const z = require('zlib');
const input = 'hello '.repeat(100);
for (const [c, d] of [['gzipSync', 'gunzipSync'], ['deflateSync', 'inflateSync'], ['deflateRawSync', 'inflateRawSync']]) console.log(c, z[d](z[c](input)).toString() === input);
console.log(z.unzipSync(z.gzipSync('u')).toString());
