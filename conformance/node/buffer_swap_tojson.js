const b = Buffer.from([1, 2, 3, 4]);
console.log(b.swap16(), b.toJSON());
