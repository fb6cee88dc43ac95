// net: echo server and client on a fixed port, half-close, event order
// on each side.
const net = require('net');
const serverEvents = [];
const clientEvents = [];
let done = 0;
function finish() {
  if (++done < 2) return;
  server.close(() => {
    console.log(serverEvents.join('\n'));
    console.log(clientEvents.join('\n'));
    console.log('server close');
  });
}
const server = net.createServer((sock) => {
  serverEvents.push(`server connection ${sock.remoteAddress} ${sock.localPort}`);
  sock.setEncoding('utf8');
  let got = '';
  sock.on('data', (d) => { got += d; });
  sock.on('end', () => {
    serverEvents.push(`server end got=${got}`);
    sock.end(got.toUpperCase());
  });
  sock.on('finish', () => serverEvents.push('server finish'));
  sock.on('close', (hadError) => { serverEvents.push(`server socket close ${hadError}`); finish(); });
});
server.listen(23101, '127.0.0.1', () => {
  const a = server.address();
  console.log('address', a.address, a.family, a.port, server.listening);
  const c = net.createConnection({ port: 23101, host: '127.0.0.1' }, () => {
    clientEvents.push(`client connect ${c.remotePort} ${c.remoteAddress} ${c.remoteFamily}`);
    c.write('hello ');
    c.end('world');
  });
  let reply = '';
  c.on('data', (d) => { reply += d; });
  c.on('finish', () => clientEvents.push('client finish'));
  c.on('end', () => clientEvents.push(`client end reply=${reply}`));
  c.on('close', (hadError) => { clientEvents.push(`client close ${hadError} read=${c.bytesRead} written=${c.bytesWritten}`); finish(); });
});
