const fs = require('fs');
fs.writeFileSync('/tmp/m6.mjs', 'export const v = await Promise.resolve(9);');
import('/tmp/m6.mjs').then((m) => console.log(m.v));
