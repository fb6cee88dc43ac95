const url = require('url');
console.log(url.pathToFileURL('/tmp/a b.txt').href, url.fileURLToPath('file:///tmp/a%20b.txt'));
