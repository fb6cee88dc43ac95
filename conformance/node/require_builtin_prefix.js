console.log(require('node:path') === require('path'), require('module').isBuiltin('node:fs'), require('module').isBuiltin('nope'));
