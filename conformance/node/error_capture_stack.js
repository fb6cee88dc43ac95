const o = {}; Error.captureStackTrace(o);
console.log(typeof o.stack);
