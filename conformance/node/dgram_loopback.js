// dgram: a UDP echo on loopback — bind, address, send (string and list),
// message boundaries, rinfo, EADDRINUSE, connect, close, bad types.
const dgram = require('dgram');
try { dgram.createSocket('udp5'); } catch (e) { console.log(e.code, e.message); }
const server = dgram.createSocket('udp4');
const seen = [];
server.on('message', (msg, rinfo) => {
  seen.push(`${msg}|${rinfo.family}|${rinfo.address}|${rinfo.size}`);
  server.send(Buffer.from(`pong:${msg}`), rinfo.port, rinfo.address);
});
server.bind(0, '127.0.0.1', () => {
  const { address, family, port } = server.address();
  console.log('listening', address, family, port > 0);
  const dup = dgram.createSocket('udp4');
  dup.on('error', (e) => {
    console.log('dup', e.code, e.syscall, e.message === `bind EADDRINUSE 127.0.0.1:${port}`);
    dup.close();
    const client = dgram.createSocket('udp4');
    const got = [];
    client.on('message', (msg, rinfo) => {
      got.push(String(msg));
      if (rinfo.port !== port) console.log('wrong port');
      if (got.length < 2) return;
      console.log('server saw', seen.sort().join(' '));
      console.log('client got', got.sort().join(' '));
      client.close(() => {
        const c2 = dgram.createSocket('udp4');
        c2.connect(port, '127.0.0.1', () => {
          console.log('connected', c2.remoteAddress().port === port);
          c2.on('message', (m) => {
            console.log('c2 got', String(m));
            c2.close();
            server.close(() => console.log('closed'));
          });
          c2.send('via connect');
        });
      });
    });
    client.send('ping1', port, '127.0.0.1', (err, bytes) => console.log('send cb', err, bytes));
    client.send([Buffer.from('pi'), Buffer.from('ng2')], port, '127.0.0.1');
  });
  dup.bind(port, '127.0.0.1');
});
