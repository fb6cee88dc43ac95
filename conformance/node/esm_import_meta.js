const fs = require('fs');
fs.writeFileSync('/tmp/m3.mjs', 'export const u = import.meta.url; export const d = import.meta.dirname; export const f = import.meta.filename;');
import('/tmp/m3.mjs').then((m) => console.log(m.u, m.d, m.f));
