// net: ECONNREFUSED and EADDRINUSE errors are shaped like Node's.
const net = require('net');
const c = net.connect(23111, '127.0.0.1');
c.on('error', (e) => {
  console.log(e.message);
  console.log(e.code, e.errno, e.syscall, e.address, e.port, e instanceof Error);
  const s = net.createServer();
  s.listen(23112, '127.0.0.1', () => {
    const t = net.createServer();
    t.on('error', (e2) => {
      console.log(e2.message);
      console.log(e2.code, e2.errno, e2.syscall, e2.address, e2.port);
      console.log('listening?', t.listening);
      s.close(() => console.log('closed'));
    });
    t.listen(23112, '127.0.0.1');
  });
});
c.on('close', (hadError) => console.log('close', hadError));
try { net.connect({ port: 70000 }); } catch (e) { console.log(e.code, e.name); }
console.log(net.isIP('127.0.0.1'), net.isIP('::1'), net.isIP('x'), net.isIPv4('1.2.3.4'), net.isIPv6('fe80::1'));
