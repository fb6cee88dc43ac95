process.nextTick((a, b) => console.log(a + b), 2, 3);
