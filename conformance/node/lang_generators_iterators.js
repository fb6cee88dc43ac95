function* g() { yield 1; yield* [2, 3]; return 4; }
console.log([...g()]);
const it = g(); console.log(it.next(), it.next(), it.next(), it.next(), it.next());
