const p = require('path');
console.log(p.basename('/a/b.js'), p.basename('/a/b.js', '.js'), p.extname('x.tar.gz'), p.extname('.bashrc'), p.extname('a.'), p.dirname('/a/b/'), p.dirname('a'));
