console.log(2n ** 64n, BigInt(10) * 3n, typeof 1n, 7n / 2n, BigInt.asUintN(8, 257n));
