const fsp = require('fs').promises;
(async () => {
  const fh = await fsp.open('/tmp/fh.txt', 'w+');
  await fh.write('abcdef');
  const { bytesRead, buffer } = await fh.read(Buffer.alloc(3), 0, 3, 1);
  console.log(bytesRead, buffer.toString());
  console.log((await fh.stat()).size);
  await fh.close();
})();
