const t = process.hrtime(); const d = process.hrtime(t);
console.log(Array.isArray(t), d.length, typeof process.hrtime.bigint());
