const fs = require('fs');
fs.rmSync('/tmp/od', { recursive: true, force: true }); fs.mkdirSync('/tmp/od'); fs.writeFileSync('/tmp/od/a', '');
const d = fs.opendirSync('/tmp/od');
console.log(d.readSync().name, d.readSync()); d.closeSync();
