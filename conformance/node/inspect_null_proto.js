const o = Object.create(null); o.x = 1;
console.log(o, Object.create(null));
