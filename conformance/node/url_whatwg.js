const u = new URL('https://user:pass@sub.Example.com:8080/p/a/t/h?query=string&a=1#hash');
console.log(u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin);
