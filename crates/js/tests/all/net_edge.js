// Client-side edge cases run by net.rs: TLS denied, fetch aborted by a
// timeout, 204 bodies, URLSearchParams bodies, request timeouts, refusal.
const http = require('http');
const tls = require('tls');
const net = require('net');
tls.connect(443, 'example.com').on('error', (e) => console.log('tls', e.message));
tls.connect(8443, 'localhost').on('error', (e) => console.log('tls local', e.code, e.message));
try { require('https').createServer(); } catch (e) { console.log('https server', e.code, e.message); }
const server = http.createServer(async (req, res) => {
  if (req.url === '/slow') return; // never answers
  if (req.url === '/204') { res.writeHead(204); res.end(); return; }
  let body = '';
  for await (const c of req) body += c;
  res.end('got ' + body);
});
server.listen(40500, async () => {
  console.log('addr', server.address());
  try { await fetch('http://localhost:40500/slow', { signal: AbortSignal.timeout(50) }); } catch (e) { console.log('abort', e.name); }
  const r = await fetch('http://localhost:40500/204');
  console.log('204', r.status, await r.text(), r.body);
  const r2 = await fetch('http://localhost:40500/x', { method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) });
  console.log(await r2.text());
  const req = http.get('http://localhost:40500/slow', { timeout: 30 });
  req.on('timeout', () => { console.log('req timeout'); req.destroy(); });
  req.on('error', (e) => console.log('req error', e.code, e.message));
  req.on('close', () => {
    http.get('http://localhost:40599/').on('error', (e) => console.log('refused', e.message));
    server.close(() => console.log('closed'));
    server.closeAllConnections();
  });
});
