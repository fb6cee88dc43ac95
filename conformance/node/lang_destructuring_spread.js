const { a, ...rest } = { a: 1, b: 2, c: 3 };
const [x, , y = 9] = [1, 2];
console.log(a, rest, x, y, [...'hi'], Math.max(...[1, 5, 3]));
