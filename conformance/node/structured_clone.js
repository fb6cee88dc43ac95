const o = { d: new Date(0), m: new Map([[1, 2]]), s: new Set([1]), a: [1, { b: 2 }], r: /x/g };
o.self = o;
const c = structuredClone(o);
console.log(c.d.getTime(), c.m.get(1), c.s.has(1), c.a, c.r.flags, c.self === c, c !== o);
try { structuredClone(() => {}); } catch (e) { console.log(e.name); }
