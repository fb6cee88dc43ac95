// http: a server and http.request/http.get clients: methods, headers,
// Content-Length and chunked bodies, status codes.
const http = require('http');
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    console.log('req', req.method, req.url, req.httpVersion, JSON.stringify(req.headers), JSON.stringify(body));
    if (req.url === '/json') {
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Multi': ['a', 'b'] });
      res.end(JSON.stringify({ ok: true }));
    } else if (req.url === '/chunks') {
      res.setHeader('X-Custom', 'yes');
      console.log('getHeader', res.getHeader('x-custom'), res.hasHeader('X-CUSTOM'), res.getHeaderNames());
      res.write('one,');
      res.write(Buffer.from('two,'));
      res.end('three');
    } else {
      res.statusCode = 404;
      res.statusMessage = 'Gone Fishing';
      res.end();
    }
  });
});
function show(res, body) {
  const h = { ...res.headers };
  delete h.date;
  console.log('res', res.statusCode, res.statusMessage, res.httpVersion, JSON.stringify(h), JSON.stringify(body));
}
function collect(res, cb) {
  let d = '';
  res.setEncoding('utf8');
  res.on('data', (c) => { d += c; });
  res.on('end', () => cb(d));
}
server.listen(23131, '127.0.0.1', () => {
  http.get('http://127.0.0.1:23131/json', (res) => collect(res, (d) => {
    show(res, d);
    const req = http.request({ host: '127.0.0.1', port: 23131, path: '/chunks', method: 'POST', headers: { 'X-Test': 'one' } }, (res2) => collect(res2, (d2) => {
      show(res2, d2);
      http.get({ host: '127.0.0.1', port: 23131, path: '/nothing' }, (res3) => collect(res3, (d3) => {
        show(res3, d3);
        server.close(() => console.log('closed'));
      }));
    }));
    req.write('a=1&');
    req.end('b=2');
  }));
});
