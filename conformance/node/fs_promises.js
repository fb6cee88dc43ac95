const fsp = require('fs/promises');
(async () => {
  await fsp.writeFile('/tmp/p.txt', 'promised');
  console.log(await fsp.readFile('/tmp/p.txt', 'utf8'));
  const st = await fsp.stat('/tmp/p.txt');
  console.log(st.size);
  try { await fsp.readFile('/nope'); } catch (e) { console.log(e.code); }
  await fsp.rm('/tmp/p.txt');
  console.log(await fsp.access('/tmp').then(() => 'ok'));
})();
