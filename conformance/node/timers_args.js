setTimeout((a, b) => {
  console.log(a, b);
  setImmediate((z) => console.log(z), 'zz');
}, 1, 'x', 'y');
