const a = Buffer.from('abc'), b = Buffer.from('abd');
console.log(Buffer.concat([a, b]).toString(), Buffer.compare(a, b), a.equals(Buffer.from('abc')), a.compare(b), Buffer.concat([a, b], 4));
