const url = require('url');
console.log(url.format({ protocol: 'https', hostname: 'ex.com', pathname: '/a', query: { b: 1 } }), url.resolve('http://a.com/b/c', '../d'), url.resolve('/one/two', 'three'));
