const { Readable } = require('stream');
const r = new Readable({ read() {} });
r.on('error', (e) => console.log('error', e.message)); r.on('close', () => console.log('close'));
r.destroy(new Error('kaboom'));
