// fetch against a server in the same process: GET, POST with a JSON body,
// Response helpers, status and headers.
const http = require('http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    const pick = {};
    for (const k of ['host', 'content-type', 'content-length', 'accept', 'user-agent', 'x-a']) pick[k] = req.headers[k];
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/teapot') res.statusCode = 418;
    res.end(JSON.stringify({ method: req.method, url: req.url, body, headers: pick }));
  });
});
server.listen(23141, '127.0.0.1', async () => {
  const r1 = await fetch('http://127.0.0.1:23141/a?b=c', { headers: { 'X-A': '1' } });
  console.log(r1.status, r1.ok, r1.statusText, r1.headers.get('content-type'), r1.url);
  console.log(await r1.json());
  const r2 = await fetch('http://127.0.0.1:23141/post', { method: 'POST', body: JSON.stringify({ x: 1 }), headers: { 'content-type': 'application/json' } });
  console.log(r2.status, await r2.text());
  const r3 = await fetch(new Request('http://127.0.0.1:23141/teapot', { method: 'PUT', body: 'tea' }));
  console.log(r3.status, r3.ok, r3.statusText, r3.bodyUsed);
  const buf = await r3.arrayBuffer();
  console.log(buf.byteLength, r3.bodyUsed);
  try { await r3.text(); } catch (e) { console.log(e.name, e.message); }
  const local = new Response('hello', { status: 202, headers: { 'x-y': 'z' } });
  console.log(local.status, local.headers.get('content-type'), await local.text());
  console.log(await Response.json({ a: 1 }).json());
  server.close(() => console.log('closed'));
});
