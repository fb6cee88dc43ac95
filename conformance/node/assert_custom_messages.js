// Custom assertion messages: with the diff for strictEqual/deepStrictEqual
// (as Node 20.20+ does), as given for the others.
const assert = require('assert');
const cases = {
  se: () => assert.strictEqual(1, 2, 'm'),
  eq: () => assert.equal(1, 2, 'm'),
  nse: () => assert.notStrictEqual(1, 1, 'm'),
  de: () => assert.deepEqual({ a: 1 }, { a: 2 }, 'm'),
  dse: () => assert.deepStrictEqual({ a: 1 }, { a: 2 }, 'm'),
  ok: () => assert.ok(false, 'm'),
  sml: () => assert.strictEqual('a\nb', 'a\nc', 'm'),
  th: () => assert.throws(() => {}, 'm'),
  ndse: () => assert.notDeepStrictEqual({ a: 1 }, { a: 1 }, 'm'),
};
for (const [k, f] of Object.entries(cases)) { try { f(); } catch (e) { console.log(k, JSON.stringify(e.message), e.generatedMessage); } }
