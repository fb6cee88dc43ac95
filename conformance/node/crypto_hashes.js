const c = require('crypto');
for (const a of ['md5', 'sha1', 'sha256', 'sha512']) console.log(a, c.createHash(a).update('hello').update(' world').digest('hex'));
