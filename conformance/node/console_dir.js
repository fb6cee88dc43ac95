console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });
