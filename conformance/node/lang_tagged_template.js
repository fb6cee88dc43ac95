const tag = (s, ...v) => s.raw.join('|') + v.join(',');
console.log(tag`a${1}b${2}c`, String.raw`x\ny`);
