async function* ag() { yield 1; await null; yield 2; }
(async () => { for await (const v of ag()) console.log(v); })();
