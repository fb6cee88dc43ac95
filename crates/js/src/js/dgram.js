// node:dgram — UDP sockets on the VM's own loopback, over the kernel's
// datagram sockets: `createSocket('udp4' | 'udp6')`, `bind`, `send`,
// `on('message', (msg, rinfo) => …)`, `connect`, `address`, `close`.
// Message boundaries are kept; a full receive queue drops datagrams, as
// Linux does. Nothing leaves the VM (sends outside it fail with EACCES);
// multicast and broadcast are ERR_NOT_SUPPORTED.
'use strict';
const EventEmitter = require('events');
const { Buffer } = require('buffer');

function errCode(code, msg, Base = Error) {
  const e = new Base(msg);
  e.code = code;
  return e;
}
const RECV_BUFFER = 212992;

class Socket extends EventEmitter {
  constructor(type, listener) {
    super();
    const opts = type !== null && typeof type === 'object' ? type : { type };
    if (opts.type !== 'udp4' && opts.type !== 'udp6') {
      throw errCode('ERR_SOCKET_BAD_TYPE', 'Bad socket type specified. Valid types are: udp4, udp6', TypeError);
    }
    this.type = opts.type;
    this._v6 = opts.type === 'udp6';
    this._fd = -1;
    this._state = 'unbound';
    this._w = null;
    this._unref = false;
    this._peer = null;
    if (typeof listener === 'function') this.on('message', listener);
  }

  _open() {
    if (this._state === 'closed') throw errCode('ERR_SOCKET_DGRAM_NOT_RUNNING', 'Not running');
    if (this._fd < 0) this._fd = ops.udpSocket();
  }
  // Bind now (synchronously); the caller reports errors.
  _bindNow(port, address) {
    this._open();
    this._addr = ops.udpBind(this._fd, address || '', port | 0, this._v6);
    this._state = 'bound';
    this._w = internals.watch(this._fd, 1, () => this._onReadable());
    if (this._unref) this._w.unref();
  }
  _onReadable() {
    for (let i = 0; i < 64 && this._fd >= 0; i++) {
      let m;
      try { m = ops.udpRecv(this._fd); } catch (e) { this.emit('error', e); return; }
      if (m === null) return;
      const msg = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length);
      this.emit('message', msg, { address: m.address, family: m.family, port: m.port, size: msg.length });
    }
  }

  bind(port, address, cb) {
    if (typeof port === 'function') { cb = port; port = 0; address = undefined; }
    else if (port !== null && typeof port === 'object') { cb = address; address = port.address; port = port.port; }
    if (typeof address === 'function') { cb = address; address = undefined; }
    if (this._state !== 'unbound') throw errCode('ERR_SOCKET_ALREADY_BOUND', 'Socket is already bound');
    this._state = 'binding';
    if (cb) this.once('listening', cb);
    process.nextTick(() => {
      if (this._state === 'closed') return;
      try { this._bindNow(port, address); } catch (e) { this._state = 'unbound'; this.emit('error', e); return; }
      this.emit('listening');
    });
    return this;
  }

  address() {
    if (this._state !== 'bound') throw errCode('ERR_SOCKET_DGRAM_NOT_RUNNING', 'Not running');
    return { address: this._addr.address, family: this._addr.family, port: this._addr.port };
  }

  connect(port, address, cb) {
    if (typeof address === 'function') { cb = address; address = undefined; }
    if (this._peer) throw errCode('ERR_SOCKET_DGRAM_IS_CONNECTED', 'Already connected');
    const host = address || (this._v6 ? '::1' : '127.0.0.1');
    if (cb) this.once('connect', cb);
    this._peer = { address: host, port };
    process.nextTick(() => {
      try {
        if (this._state === 'unbound') { this._bindNow(0); this.emit('listening'); }
        ops.udpConnect(this._fd, host, port, this._v6);
      } catch (e) { this._peer = null; this.emit('error', e); return; }
      this.emit('connect');
    });
  }
  disconnect() {
    if (!this._peer) throw errCode('ERR_SOCKET_DGRAM_NOT_CONNECTED', 'Not connected');
    throw internals.notSupported('dgram: Socket.disconnect');
  }
  remoteAddress() {
    if (!this._peer) throw errCode('ERR_SOCKET_DGRAM_NOT_CONNECTED', 'Not connected');
    return { address: this._peer.address, family: this._v6 ? 'IPv6' : 'IPv4', port: this._peer.port };
  }

  send(msg, ...args) {
    let offset, length, port, address, cb;
    if (typeof args[args.length - 1] === 'function') cb = args.pop();
    if (args.length >= 2 && typeof args[0] === 'number' && typeof args[1] === 'number' && args.length !== 2) {
      [offset, length, port, address] = args;
    } else if (args.length === 2 && typeof args[0] === 'number' && typeof args[1] === 'number' && this._peer) {
      [offset, length] = args;
    } else {
      [port, address] = args;
    }
    let buf = Array.isArray(msg) ? Buffer.concat(msg.map((m) => Buffer.from(m))) : typeof msg === 'string' ? Buffer.from(msg) : msg;
    if (!(buf instanceof Uint8Array)) {
      throw errCode('ERR_INVALID_ARG_TYPE', 'The "buffer" argument must be of type string or an instance of Buffer, TypedArray, or DataView.', TypeError);
    }
    if (offset !== undefined) buf = buf.subarray(offset, offset + (length === undefined ? buf.length : length));
    if (this._peer && port !== undefined) throw errCode('ERR_SOCKET_DGRAM_IS_CONNECTED', 'Already connected');
    if (!this._peer && port === undefined) throw errCode('ERR_SOCKET_BAD_PORT', 'Port should be > 0 and < 65536.', RangeError);
    const host = this._peer ? null : (address || (this._v6 ? '::1' : '127.0.0.1'));
    const data = Buffer.from(buf);
    process.nextTick(() => {
      let n;
      try {
        if (this._state === 'unbound') { this._bindNow(0); this.emit('listening'); }
        n = ops.udpSend(this._fd, data, host, port | 0, this._v6);
      } catch (e) {
        if (cb) cb(e); else this.emit('error', e);
        return;
      }
      if (cb) cb(null, n);
    });
  }

  close(cb) {
    if (this._state === 'closed') throw errCode('ERR_SOCKET_DGRAM_NOT_RUNNING', 'Not running');
    if (cb) this.once('close', cb);
    this._state = 'closed';
    if (this._w) { this._w.close(); this._w = null; }
    if (this._fd >= 0) { ops.close(this._fd); this._fd = -1; }
    process.nextTick(() => this.emit('close'));
    return this;
  }

  ref() { this._unref = false; if (this._w) this._w.ref(); return this; }
  unref() { this._unref = true; if (this._w) this._w.unref(); return this; }
  setRecvBufferSize() {}
  setSendBufferSize() {}
  getRecvBufferSize() { return RECV_BUFFER; }
  getSendBufferSize() { return RECV_BUFFER; }
  setTTL(ttl) { return ttl; }
  getSendQueueSize() { return 0; }
  getSendQueueCount() { return 0; }
}
const unsupported = (what) => function () { throw internals.notSupported(`dgram: Socket.${what} (multicast and broadcast)`); };
for (const m of ['setBroadcast', 'setMulticastTTL', 'setMulticastInterface', 'setMulticastLoopback', 'addMembership',
  'dropMembership', 'addSourceSpecificMembership', 'dropSourceSpecificMembership']) Socket.prototype[m] = unsupported(m);

function createSocket(type, listener) { return new Socket(type, listener); }

module.exports = { Socket, createSocket };
