const fs = require('fs');
try { fs.readFileSync('/tmp'); } catch (e) { console.log(e.code); }
