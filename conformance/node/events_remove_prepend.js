const E = require('events');
const e = new E(); const f = () => console.log('f');
e.on('a', f); e.prependListener('a', () => console.log('first'));
e.emit('a'); e.off('a', f); e.emit('a'); e.removeAllListeners(); console.log(e.listenerCount('a'));
