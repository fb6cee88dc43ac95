const { performance } = require('perf_hooks');
console.log(typeof performance.now(), performance === globalThis.performance);
