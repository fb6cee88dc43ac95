const c = require('crypto');
console.log(c.pbkdf2Sync('pw', 'salt', 2, 16, 'sha256').toString('hex'));
