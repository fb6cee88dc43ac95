const t = performance.now();
console.log(typeof t, t >= 0, typeof performance.timeOrigin);
performance.mark('a'); console.log(performance.getEntriesByName('a').length);
