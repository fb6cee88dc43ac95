const { setInterval } = require('timers/promises');
(async () => { let i = 0; for await (const v of setInterval(2, 'v')) { console.log(v, i); if (++i === 3) break; } })();
