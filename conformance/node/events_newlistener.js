const E = require('events');
const e = new E();
e.on('newListener', (ev) => console.log('adding', ev));
e.on('foo', () => {});
console.log(e.rawListeners('foo').length);
