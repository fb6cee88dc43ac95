// http: a server piping the request body back (req.pipe(res)) while a
// client streams 2 MiB in chunks; backpressure on both sides, byte-exact.
const http = require('http');
const crypto = require('crypto');
let serverFinished = false;
const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'application/octet-stream');
  req.pipe(res);
  res.on('finish', () => { serverFinished = true; });
});
server.listen(23161, '127.0.0.1', () => {
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31) & 255;
  const sent = crypto.createHash('sha256');
  const got = crypto.createHash('sha256');
  let received = 0;
  const req = http.request({ host: '127.0.0.1', port: 23161, method: 'PUT', path: '/echo' }, (res) => {
    console.log('status', res.statusCode, res.headers['transfer-encoding']);
    res.on('data', (d) => { received += d.length; got.update(d); });
    res.on('end', () => {
      console.log('received', received, got.digest('hex') === sent.digest('hex'));
      server.close(() => console.log('closed, server finished:', serverFinished));
    });
  });
  let i = 0;
  (function pump() {
    while (i < 32) {
      i++;
      sent.update(chunk);
      if (!req.write(chunk)) { req.once('drain', pump); return; }
    }
    req.end();
  })();
});
