const { AsyncLocalStorage } = require('async_hooks');
const als = new AsyncLocalStorage();
als.run({ id: 1 }, () => console.log(als.getStore()));
console.log(als.getStore());
