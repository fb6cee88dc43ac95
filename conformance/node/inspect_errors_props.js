const e = new Error('boom'); e.code = 'E_X';
console.log(Object.keys(e), e.message, e.code);
