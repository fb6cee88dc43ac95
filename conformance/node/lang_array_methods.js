const a = [3, 1, 2];
console.log(a.toSorted(), a, a.at(-1), a.findLast((x) => x < 3), [1, [2, [3]]].flat(Infinity));
