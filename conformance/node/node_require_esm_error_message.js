const fs = require('fs');
fs.writeFileSync('/tmp/esm-only.mjs', 'export default 1;');
import('/tmp/esm-only.mjs').then((m) => console.log('import ok', m.default));
