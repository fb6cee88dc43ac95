console.log('a', 1, true, null, undefined);
console.log('%s=%d', 'x', 42);
console.error('to stderr');
