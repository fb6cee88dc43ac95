const { Readable } = require('stream');
let i = 0;
const r = new Readable({ read() { this.push(i < 3 ? String(i++) : null); } });
let s = ''; r.on('data', (c) => s += c); r.on('end', () => console.log(s));
