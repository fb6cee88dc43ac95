// node:net — stream sockets on the VM's virtual network. A Socket is a
// Duplex over a non-blocking kernel socket: reads start a poll watcher
// (`internals.watch`, readable) that pushes what arrives; writes go to the
// kernel until its buffer is full, then a writable watcher finishes them
// (so the stream's highWaterMark gives 'drain'); end() is shutdown(SHUT_WR).
// A Server watches its listening socket and accepts until EAGAIN.
// Errors come from the Rust ops already shaped like Node's
// (`connect ECONNREFUSED 127.0.0.1:3001`, `listen EADDRINUSE: ...`).
'use strict';
const EventEmitter = require('events');
const { Duplex } = require('stream');
const { Buffer } = require('buffer');

const READ_MAX = 256 * 1024;

function errCode(code, msg, Ctor = Error) { const e = new Ctor(msg); e.code = code; return e; }

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
function isIPv4(s) { return typeof s === 'string' && V4.test(s); }
function isIPv6(s) {
  if (typeof s !== 'string' || !s.includes(':') || !/^[0-9a-fA-F:.]+(%.+)?$/.test(s)) return false;
  const t = s.replace(/%.+$/, '');
  const dbl = t.split('::');
  if (dbl.length > 2) return false;
  const groups = t.split(':').filter((g) => g !== '');
  const last = groups[groups.length - 1] || '';
  const v4 = last.includes('.') ? (isIPv4(last) ? 1 : -1) : 0;
  if (v4 < 0) return false;
  const n = groups.length + v4;
  if (!groups.slice(0, v4 ? -1 : undefined).every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return dbl.length === 2 ? n <= 7 : n === 8;
}
function isIP(s) { return isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0; }

function validPort(port) {
  if (typeof port === 'string' && port.trim() !== '' && /^\d+$/.test(port.trim())) port = Number(port);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    const shown = typeof port === 'number' ? `type number (${port})` : typeof port === 'string' ? `type string ('${port}')` : `${port}`;
    throw errCode('ERR_SOCKET_BAD_PORT', `Port should be >= 0 and < 65536. Received ${shown}.`, RangeError);
  }
  return port;
}

// (port, host, cb) | (options, cb) | (path, cb) -> [options, cb]
function normalizeArgs(args) {
  let options = {};
  const cb = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : null;
  const a = cb ? args.slice(0, -1) : args;
  if (a.length === 0) return [options, cb];
  if (a[0] !== null && typeof a[0] === 'object') options = { ...a[0] };
  else if (typeof a[0] === 'string' && !/^\s*\d+\s*$/.test(a[0])) options.path = a[0];
  else {
    options.port = a[0];
    if (typeof a[1] === 'string') options.host = a[1];
    if (typeof a[1] === 'number') options.backlog = a[1];
    if (typeof a[2] === 'number') options.backlog = a[2];
  }
  return [options, cb];
}

class Socket extends Duplex {
  constructor(options = {}) {
    if (typeof options === 'number') options = {};
    super({ allowHalfOpen: !!options.allowHalfOpen, emitClose: false, autoDestroy: true,
      readableHighWaterMark: options.readableHighWaterMark, writableHighWaterMark: options.writableHighWaterMark });
    this._fd = -1;
    this._rw = null;
    this._ww = null;
    this._pending = null;
    this._info = null;
    this._cw = null;
    this._cfd = -1;
    this._unref = false;
    this._timeoutMs = 0;
    this._timer = null;
    this._hadError = false;
    this.connecting = false;
    this.bytesRead = 0;
    this._bytesWritten = 0;
    this.server = options.server || null;
    this._server = this.server;
    if (options.handle) this._attach(options.handle);
    if (options.signal) {
      const onAbort = () => this.destroy(options.signal.reason);
      if (options.signal.aborted) process.nextTick(onAbort);
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
  }
  _attach(info) {
    this._fd = info.fd;
    this._info = info;
  }
  get remoteAddress() { return this._info ? this._info.remoteAddress : undefined; }
  get remotePort() { return this._info ? this._info.remotePort : undefined; }
  get remoteFamily() { return this._info ? this._info.remoteFamily : undefined; }
  get localAddress() { return this._info ? this._info.localAddress : undefined; }
  get localPort() { return this._info ? this._info.localPort : undefined; }
  get localFamily() { return this._info ? this._info.localFamily : undefined; }
  get bytesWritten() { return this._bytesWritten; }
  get pending() { return this._fd < 0 || this.connecting; }
  get _handle() { return this._fd >= 0 ? { fd: this._fd } : null; }
  get timeout() { return this._timeoutMs || undefined; }
  get readyState() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable) return 'readOnly';
    if (this.writable) return 'writeOnly';
    return 'closed';
  }
  address() {
    if (!this._info) return {};
    return { address: this._info.localAddress, family: this._info.localFamily, port: this._info.localPort };
  }

  connect(...args) {
    const [options, cb] = normalizeArgs(args);
    if (options.path) throw internals.notSupported('net: Unix domain sockets (path)');
    const port = validPort(options.port);
    const host = options.host || 'localhost';
    if (cb) this.once('connect', cb);
    if (options.timeout) this.setTimeout(options.timeout);
    this.connecting = true;
    this._host = host;
    // Inside the VM the outcome is known at once, but as in Node it is
    // reported from the loop, after the current tick and in the order of
    // the calls. Outside it (`info.pending`) the kernel connects in the
    // background and the loop goes on meanwhile.
    const fail = (e) => {
      this.connecting = false;
      this._hadError = true;
      this.destroy(e);
    };
    setImmediate(() => {
      if (this.destroyed) return;
      let info;
      try {
        info = this._tlsOptions ? ops.connectTls(host, port, this._tlsOptions) : ops.connect(host, port);
      } catch (e) { fail(e); return; }
      if (!info.pending) { this._connected(info); return; }
      // The socket turns writable when the connect is done (the op closes
      // it when the connect failed).
      this._cfd = info.fd;
      this._cw = internals.watch(info.fd, 4, () => {
        let done;
        try { done = ops.connectFinish(info.fd, host, port); } catch (e) {
          this._cw.close();
          this._cw = null;
          this._cfd = -1;
          fail(e);
          return;
        }
        if (done === null) return;
        this._cw.close();
        this._cw = null;
        this._cfd = -1;
        if (this.destroyed) { try { ops.close(info.fd); } catch { /* gone */ } return; }
        this._connected(done);
      });
      if (this._unref) this._cw.unref();
    });
    return this;
  }
  _connected(info) {
    this._attach(info);
    this.connecting = false;
    if (this._unref) this.unref();
    this.emit('_connected');
    this.emit('connect');
    this.emit('ready');
    // A read asked for while connecting is still pending: serve it.
    const rs = this._readableState;
    if (rs.reading) this._read();
    else if (!rs.ended && rs.flowing !== false) this.read(0);
  }

  // ---- reading ----
  _read() {
    if (this.connecting || this._fd < 0) return;
    if (this._rw) return;
    this._rw = internals.watch(this._fd, 1, () => this._onReadable());
    if (this._unref) this._rw.unref();
  }
  _stopReading() { if (this._rw) { this._rw.close(); this._rw = null; } }
  _onReadable() {
    for (let i = 0; i < 64 && this._fd >= 0; i++) {
      let c;
      try {
        c = ops.sockRead(this._fd, READ_MAX);
      } catch (e) {
        this._stopReading();
        this.destroy(e);
        return;
      }
      if (c === null) return;
      this._touch();
      if (c.length === 0) {
        this._stopReading();
        this.push(null);
        return;
      }
      this.bytesRead += c.length;
      if (!this.push(Buffer.from(c.buffer, c.byteOffset, c.length))) {
        this._stopReading();
        return;
      }
    }
  }

  // ---- writing ----
  _write(chunk, enc, cb) {
    if (this.connecting) { this.once('_connected', () => this._write(chunk, enc, cb)); return; }
    if (this._fd < 0) { cb(errCode('ERR_SOCKET_CLOSED', 'Socket is closed')); return; }
    if (typeof chunk === 'string') chunk = Buffer.from(chunk, enc);
    this._pending = { chunk, off: 0, cb };
    this._flush();
  }
  _writev(list, cb) {
    this._write(list.length === 1 ? list[0].chunk : Buffer.concat(list.map((x) => x.chunk)), 'buffer', cb);
  }
  _flush() {
    const p = this._pending;
    if (!p || this._fd < 0) return;
    while (p.off < p.chunk.length) {
      let n;
      try {
        n = ops.sockWrite(this._fd, p.chunk, p.off);
      } catch (e) {
        this._pending = null;
        this._stopWriting();
        p.cb(e);
        return;
      }
      if (n === 0) break;
      p.off += n;
      this._bytesWritten += n;
    }
    if (p.off < p.chunk.length) {
      if (!this._ww) {
        this._ww = internals.watch(this._fd, 4, () => this._flush());
        if (this._unref) this._ww.unref();
      }
      return;
    }
    this._pending = null;
    this._stopWriting();
    this._touch();
    p.cb();
  }
  _stopWriting() { if (this._ww) { this._ww.close(); this._ww = null; } }
  _final(cb) {
    if (this.connecting) { this.once('_connected', () => this._final(cb)); return; }
    if (this._fd >= 0) ops.sockShutdown(this._fd);
    cb();
  }
  _destroy(err, cb) {
    this._stopReading();
    this._stopWriting();
    if (this._timer) { clearTimeout(this._timer); this._timer = null; }
    this.connecting = false;
    if (this._cw) {
      // A background connect still running: its socket goes with us.
      this._cw.close();
      this._cw = null;
      try { ops.close(this._cfd); } catch { /* already closed */ }
      this._cfd = -1;
    }
    if (this._fd >= 0) {
      try { ops.close(this._fd); } catch { /* already closed */ }
      this._fd = -1;
    }
    if (err) this._hadError = true;
    cb(err);
    // Like libuv's close callbacks: after the current ticks and immediates.
    setImmediate(() => this.emit('close', !!err));
  }
  destroySoon() {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }
  resetAndDestroy() { return this.destroy(); }

  // ---- options ----
  setTimeout(ms, cb) {
    this._timeoutMs = Number(ms) || 0;
    if (this._timer) { clearTimeout(this._timer); this._timer = null; }
    if (this._timeoutMs > 0) this._arm();
    if (cb) { if (this._timeoutMs === 0) this.removeListener('timeout', cb); else this.once('timeout', cb); }
    return this;
  }
  _arm() {
    this._timer = setTimeout(() => { this._timer = null; this.emit('timeout'); }, this._timeoutMs);
    this._timer.unref();
  }
  _touch() {
    if (this._timer) this._timer.refresh();
    else if (this._timeoutMs > 0 && !this.destroyed) this._arm();
  }
  setNoDelay() { return this; }
  setKeepAlive() { return this; }
  ref() {
    this._unref = false;
    if (this._cw) this._cw.ref();
    if (this._rw) this._rw.ref();
    if (this._ww) this._ww.ref();
    return this;
  }
  unref() {
    this._unref = true;
    if (this._cw) this._cw.unref();
    if (this._rw) this._rw.unref();
    if (this._ww) this._ww.unref();
    return this;
  }
}

class Server extends EventEmitter {
  constructor(options, listener) {
    super();
    if (typeof options === 'function') { listener = options; options = {}; }
    options = options || {};
    if (listener) this.on('connection', listener);
    this._fd = -1;
    this._w = null;
    this._addr = null;
    this._connections = new Set();
    this._closeQueued = false;
    this._unref = false;
    this.allowHalfOpen = !!options.allowHalfOpen;
    this.pauseOnConnect = !!options.pauseOnConnect;
    this.maxConnections = undefined;
  }
  get listening() { return this._fd >= 0; }
  listen(...args) {
    const [options, cb] = normalizeArgs(args);
    if (this._fd >= 0) throw errCode('ERR_SERVER_ALREADY_LISTEN', 'Listen method has been called more than once without closing.');
    if (options.path) throw internals.notSupported('net: Unix domain sockets (path)');
    const port = options.port === undefined || options.port === null ? 0 : validPort(options.port);
    if (cb) this.once('listening', cb);
    let info;
    try {
      info = ops.listen(options.host ? String(options.host) : '', port, Number(options.backlog) || 511);
    } catch (e) {
      process.nextTick(() => this.emit('error', e));
      return this;
    }
    this._fd = info.fd;
    this._closeQueued = false;
    this._addr = { address: info.address, family: info.family, port: info.port };
    this._w = internals.watch(this._fd, 1, () => this._onAcceptable());
    if (this._unref) this._w.unref();
    process.nextTick(() => { if (this._fd >= 0) this.emit('listening'); });
    return this;
  }
  _onAcceptable() {
    while (this._fd >= 0) {
      let info;
      try {
        info = ops.accept(this._fd);
      } catch (e) {
        this.emit('error', e);
        return;
      }
      if (!info) return;
      if (this.maxConnections !== undefined && this._connections.size >= this.maxConnections) {
        try { ops.close(info.fd); } catch { /* gone */ }
        continue;
      }
      const s = new Socket({ handle: info, allowHalfOpen: this.allowHalfOpen, server: this });
      this._connections.add(s);
      s.once('close', () => { this._connections.delete(s); this._maybeClosed(); });
      this.emit('connection', s);
      if (!this.pauseOnConnect && !s.destroyed) s.read(0);
    }
  }
  address() { return this._fd >= 0 ? { ...this._addr } : null; }
  close(cb) {
    if (typeof cb === 'function') {
      if (this._fd < 0) this.once('close', () => cb(errCode('ERR_SERVER_NOT_RUNNING', 'Server is not running.')));
      else this.once('close', cb);
    }
    if (this._fd >= 0) {
      this._w.close();
      this._w = null;
      try { ops.close(this._fd); } catch { /* closed */ }
      this._fd = -1;
    }
    this._closing = true;
    this._maybeClosed();
    return this;
  }
  _maybeClosed() {
    if (this._closing && this._fd < 0 && this._connections.size === 0 && !this._closeQueued) {
      this._closeQueued = true;
      this._closing = false;
      process.nextTick(() => this.emit('close'));
    }
  }
  getConnections(cb) { process.nextTick(cb, null, this._connections.size); return this; }
  ref() { this._unref = false; if (this._w) this._w.ref(); return this; }
  unref() { this._unref = true; if (this._w) this._w.unref(); return this; }
  [Symbol.asyncDispose || Symbol.for('nodejs.asyncDispose')]() {
    return new Promise((resolve) => { if (this._fd < 0) resolve(); else this.close(() => resolve()); });
  }
}

function createServer(options, listener) { return new Server(options, listener); }
function connect(...args) {
  const [options] = normalizeArgs(args);
  const s = new Socket(options);
  return s.connect(...args);
}

let autoSelect = true;
module.exports = {
  Socket, Stream: Socket, Server, createServer, connect, createConnection: connect,
  isIP, isIPv4, isIPv6,
  getDefaultAutoSelectFamily: () => autoSelect,
  setDefaultAutoSelectFamily: (v) => { autoSelect = !!v; },
  getDefaultAutoSelectFamilyAttemptTimeout: () => 250,
  setDefaultAutoSelectFamilyAttemptTimeout() {},
  BlockList: class BlockList { constructor() { throw internals.notSupported('net.BlockList'); } },
  SocketAddress: class SocketAddress {
    constructor(o = {}) { this.address = o.address || '127.0.0.1'; this.port = o.port || 0; this.family = o.family || 'ipv4'; this.flowlabel = 0; }
  },
  _normalizeArgs: normalizeArgs,
  _validPort: validPort,
};
