const o = { a: 1, b: [true, null, 'x'], c: { d: 1.5 } };
console.log(JSON.stringify(o), JSON.stringify(o, null, 2));
console.log(JSON.parse(JSON.stringify(o)));
