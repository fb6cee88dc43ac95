// http constants and dns.lookup for local names and IP literals.
const http = require('http');
const dns = require('dns');
console.log(http.METHODS.length, http.METHODS.includes('PATCH'), http.METHODS[0]);
console.log(http.STATUS_CODES[200], http.STATUS_CODES[404], http.STATUS_CODES[418], http.STATUS_CODES[503]);
console.log(typeof http.Agent, typeof http.globalAgent, typeof http.Server, typeof http.IncomingMessage);
try { http.validateHeaderName('bad name'); } catch (e) { console.log(e.code); }
dns.lookup('127.0.0.1', (err, address, family) => {
  console.log('lookup', err, address, family);
  dns.lookup('::1', { all: true }, (err2, all) => {
    console.log('all', err2, JSON.stringify(all));
    dns.promises.lookup('localhost', { family: 4 }).then((r) => console.log('promises', JSON.stringify(r)));
  });
});
