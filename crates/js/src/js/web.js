// Web platform globals: TextEncoder/TextDecoder, EventTarget/Event,
// AbortController/AbortSignal (timeout, any), structuredClone, atob/btoa,
// Blob/File, DOMException and a basic ReadableStream family. fetch,
// Request and Response live in `fetch.js` (loaded on first use).
'use strict';
const { Buffer } = require('buffer');

class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(s = '') { return ops.utf8Encode(String(s)); }
  encodeInto(s, dest) {
    const b = ops.utf8Encode(String(s));
    const n = Math.min(b.length, dest.length);
    dest.set(b.subarray(0, n));
    return { read: n === b.length ? s.length : Buffer.from(b.subarray(0, n)).toString().length, written: n };
  }
}
class TextDecoder {
  constructor(encoding = 'utf-8', options = {}) {
    const e = String(encoding).toLowerCase();
    const map = { 'utf-8': 'utf-8', utf8: 'utf-8', 'unicode-1-1-utf-8': 'utf-8', 'utf-16le': 'utf-16le', 'utf-16': 'utf-16le', latin1: 'windows-1252', 'iso-8859-1': 'windows-1252', ascii: 'windows-1252', 'windows-1252': 'windows-1252' };
    if (!map[e]) { const err = new RangeError(`The "${encoding}" encoding is not supported`); err.code = 'ERR_ENCODING_NOT_SUPPORTED'; throw err; }
    this.encoding = map[e];
    this.fatal = !!options.fatal;
    this.ignoreBOM = !!options.ignoreBOM;
    this._dec = null;
  }
  decode(input, options = {}) {
    if (input === undefined) input = new Uint8Array(0);
    const u8 = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    const buf = Buffer.from(u8.buffer, u8.byteOffset, u8.length);
    let s;
    if (this.encoding === 'utf-8') {
      if (options.stream || this._dec) {
        if (!this._dec) this._dec = new (require('string_decoder').StringDecoder)('utf8');
        s = this._dec.write(buf);
        if (!options.stream) { s += this._dec.end(); this._dec = null; }
      } else {
        s = ops.utf8Decode(u8, this.fatal);
        if (s === null) { const e = new TypeError('The encoded data was not valid for encoding utf-8'); e.code = 'ERR_ENCODING_INVALID_ENCODED_DATA'; throw e; }
      }
    } else s = buf.toString(this.encoding === 'utf-16le' ? 'utf16le' : 'latin1');
    if (!this.ignoreBOM && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    return s;
  }
}

class DOMException extends Error {
  constructor(message = '', options = 'Error') {
    super(message);
    const name = typeof options === 'string' ? options : options.name || 'Error';
    Object.defineProperty(this, 'name', { value: name, configurable: true, writable: true });
    const codes = { IndexSizeError: 1, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11, SyntaxError: 12, InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, TimeoutError: 23, DataCloneError: 25 };
    this.code = codes[name] || 0;
    if (options && options.cause !== undefined) this.cause = options.cause;
  }
}

class Event {
  constructor(type, init = {}) {
    if (arguments.length === 0) throw new TypeError('The "type" argument must be specified');
    this.type = String(type);
    this.bubbles = !!init.bubbles;
    this.cancelable = !!init.cancelable;
    this.composed = !!init.composed;
    this.defaultPrevented = false;
    this.timeStamp = internals.now();
    this.target = null;
    this.currentTarget = null;
    this.isTrusted = false;
    this._stop = false;
  }
  preventDefault() { if (this.cancelable) this.defaultPrevented = true; }
  stopPropagation() {}
  stopImmediatePropagation() { this._stop = true; }
  get returnValue() { return !this.defaultPrevented; }
  get srcElement() { return this.target; }
  composedPath() { return this.currentTarget ? [this.currentTarget] : []; }
}
Event.NONE = 0; Event.CAPTURING_PHASE = 1; Event.AT_TARGET = 2; Event.BUBBLING_PHASE = 3;
class CustomEvent extends Event {
  constructor(type, init = {}) { super(type, init); this.detail = init.detail === undefined ? null : init.detail; }
}
class EventTarget {
  constructor() { Object.defineProperty(this, '_listeners', { value: new Map(), enumerable: false }); }
  addEventListener(type, listener, options) {
    if (!listener) return;
    const once = typeof options === 'object' && options !== null && !!options.once;
    const list = this._listeners.get(type) || [];
    if (list.some((l) => l.listener === listener)) return;
    list.push({ listener, once });
    this._listeners.set(type, list);
    if (options && options.signal) options.signal.addEventListener('abort', () => this.removeEventListener(type, listener), { once: true });
  }
  removeEventListener(type, listener) {
    const list = this._listeners.get(type);
    if (!list) return;
    const i = list.findIndex((l) => l.listener === listener);
    if (i >= 0) list.splice(i, 1);
  }
  dispatchEvent(event) {
    if (!(event instanceof Event)) { const e = new TypeError('The "event" argument must be an instance of Event. Received ' + typeof event); e.code = 'ERR_INVALID_ARG_TYPE'; throw e; }
    event.target = this;
    event.currentTarget = this;
    const list = (this._listeners.get(event.type) || []).slice();
    for (const l of list) {
      if (l.once) this.removeEventListener(event.type, l.listener);
      try {
        if (typeof l.listener === 'function') l.listener.call(this, event);
        else l.listener.handleEvent(event);
      } catch (err) {
        process.nextTick(() => { throw err; });
      }
      if (event._stop) break;
    }
    const handler = this['on' + event.type];
    if (typeof handler === 'function' && !list.some((l) => l.listener === handler)) handler.call(this, event);
    event.currentTarget = null;
    return !event.defaultPrevented;
  }
}

class AbortSignal extends EventTarget {
  constructor(key) {
    if (key !== kCreate) throw new TypeError('Illegal constructor');
    super();
    this.aborted = false;
    this.reason = undefined;
    this.onabort = null;
  }
  throwIfAborted() { if (this.aborted) throw this.reason; }
  static abort(reason) { const s = new AbortSignal(kCreate); abortSignal(s, reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason); return s; }
  static timeout(ms) {
    const s = new AbortSignal(kCreate);
    setTimeout(() => abortSignal(s, new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms).unref();
    return s;
  }
  static any(signals) {
    const s = new AbortSignal(kCreate);
    for (const x of signals) {
      if (x.aborted) { abortSignal(s, x.reason); return s; }
    }
    for (const x of signals) x.addEventListener('abort', () => abortSignal(s, x.reason), { once: true });
    return s;
  }
  get [Symbol.toStringTag]() { return 'AbortSignal'; }
}
const kCreate = Symbol('create');
function abortSignal(s, reason) {
  if (s.aborted) return;
  s.aborted = true;
  s.reason = reason;
  s.dispatchEvent(new Event('abort'));
}
class AbortController {
  constructor() { this.signal = new AbortSignal(kCreate); }
  abort(reason) { abortSignal(this.signal, reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason); }
  get [Symbol.toStringTag]() { return 'AbortController'; }
}

function structuredClone(value, options) {
  const memo = new Map();
  void options;
  const clone = (v) => {
    if (typeof v !== 'object' || v === null) {
      if (typeof v === 'function' || typeof v === 'symbol') throw new DOMException(`${typeof v === 'function' ? String(v).slice(0, 40) : String(v)} could not be cloned.`, 'DataCloneError');
      return v;
    }
    if (memo.has(v)) return memo.get(v);
    let out;
    if (v instanceof Date) out = new Date(v.getTime());
    else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
    else if (v instanceof ArrayBuffer) out = v.slice(0);
    else if (ArrayBuffer.isView(v)) { out = new (v instanceof Buffer ? Uint8Array : v.constructor)(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)); }
    else if (v instanceof Map) { out = new Map(); memo.set(v, out); for (const [k, x] of v) out.set(clone(k), clone(x)); return out; }
    else if (v instanceof Set) { out = new Set(); memo.set(v, out); for (const x of v) out.add(clone(x)); return out; }
    else if (v instanceof Error) { out = new (globalThis[v.name] || Error)(v.message); if (v.stack) out.stack = v.stack; if ('cause' in v) out.cause = clone(v.cause); }
    else if (v instanceof Boolean || v instanceof Number || v instanceof String) out = Object(v.valueOf());
    else if (Array.isArray(v)) { out = new Array(v.length); memo.set(v, out); for (let i = 0; i < v.length; i++) if (i in v) out[i] = clone(v[i]); return out; }
    else if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) throw new DOMException(`#<${v.constructor.name}> could not be cloned.`, 'DataCloneError');
    else {
      out = {};
      memo.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k]);
      return out;
    }
    memo.set(v, out);
    return out;
  };
  return clone(value);
}

function btoa(s) {
  if (arguments.length === 0) { const e = new TypeError('The "data" argument must be specified'); e.code = 'ERR_MISSING_ARGS'; throw e; }
  s = `${s}`;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) throw new DOMException('Invalid character', 'InvalidCharacterError');
  return Buffer.from(s, 'latin1').toString('base64');
}
function atob(s) {
  if (arguments.length === 0) { const e = new TypeError('The "data" argument must be specified'); e.code = 'ERR_MISSING_ARGS'; throw e; }
  s = `${s}`.replace(/[\t\n\f\r ]/g, '');
  if (s.length % 4 === 0) s = s.replace(/==?$/, '');
  if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) throw new DOMException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
  return Buffer.from(s, 'base64').toString('latin1');
}

class Blob {
  constructor(parts = [], options = {}) {
    const bufs = [];
    for (const p of parts) {
      if (p instanceof Blob) bufs.push(p._buf);
      else if (typeof p === 'string') bufs.push(Buffer.from(p));
      else if (p instanceof ArrayBuffer) bufs.push(Buffer.from(p));
      else if (ArrayBuffer.isView(p)) bufs.push(Buffer.from(p.buffer, p.byteOffset, p.byteLength));
      else bufs.push(Buffer.from(String(p)));
    }
    this._buf = Buffer.concat(bufs);
    this.type = options.type ? String(options.type).toLowerCase() : '';
  }
  get size() { return this._buf.length; }
  async text() { return this._buf.toString(); }
  async arrayBuffer() { return this._buf.buffer.slice(this._buf.byteOffset, this._buf.byteOffset + this._buf.length); }
  async bytes() { return new Uint8Array(this._buf); }
  slice(start, end, type) { const b = new Blob([this._buf.subarray(start, end)], { type }); return b; }
  stream() { const buf = this._buf; return new ReadableStream({ start(c) { c.enqueue(new Uint8Array(buf)); c.close(); } }); }
  get [Symbol.toStringTag]() { return 'Blob'; }
}
class File extends Blob {
  constructor(parts, name, options = {}) { super(parts, options); this.name = String(name); this.lastModified = options.lastModified || Date.now(); }
  get [Symbol.toStringTag]() { return 'File'; }
}

// ---- a basic WHATWG streams family ------------------------------------------------------
class ReadableStream {
  constructor(source = {}, strategy = {}) {
    this._queue = [];
    this._closed = false;
    this._error = null;
    this._waiting = [];
    this.locked = false;
    this._hwm = strategy.highWaterMark === undefined ? 1 : strategy.highWaterMark;
    this._source = source;
    const self = this;
    this._controller = {
      enqueue(chunk) { if (self._waiting.length) self._waiting.shift().resolve({ value: chunk, done: false }); else self._queue.push(chunk); },
      close() { self._closed = true; for (const w of self._waiting.splice(0)) w.resolve({ value: undefined, done: true }); },
      error(e) { self._error = e; for (const w of self._waiting.splice(0)) w.reject(e); },
      get desiredSize() { return self._hwm - self._queue.length; },
    };
    this._started = Promise.resolve(source.start ? source.start(this._controller) : undefined);
  }
  static from(iterable) {
    const it = iterable[Symbol.asyncIterator] ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator]();
    return new ReadableStream({ async pull(c) { const { value, done } = await it.next(); if (done) c.close(); else c.enqueue(value); } });
  }
  async _pull() {
    await this._started;
    if (this._source.pull && !this._closed && !this._error) await this._source.pull(this._controller);
  }
  getReader() {
    if (this.locked) throw new TypeError('ReadableStream is locked');
    this.locked = true;
    const self = this;
    return {
      async read() {
        for (;;) {
          if (self._queue.length) return { value: self._queue.shift(), done: false };
          if (self._error) throw self._error;
          if (self._closed) return { value: undefined, done: true };
          if (self._source.pull) { await self._pull(); continue; }
          await self._started;
          if (self._queue.length || self._closed || self._error) continue;
          return new Promise((resolve, reject) => self._waiting.push({ resolve, reject }));
        }
      },
      releaseLock() { self.locked = false; },
      async cancel(r) { self._closed = true; if (self._source.cancel) await self._source.cancel(r); },
      get closed() { return Promise.resolve(); },
    };
  }
  async cancel(r) { this._closed = true; if (this._source.cancel) await this._source.cancel(r); }
  async *[Symbol.asyncIterator]() {
    const r = this.getReader();
    try { for (;;) { const { value, done } = await r.read(); if (done) return; yield value; } } finally { r.releaseLock(); }
  }
  values() { return this[Symbol.asyncIterator](); }
  pipeThrough(t) { this.pipeTo(t.writable); return t.readable; }
  async pipeTo(w) {
    const writer = w.getWriter();
    for await (const c of this) await writer.write(c);
    await writer.close();
  }
  tee() {
    const chunks = [];
    const self = this;
    let filled = null;
    const fill = () => (filled = filled || (async () => { for await (const c of self) chunks.push(c); })());
    const mk = () => { let i = 0; return new ReadableStream({ async pull(c) { await fill(); if (i < chunks.length) c.enqueue(chunks[i++]); else c.close(); } }); };
    return [mk(), mk()];
  }
}
class WritableStream {
  constructor(sink = {}) { this._sink = sink; this.locked = false; this._started = Promise.resolve(sink.start ? sink.start({ error() {} }) : undefined); }
  getWriter() {
    this.locked = true;
    const sink = this._sink, started = this._started;
    return {
      async write(c) { await started; if (sink.write) await sink.write(c, { error() {} }); },
      async close() { await started; if (sink.close) await sink.close(); },
      async abort(r) { if (sink.abort) await sink.abort(r); },
      releaseLock() {},
      get ready() { return Promise.resolve(); },
      get closed() { return Promise.resolve(); },
      get desiredSize() { return 1; },
    };
  }
  async close() { if (this._sink.close) await this._sink.close(); }
  async abort(r) { if (this._sink.abort) await this._sink.abort(r); }
}
class TransformStream {
  constructor(transformer = {}) {
    let ctrl;
    this.readable = new ReadableStream({ start(c) { ctrl = c; } });
    const tctrl = { enqueue: (c) => ctrl.enqueue(c), error: (e) => ctrl.error(e), terminate: () => ctrl.close(), get desiredSize() { return 1; } };
    if (transformer.start) transformer.start(tctrl);
    this.writable = new WritableStream({
      async write(chunk) { if (transformer.transform) await transformer.transform(chunk, tctrl); else tctrl.enqueue(chunk); },
      async close() { if (transformer.flush) await transformer.flush(tctrl); ctrl.close(); },
    });
  }
}
class TextEncoderStream extends TransformStream { constructor() { const e = new TextEncoder(); super({ transform(c, ctl) { ctl.enqueue(e.encode(c)); } }); } }
class TextDecoderStream extends TransformStream { constructor(enc) { const d = new TextDecoder(enc); super({ transform(c, ctl) { ctl.enqueue(d.decode(c, { stream: true })); }, flush(ctl) { const r = d.decode(); if (r) ctl.enqueue(r); } }); } }
class ByteLengthQueuingStrategy { constructor({ highWaterMark }) { this.highWaterMark = highWaterMark; } size(c) { return c.byteLength; } }
class CountQueuingStrategy { constructor({ highWaterMark }) { this.highWaterMark = highWaterMark; } size() { return 1; } }

const net = (name) => class { constructor() { throw internals.notSupported(`${name} (not supported in agentOS)`); } };
function fetch(input, init) { return require('internal/fetch').fetch(input, init); }
class Headers {
  constructor(init) { this._m = new Map(); if (init) for (const [k, v] of init instanceof Headers ? init : Array.isArray(init) ? init : Object.entries(init)) this.append(k, v); }
  append(k, v) { k = k.toLowerCase(); this._m.set(k, this._m.has(k) ? `${this._m.get(k)}, ${v}` : String(v)); }
  set(k, v) { this._m.set(k.toLowerCase(), String(v)); }
  get(k) { const v = this._m.get(k.toLowerCase()); return v === undefined ? null : v; }
  has(k) { return this._m.has(k.toLowerCase()); }
  delete(k) { this._m.delete(k.toLowerCase()); }
  forEach(fn, t) { for (const [k, v] of this) fn.call(t, v, k, this); }
  *entries() { yield* [...this._m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)); }
  keys() { return [...this.entries()].map((e) => e[0])[Symbol.iterator](); }
  values() { return [...this.entries()].map((e) => e[1])[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
}
const streams = { ReadableStream, WritableStream, TransformStream, TextEncoderStream, TextDecoderStream, ByteLengthQueuingStrategy, CountQueuingStrategy, ReadableStreamDefaultReader: class {}, WritableStreamDefaultWriter: class {} };
module.exports = {
  TextEncoder, TextDecoder, DOMException, Event, CustomEvent, EventTarget, AbortSignal, AbortController,
  structuredClone, atob, btoa, Blob, File, ...streams, streams, fetch, Headers,
  FormData: net('FormData'), WebSocket: net('WebSocket'),
  MessageChannel: net('MessageChannel'), MessagePort: net('MessagePort'), BroadcastChannel: net('BroadcastChannel'),
  CompressionStream: net('CompressionStream'), DecompressionStream: net('DecompressionStream'),
};
for (const k of ['Request', 'Response']) {
  Object.defineProperty(module.exports, k, { enumerable: true, configurable: true, get: () => require('internal/fetch')[k] });
}
