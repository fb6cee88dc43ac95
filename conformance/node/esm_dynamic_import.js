const fs = require('fs');
fs.writeFileSync('/tmp/m1.mjs', 'export const x = 1; export default function hi() { return "hi"; }');
import('/tmp/m1.mjs').then((m) => console.log(m.x, m.default()));
