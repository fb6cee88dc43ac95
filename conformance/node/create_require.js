const { createRequire } = require('module');
const r = createRequire('/tmp/x.js');
console.log(r('path').sep, typeof r.resolve);
