const t = setTimeout(() => console.log('no'), 5); clearTimeout(t);
const i = setImmediate(() => console.log('no2')); clearImmediate(i);
console.log('cleared');
