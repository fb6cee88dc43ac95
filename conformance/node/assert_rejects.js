const assert = require('assert');
assert.rejects(Promise.reject(new Error('r')), /r/).then(() => console.log('rejects ok'));
