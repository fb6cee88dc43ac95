const { Writable } = require('stream');
const w = new Writable({ highWaterMark: 4, write(c, e, cb) { setTimeout(cb, 1); } });
console.log(w.write('ab'), w.write('cd'), w.writableLength);
w.on('drain', () => console.log('drain'));
