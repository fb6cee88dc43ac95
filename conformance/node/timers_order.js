setTimeout(() => console.log('b'), 20);
setTimeout(() => console.log('a'), 10);
setTimeout(() => console.log('c'), 30);
