// node:child_process — kernel processes with pipes: spawn, exec, execFile,
// fork (runs `node`), and spawnSync/execSync/execFileSync. Exit is
// noticed through an "exit pipe" whose write end the kernel drops when the
// child ends, so the event loop just polls descriptors.
'use strict';
const EventEmitter = require('events');
const { Buffer } = require('buffer');
const pathMod = require('path');

function findExecutable(file, env) {
  if (file.includes('/')) return pathMod.resolve(file);
  for (const dir of (env.PATH || '/usr/local/bin:/usr/bin:/bin').split(':')) {
    if (!dir) continue;
    const p = `${dir}/${file}`;
    if (ops.statType(p) === 1) return p;
  }
  return null;
}
function envList(env) {
  return Object.keys(env).filter((k) => env[k] !== undefined).map((k) => `${k}=${env[k]}`);
}
function normalize(file, args, options) {
  if (!Array.isArray(args)) { options = args; args = []; }
  options = { ...(options || {}) };
  const env = options.env || process.env;
  let argv = [file, ...args.map(String)];
  if (options.shell) {
    const cmd = [file, ...args].join(' ');
    const sh = typeof options.shell === 'string' ? options.shell : '/bin/sh';
    file = sh;
    argv = [sh, '-c', cmd];
  }
  if (options.argv0) argv[0] = options.argv0;
  return { file, argv, env, options };
}
function spawnError(err, file, args) {
  const e = new Error(`spawn ${file} ${err.code}`);
  Object.assign(e, { errno: err.errno, code: err.code, syscall: `spawn ${file}`, path: file, spawnargs: args });
  return e;
}
function stdioSpec(stdio) {
  if (stdio === undefined || stdio === 'pipe' || stdio === 'overlapped') return ['pipe', 'pipe', 'pipe'];
  if (stdio === 'inherit') return [0, 1, 2];
  if (stdio === 'ignore') return ['ignore', 'ignore', 'ignore'];
  const s = stdio.slice(0, 3);
  while (s.length < 3) s.push('pipe');
  return s.map((x, i) => (x === 'inherit' ? i : x === null || x === undefined ? 'pipe' : x));
}
function codes(spec) {
  return spec.map((x) => {
    if (x === 'pipe' || x === 'overlapped') return -1;
    if (x === 'ignore' || x === 'ipc') return -2;
    if (typeof x === 'number') return x;
    if (x && typeof x.fd === 'number') return x.fd;
    return -2;
  });
}
function startProcess(file, argv, env, options, spec) {
  const path = findExecutable(file, env);
  if (!path) {
    const e = new Error(`spawn ${file} ENOENT`);
    Object.assign(e, { errno: -2, code: 'ENOENT', syscall: `spawn ${file}`, path: file, spawnargs: argv.slice(1) });
    throw e;
  }
  try {
    return ops.spawn(path, argv, envList(env), options.cwd ? String(options.cwd) : undefined, codes(spec));
  } catch (err) {
    throw spawnError(err, file, argv.slice(1));
  }
}

class ChildProcess extends EventEmitter {
  constructor() {
    super();
    this.pid = undefined;
    this.exitCode = null;
    this.signalCode = null;
    this.killed = false;
    this.connected = false;
    this.stdin = this.stdout = this.stderr = null;
    this.stdio = [null, null, null];
  }
  kill(sig = 'SIGTERM') {
    if (this.exitCode !== null || this.signalCode !== null || this.pid === undefined) return false;
    const n = typeof sig === 'number' ? sig : internals.signals[sig];
    try { ops.kill(this.pid, n); } catch { return false; }
    this.killed = true;
    return true;
  }
  ref() { if (this._watch) this._watch.ref(); }
  unref() { if (this._watch) this._watch.unref(); }
  disconnect() {}
  send() { throw internals.notSupported('child_process IPC (send)'); }
  [Symbol.dispose || Symbol.for('dispose')]() { this.kill(); }
}

function readablePipe(fd) {
  const { Readable } = require('stream');
  let w = null;
  const r = new Readable({
    read() {
      if (w) return;
      w = internals.watch(fd, 1, () => {
        let c;
        try { c = ops.read(fd, 65536); } catch (e) { if (e.code === 'EAGAIN') return; c = new Uint8Array(0); }
        if (c.length === 0) { w.close(); w = null; try { ops.close(fd); } catch { /* closed */ } r.push(null); return; }
        if (!r.push(Buffer.from(c.buffer, c.byteOffset, c.length)) && w) { w.close(); w = null; }
      });
    },
    destroy(err, cb) { if (w) { w.close(); w = null; try { ops.close(fd); } catch { /* closed */ } } cb(err); },
  });
  r.fd = fd;
  return r;
}
function writablePipe(fd) {
  const { Writable } = require('stream');
  let closed = false;
  const close = () => { if (!closed) { closed = true; try { ops.close(fd); } catch { /* closed */ } } };
  const w = new Writable({
    write(chunk, enc, cb) {
      try { ops.write(fd, chunk); } catch (e) { if (e.code === 'EPIPE') { cb(); return; } cb(e); return; }
      cb();
    },
    final(cb) { close(); cb(); },
    destroy(err, cb) { close(); cb(err); },
  });
  w.fd = fd;
  return w;
}

function spawn(file, args, options) {
  const n = normalize(file, args, options);
  const child = new ChildProcess();
  const spec = stdioSpec(n.options.stdio);
  child.spawnfile = n.file;
  child.spawnargs = n.argv;
  let res;
  try {
    res = startProcess(n.file, n.argv, n.env, n.options, spec);
  } catch (e) {
    process.nextTick(() => { child.emit('error', e); child.emit('close', -2, null); });
    return child;
  }
  const [pid, exitFd, f0, f1, f2] = res;
  child.pid = pid;
  if (f0 >= 0) child.stdin = writablePipe(f0);
  if (f1 >= 0) child.stdout = readablePipe(f1);
  if (f2 >= 0) child.stderr = readablePipe(f2);
  child.stdio = [child.stdin, child.stdout, child.stderr];
  process.nextTick(() => child.emit('spawn'));
  let open = (child.stdout ? 1 : 0) + (child.stderr ? 1 : 0) + 1;
  const maybeClose = () => { if (--open === 0) child.emit('close', child.exitCode, child.signalCode); };
  if (child.stdout) child.stdout.on('close', maybeClose);
  if (child.stderr) child.stderr.on('close', maybeClose);
  child._watch = internals.watch(exitFd, 1, () => {
    child._watch.close();
    try { ops.close(exitFd); } catch { /* closed */ }
    const st = ops.waitpid(pid, false);
    if (st[1]) child.signalCode = internals.signalName(st[1]); else child.exitCode = st[0];
    child.emit('exit', child.exitCode, child.signalCode);
    // Like Node's flushStdio: unread output must not keep 'close' back.
    for (const s of [child.stdout, child.stderr]) {
      if (s && !s.readableFlowing && s.listenerCount('data') === 0 && !s._readableState.readableListening) s.resume();
    }
    maybeClose();
  }, true);
  if (n.options.timeout > 0) {
    const t = setTimeout(() => child.kill(n.options.killSignal || 'SIGTERM'), n.options.timeout);
    child.once('exit', () => clearTimeout(t));
  }
  if (n.options.signal) n.options.signal.addEventListener('abort', () => child.kill(n.options.killSignal || 'SIGTERM'), { once: true });
  return child;
}

function execFile(file, args, options, callback) {
  if (typeof args === 'function') { callback = args; args = []; options = {}; }
  else if (!Array.isArray(args)) { callback = options; options = args; args = []; }
  if (typeof options === 'function') { callback = options; options = {}; }
  options = { encoding: 'utf8', maxBuffer: 1024 * 1024, ...(options || {}) };
  const child = spawn(file, args, options);
  const out = [], err = [];
  if (child.stdout) child.stdout.on('data', (d) => out.push(d));
  if (child.stderr) child.stderr.on('data', (d) => err.push(d));
  const enc = options.encoding;
  const conv = (parts) => { const b = Buffer.concat(parts); return enc && enc !== 'buffer' ? b.toString(enc) : b; };
  let done = false;
  child.on('error', (e) => { if (!done) { done = true; if (callback) callback(e, conv(out), conv(err)); } });
  child.on('close', (code, signal) => {
    if (done) return;
    done = true;
    const stdout = conv(out), stderr = conv(err);
    let e = null;
    if (code !== 0 || signal) {
      const cmd = [file, ...(args || [])].join(' ');
      e = new Error(`Command failed: ${cmd}\n${stderr}`);
      Object.assign(e, { code, killed: child.killed, signal, cmd });
    }
    if (callback) callback(e, stdout, stderr);
  });
  return child;
}
function exec(command, options, callback) {
  if (typeof options === 'function') { callback = options; options = {}; }
  options = { ...(options || {}) };
  const sh = typeof options.shell === 'string' ? options.shell : '/bin/sh';
  delete options.shell;
  const child = execFile(sh, ['-c', command], options, callback && ((e, o, er) => {
    if (e) e.cmd = command, e.message = `Command failed: ${command}\n${er}`;
    callback(e, o, er);
  }));
  return child;
}

function spawnSync(file, args, options) {
  const n = normalize(file, args, options);
  const spec = stdioSpec(n.options.stdio);
  let res;
  try {
    res = startProcess(n.file, n.argv, n.env, n.options, spec);
  } catch (e) {
    return { pid: 0, output: null, stdout: null, stderr: null, status: null, signal: null, error: e };
  }
  const [pid, exitFd, f0, f1, f2] = res;
  let input = n.options.input;
  if (typeof input === 'string') input = Buffer.from(input, n.options.encoding && n.options.encoding !== 'buffer' ? n.options.encoding : 'utf8');
  let inPos = 0;
  const outs = { [f1]: [], [f2]: [] };
  const open = new Set([f1, f2].filter((fd) => fd >= 0));
  let stdinFd = f0;
  if (stdinFd >= 0 && !input) { ops.close(stdinFd); stdinFd = -1; }
  const deadline = n.options.timeout > 0 ? internals.now() + n.options.timeout : Infinity;
  let timedOut = false;
  while (open.size || stdinFd >= 0) {
    const fds = [...open], events = fds.map(() => 1);
    if (stdinFd >= 0) { fds.push(stdinFd); events.push(4); }
    const timeout = deadline === Infinity ? -1 : Math.max(0, deadline - internals.now());
    const rev = ops.poll(fds, events, timeout);
    if (deadline !== Infinity && internals.now() >= deadline && !timedOut) {
      timedOut = true;
      try { ops.kill(pid, internals.signals[n.options.killSignal || 'SIGTERM'] || 15); } catch { /* gone */ }
    }
    fds.forEach((fd, i) => {
      if (!rev[i]) return;
      if (fd === stdinFd) {
        try {
          const chunk = input.subarray(inPos, inPos + 65536);
          inPos += ops.write(fd, chunk);
        } catch { inPos = input.length; }
        if (inPos >= input.length) { ops.close(fd); stdinFd = -1; }
        return;
      }
      const c = ops.read(fd, 65536);
      if (c.length === 0) { open.delete(fd); ops.close(fd); } else outs[fd].push(Buffer.from(c.buffer, c.byteOffset, c.length));
    });
  }
  const st = ops.waitpid(pid, false);
  ops.close(exitFd);
  const enc = n.options.encoding && n.options.encoding !== 'buffer' ? n.options.encoding : null;
  const conv = (fd) => (fd < 0 ? null : enc ? Buffer.concat(outs[fd]).toString(enc) : Buffer.concat(outs[fd]));
  const stdout = conv(f1), stderr = conv(f2);
  const r = { pid, output: [null, stdout, stderr], stdout, stderr, status: st[1] ? null : st[0], signal: st[1] ? internals.signalName(st[1]) : null };
  if (timedOut) { r.error = new Error(`spawnSync ${n.file} ETIMEDOUT`); Object.assign(r.error, { code: 'ETIMEDOUT', errno: -110, syscall: `spawnSync ${n.file}`, path: n.file }); }
  return r;
}
function checkSync(r, cmd, inheritStderr) {
  if (r.error) throw r.error;
  if (r.status !== 0) {
    let msg = `Command failed: ${cmd}`;
    const se = r.stderr && r.stderr.toString();
    if (se) msg += `\n${se}`;
    const e = new Error(msg);
    Object.assign(e, { status: r.status, signal: r.signal, output: r.output, pid: r.pid, stdout: r.stdout, stderr: r.stderr });
    void inheritStderr;
    throw e;
  }
  return r.stdout;
}
function execFileSync(file, args, options) {
  if (!Array.isArray(args)) { options = args; args = []; }
  options = { stdio: ['pipe', 'pipe', 'inherit'], ...(options || {}) };
  const r = spawnSync(file, args, options);
  return checkSync(r, [file, ...args].join(' '), true);
}
function execSync(command, options) {
  options = { stdio: ['pipe', 'pipe', 'inherit'], ...(options || {}) };
  const sh = typeof options.shell === 'string' ? options.shell : '/bin/sh';
  const r = spawnSync(sh, ['-c', command], { ...options, shell: undefined });
  return checkSync(r, command, true);
}
function fork(modulePath, args, options) {
  if (!Array.isArray(args)) { options = args; args = []; }
  options = { ...(options || {}) };
  const stdio = options.silent ? 'pipe' : 'inherit';
  return spawn(options.execPath || 'node', [...(options.execArgv || []), modulePath, ...args], { stdio, ...options });
}
const util = require('util');
Object.defineProperty(exec, util.promisify.custom, {
  value: (cmd, opts) => new Promise((resolve, reject) => exec(cmd, opts, (e, stdout, stderr) => (e ? reject(Object.assign(e, { stdout, stderr })) : resolve({ stdout, stderr })))),
});
Object.defineProperty(execFile, util.promisify.custom, {
  value: (f, a, o) => new Promise((resolve, reject) => execFile(f, a, o, (e, stdout, stderr) => (e ? reject(Object.assign(e, { stdout, stderr })) : resolve({ stdout, stderr })))),
});
module.exports = { ChildProcess, spawn, exec, execFile, fork, spawnSync, execSync, execFileSync, _forkChild() {} };
