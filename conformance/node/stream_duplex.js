const { Duplex } = require('stream');
const d = new Duplex({ read() { this.push('from read'); this.push(null); }, write(c, e, cb) { console.log('wrote', c.toString()); cb(); } });
d.on('data', (c) => console.log('got', c.toString()));
d.write('in'); d.end();
