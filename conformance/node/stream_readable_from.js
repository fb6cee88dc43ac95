const { Readable } = require('stream');
Readable.from(['a', 'b', 'c']).on('data', (d) => console.log('data', d)).on('end', () => console.log('end'));
