const { once, EventEmitter } = require('events');
const e = new EventEmitter();
once(e, 'ready').then((args) => console.log('ready', args));
setTimeout(() => e.emit('ready', 1, 2), 1);
