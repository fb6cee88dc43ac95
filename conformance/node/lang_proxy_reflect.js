const p = new Proxy({}, { get: (t, k) => `prop:${String(k)}` });
console.log(p.foo, Reflect.ownKeys({ a: 1, [Symbol.for('s')]: 2 }));
