const e = new Error('outer', { cause: new Error('inner') });
console.log(e.cause.message);
