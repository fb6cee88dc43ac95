const { Readable } = require('stream');
(async () => { const r = Readable.from([1, 2, 3]); const out = []; for await (const x of r) out.push(x); console.log(out); })();
