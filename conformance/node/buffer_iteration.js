const b = Buffer.from('ab');
console.log([...b], [...b.entries()], b instanceof Uint8Array);
