const z = require('zlib');
z.gzip('abc', (e, b) => z.gunzip(b, (e2, r) => {
  console.log('cb', r.toString());
  const gz = z.createGzip(); const gun = z.createGunzip(); let out = '';
  gz.pipe(gun).on('data', (d) => out += d).on('end', () => console.log('stream', out));
  gz.end('streamed');
}));
