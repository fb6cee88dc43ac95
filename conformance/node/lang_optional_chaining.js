const o = { a: { b: null } };
console.log(o?.a?.b?.c, o.x ?? 'dflt', o.a.b ?? 'nul', 0 || 'or', 0 ?? 'nn');
