const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
(async () => { const out = []; for await (const x of rs) out.push(x); console.log(out); })();
