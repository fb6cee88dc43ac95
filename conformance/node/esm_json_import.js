const fs = require('fs');
fs.writeFileSync('/tmp/j.json', '{"k": 5}');
fs.writeFileSync('/tmp/m5.mjs', 'import j from "./j.json" with { type: "json" }; export default j.k;');
import('/tmp/m5.mjs').then((m) => console.log(m.default));
