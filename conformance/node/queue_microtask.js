queueMicrotask(() => console.log('micro'));
console.log('sync');
