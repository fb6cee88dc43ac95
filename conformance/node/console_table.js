console.table([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
