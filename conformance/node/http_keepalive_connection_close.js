// http: a client saying `Connection: close` gets it back and the server
// closes the connection after the response; keep-alive by default.
const http = require('http');
const net = require('net');
const server = http.createServer((req, res) => res.end(`hi ${req.headers.connection}`));
server.listen(23151, '127.0.0.1', () => {
  const raw = net.connect(23151, '127.0.0.1', () => {
    raw.write('GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  });
  let data = '';
  raw.setEncoding('latin1');
  raw.on('data', (d) => { data += d; });
  raw.on('end', () => {
    const lines = data.split('\r\n').filter((l) => !l.startsWith('Date:'));
    console.log(JSON.stringify(lines));
    server.close(() => console.log('closed'));
  });
});
