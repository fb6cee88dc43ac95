setTimeout(() => console.log('unref never'), 1000).unref();
console.log('exits');
