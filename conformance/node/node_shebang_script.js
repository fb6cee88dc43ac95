const fs = require('fs'); const cp = require('child_process');
fs.writeFileSync('/tmp/sb.js', '#!/usr/bin/env node\nconsole.log("shebang ok", process.argv.slice(2));\n');
fs.chmodSync('/tmp/sb.js', 0o755);
console.log(cp.execFileSync('/tmp/sb.js', ['z']).toString().trim());
