setTimeout((a, b) => console.log(a, b), 1, 'x', 'y');
setImmediate((z) => console.log(z), 'zz');
