// http: an idle keep-alive connection is closed after keepAliveTimeout.
const http = require('http');
const net = require('net');
const server = http.createServer((req, res) => res.end('x'));
server.keepAliveTimeout = 100;
server.listen(23171, () => {
  const t0 = Date.now();
  const c = net.connect(23171, '127.0.0.1', () => c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
  c.resume();
  c.on('close', () => { console.log('closed by server after keep-alive timeout', Date.now() - t0 >= 90); server.close(); });
});
