const wt = require('worker_threads');
console.log(wt.isMainThread, wt.parentPort, wt.threadId);
