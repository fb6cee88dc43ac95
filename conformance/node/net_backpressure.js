// net: a large write returns false, 'drain' follows, every byte arrives.
const net = require('net');
const total = 3 * 1024 * 1024;
const server = net.createServer((sock) => {
  let n = 0;
  sock.on('data', (d) => { n += d.length; });
  sock.on('end', () => { sock.end(String(n)); });
});
server.listen(23121, '127.0.0.1', () => {
  const c = net.connect(23121, '127.0.0.1');
  const buf = Buffer.alloc(total, 7);
  const ok = c.write(buf);
  console.log('write returned', ok);
  c.on('drain', () => { console.log('drain'); c.end(); });
  let reply = '';
  c.on('data', (d) => { reply += d; });
  c.on('end', () => {
    console.log('server counted', reply);
    server.close();
  });
});
