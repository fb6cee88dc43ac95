const w = new WeakMap(); const k = {}; w.set(k, 1);
console.log(w.get(k), Symbol.for('x') === Symbol.for('x'), Symbol('d').description);
