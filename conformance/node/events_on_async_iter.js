const { on, EventEmitter } = require('events');
const e = new EventEmitter();
(async () => { for await (const [v] of on(e, 'd')) { console.log('got', v); if (v === 2) break; } console.log('done'); })();
process.nextTick(() => { e.emit('d', 1); e.emit('d', 2); });
