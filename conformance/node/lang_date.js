const d = new Date(Date.UTC(2020, 1, 29, 12, 30));
console.log(d.toISOString(), d.getUTCDay(), d.getTime(), JSON.stringify({ d }));
