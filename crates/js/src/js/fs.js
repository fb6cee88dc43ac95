// node:fs — synchronous calls map 1:1 onto kernel ops; callback forms run
// the same call and complete on the event loop (like libuv's threadpool
// finishing at once); fs.promises wraps them. Stats/Dirent objects,
// streams, rm/cp recursive, watch/watchFile by polling.
'use strict';
const { Buffer } = require('buffer');
const pathMod = require('path');
const EventEmitter = require('events');

const constants = {
  F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 0o100, O_EXCL: 0o200,
  O_NOCTTY: 0o400, O_TRUNC: 0o1000, O_APPEND: 0o2000, O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000,
  O_SYNC: 0o4010000, O_DSYNC: 0o10000, O_NONBLOCK: 0o4000, S_IFMT: 0o170000, S_IFREG: 0o100000,
  S_IFDIR: 0o40000, S_IFCHR: 0o20000, S_IFBLK: 0o60000, S_IFIFO: 0o10000, S_IFLNK: 0o120000,
  S_IFSOCK: 0o140000, S_IRWXU: 0o700, S_IRUSR: 0o400, S_IWUSR: 0o200, S_IXUSR: 0o100, S_IRWXG: 0o70,
  S_IRGRP: 0o40, S_IWGRP: 0o20, S_IXGRP: 0o10, S_IRWXO: 0o7, S_IROTH: 0o4, S_IWOTH: 0o2, S_IXOTH: 0o1,
  COPYFILE_EXCL: 1, COPYFILE_FICLONE: 2, COPYFILE_FICLONE_FORCE: 4, UV_FS_O_FILEMAP: 0,
};

function invalidArg(name, expected, v) {
  const e = new TypeError(`The "${name}" argument must be ${expected}. Received ${v === undefined ? 'undefined' : v === null ? 'null' : typeof v === 'object' ? 'an instance of ' + (v.constructor && v.constructor.name) : `type ${typeof v} (${require('util').inspect(v)})`}`);
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}
function toPath(p, name = 'path') {
  if (typeof p === 'string') {
    if (p.includes('\u0000')) {
      const e = new TypeError(`The argument '${name}' must be a string, Uint8Array, or URL without null bytes. Received ${require('util').inspect(p)}`);
      e.code = 'ERR_INVALID_ARG_VALUE';
      throw e;
    }
    return p;
  }
  if (p instanceof Uint8Array) return Buffer.from(p).toString();
  if (p && typeof p === 'object' && p.href && p.protocol) return require('url').fileURLToPath(p);
  throw invalidArg(name, 'of type string or an instance of Buffer or URL', p);
}
function flagsOf(flags, def = 'r') {
  if (flags === undefined || flags === null) flags = def;
  if (typeof flags === 'number') return flags;
  switch (flags) {
    case 'r': return 0;
    case 'rs': case 'sr': case 'r+': case 'rs+': case 'sr+': return 2;
    case 'w': return 0o1 | 0o100 | 0o1000;
    case 'wx': case 'xw': return 0o1 | 0o100 | 0o1000 | 0o200;
    case 'w+': return 0o2 | 0o100 | 0o1000;
    case 'wx+': case 'xw+': return 0o2 | 0o100 | 0o1000 | 0o200;
    case 'a': return 0o1 | 0o100 | 0o2000;
    case 'ax': case 'xa': return 0o1 | 0o100 | 0o2000 | 0o200;
    case 'as': case 'sa': return 0o1 | 0o100 | 0o2000;
    case 'a+': case 'as+': case 'sa+': return 0o2 | 0o100 | 0o2000;
    case 'ax+': case 'xa+': return 0o2 | 0o100 | 0o2000 | 0o200;
  }
  const e = new TypeError(`The value "${flags}" is invalid for option "flags"`);
  e.code = 'ERR_INVALID_ARG_VALUE';
  throw e;
}
function modeOf(m, def) {
  if (m === undefined || m === null) return def;
  if (typeof m === 'string') return parseInt(m, 8);
  return m;
}
function encOf(options, def) {
  if (typeof options === 'string') return options;
  if (options && options.encoding !== undefined) return options.encoding;
  return def;
}

// ---- Stats / Dirent -------------------------------------------------------------
class Stats {
  constructor(a) {
    [this.dev, this.mode, this.nlink, this.uid, this.gid, this.rdev, this.blksize, this.ino, this.size, this.blocks,
      this.atimeMs, this.mtimeMs, this.ctimeMs, this.birthtimeMs] = a;
    this.atime = new Date(this.atimeMs);
    this.mtime = new Date(this.mtimeMs);
    this.ctime = new Date(this.ctimeMs);
    this.birthtime = new Date(this.birthtimeMs);
  }
  _t(t) { return (this.mode & 0o170000) === t; }
  isFile() { return this._t(0o100000); }
  isDirectory() { return this._t(0o40000); }
  isSymbolicLink() { return this._t(0o120000); }
  isCharacterDevice() { return this._t(0o20000); }
  isBlockDevice() { return this._t(0o60000); }
  isFIFO() { return this._t(0o10000); }
  isSocket() { return this._t(0o140000); }
}
Object.defineProperty(Stats.prototype, '_t', { enumerable: false });
class BigIntStats extends Stats {
  constructor(a) {
    super(a);
    for (const k of ['dev', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'blksize', 'ino', 'size', 'blocks']) this[k] = BigInt(this[k]);
    for (const k of ['atime', 'mtime', 'ctime', 'birthtime']) {
      this[k + 'Ms'] = BigInt(Math.floor(a[['atime', 'mtime', 'ctime', 'birthtime'].indexOf(k) + 10]));
      this[k + 'Ns'] = this[k + 'Ms'] * 1000000n;
    }
  }
  _t(t) { return (Number(this.mode) & 0o170000) === t; }
}
const TYPES = { 1: 0o100000, 2: 0o40000, 3: 0o120000, 4: 0o20000, 5: 0o60000, 6: 0o10000, 7: 0o140000 };
class Dirent {
  constructor(name, type, dir) {
    this.name = name;
    this.parentPath = dir;
    this.path = dir;
    Object.defineProperty(this, '_type', { value: TYPES[type] || 0, enumerable: false });
  }
  isFile() { return this._type === 0o100000; }
  isDirectory() { return this._type === 0o40000; }
  isSymbolicLink() { return this._type === 0o120000; }
  isCharacterDevice() { return this._type === 0o20000; }
  isBlockDevice() { return this._type === 0o60000; }
  isFIFO() { return this._type === 0o10000; }
  isSocket() { return this._type === 0o140000; }
}
function mkStats(a, opts) { return opts && opts.bigint ? new BigIntStats(a) : new Stats(a); }

// ---- synchronous API --------------------------------------------------------------
const fs = {};
fs.constants = constants;
Object.assign(fs, { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 });
fs.Stats = Stats;
fs.Dirent = Dirent;

fs.existsSync = (p) => { try { return ops.statType(toPath(p)) !== 0; } catch { return false; } };
fs.accessSync = (p, mode = 0) => ops.access(toPath(p), mode);
fs.statSync = (p, opts) => {
  try { return mkStats(ops.stat(toPath(p), true), opts); } catch (e) { if (opts && opts.throwIfNoEntry === false && e.code === 'ENOENT') return undefined; throw e; }
};
fs.lstatSync = (p, opts) => {
  try { return mkStats(ops.stat(toPath(p), false), opts); } catch (e) { if (opts && opts.throwIfNoEntry === false && e.code === 'ENOENT') return undefined; throw e; }
};
fs.fstatSync = (fd, opts) => mkStats(ops.fstat(fd), opts);
fs.openSync = (p, flags, mode) => ops.open(toPath(p), flagsOf(flags), modeOf(mode, 0o666));
fs.closeSync = (fd) => ops.close(fd);
fs.readSync = (fd, buffer, offsetOrOpts, length, position) => {
  let offset = offsetOrOpts;
  if (offsetOrOpts && typeof offsetOrOpts === 'object') ({ offset = 0, length = buffer.byteLength - offset, position = null } = offsetOrOpts);
  offset = offset || 0;
  if (length === undefined) length = buffer.byteLength - offset;
  const chunk = ops.read(fd, length, position === null || position === undefined || position < 0 ? -1 : Number(position));
  new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).set(chunk, offset);
  return chunk.length;
};
fs.writeSync = (fd, data, offsetOrPos, lengthOrEnc, position) => {
  if (typeof data === 'string') {
    const pos = typeof offsetOrPos === 'number' ? offsetOrPos : -1;
    return ops.write(fd, lengthOrEnc && lengthOrEnc !== 'utf8' ? Buffer.from(data, lengthOrEnc) : data, pos);
  }
  if (!ArrayBuffer.isView(data)) throw invalidArg('buffer', 'of type string or an instance of Buffer, TypedArray, or DataView', data);
  const off = offsetOrPos || 0;
  const len = lengthOrEnc === undefined ? data.byteLength - off : lengthOrEnc;
  const view = new Uint8Array(data.buffer, data.byteOffset + off, len);
  return ops.write(fd, view, position === null || position === undefined ? -1 : position);
};
fs.readFileSync = (p, options) => {
  const enc = encOf(options, null);
  let bytes;
  if (typeof p === 'number') {
    const chunks = [];
    for (;;) { const c = ops.read(p, 65536); if (!c.length) break; chunks.push(c); }
    bytes = Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.length)));
  } else {
    const path = toPath(p);
    const flag = options && typeof options === 'object' && options.flag;
    if (flag && flag !== 'r') {
      const fd = fs.openSync(path, flag);
      try { return fs.readFileSync(fd, options); } finally { fs.closeSync(fd); }
    }
    if (enc === 'utf8' || enc === 'utf-8') return ops.readFileUtf8(path);
    const u8 = ops.readFile(path);
    bytes = Buffer.from(u8.buffer, u8.byteOffset, u8.length);
  }
  return enc ? bytes.toString(enc) : bytes;
};
function dataBytes(data, enc) {
  if (typeof data === 'string') return enc && enc !== 'utf8' && enc !== 'utf-8' ? Buffer.from(data, enc) : data;
  if (ArrayBuffer.isView(data)) return data;
  throw invalidArg('data', 'of type string or an instance of Buffer, TypedArray, or DataView', data);
}
fs.writeFileSync = (p, data, options) => {
  const enc = encOf(options, 'utf8');
  const flag = (options && typeof options === 'object' && options.flag) || 'w';
  const mode = modeOf(options && typeof options === 'object' ? options.mode : undefined, 0o666);
  if (typeof p === 'number') { fs.writeSync(p, dataBytes(data, enc)); return; }
  ops.writeFile(toPath(p), dataBytes(data, enc), flagsOf(flag), mode);
};
fs.appendFileSync = (p, data, options) => {
  const o = typeof options === 'string' ? { encoding: options } : { ...(options || {}) };
  fs.writeFileSync(p, data, { ...o, flag: o.flag || 'a' });
};
fs.readdirSync = (p, options) => {
  const path = toPath(p);
  const withFileTypes = options && options.withFileTypes;
  const recursive = options && options.recursive;
  const out = [];
  const walk = (dir, rel) => {
    for (const [name, type] of ops.readdir(dir)) {
      const relName = rel ? `${rel}/${name}` : name;
      out.push(withFileTypes ? new Dirent(name, type, dir) : relName);
      if (recursive && type === 2) walk(`${dir}/${name}`, relName);
    }
  };
  walk(path, '');
  const enc = encOf(options, 'utf8');
  if (enc === 'buffer' && !withFileTypes) return out.map((n) => Buffer.from(n));
  return out;
};
fs.mkdirSync = (p, options) => {
  const path = pathMod.resolve(toPath(p));
  const recursive = typeof options === 'object' && options !== null && options.recursive;
  const mode = modeOf(typeof options === 'object' && options !== null ? options.mode : options, 0o777);
  if (!recursive) { ops.mkdir(path, mode, false); return undefined; }
  let first;
  for (let d = path; d !== '/'; d = pathMod.dirname(d)) {
    const t = ops.statType(d);
    if (t === 2) break;
    if (t !== 0) break;
    first = d;
  }
  ops.mkdir(path, mode, true);
  return first;
};
fs.mkdtempSync = (prefix, options) => {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (let i = 0; i < 100; i++) {
    const rnd = Array.from(ops.random(6), (b) => chars[b % chars.length]).join('');
    const p = toPath(prefix) + rnd;
    try { ops.mkdir(p, 0o700, false); return p; } catch (e) { if (e.code !== 'EEXIST') throw e; }
  }
  void options;
  throw new Error('mkdtemp: too many attempts');
};
fs.rmdirSync = (p, options) => {
  if (options && options.recursive) return fs.rmSync(p, { recursive: true, force: true });
  ops.path1('rmdir', toPath(p));
};
fs.unlinkSync = (p) => ops.path1('unlink', toPath(p));
fs.renameSync = (a, b) => ops.path2('rename', toPath(a, 'oldPath'), toPath(b, 'newPath'));
fs.linkSync = (a, b) => ops.path2('link', toPath(a, 'existingPath'), toPath(b, 'newPath'));
fs.symlinkSync = (target, p) => ops.path2('symlink', toPath(target, 'target'), toPath(p));
fs.readlinkSync = (p, options) => { const r = ops.readlink(toPath(p)); return encOf(options) === 'buffer' ? Buffer.from(r) : r; };
fs.realpathSync = (p, options) => { const r = ops.realpath(pathMod.resolve(toPath(p))); return encOf(options) === 'buffer' ? Buffer.from(r) : r; };
fs.realpathSync.native = fs.realpathSync;
fs.chmodSync = (p, mode) => ops.chmod(toPath(p), modeOf(mode));
fs.lchmodSync = fs.chmodSync;
fs.fchmodSync = (fd, mode) => ops.fchmod(fd, modeOf(mode));
fs.chownSync = (p, uid, gid) => ops.chown(toPath(p), uid, gid, true);
fs.lchownSync = (p, uid, gid) => ops.chown(toPath(p), uid, gid, false);
fs.fchownSync = () => {};
fs.truncateSync = (p, len = 0) => (typeof p === 'number' ? ops.ftruncate(p, len) : ops.truncate(toPath(p), len));
fs.ftruncateSync = (fd, len = 0) => ops.ftruncate(fd, len);
fs.fsyncSync = (fd) => ops.fsync(fd);
fs.fdatasyncSync = (fd) => ops.fsync(fd);
const toSec = (t) => (t instanceof Date ? t.getTime() / 1000 : typeof t === 'string' ? Number(t) : t);
fs.utimesSync = (p, atime, mtime) => ops.utimes(toPath(p), toSec(atime), toSec(mtime), true);
fs.lutimesSync = (p, atime, mtime) => ops.utimes(toPath(p), toSec(atime), toSec(mtime), false);
fs.futimesSync = () => {};
fs.copyFileSync = (src, dst, mode = 0) => {
  const s = toPath(src, 'src'), d = toPath(dst, 'dest');
  const data = ops.readFile(s);
  const st = ops.stat(s, true);
  if (mode & 1 && ops.statType(d) !== 0) {
    const e = new Error(`EEXIST: file already exists, copyfile '${s}' -> '${d}'`);
    Object.assign(e, { errno: -17, code: 'EEXIST', syscall: 'copyfile', path: s, dest: d });
    throw e;
  }
  ops.writeFile(d, data, flagsOf('w'), st[1] & 0o7777);
};
fs.rmSync = (p, options = {}) => {
  const path = toPath(p);
  let st;
  try { st = ops.stat(path, false); } catch (e) {
    if (e.code === 'ENOENT' && options.force) return;
    if (e.code === 'ENOENT') { e.syscall = 'stat'; e.message = e.message.replace(', lstat', ', stat'); }
    throw e;
  }
  if ((st[1] & 0o170000) === 0o40000) {
    if (!options.recursive) {
      const e = new Error(`Path is a directory: rm returned EISDIR (is a directory) ${path}`);
      Object.assign(e, { code: 'ERR_FS_EISDIR', errno: 21, syscall: 'rm', path });
      e.name = 'SystemError';
      throw e;
    }
    for (const [name] of ops.readdir(path)) fs.rmSync(`${path}/${name}`, { ...options, force: true });
    ops.path1('rmdir', path);
  } else ops.path1('unlink', path);
};
fs.cpSync = (src, dst, options = {}) => {
  src = toPath(src, 'src'); dst = toPath(dst, 'dest');
  const st = ops.stat(src, !options.verbatimSymlinks && options.dereference !== false ? true : false);
  const type = st[1] & 0o170000;
  if (options.filter && !options.filter(src, dst)) return;
  if (type === 0o40000) {
    if (!options.recursive) {
      const e = new Error(`Recursive option is required to copy a directory: ${src}`);
      e.code = 'ERR_FS_EISDIR';
      e.name = 'SystemError';
      throw e;
    }
    ops.mkdir(dst, st[1] & 0o7777, true);
    for (const [name] of ops.readdir(src)) fs.cpSync(`${src}/${name}`, `${dst}/${name}`, options);
  } else if (type === 0o120000) {
    fs.symlinkSync(ops.readlink(src), dst);
  } else {
    if (ops.statType(dst) !== 0) {
      if (options.errorOnExist && options.force === false) {
        const e = new Error(`Target already exists: cp returned EEXIST (${dst} already exists)`);
        e.code = 'ERR_FS_CP_EEXIST';
        throw e;
      }
      if (options.force === false) return;
    }
    fs.copyFileSync(src, dst);
    if (options.preserveTimestamps) ops.utimes(dst, st[10] / 1000, st[11] / 1000, true);
  }
};
fs.opendirSync = (p) => new Dir(toPath(p));
class Dir {
  constructor(path) { this.path = path; this._entries = ops.readdir(path); this._i = 0; }
  readSync() { const e = this._entries[this._i++]; return e ? new Dirent(e[0], e[1], this.path) : null; }
  read(cb) { const r = this.readSync(); if (cb) internals.defer(() => cb(null, r)); else return Promise.resolve(r); }
  closeSync() {}
  close(cb) { if (cb) internals.defer(() => cb(null)); else return Promise.resolve(); }
  async *[Symbol.asyncIterator]() { let e; while ((e = this.readSync())) yield e; }
  *[Symbol.iterator]() { let e; while ((e = this.readSync())) yield e; }
}
fs.Dir = Dir;
fs.statfsSync = () => ({ type: 0x01021994, bsize: 4096, blocks: 262144, bfree: 200000, bavail: 200000, files: 1e6, ffree: 9e5 });
fs.readvSync = (fd, buffers, pos) => { let n = 0; for (const b of buffers) { const r = fs.readSync(fd, b, 0, b.length, pos == null ? null : pos + n); n += r; if (r < b.length) break; } return n; };
fs.writevSync = (fd, buffers, pos) => { let n = 0; for (const b of buffers) n += fs.writeSync(fd, b, 0, b.length, pos == null ? null : pos + n); return n; };
fs.globSync = (pattern, opts = {}) => {
  const cwd = opts.cwd || process.cwd();
  const all = fs.readdirSync(cwd, { recursive: true });
  return all.filter((f) => pathMod.matchesGlob(f, pattern));
};

// ---- callback API -----------------------------------------------------------------
function maybeCallback(cb) {
  if (typeof cb !== 'function') throw invalidArg('cb', 'of type function', cb);
  return cb;
}
const noResult = new Set(['accessSync', 'closeSync', 'renameSync', 'unlinkSync', 'rmdirSync', 'chmodSync', 'writeFileSync',
  'appendFileSync', 'symlinkSync', 'linkSync', 'truncateSync', 'ftruncateSync', 'utimesSync', 'fsyncSync', 'copyFileSync',
  'rmSync', 'cpSync', 'chownSync', 'lchownSync', 'fchmodSync', 'lutimesSync', 'futimesSync', 'fdatasyncSync', 'fchownSync', 'lchmodSync']);
for (const name of Object.keys(fs)) {
  if (!name.endsWith('Sync') || name === 'existsSync') continue;
  const sync = fs[name];
  const base = name.slice(0, -4);
  fs[base] = function (...args) {
    const cb = maybeCallback(args.pop());
    let result, error = null;
    try { result = sync(...args); } catch (e) { error = e; }
    internals.defer(() => (error ? cb(error) : noResult.has(name) ? cb(null) : cb(null, result)));
  };
}
fs.read = function (fd, buffer, offset, length, position, cb) {
  if (typeof buffer === 'function') { cb = buffer; buffer = Buffer.alloc(16384); offset = 0; length = buffer.length; position = null; }
  else if (typeof offset === 'function') { cb = offset; offset = 0; length = buffer.length; position = null; }
  else if (offset && typeof offset === 'object') { cb = length; ({ offset = 0, length = buffer.length - offset, position = null } = offset); }
  let n, error = null;
  try { n = fs.readSync(fd, buffer, offset, length, position); } catch (e) { error = e; }
  internals.defer(() => (error ? cb(error) : cb(null, n, buffer)));
};
fs.write = function (fd, data, ...rest) {
  const cb = maybeCallback(rest.pop());
  let n, error = null;
  try { n = fs.writeSync(fd, data, ...rest); } catch (e) { error = e; }
  internals.defer(() => (error ? cb(error) : cb(null, n, data)));
};
fs.exists = (p, cb) => { const r = fs.existsSync(p); internals.defer(() => cb(r)); };
fs.realpath.native = fs.realpath;
Object.defineProperty(fs.exists, require('util').promisify.custom, { value: (p) => Promise.resolve(fs.existsSync(p)) });
Object.defineProperty(fs.read, require('util').promisify.custom, {
  value: (fd, buffer, ...a) => new Promise((res, rej) => fs.read(fd, buffer, ...a, (e, bytesRead, buffer) => (e ? rej(e) : res({ bytesRead, buffer })))),
});
Object.defineProperty(fs.write, require('util').promisify.custom, {
  value: (fd, buffer, ...a) => new Promise((res, rej) => fs.write(fd, buffer, ...a, (e, bytesWritten, buffer) => (e ? rej(e) : res({ bytesWritten, buffer })))),
});

// ---- watching (polling) -------------------------------------------------------------------
const watchers = new Map();
fs.watchFile = (p, options, listener) => {
  if (typeof options === 'function') { listener = options; options = {}; }
  const path = toPath(p);
  const interval = options.interval || 5007;
  const zero = new Stats([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  let prev = fs.statSync(path, { throwIfNoEntry: false }) || zero;
  let w = watchers.get(path);
  if (!w) {
    w = new EventEmitter();
    w.timer = setInterval(() => {
      const cur = fs.statSync(path, { throwIfNoEntry: false }) || zero;
      if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino) w.emit('change', cur, prev);
      prev = cur;
    }, interval);
    if (options.persistent === false) w.timer.unref();
    w.ref = () => { w.timer.ref(); return w; };
    w.unref = () => { w.timer.unref(); return w; };
    watchers.set(path, w);
  }
  w.on('change', listener);
  return w;
};
fs.unwatchFile = (p, listener) => {
  const path = toPath(p);
  const w = watchers.get(path);
  if (!w) return;
  if (listener) w.removeListener('change', listener); else w.removeAllListeners('change');
  if (w.listenerCount('change') === 0) { clearInterval(w.timer); watchers.delete(path); }
};
fs.watch = (p, options, listener) => {
  if (typeof options === 'function') { listener = options; options = {}; }
  if (typeof options === 'string') options = { encoding: options };
  options = options || {};
  const path = toPath(p);
  const w = new EventEmitter();
  if (listener) w.on('change', listener);
  const snapshot = () => {
    const m = new Map();
    const st = fs.statSync(path, { throwIfNoEntry: false });
    if (!st) return m;
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(path, { recursive: !!options.recursive })) {
        const s = fs.statSync(`${path}/${name}`, { throwIfNoEntry: false });
        if (s) m.set(name, `${s.mtimeMs}:${s.size}:${s.ino}`);
      }
    } else m.set(pathMod.basename(path), `${st.mtimeMs}:${st.size}:${st.ino}`);
    return m;
  };
  let prev = snapshot();
  const timer = setInterval(() => {
    const cur = snapshot();
    for (const [k, v] of cur) {
      if (!prev.has(k)) w.emit('change', 'rename', k);
      else if (prev.get(k) !== v) w.emit('change', 'change', k);
    }
    for (const k of prev.keys()) if (!cur.has(k)) w.emit('change', 'rename', k);
    prev = cur;
  }, options.interval || 100);
  if (options.persistent === false) timer.unref();
  w.close = () => { clearInterval(timer); w.emit('close'); };
  w.ref = () => { timer.ref(); return w; };
  w.unref = () => { timer.unref(); return w; };
  return w;
};

// ---- streams --------------------------------------------------------------------------------
fs.createReadStream = (p, options) => new (readStreamClass())(p, options);
fs.createWriteStream = (p, options) => new (writeStreamClass())(p, options);
let RS, WS;
function readStreamClass() {
  if (RS) return RS;
  const { Readable } = require('stream');
  RS = class ReadStream extends Readable {
    constructor(p, options) {
      options = typeof options === 'string' ? { encoding: options } : { ...(options || {}) };
      super({ highWaterMark: options.highWaterMark || 65536, encoding: options.encoding, emitClose: options.emitClose !== false, autoDestroy: options.autoClose !== false });
      this.path = typeof p === 'number' ? undefined : toPath(p);
      this.fd = options.fd !== undefined ? options.fd : typeof p === 'number' ? p : null;
      this.flags = options.flags || 'r';
      this.mode = options.mode || 0o666;
      this.start = options.start;
      this.end = options.end === undefined ? Infinity : options.end;
      this.pos = this.start;
      this.bytesRead = 0;
      this.autoClose = options.autoClose !== false;
      if (this.fd === null) {
        try {
          this.fd = fs.openSync(this.path, this.flags, this.mode);
          process.nextTick(() => { this.emit('open', this.fd); this.emit('ready'); });
        } catch (e) {
          process.nextTick(() => this.destroy(e));
        }
      }
    }
    get pending() { return this.fd === null; }
    _read(n) {
      if (this.fd === null || this.destroyed) return;
      const toRead = Math.min(n, this.end - (this.pos === undefined ? this.bytesRead : this.pos) + 1);
      if (toRead <= 0) { this.push(null); return; }
      let chunk;
      try { chunk = ops.read(this.fd, toRead, this.pos === undefined ? -1 : this.pos); } catch (e) { this.destroy(e); return; }
      if (this.pos !== undefined) this.pos += chunk.length;
      this.bytesRead += chunk.length;
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      internals.defer(() => this.push(chunk.length ? buf : null));
    }
    _destroy(err, cb) {
      if (this.fd !== null && this.autoClose) { try { ops.close(this.fd); } catch { /* already closed */ } this.fd = null; }
      cb(err);
    }
    close(cb) { this.destroy(null, cb); }
  };
  return RS;
}
function writeStreamClass() {
  if (WS) return WS;
  const { Writable } = require('stream');
  WS = class WriteStream extends Writable {
    constructor(p, options) {
      options = typeof options === 'string' ? { encoding: options } : { ...(options || {}) };
      super({ highWaterMark: options.highWaterMark, decodeStrings: true, emitClose: options.emitClose !== false, autoDestroy: options.autoClose !== false, defaultEncoding: options.encoding || 'utf8' });
      this.path = typeof p === 'number' ? undefined : toPath(p);
      this.fd = options.fd !== undefined ? options.fd : typeof p === 'number' ? p : null;
      this.flags = options.flags || 'w';
      this.mode = options.mode || 0o666;
      this.start = options.start;
      this.pos = this.start;
      this.bytesWritten = 0;
      this.autoClose = options.autoClose !== false;
      if (this.fd === null) {
        try {
          this.fd = fs.openSync(this.path, this.flags, this.mode);
          process.nextTick(() => { this.emit('open', this.fd); this.emit('ready'); });
        } catch (e) {
          process.nextTick(() => this.destroy(e));
        }
      }
    }
    get pending() { return this.fd === null; }
    _write(chunk, enc, cb) {
      if (this.fd === null) { cb(new Error('file not open')); return; }
      try {
        const n = ops.write(this.fd, chunk, this.pos === undefined ? -1 : this.pos);
        if (this.pos !== undefined) this.pos += n;
        this.bytesWritten += n;
      } catch (e) { internals.defer(() => cb(e)); return; }
      internals.defer(() => cb());
    }
    _destroy(err, cb) {
      if (this.fd !== null && this.autoClose) { try { ops.close(this.fd); } catch { /* already closed */ } this.fd = null; }
      cb(err);
    }
    close(cb) { if (cb) this.once('close', cb); this.end(); }
    destroySoon() { this.end(); }
  };
  return WS;
}
Object.defineProperty(fs, 'ReadStream', { get: readStreamClass, enumerable: true });
Object.defineProperty(fs, 'WriteStream', { get: writeStreamClass, enumerable: true });
Object.defineProperty(fs, 'promises', { get: () => require('fs/promises'), enumerable: true });
fs._toPath = toPath;
fs._flagsOf = flagsOf;
module.exports = fs;
