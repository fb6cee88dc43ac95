const o = {}; let v = 0;
Object.defineProperty(o, 'x', { get() { return v; }, set(n) { v = n * 2; }, enumerable: false });
o.x = 4; console.log(o.x, Object.keys(o), JSON.stringify(o));
