const qs = require('querystring');
console.log(qs.parse('a=1&b=2&a=3&c=%20x'), qs.stringify({ a: [1, 2], b: 'x y', c: '' }), qs.escape('a b&'), qs.unescape('%41'));
