const c = require('crypto');
console.log(c.createHmac('sha256', 'key').update('msg').digest('hex'), c.createHmac('sha1', 'k').update('m').digest('base64'));
