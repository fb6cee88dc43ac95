const p = require('path');
console.log(p.join('/a/b', '../c', './d'), p.resolve('/x', 'y', '..', 'z'), p.join(''), p.join('a', '', 'b/'));
