const z = require('zlib');
try { z.gunzipSync(Buffer.from('not gzip')); } catch (e) { console.log(e.code, e.message); }
