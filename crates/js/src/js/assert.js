// node:assert (+ assert/strict): ok/equal/deepEqual/deepStrictEqual/
// throws/rejects/match and AssertionError with Node's messages for the
// common cases.
'use strict';
const { inspect } = require('util');
class AssertionError extends Error {
  constructor(options) {
    const { message, actual, expected, operator } = options;
    super(message !== undefined ? String(message) : `${inspect(actual)} ${operator} ${inspect(expected)}`);
    this.generatedMessage = message === undefined;
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
    // Node captures the stack while the name reads `AssertionError
    // [ERR_ASSERTION]`, so that is what an uncaught one prints.
    if (typeof this.stack === 'string') this.stack = this.stack.replace(/^AssertionError/, 'AssertionError [ERR_ASSERTION]');
  }
  get name() { return 'AssertionError'; }
}
function fail(actual, expected, message, operator, defMsg) {
  if (message instanceof Error) throw message;
  throw new AssertionError({ message: message !== undefined ? message : defMsg, actual, expected, operator });
}
// A message given by the caller, followed by the generated diff without
// its headline (what Node does for strictEqual and deepStrictEqual).
function withDiff(m, diff) {
  return m === undefined || m instanceof Error ? m : `${m}${diff.slice(diff.indexOf('\n'))}`;
}
// A generated message that still names the caller's (`Missing expected
// exception: m`): generatedMessage is false, as in Node.
function failNamed(actual, expected, m, operator, msg) {
  const e = new AssertionError({ message: msg, actual, expected, operator });
  e.generatedMessage = m === undefined;
  throw e;
}
function isDeep(a, b, strict, memo = new Map()) {
  if (strict ? Object.is(a, b) : (a == b || (a !== a && b !== b))) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ta = Object.prototype.toString.call(a), tb = Object.prototype.toString.call(b);
  if (ta !== tb) return false;
  if (memo.get(a) === b) return true;
  memo.set(a, b);
  if (a instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof RegExp) return String(a) === String(b);
  if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
  if (ArrayBuffer.isView(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && a[i] !== b[i]) return false;
  }
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !isDeep(v, b.get(k), strict, memo)) return false;
    return true;
  }
  if (a instanceof Set) {
    if (a.size !== b.size) return false;
    outer: for (const v of a) {
      if (b.has(v)) continue;
      if (typeof v === 'object') for (const w of b) if (isDeep(v, w, strict, memo)) continue outer;
      return false;
    }
    return true;
  }
  if (Array.isArray(a) && a.length !== b.length) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !isDeep(a[k], b[k], strict, memo)) return false;
  if (strict) {
    const sa = Object.getOwnPropertySymbols(a).filter((s) => Object.prototype.propertyIsEnumerable.call(a, s));
    const sb = Object.getOwnPropertySymbols(b).filter((s) => Object.prototype.propertyIsEnumerable.call(b, s));
    if (sa.length !== sb.length) return false;
    for (const s of sa) if (!isDeep(a[s], b[s], strict, memo)) return false;
  }
  return true;
}
// Values as Node's assertion diffs show them: one line per property.
const show = (v) => (typeof v === 'object' && v !== null ? inspect(v, { compact: false, sorted: true, depth: 1000, customInspect: false }) : inspect(v));
function diffMsg(a, b, head) {
  const la = show(a).split('\n'), lb = show(b).split('\n');
  if (la.length === 1 && lb.length === 1 && (typeof a !== 'object' || a === null) && (typeof b !== 'object' || b === null)) {
    return `${head}:\n\n${la[0]} !== ${lb[0]}\n`;
  }
  let out = `${head}:\n+ actual - expected\n\n`;
  const n = Math.max(la.length, lb.length);
  for (let i = 0; i < n; i++) {
    if (la[i] === lb[i]) out += `  ${la[i]}\n`;
    else { if (la[i] !== undefined) out += `+ ${la[i]}\n`; if (lb[i] !== undefined) out += `- ${lb[i]}\n`; }
  }
  return out.replace(/\n$/, '');
}
function ok(value, message) {
  if (!value) fail(value, true, message, '==', arguments.length === 0 ? 'No value argument passed to `assert.ok()`' : 'The expression evaluated to a falsy value:\n\n  assert.ok(' + inspect(value) + ')\n');
}
const assert = function assert(value, message) {
  if (!value) fail(value, true, message, '==', arguments.length === 0 ? 'No value argument passed to `assert.ok()`' : 'The expression evaluated to a falsy value:\n\n  assert(' + inspect(value) + ')\n');
};
assert.ok = ok;
assert.AssertionError = AssertionError;
assert.fail = (message = 'Failed') => { if (message instanceof Error) throw message; throw new AssertionError({ message, operator: 'fail' }); };
assert.equal = (a, b, m) => { if (!(a == b || (a !== a && b !== b))) fail(a, b, m, '==', `${inspect(a)} == ${inspect(b)}`); };
assert.notEqual = (a, b, m) => { if (a == b) fail(a, b, m, '!=', `${inspect(a)} != ${inspect(b)}`); };
assert.strictEqual = (a, b, m) => {
  if (Object.is(a, b)) return;
  const d = diffMsg(a, b, 'Expected values to be strictly equal');
  fail(a, b, withDiff(m, d), 'strictEqual', d);
};
assert.notStrictEqual = (a, b, m) => { if (Object.is(a, b)) fail(a, b, m, 'notStrictEqual', `Expected "actual" to be strictly unequal to: ${inspect(b)}`); };
assert.deepEqual = (a, b, m) => { if (!isDeep(a, b, false)) fail(a, b, m, 'deepEqual', diffMsg(a, b, 'Expected values to be loosely deep-equal')); };
assert.deepStrictEqual = (a, b, m) => {
  if (isDeep(a, b, true)) return;
  const d = diffMsg(a, b, 'Expected values to be strictly deep-equal');
  fail(a, b, withDiff(m, d), 'deepStrictEqual', d);
};
assert.notDeepEqual = (a, b, m) => { if (isDeep(a, b, false)) fail(a, b, m, 'notDeepEqual', `"actual" deepEqual "expected"`); };
assert.notDeepStrictEqual = (a, b, m) => { if (isDeep(a, b, true)) fail(a, b, m, 'notDeepStrictEqual', 'Expected "actual" not to be strictly deep-equal to: ' + inspect(b)); };
function matches(err, expected, m) {
  if (expected === undefined) return;
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && err instanceof expected) return;
    if (Error.isPrototypeOf(expected) || expected === Error) fail(err, expected, m, 'throws', `The error is expected to be an instance of "${expected.name}". Received "${err && err.constructor && err.constructor.name}"`);
    if (expected.call({}, err) === true) return;
    fail(err, expected, m, 'throws', 'The validation function is expected to return "true". Received false');
  }
  if (expected instanceof RegExp) { if (expected.test(String(err))) return; fail(err, expected, m, 'throws', `The input did not match the regular expression ${expected}. Input:\n\n${inspect(String(err))}\n`); }
  if (typeof expected === 'object') {
    for (const k of Object.keys(expected)) {
      const ev = expected[k], av = err[k];
      if (ev instanceof RegExp && typeof av === 'string' ? !ev.test(av) : !isDeep(av, ev, true)) {
        fail(err, expected, m, 'throws', diffMsg(av, ev, 'Expected values to be strictly deep-equal'));
      }
    }
  }
}
assert.throws = (fn, expected, m) => {
  if (typeof expected === 'string') { m = expected; expected = undefined; }
  try { fn(); } catch (e) { matches(e, expected, m); return; }
  failNamed(undefined, expected, m, 'throws', `Missing expected exception${expected && expected.name ? ` (${expected.name})` : ''}${m ? `: ${m}` : '.'}`);
};
assert.doesNotThrow = (fn, m) => { try { fn(); } catch (e) { fail(e, undefined, typeof m === 'string' ? m : undefined, 'doesNotThrow', `Got unwanted exception.\nActual message: "${e && e.message}"`); } };
assert.rejects = async (p, expected, m) => {
  if (typeof expected === 'string') { m = expected; expected = undefined; }
  try { await (typeof p === 'function' ? p() : p); } catch (e) { matches(e, expected, m); return; }
  failNamed(undefined, expected, m, 'rejects', `Missing expected rejection${expected && expected.name ? ` (${expected.name})` : ''}${m ? `: ${m}` : '.'}`);
};
assert.doesNotReject = async (p, m) => { try { await (typeof p === 'function' ? p() : p); } catch (e) { fail(e, undefined, m, 'doesNotReject', `Got unwanted rejection.\nActual message: "${e && e.message}"`); } };
assert.match = (s, re, m) => { if (!re.test(s)) fail(s, re, m, 'match', `The input did not match the regular expression ${re}. Input:\n\n${inspect(s)}\n`); };
assert.doesNotMatch = (s, re, m) => { if (re.test(s)) fail(s, re, m, 'doesNotMatch', `The input was expected to not match the regular expression ${re}. Input:\n\n${inspect(s)}\n`); };
assert.ifError = (e) => { if (e !== null && e !== undefined) { if (e instanceof Error) throw e; throw new AssertionError({ message: `ifError got unwanted exception: ${inspect(e)}`, actual: e, operator: 'ifError' }); } };
assert._deepEqual = (a, b, strict) => isDeep(a, b, strict);
assert.strict = Object.assign(function strict(v, m) { return assert.ok(v, m); }, assert, {
  equal: assert.strictEqual, deepEqual: assert.deepStrictEqual, notEqual: assert.notStrictEqual, notDeepEqual: assert.notDeepStrictEqual,
});
assert.strict.strict = assert.strict;
module.exports = assert;
