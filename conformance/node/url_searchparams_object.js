const p = new URLSearchParams({ q: 'a&b', n: 1 });
console.log(p.toString());
const u = new URL('http://x.com/?a=1'); u.searchParams.append('b', '2'); console.log(u.href);
