const { Readable } = require('stream');
Readable.from([1, 2, 3]).map((x) => x * 2).toArray().then((a) => console.log(a));
