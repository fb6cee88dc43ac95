setTimeout(() => console.log('timeout'), 0);
setImmediate(() => console.log('immediate-x'));
process.nextTick(() => console.log('tick1'));
Promise.resolve().then(() => console.log('promise'));
process.nextTick(() => console.log('tick2'));
console.log('sync');
