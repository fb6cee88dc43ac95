const b = Buffer.from('this is a buffer');
console.log(b.indexOf('is'), b.lastIndexOf('is'), b.includes('buf'), b.indexOf(Buffer.from('a')), b.indexOf(0x62), b.indexOf('zz'));
