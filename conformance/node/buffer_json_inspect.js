const b = Buffer.from([1, 2, 3]);
console.log(JSON.stringify(b), b, [b], Buffer.from(JSON.parse(JSON.stringify(b))));
