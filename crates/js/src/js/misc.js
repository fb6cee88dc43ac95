// Small built-ins and process plumbing: console, process.stdin/stdout/
// stderr, tty, perf_hooks, async_hooks, worker_threads, v8, vm,
// constants, and a stub of http2 (importable; using it
// throws "not supported in agentOS").
'use strict';
const util = () => require('util');
const materialized = {};

// ---- process.stdin / stdout / stderr ------------------------------------------
function stdio(fd) {
  const { Readable, Writable } = require('stream');
  const tty = exports.tty;
  let s;
  if (fd === 0) {
    let watcher = null;
    s = new Readable({
      highWaterMark: 65536,
      read() {
        if (watcher) return;
        watcher = internals.watch(0, 1, () => {
          let chunk;
          try {
            chunk = ops.read(0, 65536);
          } catch (e) {
            if (e.code === 'EAGAIN') return;
            watcher.close(); watcher = null;
            s.destroy(e);
            return;
          }
          if (chunk.length === 0) {
            watcher.close(); watcher = null;
            s.push(null);
            return;
          }
          const more = s.push(require('buffer').Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
          if (!more && watcher) { watcher.close(); watcher = null; }
        });
      },
      destroy(err, cb) { if (watcher) { watcher.close(); watcher = null; } cb(err); },
    });
    s.fd = 0;
    s.isTTY = ops.isatty(0) || undefined;
    s.setRawMode = function () { return this; };
    s.unref = function () { if (watcher) watcher.unref(); return this; };
    s.ref = function () { if (watcher) watcher.ref(); return this; };
  } else {
    s = new Writable({
      decodeStrings: false,
      write(chunk, enc, cb) {
        try {
          ops.write(fd, typeof chunk === 'string' ? chunk : chunk);
        } catch (e) {
          if (e.code === 'EPIPE') { cb(); return; }
          cb(e);
          return;
        }
        cb();
      },
    });
    s.fd = fd;
    s._type = 'fs';
    s._isStdio = true;
    s.destroySoon = s.destroy;
    s._destroy = (err, cb) => cb(err);
    s.isTTY = ops.isatty(fd) || undefined;
    if (s.isTTY) {
      s.columns = Number(process.env.COLUMNS) || 80;
      s.rows = Number(process.env.LINES) || 24;
      s.getColorDepth = () => 8;
      s.hasColors = (n = 16) => n <= 256;
      s.getWindowSize = () => [s.columns, s.rows];
      s.cursorTo = (x, y, cb) => { tty; s.write(y == null ? `\x1b[${x + 1}G` : `\x1b[${y + 1};${x + 1}H`); if (cb) cb(); return true; };
      s.moveCursor = (dx, dy, cb) => { if (cb) cb(); return true; };
      s.clearLine = (dir, cb) => { s.write('\x1b[2K'); if (cb) cb(); return true; };
      s.clearScreenDown = (cb) => { s.write('\x1b[0J'); if (cb) cb(); return true; };
    }
  }
  materialized[fd] = s;
  return s;
}
exports.stdio = stdio;

function writeFd(fd, str) {
  const s = materialized[fd];
  if (s) s.write(str);
  else {
    try { ops.write(fd, str); } catch (e) { if (e.code !== 'EPIPE') throw e; }
  }
}

// ---- console ---------------------------------------------------------------------
class Console {
  constructor(stdout, stderr, ignoreErrors) {
    if (stdout && typeof stdout.write !== 'function' && stdout.stdout) {
      ({ stdout, stderr } = stdout);
    }
    this._out = stdout ? (s) => stdout.write(s) : (s) => writeFd(1, s);
    this._err = stderr ? (s) => stderr.write(s) : stdout ? this._out : (s) => writeFd(2, s);
    this._indent = '';
    this._counts = new Map();
    this._timers = new Map();
    for (const k of Object.getOwnPropertyNames(Console.prototype)) {
      if (k !== 'constructor' && typeof this[k] === 'function') this[k] = this[k].bind(this);
    }
    void ignoreErrors;
  }
  _fmt(args) {
    let s = util().formatWithOptions({}, ...args);
    if (this._indent) s = this._indent + s.split('\n').join('\n' + this._indent);
    return s + '\n';
  }
  log(...a) { this._out(this._fmt(a)); }
  info(...a) { this._out(this._fmt(a)); }
  debug(...a) { this._out(this._fmt(a)); }
  warn(...a) { this._err(this._fmt(a)); }
  error(...a) { this._err(this._fmt(a)); }
  trace(...a) {
    const e = new Error(util().format(...a));
    e.name = 'Trace';
    this._err(this._fmt([e.stack]));
  }
  dir(obj, opts) { this._out(this._fmt([util().inspect(obj, { customInspect: false, ...opts })])); }
  dirxml(...a) { this.log(...a); }
  assert(cond, ...a) {
    if (!cond) {
      a[0] = `Assertion failed${a.length === 0 ? '' : `: ${a[0]}`}`;
      this.warn(...a);
    }
  }
  count(label = 'default') {
    const n = (this._counts.get(`${label}`) || 0) + 1;
    this._counts.set(`${label}`, n);
    this.log(`${label}: ${n}`);
  }
  countReset(label = 'default') { this._counts.delete(`${label}`); }
  group(...a) { if (a.length) this.log(...a); this._indent += '  '; }
  groupCollapsed(...a) { this.group(...a); }
  groupEnd() { this._indent = this._indent.slice(0, -2); }
  time(label = 'default') { this._timers.set(`${label}`, internals.now()); }
  timeEnd(label = 'default') { this.timeLog(label); this._timers.delete(`${label}`); }
  timeLog(label = 'default', ...data) {
    const t = this._timers.get(`${label}`);
    if (t === undefined) { process.emitWarning(`No such label '${label}' for console.timeLog()`); return; }
    const ms = internals.now() - t;
    const s = ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
    this.log(`${label}: ${s}`, ...data);
  }
  table(data, props) {
    if (data === null || typeof data !== 'object') return this.log(data);
    const rows = Object.keys(data);
    const cols = [];
    let hasValues = false;
    for (const r of rows) {
      const v = data[r];
      if (v !== null && typeof v === 'object') { for (const c of Object.keys(v)) if (!cols.includes(c) && (!props || props.includes(c))) cols.push(c); }
      else hasValues = true;
    }
    const fmt = (v) => v === undefined ? '' : util().inspect(v, { depth: 1, compact: true, breakLength: Infinity });
    const header = ['(index)', ...cols, ...(hasValues ? ['Values'] : [])];
    const body = rows.map((r) => {
      const v = data[r];
      const isObj = v !== null && typeof v === 'object';
      return [Array.isArray(data) ? r : r, ...cols.map((c) => isObj && c in v ? fmt(v[c]) : ''), ...(hasValues ? [isObj ? '' : fmt(v)] : [])];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)) + 2);
    const center = (s, w) => ` ${s}${' '.repeat(w - s.length - 1)}`;
    const line = (l, m, r) => l + widths.map((w) => '─'.repeat(w)).join(m) + r;
    let out = line('┌', '┬', '┐') + '\n';
    out += '│' + header.map((h, i) => center(h, widths[i])).join('│') + '│\n';
    out += line('├', '┼', '┤') + '\n';
    for (const b of body) out += '│' + b.map((c, i) => center(c, widths[i])).join('│') + '│\n';
    out += line('└', '┴', '┘');
    this.log(out);
  }
  profile() {}
  profileEnd() {}
  timeStamp() {}
}
exports.Console = Console;
const consoleObj = new Console();
consoleObj.Console = Console;
consoleObj.clear = () => {};
exports.console = consoleObj;

// ---- tty ------------------------------------------------------------------------------
exports.tty = {
  isatty: (fd) => ops.isatty(fd),
  ReadStream: class ReadStream { constructor(fd) { this.fd = fd; this.isTTY = true; } },
  WriteStream: class WriteStream { constructor(fd) { this.fd = fd; this.isTTY = true; this.columns = 80; this.rows = 24; } },
};

// ---- perf_hooks ------------------------------------------------------------------------
const timeOrigin = ops.now() - internals.now();
const marks = new Map();
const entries = [];
const performance = {
  timeOrigin,
  now: () => internals.now() - startMs,
  mark(name, opts) {
    const e = { name, entryType: 'mark', startTime: opts && opts.startTime !== undefined ? opts.startTime : performance.now(), duration: 0, detail: opts && opts.detail };
    marks.set(name, e.startTime);
    entries.push(e);
    return e;
  },
  measure(name, start, end) {
    const s = typeof start === 'string' ? marks.get(start) : (start && start.start) || 0;
    const en = typeof end === 'string' ? marks.get(end) : performance.now();
    const e = { name, entryType: 'measure', startTime: s, duration: en - s };
    entries.push(e);
    return e;
  },
  getEntries: () => entries.slice(),
  getEntriesByName: (n) => entries.filter((e) => e.name === n),
  getEntriesByType: (t) => entries.filter((e) => e.entryType === t),
  clearMarks: (n) => { marks.clear(); for (let i = entries.length - 1; i >= 0; i--) if (entries[i].entryType === 'mark' && (!n || entries[i].name === n)) entries.splice(i, 1); },
  clearMeasures: () => { for (let i = entries.length - 1; i >= 0; i--) if (entries[i].entryType === 'measure') entries.splice(i, 1); },
  toJSON() { return { timeOrigin }; },
  eventLoopUtilization: () => ({ idle: 0, active: 0, utilization: 0 }),
  timerify: (fn) => fn,
};
const startMs = 0;
exports.perf_hooks = {
  performance,
  PerformanceObserver: class PerformanceObserver { observe() {} disconnect() {} },
  monitorEventLoopDelay: () => ({ enable() {}, disable() {}, percentile: () => 0, mean: 0, max: 0, min: 0 }),
  createHistogram: () => ({ record() {}, percentile: () => 0, mean: 0 }),
  constants: {},
};

// ---- async_hooks ----------------------------------------------------------------------
class AsyncLocalStorage {
  constructor() { this._store = undefined; this._enabled = false; }
  getStore() { return this._store; }
  run(store, fn, ...args) {
    const prev = this._store;
    this._store = store;
    try {
      const r = fn(...args);
      if (r && typeof r.then === 'function') {
        // Keep the store for the async continuation (approximation: until it settles).
        const self = this;
        return r.finally(() => { self._store = prev; });
      }
      this._store = prev;
      return r;
    } catch (e) {
      this._store = prev;
      throw e;
    }
  }
  exit(fn, ...args) { return this.run(undefined, fn, ...args); }
  enterWith(store) { this._store = store; }
  disable() { this._store = undefined; }
  static bind(fn) { return fn; }
  static snapshot() { return (fn, ...args) => fn(...args); }
}
class AsyncResource {
  constructor(type) { this.type = type; }
  runInAsyncScope(fn, thisArg, ...args) { return fn.apply(thisArg, args); }
  emitDestroy() { return this; }
  asyncId() { return 1; }
  triggerAsyncId() { return 0; }
  bind(fn) { return fn.bind(this); }
  static bind(fn) { return fn; }
}
exports.async_hooks = {
  AsyncLocalStorage, AsyncResource,
  createHook: () => ({ enable() { return this; }, disable() { return this; } }),
  executionAsyncId: () => 1, triggerAsyncId: () => 0, executionAsyncResource: () => ({}),
};

// ---- worker_threads -----------------------------------------------------------------------
const EventEmitter = require('events');
exports.worker_threads = {
  isMainThread: true, parentPort: null, workerData: null, threadId: 0, resourceLimits: {},
  Worker: class Worker extends EventEmitter { constructor() { super(); throw internals.notSupported('worker_threads.Worker'); } },
  MessageChannel: class MessageChannel { constructor() { throw internals.notSupported('MessageChannel'); } },
  BroadcastChannel: class BroadcastChannel { constructor() { throw internals.notSupported('BroadcastChannel'); } },
  markAsUntransferable() {}, receiveMessageOnPort: () => undefined, setEnvironmentData() {}, getEnvironmentData() {},
  SHARE_ENV: Symbol('nodejs.worker_threads.SHARE_ENV'),
};

// ---- v8 / vm ---------------------------------------------------------------------------------
exports.v8 = {
  getHeapStatistics: () => ({ total_heap_size: 10e6, used_heap_size: 5e6, heap_size_limit: 256 * 1024 * 1024, total_available_size: 250e6 }),
  getHeapSpaceStatistics: () => [],
  setFlagsFromString() {},
  serialize: (v) => require('buffer').Buffer.from(JSON.stringify(v)),
  deserialize: (b) => JSON.parse(String(b)),
  cachedDataVersionTag: () => 0,
};
function runInThisContext(code, opts) {
  const filename = typeof opts === 'string' ? opts : (opts && opts.filename) || 'evalmachine.<anonymous>';
  return ops.evalScript(String(code), filename);
}
class Script {
  constructor(code, opts) { this.code = code; this.opts = opts; }
  runInThisContext() { return runInThisContext(this.code, this.opts); }
  runInContext(ctx) { return exports.vm.runInContext(this.code, ctx); }
  runInNewContext(ctx) { return exports.vm.runInNewContext(this.code, ctx); }
  createCachedData() { return require('buffer').Buffer.alloc(0); }
}
exports.vm = {
  Script, runInThisContext,
  runInNewContext(code, sandbox = {}) {
    const keys = Object.keys(sandbox);
    const fn = ops.evalScript(`(function (${keys.join(', ')}) { return eval(${JSON.stringify(String(code))}); })`, 'evalmachine.<anonymous>');
    return fn(...keys.map((k) => sandbox[k]));
  },
  runInContext(code, ctx) { return exports.vm.runInNewContext(code, ctx); },
  createContext: (o = {}) => o,
  isContext: () => true,
  compileFunction(code, params = []) { return ops.evalScript(`(function (${params.join(', ')}) {\n${code}\n})`, 'evalmachine.<anonymous>'); },
};

// ---- constants ------------------------------------------------------------------------------
exports.constants = {
  O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 64, O_EXCL: 128, O_TRUNC: 512, O_APPEND: 1024, O_DIRECTORY: 65536,
  O_NOFOLLOW: 131072, O_SYNC: 1052672, S_IFMT: 61440, S_IFREG: 32768, S_IFDIR: 16384, S_IFLNK: 40960,
  F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, ...internals.signals,
};

// ---- networking: needs kernel sockets --------------------------------------------------------
function netStub(name, extra = {}) {
  const unsupported = (what) => () => { throw internals.notSupported(`${name}.${what} (not supported in agentOS)`); };
  const m = { ...extra };
  for (const f of ['createServer', 'connect', 'createConnection', 'request', 'get', 'lookup', 'resolve', 'resolve4',
    'resolve6', 'createSocket', 'Socket', 'Server', 'Agent', 'fetch']) m[f] = unsupported(f);
  return m;
}
exports.http2 = netStub('http2', { constants: {} });
exports.cluster = { isPrimary: true, isMaster: true, isWorker: false, workers: {}, fork() { throw internals.notSupported('cluster.fork'); }, on() {}, setupPrimary() {} };
exports.inspector = { url: () => undefined, open() { throw internals.notSupported('inspector.open'); }, close() {}, Session: class Session { connect() { throw internals.notSupported('inspector.Session'); } } };
exports.repl = { start() { throw internals.notSupported('repl.start'); } };
const channels = new Map();
exports.diagnostics_channel = {
  channel(name) {
    if (!channels.has(name)) channels.set(name, { name, hasSubscribers: false, subs: [], publish(m) { for (const s of this.subs) s(m, name); }, subscribe(f) { this.subs.push(f); this.hasSubscribers = true; }, unsubscribe(f) { this.subs = this.subs.filter((x) => x !== f); this.hasSubscribers = this.subs.length > 0; } });
    return channels.get(name);
  },
  hasSubscribers: (n) => !!(channels.get(n) && channels.get(n).hasSubscribers),
  subscribe(n, f) { exports.diagnostics_channel.channel(n).subscribe(f); },
  unsubscribe(n, f) { exports.diagnostics_channel.channel(n).unsubscribe(f); },
  tracingChannel: () => ({ traceSync: (fn, ctx, thisArg, ...args) => fn.apply(thisArg, args), tracePromise: (fn, ctx, thisArg, ...args) => fn.apply(thisArg, args), subscribe() {}, unsubscribe() {} }),
};
exports.punycode = { toASCII: (s) => s, toUnicode: (s) => s, encode: (s) => s, decode: (s) => s };
exports.trace_events = { createTracing: () => ({ enable() {}, disable() {} }), getEnabledCategories: () => '' };
exports.wasi = { WASI: class WASI { constructor() { throw internals.notSupported('wasi.WASI'); } } };
exports.test = new Proxy(function test() { throw internals.notSupported('node:test'); }, { get: (t, k) => k === 'then' ? undefined : () => { throw internals.notSupported(`node:test.${String(k)}`); } });
exports.domain = { create: () => new EventEmitter() };
