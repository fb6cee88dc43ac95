const c = require('crypto');
console.log(c.randomBytes(8).length, /^[0-9a-f-]{36}$/.test(c.randomUUID()), c.randomUUID()[14], c.randomInt(5, 6));
