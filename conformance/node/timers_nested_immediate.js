setImmediate(() => { console.log('1'); setImmediate(() => console.log('3')); process.nextTick(() => console.log('2')); });
