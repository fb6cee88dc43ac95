const fs = require('fs');
fs.writeFileSync('/tmp/c1.cjs', 'module.exports = { a: 1, b: 2 };');
fs.writeFileSync('/tmp/m2.mjs', 'import c from "./c1.cjs"; export const out = [c.b, c.a];');
import('/tmp/m2.mjs').then((m) => console.log(m.out));
