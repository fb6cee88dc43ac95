const p = require('path');
console.log(p.relative('/data/a/b', '/data/c/d'), p.relative('/a', '/a'), p.normalize('/a//b/../c/.'), p.normalize('./x/'), p.isAbsolute('/a'), p.isAbsolute('a'));
