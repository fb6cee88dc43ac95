let n = 0; const h = setInterval(() => { console.log('tick', ++n); if (n === 3) clearInterval(h); }, 5);
