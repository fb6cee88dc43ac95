// Bootstrap of a node process: the built-in module loader, `process`,
// globals, timers, nextTick and the JS half of the event loop. Evaluated
// once per process; returns the `internals` object the Rust engine drives
// (runMain, next, processTicks, processRejections, beforeExit, emitExit,
// fatal) and the module loader calls (esmResolve, esmSource).
(function bootstrap(ops, info) {
  'use strict';
  const internals = { ops, info };
  Object.defineProperty(globalThis, '__agentos', { value: internals, enumerable: false, configurable: false, writable: false });

  // Node-style stacks: "Name: message" then "    at fn (file:line:col)".
  Error.prepareStackTrace = function prepareStackTrace(err, frames) {
    let header;
    try { header = Error.prototype.toString.call(err); } catch { header = 'Error'; }
    const lines = [header];
    for (const f of frames) {
      const file = f.getFileName();
      if (file === 'node:internal/bootstrap') continue;
      const name = f.getFunctionName();
      const loc = file ? `${file}:${f.getLineNumber()}:${f.getColumnNumber()}` : 'native';
      lines.push(name && name !== '<anonymous>' ? `    at ${name} (${loc})` : `    at ${loc}`);
    }
    return lines.join('\n');
  };

  // QuickJS's CallSite lacks part of V8's API, which libraries that read
  // their callers (depd, used by express) call: fill it with V8's answers
  // for plain, non-eval frames.
  {
    const prev = Error.prepareStackTrace;
    Error.prepareStackTrace = (e, frames) => frames;
    const probe = {};
    Error.captureStackTrace(probe);
    const site = Array.isArray(probe.stack) ? probe.stack[0] : null;
    Error.prepareStackTrace = prev;
    const proto = site && Object.getPrototypeOf(site);
    const fill = { isEval: () => false, getEvalOrigin: () => undefined, getThis: () => undefined,
      getTypeName: () => null, getMethodName: () => null, isToplevel: () => true, isAsync: () => false,
      isPromiseAll: () => false, getPromiseIndex: () => null,
      getScriptNameOrSourceURL() { return this.getFileName(); } };
    if (proto) {
      for (const k of Object.keys(fill)) {
        if (!(k in proto)) Object.defineProperty(proto, k, { value: fill[k], writable: true, configurable: true });
      }
    }
  }

  // ---- built-in modules -------------------------------------------------
  const builtinCache = new Map();
  const MISC = ['tty', 'perf_hooks', 'async_hooks', 'worker_threads', 'v8', 'vm', 'http2', 'cluster', 'inspector', 'repl', 'diagnostics_channel', 'constants',
    'punycode', 'trace_events', 'wasi', 'test', 'sys', 'domain'];
  const ALIASES = {
    'timers/promises': () => loadBuiltin('timers').promises,
    'stream/promises': () => loadBuiltin('stream').promises,
    'stream/web': () => loadBuiltin('internal/web').streams,
    'stream/consumers': () => loadBuiltin('stream').consumers,
    'path/posix': () => loadBuiltin('path'),
    'path/win32': () => loadBuiltin('path').win32,
    'util/types': () => loadBuiltin('util').types,
    'assert/strict': () => loadBuiltin('assert').strict,
    'readline/promises': () => loadBuiltin('readline').promises,
    'process': () => process,
    'console': () => globalThis.console,
    'sys': () => loadBuiltin('util'),
    'dns/promises': () => loadBuiltin('dns').promises,
  };
  const BUILTINS = ['assert', 'assert/strict', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console',
    'constants', 'crypto', 'dgram', 'diagnostics_channel', 'dns', 'dns/promises', 'domain', 'events', 'fs',
    'fs/promises', 'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'path/posix', 'path/win32',
    'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'readline/promises', 'repl', 'stream',
    'stream/consumers', 'stream/promises', 'stream/web', 'string_decoder', 'sys', 'timers', 'timers/promises', 'tls',
    'trace_events', 'tty', 'url', 'util', 'util/types', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib'];
  internals.builtinNames = BUILTINS;
  function isBuiltin(name) {
    if (name.startsWith('node:')) name = name.slice(5);
    return BUILTINS.includes(name) || name === 'test';
  }
  internals.isBuiltin = isBuiltin;
  function loadBuiltin(name) {
    if (name.startsWith('node:')) name = name.slice(5);
    const cached = builtinCache.get(name);
    if (cached) return cached.exports;
    if (ALIASES[name]) {
      const exports = ALIASES[name]();
      builtinCache.set(name, { exports });
      return exports;
    }
    if (MISC.includes(name)) {
      const exports = loadBuiltin('internal/misc')[name];
      builtinCache.set(name, { exports });
      return exports;
    }
    const src = ops.builtinSource(name);
    if (src == null) {
      const e = new Error(`Cannot find module '${name}'`);
      e.code = 'MODULE_NOT_FOUND';
      throw e;
    }
    const module = { exports: {} };
    builtinCache.set(name, module);
    const fn = ops.evalScript('(function (exports, require, module, internals, ops) {' + src + '\n})', 'node:' + name);
    fn.call(module.exports, module.exports, loadBuiltin, module, internals, ops);
    return module.exports;
  }
  internals.builtin = loadBuiltin;
  internals.notSupported = (what) => {
    const e = new Error(`${what} is not supported in agentOS`);
    e.code = 'ERR_NOT_SUPPORTED';
    return e;
  };

  // ---- nextTick and microtasks -------------------------------------------
  let ticks = [];
  function nextTick(fn, ...args) {
    if (typeof fn !== 'function') {
      const e = new TypeError(`The "callback" argument must be of type function. Received ${loadBuiltin('util').inspect(fn)}`);
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    ticks.push({ fn, args });
  }
  internals.processTicks = function processTicks() {
    if (ticks.length === 0) return false;
    while (ticks.length) {
      const q = ticks;
      ticks = [];
      for (let i = 0; i < q.length; i++) {
        try {
          q[i].fn(...q[i].args);
        } catch (e) {
          ticks = q.slice(i + 1).concat(ticks);
          throw e;
        }
      }
    }
    return true;
  };

  // ---- timers -----------------------------------------------------------
  let timerSeq = 1;
  let timers = []; // sorted by (when, seq)
  let refTimers = 0;
  const now = () => ops.hrtime() / 1e6;
  internals.now = now;
  // Like libuv, timers start from the loop's cached time, refreshed once
  // per iteration (so a 0 ms timer set by the main script is already due
  // when the loop starts, as in Node).
  let loopNow = now();
  function insertTimer(t) {
    let lo = 0, hi = timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = timers[mid];
      if (m.when < t.when || (m.when === t.when && m.seq < t.seq)) lo = mid + 1; else hi = mid;
    }
    timers.splice(lo, 0, t);
  }
  function removeTimer(t) {
    const i = timers.indexOf(t);
    if (i >= 0) timers.splice(i, 1);
  }
  class Timeout {
    constructor(cb, ms, args, repeat) {
      ms = Number(ms);
      if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
      this._idleTimeout = ms;
      this._onTimeout = cb;
      this._args = args;
      this._repeat = repeat ? ms : null;
      this._destroyed = false;
      this._ref = true;
      this.seq = timerSeq++;
      this.when = loopNow + ms;
      refTimers++;
      insertTimer(this);
    }
    ref() {
      if (!this._ref && !this._destroyed) refTimers++;
      this._ref = true;
      return this;
    }
    unref() {
      if (this._ref && !this._destroyed) refTimers--;
      this._ref = false;
      return this;
    }
    hasRef() { return this._ref; }
    refresh() {
      if (!this._destroyed) {
        removeTimer(this);
        this.when = now() + this._idleTimeout;
        insertTimer(this);
      }
      return this;
    }
    close() { clearTimeout(this); return this; }
    [Symbol.toPrimitive]() { return this.seq; }
  }
  internals.Timeout = Timeout;
  const timerById = new Map();
  function checkCb(cb) {
    if (typeof cb !== 'function') {
      const e = new TypeError(`The "callback" argument must be of type function. Received ${loadBuiltin('util').inspect(cb)}`);
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
  }
  function setTimeout(cb, ms, ...args) { checkCb(cb); return new Timeout(cb, ms, args, false); }
  function setInterval(cb, ms, ...args) { checkCb(cb); return new Timeout(cb, ms, args, true); }
  function clearTimeout(t) {
    if (t == null) return;
    if (typeof t === 'number' || typeof t === 'string') {
      t = timers.find((x) => x.seq === Number(t));
      if (!t) return;
    }
    if (!(t instanceof Timeout) || t._destroyed) return;
    t._destroyed = true;
    if (t._ref) refTimers--;
    removeTimer(t);
  }
  void timerById;
  let immediates = [];
  let refImmediates = 0;
  class Immediate {
    constructor(cb, args) {
      this._onImmediate = cb;
      this._args = args;
      this._ref = true;
      this._destroyed = false;
      refImmediates++;
      immediates.push(this);
    }
    ref() { if (!this._ref && !this._destroyed) refImmediates++; this._ref = true; return this; }
    unref() { if (this._ref && !this._destroyed) refImmediates--; this._ref = false; return this; }
    hasRef() { return this._ref; }
  }
  function setImmediate(cb, ...args) { checkCb(cb); return new Immediate(cb, args); }
  function clearImmediate(im) {
    if (!(im instanceof Immediate) || im._destroyed) return;
    im._destroyed = true;
    if (im._ref) refImmediates--;
    const i = immediates.indexOf(im);
    if (i >= 0) immediates.splice(i, 1);
  }

  // ---- I/O watchers and deferred completions ----------------------------
  const watchers = new Set();
  let refWatchers = 0;
  // Watch `fd` for poll `events` (1 in, 4 out); `cb(revents)` when ready.
  // `late` watchers run after the others that are ready at the same time
  // (a child's exit after its last output, as in Node).
  internals.watch = function watch(fd, events, cb, late = false) {
    const w = {
      fd, events, cb, late, _ref: true, closed: false,
      close() { if (!this.closed) { this.closed = true; watchers.delete(this); if (this._ref) refWatchers--; } },
      ref() { if (!this._ref && !this.closed) refWatchers++; this._ref = true; return this; },
      unref() { if (this._ref && !this.closed) refWatchers--; this._ref = false; return this; },
    };
    watchers.add(w);
    refWatchers++;
    return w;
  };
  let completions = [];
  let pendingOps = 0;
  // Run `fn` as a completed asynchronous operation (fs callbacks).
  internals.defer = function defer(fn) { completions.push(fn); };
  // Keep the loop alive while something outside the loop is pending.
  internals.holdLoop = () => { pendingOps++; let done = false; return () => { if (!done) { done = true; pendingOps--; } }; };

  // ---- signals ------------------------------------------------------------
  const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
    SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17,
    SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25,
    SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31 };
  internals.signals = SIGNALS;
  const signalNames = Object.fromEntries(Object.entries(SIGNALS).map(([k, v]) => [v, k]));
  internals.signalName = (n) => signalNames[n];
  function dispatchSignals(queue) {
    for (const n of ops.takeSignals()) {
      const name = signalNames[n];
      if (name) queue.push(() => process.emit(name, name, n));
    }
  }

  // ---- the loop -----------------------------------------------------------
  let phase = 0;
  let queue = [];
  function alive() {
    return refTimers > 0 || refImmediates > 0 || refWatchers > 0 || completions.length > 0 || pendingOps > 0 ||
      queue.length > 0;
  }
  function pollIO(timeout) {
    const list = [...watchers].sort((a, b) => a.late - b.late);
    const fds = list.map((w) => w.fd);
    const events = list.map((w) => w.events);
    const revents = ops.poll(fds, events, timeout);
    const out = [];
    if (revents.length === list.length) {
      list.forEach((w, i) => { if (revents[i]) out.push(() => { if (!w.closed) w.cb(revents[i]); }); });
    }
    dispatchSignals(out);
    return out;
  }
  function runOne(fn) {
    fn();
  }
  internals.next = function next() {
    for (let spins = 0; ; spins++) {
      if (queue.length) {
        runOne(queue.shift());
        return true;
      }
      if (phase === 0) {
        phase = 1;
        const t = loopNow = now();
        const due = [];
        for (const x of timers) { if (x.when <= t) due.push(x); else break; }
        queue = due.map((x) => () => {
          if (x._destroyed) return;
          if (x._repeat) {
            removeTimer(x);
            x.when = now() + x._repeat;
            insertTimer(x);
          } else {
            x._destroyed = true;
            if (x._ref) refTimers--;
            removeTimer(x);
          }
          x._onTimeout.apply(x, x._args);
        });
      } else if (phase === 1) {
        phase = 2;
        if (!alive()) return false;
        let timeout = timers.length ? Math.max(0, timers[0].when - now()) : -1;
        if (immediates.length || completions.length || queue.length) timeout = 0;
        else if (pendingOps > 0 && (timeout < 0 || timeout > 10)) timeout = 10;
        queue = completions.concat(pollIO(timeout));
        completions = [];
      } else {
        phase = 0;
        const list = immediates;
        immediates = [];
        queue = list.map((im) => () => {
          if (im._destroyed) return;
          im._destroyed = true;
          if (im._ref) refImmediates--;
          im._onImmediate.apply(im, im._args);
        });
      }
      if (spins > 6 && !queue.length && !alive()) return false;
    }
  };

  // ---- promise rejections ---------------------------------------------------
  let pendingRejections = [];
  internals.onRejection = function onRejection(promise, reason, handled) {
    if (!handled) pendingRejections.push({ promise, reason });
    else {
      const i = pendingRejections.findIndex((r) => r.promise === promise);
      if (i >= 0) pendingRejections.splice(i, 1);
      else if (process.listenerCount && process.listenerCount('rejectionHandled')) {
        nextTick(() => process.emit('rejectionHandled', promise));
      }
    }
  };
  internals.processRejections = function processRejections() {
    if (!pendingRejections.length) return false;
    const list = pendingRejections;
    pendingRejections = [];
    for (const { promise, reason } of list) {
      if (process.listenerCount('unhandledRejection') > 0) {
        process.emit('unhandledRejection', reason, promise);
        continue;
      }
      if (reason instanceof Error || (reason && typeof reason === 'object' && 'stack' in reason)) {
        throw reason;
      }
      const util = loadBuiltin('util');
      const e = new Error('This error originated either by throwing inside of an async function without a catch ' +
        'block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "' +
        util.inspect(reason) + '".');
      e.name = 'UnhandledPromiseRejection';
      e.code = 'ERR_UNHANDLED_REJECTION';
      internals.fatalPlain(e);
    }
    return true;
  };

  // ---- uncaught errors --------------------------------------------------------
  function sourceHeader(err) {
    const stack = err && typeof err === 'object' ? String(err.stack || '') : '';
    const m = /\(?((?:\/|file:\/\/)[^\s():]+):(\d+):(\d+)\)?/.exec(stack);
    if (!m) return '';
    const file = m[1].replace(/^file:\/\//, '');
    const line = Number(m[2]);
    const col = Number(m[3]);
    let text = '';
    try {
      text = ops.readFileUtf8(file).split('\n')[line - 1] || '';
    } catch { return ''; }
    return `${m[1]}:${line}\n${text}\n${' '.repeat(Math.max(0, col - 1))}^\n\n`;
  }
  internals.formatFatal = function formatFatal(err) {
    const util = loadBuiltin('util');
    let body;
    if (err instanceof Error || (err && typeof err === 'object' && typeof err.stack === 'string')) {
      body = util.inspect(err);
      // QuickJS's text for the commonest TypeError, in V8's words.
      if (err instanceof TypeError) {
        body = body.replace(/^TypeError: cannot read property '([^']*)' of (null|undefined)/,
          "TypeError: Cannot read properties of $2 (reading '$1')");
      }
    } else if (err !== null && typeof err === 'object') {
      body = util.inspect(err);
    } else {
      // A thrown primitive prints as itself, with V8's hint.
      const text = typeof err === 'symbol' ? '' : String(err);
      body = `${text}\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)`;
    }
    return `${sourceHeader(err)}${body}\n\nNode.js ${info.version}\n`;
  };
  internals.fatalPlain = function fatalPlain(err) {
    ops.write(2, internals.formatFatal(err));
    process.exitCode = 1;
    exitNow(err && err.code === 'ERR_UNHANDLED_REJECTION' ? 1 : 1);
  };
  internals.fatal = function fatal(err) {
    if (process.listenerCount('uncaughtException') > 0) {
      process.emit('uncaughtException', err, 'uncaughtException');
      return;
    }
    ops.write(2, internals.formatFatal(err));
    exitNow(typeof err === 'object' && err && err.code === 'ERR_ASSERTION' ? 1 : 1);
  };

  // ---- process ------------------------------------------------------------------
  const EventEmitter = loadBuiltin('events');
  const process = new EventEmitter();
  internals.process = process;
  const envMap = {};
  for (const kv of info.env) {
    const i = kv.indexOf('=');
    if (i > 0) envMap[kv.slice(0, i)] = kv.slice(i + 1);
  }
  process.env = new Proxy(envMap, {
    set(t, k, v) { t[k] = String(v); return true; },
    defineProperty(t, k, d) { t[k] = String(d.value); return true; },
  });
  process.title = 'node';
  process.version = info.version;
  process.versions = { node: info.version.slice(1), quickjs: '0.10', v8: '12.4.254.21-node.21', uv: '1.48.0', modules: '127', agentos: '0.1.0' };
  process.arch = 'x64';
  process.platform = 'linux';
  process.release = { name: 'node', lts: 'Jod' };
  process.execPath = '/usr/bin/node';
  process.execArgv = info.execArgv;
  process.argv0 = info.argv0;
  process.argv = ['/usr/bin/node'];
  process.exitCode = undefined;
  process.config = { variables: {} };
  process.features = {};
  const ids = ops.ids();
  process.pid = ids[0];
  process.ppid = ids[1];
  process.getuid = () => ids[2];
  process.geteuid = () => ids[2];
  process.getgid = () => ids[3];
  process.getegid = () => ids[3];
  process.getgroups = () => [ids[3]];
  process.umask = () => 0o22;
  process.cwd = () => ops.cwd();
  process.chdir = (dir) => {
    ops.path1('chdir', String(dir));
    envMap.PWD = ops.cwd();
  };
  process.nextTick = nextTick;
  process.hrtime = function hrtime(prev) {
    const ns = ops.hrtime();
    let s = Math.floor(ns / 1e9), n = Math.floor(ns % 1e9);
    if (prev) {
      s -= prev[0]; n -= prev[1];
      if (n < 0) { s--; n += 1e9; }
    }
    return [s, n];
  };
  process.hrtime.bigint = () => BigInt(Math.floor(ops.hrtime()));
  process.uptime = () => (ops.hrtime() - startNs) / 1e9;
  const startNs = ops.hrtime();
  process.memoryUsage = () => ({ rss: 30e6, heapTotal: 10e6, heapUsed: 5e6, external: 1e6, arrayBuffers: 1e5 });
  process.memoryUsage.rss = () => 30e6;
  process.cpuUsage = (prev) => {
    const us = ops.cpuUsage();
    const r = { user: Math.floor(us), system: 0 };
    if (prev) { r.user -= prev.user; r.system -= prev.system; }
    return r;
  };
  process.resourceUsage = () => ({ userCPUTime: Math.floor(ops.cpuUsage()), systemCPUTime: 0, maxRSS: 30000 });
  process.kill = (pid, sig = 'SIGTERM') => {
    const n = typeof sig === 'number' ? sig : SIGNALS[sig];
    if (n === undefined) {
      const e = new TypeError(`Unknown signal: ${sig}`);
      e.code = 'ERR_UNKNOWN_SIGNAL';
      throw e;
    }
    ops.kill(pid, n);
    return true;
  };
  let exiting = false;
  function exitNow(code) {
    if (code !== undefined) process.exitCode = code;
    code = process.exitCode === undefined ? 0 : (Number(process.exitCode) | 0);
    if (!exiting) {
      exiting = true;
      process._exiting = true;
      try { process.emit('exit', code); } catch (e) { ops.write(2, internals.formatFatal(e)); code = 7; }
      code = process.exitCode === undefined ? code : (Number(process.exitCode) | 0);
    }
    ops.exit(code);
  }
  process.exit = function exit(code) {
    if (code !== undefined && code !== null) process.exitCode = code;
    exitNow();
  };
  process.reallyExit = (code) => ops.exit(code | 0);
  process.abort = () => ops.exit(134);
  internals.beforeExit = function beforeExit() {
    const code = process.exitCode === undefined ? 0 : process.exitCode;
    if (process.listenerCount('beforeExit') === 0) return false;
    process.emit('beforeExit', code);
    return alive() || ticks.length > 0;
  };
  internals.emitExit = function emitExit(code) {
    if (code !== null && code !== undefined) process.exitCode = code;
    code = process.exitCode === undefined ? 0 : (Number(process.exitCode) | 0);
    if (!exiting) {
      exiting = true;
      process._exiting = true;
      process.emit('exit', code);
    }
    return process.exitCode === undefined ? code : (Number(process.exitCode) | 0);
  };
  // Signal listeners switch the kernel disposition to "catch".
  const caught = new Set();
  process.on('newListener', (ev) => {
    if (SIGNALS[ev] && !caught.has(ev) && ev !== 'SIGKILL' && ev !== 'SIGSTOP') {
      caught.add(ev);
      ops.sigaction(SIGNALS[ev], 2);
    }
  });
  process.on('removeListener', (ev) => {
    if (caught.has(ev) && process.listenerCount(ev) === 0) {
      caught.delete(ev);
      ops.sigaction(SIGNALS[ev], 0);
    }
  });
  process.emitWarning = (w, type, code) => {
    if (process.noDeprecation && (type === 'DeprecationWarning' || (w && w.name === 'DeprecationWarning'))) return;
    const name = typeof w === 'string' ? (typeof type === 'string' ? type : (type && type.type) || 'Warning') : w.name;
    const msg = typeof w === 'string' ? w : w.message;
    if (execArgvHas('--no-warnings')) return;
    nextTick(() => {
      process.emit('warning', typeof w === 'string' ? Object.assign(new Error(msg), { name }) : w);
      ops.write(2, `(node:${process.pid}) ${code ? `[${code}] ` : ''}${name}: ${msg}\n` +
        (warned ? '' : '(Use `node --trace-warnings ...` to show where the warning was created)\n'));
      warned = true;
    });
  };
  let warned = false;
  function execArgvHas(f) { return info.execArgv.includes(f); }
  process.binding = (name) => { throw internals.notSupported(`process.binding('${name}')`); };
  process.setUncaughtExceptionCaptureCallback = () => {};
  process.hasUncaughtExceptionCaptureCallback = () => false;
  process.report = { getReport: () => ({ header: { glibcVersionRuntime: '2.36' } }) };
  process.allowedNodeEnvironmentFlags = new Set();
  // stdio streams are built lazily (they pull in `stream`).
  for (const [name, fd] of [['stdin', 0], ['stdout', 1], ['stderr', 2]]) {
    let s;
    Object.defineProperty(process, name, {
      configurable: true, enumerable: true,
      get() { return s || (s = loadBuiltin('internal/misc').stdio(fd)); },
    });
  }

  // ---- globals ----------------------------------------------------------------------
  function defineGlobal(name, value) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }
  function lazyGlobal(name, get) {
    Object.defineProperty(globalThis, name, {
      configurable: true, enumerable: false,
      get() { const v = get(); defineGlobal(name, v); return v; },
      set(v) { defineGlobal(name, v); },
    });
  }
  defineGlobal('global', globalThis);
  defineGlobal('process', process);
  defineGlobal('setTimeout', setTimeout);
  defineGlobal('setInterval', setInterval);
  defineGlobal('clearTimeout', clearTimeout);
  defineGlobal('clearInterval', clearTimeout);
  defineGlobal('setImmediate', setImmediate);
  defineGlobal('clearImmediate', clearImmediate);
  internals.timers = { setTimeout, setInterval, clearTimeout, clearInterval: clearTimeout, setImmediate, clearImmediate, Timeout, Immediate };
  defineGlobal('queueMicrotask', (fn) => {
    checkCb(fn);
    Promise.resolve().then(() => fn());
  });
  lazyGlobal('console', () => loadBuiltin('internal/misc').console);
  lazyGlobal('Buffer', () => loadBuiltin('buffer').Buffer);
  lazyGlobal('URL', () => loadBuiltin('url').URL);
  lazyGlobal('URLSearchParams', () => loadBuiltin('url').URLSearchParams);
  const web = (k) => () => loadBuiltin('internal/web')[k];
  for (const k of ['TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'EventTarget', 'Event',
    'CustomEvent', 'structuredClone', 'atob', 'btoa', 'Blob', 'File', 'DOMException', 'MessageChannel',
    'MessagePort', 'BroadcastChannel', 'fetch', 'Headers', 'Request', 'Response', 'FormData', 'WebSocket',
    'ReadableStream', 'WritableStream', 'TransformStream', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy',
    'TextEncoderStream', 'TextDecoderStream', 'CompressionStream', 'DecompressionStream']) {
    lazyGlobal(k, web(k));
  }
  lazyGlobal('performance', () => loadBuiltin('internal/misc').perf_hooks.performance);
  lazyGlobal('crypto', () => loadBuiltin('crypto').webcrypto);
  lazyGlobal('navigator', () => ({ hardwareConcurrency: 2, language: 'en-US', platform: 'linux', userAgent: `Node.js/${info.version.slice(1, 3)}` }));

  // ---- main ---------------------------------------------------------------------------
  internals.runMain = function runMain() {
    const Module = loadBuiltin('module');
    for (const p of info.preload) Module._preload(p);
    const kind = info.mainKind;
    if (kind === 'file') {
      const path = loadBuiltin('path');
      const abs = path.resolve(info.main);
      process.argv = ['/usr/bin/node', abs, ...info.args];
      Module.runMain(abs);
    } else if (kind === 'eval' || kind === 'print') {
      process.argv = ['/usr/bin/node', ...info.args];
      Module._evalMain(info.main, kind === 'print', '[eval]', info.esmInput);
    } else {
      process.argv = ['/usr/bin/node', ...info.args];
      const chunks = [];
      for (;;) {
        const c = ops.read(0, 65536);
        if (!c.length) break;
        chunks.push(ops.utf8Decode(c));
      }
      Module._evalMain(chunks.join(''), false, '[stdin]', info.esmInput);
    }
  };
  internals.esmResolve = (name, base) => loadBuiltin('module')._esmResolve(name, base);
  internals.esmSource = (name) => loadBuiltin('module')._esmSource(name);
  internals.initImportMeta = (meta, name) => loadBuiltin('module')._initImportMeta(meta, name);
  return internals;
})
