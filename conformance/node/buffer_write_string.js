const b = Buffer.alloc(6);
console.log(b.write('héllo'), b, b.write('zz', 4), b.toString());
