// node:timers and timers/promises (via `.promises`).
'use strict';
const t = internals.timers;
function abortErr(signal) {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  e.code = 'ABORT_ERR';
  if (signal && signal.reason !== undefined) e.cause = signal.reason;
  return e;
}
const promises = {
  setTimeout(ms, value, options = {}) {
    return new Promise((resolve, reject) => {
      if (options.signal && options.signal.aborted) return reject(abortErr(options.signal));
      const h = t.setTimeout(() => resolve(value), ms);
      if (options.ref === false) h.unref();
      if (options.signal) options.signal.addEventListener('abort', () => { t.clearTimeout(h); reject(abortErr(options.signal)); }, { once: true });
    });
  },
  setImmediate(value, options = {}) {
    return new Promise((resolve, reject) => {
      if (options.signal && options.signal.aborted) return reject(abortErr(options.signal));
      const h = t.setImmediate(() => resolve(value));
      if (options.ref === false) h.unref();
    });
  },
  async *setInterval(ms, value, options = {}) {
    let pending = 0;
    let wake = null;
    const h = t.setInterval(() => { pending++; if (wake) { const w = wake; wake = null; w(); } }, ms);
    if (options.ref === false) h.unref();
    try {
      for (;;) {
        if (options.signal && options.signal.aborted) throw abortErr(options.signal);
        if (pending === 0) await new Promise((r) => { wake = r; });
        pending--;
        yield value;
      }
    } finally { t.clearInterval(h); }
  },
  scheduler: { wait: (ms, o) => promises.setTimeout(ms, undefined, o), yield: () => promises.setImmediate() },
};
module.exports = {
  setTimeout: t.setTimeout, clearTimeout: t.clearTimeout, setInterval: t.setInterval, clearInterval: t.clearInterval,
  setImmediate: t.setImmediate, clearImmediate: t.clearImmediate, promises,
  active(x) { if (x && x.refresh) x.refresh(); }, unenroll(x) { t.clearTimeout(x); }, enroll() {},
};
