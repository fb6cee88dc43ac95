const { types } = require('util');
console.log(types.isPromise(Promise.resolve()), types.isRegExp(/a/), types.isDate(new Date()), types.isTypedArray(new Uint8Array()), types.isMap(new Map()), types.isAsyncFunction(async () => {}));
