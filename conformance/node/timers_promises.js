const { setTimeout: sleep, setImmediate: imm } = require('timers/promises');
(async () => { console.log(await sleep(5, 'slept')); console.log(await imm('imm')); })();
