const b = Buffer.from('hello world');
const s = b.slice(0, 5); s[0] = 72;
console.log(b.toString(), b.subarray(-5).toString(), b.slice(3, 1).length);
