console.group('G');
console.log('inside');
console.group();
console.log('deeper');
console.groupEnd();
console.groupEnd();
console.log('out');
