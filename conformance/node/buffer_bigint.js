const b = Buffer.alloc(8);
b.writeBigUInt64BE(2n ** 63n);
console.log(b.readBigUInt64BE(), b.readBigInt64BE());
