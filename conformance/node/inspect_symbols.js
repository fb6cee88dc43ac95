const s = Symbol('k');
console.log({ [s]: 1, y: Symbol('v') }, Symbol.iterator);
