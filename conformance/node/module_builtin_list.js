const m = require('module');
console.log(m.builtinModules.includes('fs'), m.builtinModules.includes('http'), typeof m.createRequire);
