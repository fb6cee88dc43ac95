const m = process.memoryUsage();
console.log(typeof m.heapUsed, typeof m.rss, typeof process.uptime());
