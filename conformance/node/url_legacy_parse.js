const url = require('url');
const u = url.parse('http://user@host.com:8080/p/a?x=1#h', true);
console.log(u.protocol, u.auth, u.host, u.port, u.pathname, u.query, u.hash, u.path);
