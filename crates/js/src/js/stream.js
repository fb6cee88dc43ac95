// node:stream — Readable, Writable, Duplex, Transform, PassThrough,
// pipeline, finished, addAbortSignal, Readable.from, promises and
// consumers. A compact implementation of Node's streams semantics:
// flowing/paused modes, highWaterMark backpressure, objectMode, 'end',
// 'finish', 'close', destroy with errors, async iteration.
'use strict';
const EE = require('events');
const { Buffer } = require('buffer');

function nop() {}
function errCode(code, msg, Ctor = Error) { const e = new Ctor(msg); e.code = code; return e; }

class Stream extends EE {
  constructor(opts) { super(opts); }
  pipe(dest, opts) { return Readable.prototype.pipe.call(this, dest, opts); }
}

// ---- Readable -----------------------------------------------------------------------
class Readable extends Stream {
  constructor(options = {}) {
    super(options);
    const objectMode = !!(options.objectMode || options.readableObjectMode);
    this._readableState = {
      objectMode, highWaterMark: options.highWaterMark !== undefined ? options.highWaterMark : options.readableHighWaterMark !== undefined ? options.readableHighWaterMark : objectMode ? 16 : 65536,
      buffer: [], length: 0, flowing: null, ended: false, endEmitted: false, reading: false,
      destroyed: false, errored: null, closed: false, closeEmitted: false, sync: false, encoding: null, decoder: null,
      pipes: [], emitClose: options.emitClose !== false, autoDestroy: options.autoDestroy !== false,
      readingMore: false, needReadable: false, emittedReadable: false, resumeScheduled: false, dataEmitted: false,
      constructed: true,
    };
    if (options.encoding) this.setEncoding(options.encoding);
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) addAbortSignal(options.signal, this);
    if (typeof this._construct === 'function' && this._construct !== Readable.prototype._construct) construct(this);
  }
  get readable() { const s = this._readableState; return !s.destroyed && !s.errored && !s.endEmitted && this._readableFlag !== false; }
  set readable(v) { this._readableFlag = v; }
  get readableEnded() { return this._readableState.endEmitted; }
  get readableFlowing() { return this._readableState.flowing; }
  set readableFlowing(v) { this._readableState.flowing = v; }
  get readableLength() { return this._readableState.length; }
  get readableHighWaterMark() { return this._readableState.highWaterMark; }
  get readableObjectMode() { return this._readableState.objectMode; }
  get readableEncoding() { return this._readableState.encoding; }
  get readableAborted() { const s = this._readableState; return s.destroyed && !s.endEmitted; }
  get readableDidRead() { return this._readableState.dataEmitted; }
  get destroyed() { return this._readableState.destroyed; }
  set destroyed(v) { this._readableState.destroyed = v; }
  get closed() { return this._readableState.closed; }
  get errored() { return this._readableState.errored; }
  _read() { throw errCode('ERR_METHOD_NOT_IMPLEMENTED', 'The _read() method is not implemented'); }
  setEncoding(enc) {
    const { StringDecoder } = require('string_decoder');
    const s = this._readableState;
    s.decoder = new StringDecoder(enc);
    s.encoding = s.decoder.encoding;
    const content = s.buffer.map((c) => s.decoder.write(c)).join('');
    s.buffer = content ? [content] : [];
    s.length = content.length;
    return this;
  }
  push(chunk, encoding) { return addChunk(this, chunk, encoding, false); }
  unshift(chunk, encoding) { return addChunk(this, chunk, encoding, true); }
  read(n) {
    const s = this._readableState;
    if (n === undefined) n = NaN;
    else if (typeof n === 'string') n = parseInt(n, 10);
    if (n !== 0) s.emittedReadable = false;
    if (n === 0 && s.needReadable && (s.length >= s.highWaterMark || s.ended)) {
      if (s.length === 0 && s.ended) endReadable(this);
      else emitReadable(this);
      return null;
    }
    n = howMuchToRead(n, s);
    if (n === 0 && s.ended) {
      if (s.length === 0) endReadable(this);
      return null;
    }
    let doRead = s.needReadable;
    if (s.length === 0 || s.length - n < s.highWaterMark) doRead = true;
    if (s.ended || s.reading || s.destroyed || s.errored) doRead = false;
    else if (doRead) {
      s.reading = true;
      s.sync = true;
      if (s.length === 0) s.needReadable = true;
      try { this._read(s.highWaterMark); } catch (e) { this.destroy(e); }
      s.sync = false;
      if (!s.reading) n = howMuchToRead(NaN, s) && howMuchToRead(n === 0 ? NaN : n, s);
    }
    let ret = n > 0 ? fromList(n, s) : null;
    if (ret === null) {
      s.needReadable = s.length <= s.highWaterMark;
      n = 0;
    } else {
      s.length -= s.objectMode ? 1 : ret.length;
    }
    if (s.length === 0) {
      if (!s.ended) s.needReadable = true;
      if (s.ended) endReadable(this);
    }
    if (ret !== null && !s.errored) {
      s.dataEmitted = true;
      this.emit('data', ret);
    }
    return ret;
  }
  on(ev, fn) {
    const res = super.on(ev, fn);
    const s = this._readableState;
    if (ev === 'data') {
      if (s.flowing !== false) this.resume();
    } else if (ev === 'readable') {
      if (!s.endEmitted && !s.readableListening) {
        s.readableListening = s.needReadable = true;
        s.flowing = false;
        s.emittedReadable = false;
        if (s.length) emitReadable(this);
        else if (!s.reading) process.nextTick(() => this.read(0));
      }
    }
    return res;
  }
  removeListener(ev, fn) {
    const res = super.removeListener(ev, fn);
    if (ev === 'readable') process.nextTick(() => {
      const s = this._readableState;
      s.readableListening = this.listenerCount('readable') > 0;
      if (!s.readableListening && this.listenerCount('data') > 0) this.resume();
    });
    return res;
  }
  resume() {
    const s = this._readableState;
    if (!s.flowing) {
      s.flowing = !s.readableListening;
      if (!s.resumeScheduled) {
        s.resumeScheduled = true;
        process.nextTick(() => {
          s.resumeScheduled = false;
          if (!s.reading) this.read(0);
          this.emit('resume');
          flow(this);
          if (s.flowing && !s.reading) this.read(0);
        });
      }
    }
    s.paused = false;
    return this;
  }
  pause() {
    const s = this._readableState;
    if (s.flowing !== false) {
      s.flowing = false;
      this.emit('pause');
    }
    s.paused = true;
    return this;
  }
  isPaused() { const s = this._readableState; return s.paused === true || s.flowing === false; }
  unpipe(dest) {
    const s = this._readableState;
    const list = dest ? s.pipes.filter((p) => p.dest === dest) : s.pipes.slice();
    for (const p of list) { p.cleanup(); p.dest.emit('unpipe', this); }
    s.pipes = s.pipes.filter((p) => !list.includes(p));
    if (s.pipes.length === 0) this.pause();
    return this;
  }
  pipe(dest, opts = {}) {
    const src = this;
    const s = this._readableState;
    const onData = (chunk) => {
      const ret = dest.write(chunk);
      if (ret === false) src.pause();
    };
    const onDrain = () => { if (s.flowing === false || s.paused) src.resume(); };
    const onEnd = () => { if (opts.end !== false && dest !== process.stdout && dest !== process.stderr) dest.end(); };
    const onError = (er) => {
      cleanup();
      if (dest.listenerCount('error') === 0) {
        const w = dest._writableState;
        if (w && !w.errorEmitted) dest.destroy(er); else dest.emit('error', er);
      }
    };
    const onClose = () => { dest.removeListener('finish', onFinish); unpipe(); };
    const onFinish = () => { dest.removeListener('close', onClose); unpipe(); };
    const unpipe = () => src.unpipe(dest);
    const cleanup = () => {
      src.removeListener('data', onData);
      src.removeListener('end', onEnd);
      dest.removeListener('drain', onDrain);
      dest.removeListener('error', onError);
      dest.removeListener('close', onClose);
      dest.removeListener('finish', onFinish);
    };
    s.pipes.push({ dest, cleanup });
    src.on('data', onData);
    if (s.endEmitted) process.nextTick(onEnd); else src.once('end', onEnd);
    dest.on('drain', onDrain);
    dest.prependListener('error', onError);
    dest.once('close', onClose);
    dest.once('finish', onFinish);
    dest.emit('pipe', src);
    if (!s.flowing) src.resume();
    return dest;
  }
  wrap(stream) {
    stream.on('data', (c) => { if (!this.push(c)) stream.pause(); });
    stream.on('end', () => this.push(null));
    stream.on('error', (e) => this.destroy(e));
    this._read = () => stream.resume();
    return this;
  }
  destroy(err, cb) { return destroy(this, err, cb); }
  _destroy(err, cb) { cb(err); }
  [Symbol.asyncIterator]() { return createAsyncIterator(this); }
  iterator(opts) { return createAsyncIterator(this, opts); }
  async toArray() { const out = []; for await (const c of this) out.push(c); return out; }
  map(fn) { const src = this; return Readable.from((async function* () { for await (const c of src) yield await fn(c); })(), { objectMode: true }); }
  filter(fn) { const src = this; return Readable.from((async function* () { for await (const c of src) if (await fn(c)) yield c; })(), { objectMode: true }); }
  async forEach(fn) { for await (const c of this) await fn(c); }
  take(n) { const src = this; return Readable.from((async function* () { if (n <= 0) return; let i = 0; for await (const c of src) { yield c; if (++i >= n) return; } })(), { objectMode: true }); }
  drop(n) { const src = this; return Readable.from((async function* () { let i = 0; for await (const c of src) if (i++ >= n) yield c; })(), { objectMode: true }); }
  async reduce(fn, init) { let acc = init; let first = arguments.length < 2; for await (const c of this) { if (first) { acc = c; first = false; } else acc = await fn(acc, c); } return acc; }
  async some(fn) { for await (const c of this) if (await fn(c)) return true; return false; }
  async every(fn) { for await (const c of this) if (!(await fn(c))) return false; return true; }
  async find(fn) { for await (const c of this) if (await fn(c)) return c; return undefined; }
}
Readable.prototype.addListener = Readable.prototype.on;
Readable.prototype.off = Readable.prototype.removeListener;

function construct(stream) {
  const rs = stream._readableState, ws = stream._writableState;
  if (rs) rs.constructed = false;
  if (ws) ws.constructed = false;
  stream.once('__constructed', nop);
  process.nextTick(() => {
    stream._construct((err) => {
      if (rs) rs.constructed = true;
      if (ws) ws.constructed = true;
      if (err) { stream.destroy(err); return; }
      if (rs && rs.needReadable) stream.read(0);
      if (ws) { clearBuffer(stream, ws); finishMaybe(stream, ws); }
    });
  });
}

function addChunk(stream, chunk, encoding, addToFront) {
  const s = stream._readableState;
  if (chunk === null) {
    s.reading = false;
    if (s.ended) return false;
    if (s.decoder) {
      const rest = s.decoder.end();
      if (rest && rest.length) { s.buffer.push(rest); s.length += s.objectMode ? 1 : rest.length; }
    }
    s.ended = true;
    if (s.sync) emitReadable(stream);
    else { s.needReadable = false; s.emittedReadable = true; emitReadable_(stream); }
    return false;
  }
  if (!s.objectMode) {
    if (typeof chunk === 'string') {
      encoding = encoding || 'utf8';
      if (s.encoding !== encoding) {
        chunk = s.encoding && addToFront ? Buffer.from(chunk, encoding).toString(s.encoding) : Buffer.from(chunk, encoding);
      }
    } else if (chunk instanceof Uint8Array && !(chunk instanceof Buffer)) {
      chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    } else if (chunk !== undefined && typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      const e = errCode('ERR_INVALID_ARG_TYPE', `The "chunk" argument must be of type string or an instance of Buffer or Uint8Array. Received ${require('util').inspect(chunk)}`, TypeError);
      stream.destroy(e);
      return false;
    }
  }
  if (s.destroyed) return false;
  if (s.ended && !addToFront) {
    stream.destroy(errCode('ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'));
    return false;
  }
  s.reading = false;
  if (s.decoder && !s.objectMode && typeof chunk !== 'string') {
    chunk = s.decoder.write(chunk);
    if (chunk.length === 0) { maybeReadMore(stream, s); return s.length < s.highWaterMark; }
  }
  if (!s.objectMode && chunk.length === 0) { maybeReadMore(stream, s); return s.length < s.highWaterMark; }
  if (s.flowing && s.length === 0 && !s.sync && stream.listenerCount('data') > 0 && !addToFront) {
    s.dataEmitted = true;
    stream.emit('data', chunk);
  } else {
    s.length += s.objectMode ? 1 : chunk.length;
    if (addToFront) s.buffer.unshift(chunk); else s.buffer.push(chunk);
    if (s.needReadable) emitReadable(stream);
  }
  maybeReadMore(stream, s);
  return s.length < s.highWaterMark || s.length === 0;
}

function howMuchToRead(n, s) {
  if (n <= 0 || (s.length === 0 && s.ended)) return 0;
  if (s.objectMode) return 1;
  if (Number.isNaN(n)) {
    if (s.flowing && s.length) return s.buffer[0].length;
    return s.length;
  }
  if (n <= s.length) return n;
  return s.ended ? s.length : 0;
}
function fromList(n, s) {
  if (s.length === 0) return null;
  let ret;
  if (s.objectMode) ret = s.buffer.shift();
  else if (!n || n >= s.length) {
    if (s.decoder) ret = s.buffer.join('');
    else if (s.buffer.length === 1) ret = s.buffer[0];
    else ret = Buffer.concat(s.buffer, s.length);
    s.buffer = [];
  } else {
    const first = s.buffer[0];
    if (n < first.length) {
      ret = first.slice(0, n);
      s.buffer[0] = first.slice(n);
    } else if (n === first.length) {
      ret = s.buffer.shift();
    } else {
      const parts = [];
      let need = n;
      while (need > 0) {
        const c = s.buffer[0];
        if (c.length <= need) { parts.push(c); need -= c.length; s.buffer.shift(); }
        else { parts.push(c.slice(0, need)); s.buffer[0] = c.slice(need); need = 0; }
      }
      ret = s.decoder ? parts.join('') : Buffer.concat(parts, n);
    }
  }
  return ret;
}
function emitReadable(stream) {
  const s = stream._readableState;
  s.needReadable = false;
  if (!s.emittedReadable) {
    s.emittedReadable = true;
    process.nextTick(emitReadable_, stream);
  }
}
function emitReadable_(stream) {
  const s = stream._readableState;
  if (!s.destroyed && !s.errored && (s.length || s.ended)) {
    stream.emit('readable');
    s.emittedReadable = false;
  }
  s.needReadable = !s.flowing && !s.ended && s.length <= s.highWaterMark;
  flow(stream);
}
function maybeReadMore(stream, s) {
  if (!s.readingMore && s.constructed) {
    s.readingMore = true;
    process.nextTick(() => {
      while (!s.reading && !s.ended && (s.length < s.highWaterMark || (s.flowing && s.length === 0))) {
        const len = s.length;
        stream.read(0);
        if (len === s.length) break;
      }
      s.readingMore = false;
    });
  }
}
function flow(stream) {
  const s = stream._readableState;
  while (s.flowing && stream.read() !== null);
}
function endReadable(stream) {
  const s = stream._readableState;
  if (!s.endEmitted) {
    s.ended = true;
    process.nextTick(() => {
      if (!s.errored && !s.closeEmitted && !s.endEmitted && s.length === 0) {
        s.endEmitted = true;
        stream.emit('end');
        const ws = stream._writableState;
        if (s.autoDestroy && (!ws || (ws.autoDestroy && (ws.finished || ws.writable === false)))) stream.destroy();
        else if (ws && stream.allowHalfOpen === false && !ws.ending) stream.end();
      }
    });
  }
}

function createAsyncIterator(stream, opts = {}) {
  let error = null;
  let done = false;
  let wake = null;
  const onReadable = () => { if (wake) { const w = wake; wake = null; w(); } };
  stream.on('readable', onReadable);
  const cleanup = finished(stream, { writable: false }, (err) => {
    error = err && err.code !== 'ERR_STREAM_PREMATURE_CLOSE' ? err : error;
    done = true;
    onReadable();
  });
  return {
    async next() {
      for (;;) {
        const chunk = stream.destroyed ? null : stream.read();
        if (chunk !== null) return { value: chunk, done: false };
        if (error) { const e = error; error = null; throw e; }
        if (done) { cleanup(); return { value: undefined, done: true }; }
        await new Promise((r) => { wake = r; });
      }
    },
    async return() {
      cleanup();
      if (opts.destroyOnReturn !== false && !stream._readableState.endEmitted) stream.destroy();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() { return this; },
  };
}

Readable.from = function from(iterable, opts) {
  if (typeof iterable === 'string' || iterable instanceof Uint8Array) {
    return new Readable({ objectMode: true, ...opts, read() { this.push(iterable); this.push(null); } });
  }
  const it = iterable[Symbol.asyncIterator] ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator] ? iterable[Symbol.iterator]() : null;
  if (!it) throw errCode('ERR_INVALID_ARG_TYPE', 'The "iterable" argument must be an instance of Iterable.', TypeError);
  let reading = false;
  const r = new Readable({
    objectMode: true, highWaterMark: 1, ...opts,
    async read() {
      if (reading) return;
      reading = true;
      try {
        for (;;) {
          const { value, done } = await it.next();
          if (done) { this.push(null); break; }
          const v = value && typeof value.then === 'function' ? await value : value;
          if (v === null) { const e = errCode('ERR_STREAM_NULL_VALUES', 'May not write null values to stream', TypeError); throw e; }
          if (!this.push(v)) break;
        }
      } catch (e) {
        this.destroy(e);
      }
      reading = false;
    },
    destroy(err, cb) {
      if (typeof it.return === 'function' && !this._readableState.endEmitted) {
        Promise.resolve(it.return()).then(() => cb(err), cb);
      } else cb(err);
    },
  });
  return r;
};
Readable.fromWeb = (rs, opts) => Readable.from((async function* () { const r = rs.getReader(); for (;;) { const { value, done } = await r.read(); if (done) return; yield value; } })(), opts);
Readable.isDisturbed = (s) => !!(s._readableState && (s._readableState.dataEmitted || s._readableState.destroyed));

// ---- Writable --------------------------------------------------------------------------
class Writable extends Stream {
  constructor(options = {}) {
    super(options);
    const objectMode = !!(options.objectMode || options.writableObjectMode);
    this._writableState = {
      objectMode, highWaterMark: options.highWaterMark !== undefined ? options.highWaterMark : options.writableHighWaterMark !== undefined ? options.writableHighWaterMark : objectMode ? 16 : 65536,
      decodeStrings: options.decodeStrings !== false, defaultEncoding: options.defaultEncoding || 'utf8',
      length: 0, writing: false, corked: 0, buffered: [], ending: false, ended: false, finished: false,
      destroyed: false, errored: null, closed: false, closeEmitted: false, needDrain: false, pendingcb: 0,
      prefinished: false, errorEmitted: false, emitClose: options.emitClose !== false,
      autoDestroy: options.autoDestroy !== false, sync: true, constructed: true, finalCalled: false,
    };
    if (typeof options.write === 'function') this._write = options.write;
    if (typeof options.writev === 'function') this._writev = options.writev;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
    if (typeof options.final === 'function') this._final = options.final;
    if (typeof options.construct === 'function') this._construct = options.construct;
    if (options.signal) addAbortSignal(options.signal, this);
    if (typeof this._construct === 'function' && !(this instanceof Readable) && this._construct !== Writable.prototype._construct) construct(this);
  }
  get writable() { const w = this._writableState; return !w.destroyed && !w.errored && !w.ending && this._writableFlag !== false; }
  set writable(v) { this._writableFlag = v; }
  get writableEnded() { return this._writableState.ending; }
  get writableFinished() { return this._writableState.finished; }
  get writableLength() { return this._writableState.length; }
  get writableHighWaterMark() { return this._writableState.highWaterMark; }
  get writableObjectMode() { return this._writableState.objectMode; }
  get writableCorked() { return this._writableState.corked; }
  get writableNeedDrain() { return this._writableState.needDrain; }
  get destroyed() { return this._writableState.destroyed; }
  set destroyed(v) { this._writableState.destroyed = v; }
  get closed() { return this._writableState.closed; }
  get errored() { return this._writableState.errored; }
  _write(chunk, enc, cb) {
    if (this._writev) this._writev([{ chunk, encoding: enc }], cb);
    else throw errCode('ERR_METHOD_NOT_IMPLEMENTED', 'The _write() method is not implemented');
  }
  write(chunk, encoding, cb) {
    const w = this._writableState;
    if (typeof encoding === 'function') { cb = encoding; encoding = null; }
    if (!encoding) encoding = w.defaultEncoding;
    if (typeof cb !== 'function') cb = nop;
    if (chunk === null) throw errCode('ERR_STREAM_NULL_VALUES', 'May not write null values to stream', TypeError);
    if (!w.objectMode) {
      if (typeof chunk === 'string') {
        if (w.decodeStrings !== false) { chunk = Buffer.from(chunk, encoding); encoding = 'buffer'; }
      } else if (chunk instanceof Uint8Array) {
        if (!(chunk instanceof Buffer)) chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        encoding = 'buffer';
      } else {
        throw errCode('ERR_INVALID_ARG_TYPE', `The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${require('util').inspect(chunk)}`, TypeError);
      }
    }
    let err;
    if (w.ending) err = errCode('ERR_STREAM_WRITE_AFTER_END', 'write after end');
    else if (w.destroyed) err = errCode('ERR_STREAM_DESTROYED', 'Cannot call write after a stream was destroyed');
    if (err) {
      process.nextTick(cb, err);
      errorOrDestroy(this, err, true);
      return err;
    }
    w.pendingcb++;
    const len = w.objectMode ? 1 : chunk.length;
    w.length += len;
    const ret = w.length < w.highWaterMark;
    if (!ret) w.needDrain = true;
    if (w.writing || w.corked || w.errored || !w.constructed) {
      w.buffered.push({ chunk, encoding, callback: cb });
    } else {
      doWrite(this, w, len, chunk, encoding, cb);
    }
    return ret && !w.errored && !w.destroyed;
  }
  cork() { this._writableState.corked++; }
  uncork() {
    const w = this._writableState;
    if (w.corked) { w.corked--; if (!w.writing) clearBuffer(this, w); }
  }
  setDefaultEncoding(enc) { this._writableState.defaultEncoding = enc; return this; }
  end(chunk, encoding, cb) {
    const w = this._writableState;
    if (typeof chunk === 'function') { cb = chunk; chunk = null; encoding = null; }
    else if (typeof encoding === 'function') { cb = encoding; encoding = null; }
    if (chunk !== null && chunk !== undefined) {
      const r = this.write(chunk, encoding);
      if (r instanceof Error) { if (cb) process.nextTick(cb, r); return this; }
    }
    if (w.corked) { w.corked = 1; this.uncork(); }
    let err;
    if (!w.errored && !w.ending) {
      w.ending = true;
      finishMaybe(this, w, true);
      w.ended = true;
    } else if (w.finished) err = errCode('ERR_STREAM_ALREADY_FINISHED', 'Cannot call end after a stream was finished');
    else if (w.destroyed) err = errCode('ERR_STREAM_DESTROYED', 'Cannot call end after a stream was destroyed');
    if (typeof cb === 'function') {
      if (err || w.finished) process.nextTick(cb, err);
      else this.once('finish', () => cb()), this.once('error', (e) => cb(e));
    }
    return this;
  }
  destroy(err, cb) { return destroy(this, err, cb); }
  _destroy(err, cb) { cb(err); }
}
function doWrite(stream, w, len, chunk, encoding, cb) {
  w.writelen = len;
  w.writecb = cb;
  w.writing = true;
  w.sync = true;
  if (w.destroyed) onwrite(stream, errCode('ERR_STREAM_DESTROYED', 'write'));
  else stream._write(chunk, encoding, (er) => onwrite(stream, er));
  w.sync = false;
}
function onwrite(stream, er) {
  const w = stream._writableState;
  const sync = w.sync;
  const cb = w.writecb;
  if (typeof cb !== 'function') {
    errorOrDestroy(stream, errCode('ERR_MULTIPLE_CALLBACK', 'Callback called multiple times'));
    return;
  }
  w.writing = false;
  w.writecb = null;
  w.length -= w.writelen;
  w.writelen = 0;
  if (er) {
    if (!w.errored) w.errored = er;
    if (stream._readableState && !stream._readableState.errored) stream._readableState.errored = er;
    if (sync) process.nextTick(onwriteError, stream, w, er, cb);
    else onwriteError(stream, w, er, cb);
  } else {
    if (w.buffered.length) clearBuffer(stream, w);
    if (sync) process.nextTick(afterWrite, stream, w, cb);
    else afterWrite(stream, w, cb);
  }
}
function onwriteError(stream, w, er, cb) {
  --w.pendingcb;
  cb(er);
  errorBuffer(w);
  errorOrDestroy(stream, er);
}
function errorBuffer(w) {
  for (const b of w.buffered.splice(0)) {
    w.length -= w.objectMode ? 1 : b.chunk.length;
    b.callback(errCode('ERR_STREAM_DESTROYED', 'Cannot call write after a stream was destroyed'));
  }
}
function afterWrite(stream, w, cb) {
  const needDrain = !w.ending && !stream.destroyed && w.length === 0 && w.needDrain;
  if (needDrain) {
    w.needDrain = false;
    stream.emit('drain');
  }
  w.pendingcb--;
  cb();
  if (w.destroyed) return;
  finishMaybe(stream, w);
}
function clearBuffer(stream, w) {
  if (w.corked || w.destroyed || !w.constructed || w.writing) return;
  if (w.buffered.length > 1 && stream._writev) {
    const list = w.buffered.splice(0);
    const len = w.objectMode ? list.length : list.reduce((a, b) => a + b.chunk.length, 0);
    w.pendingcb -= list.length - 1;
    w.writing = true;
    w.writelen = len;
    w.writecb = (err) => { for (const b of list) b.callback(err); };
    w.sync = true;
    stream._writev(list, (er) => onwrite(stream, er));
    w.sync = false;
    return;
  }
  while (w.buffered.length && !w.writing) {
    const { chunk, encoding, callback } = w.buffered.shift();
    doWrite(stream, w, w.objectMode ? 1 : chunk.length, chunk, encoding, callback);
  }
}
function needFinish(w) {
  return w.ending && !w.destroyed && w.constructed && w.length === 0 && !w.errored && w.buffered.length === 0 &&
    !w.finished && !w.writing && !w.errorEmitted && !w.closeEmitted;
}
function prefinish(stream, w) {
  if (!w.prefinished && !w.finalCalled) {
    if (typeof stream._final === 'function' && !w.destroyed) {
      w.finalCalled = true;
      w.sync = true;
      w.pendingcb++;
      const done = (err) => {
        w.pendingcb--;
        if (err) { errorOrDestroy(stream, err, w.sync); return; }
        if (needFinish(w) || (w.ending && w.length === 0)) {
          w.prefinished = true;
          stream.emit('prefinish');
          w.pendingcb++;
          process.nextTick(finish, stream, w);
        }
      };
      try { stream._final(done); } catch (e) { done(e); }
      w.sync = false;
    } else {
      w.prefinished = true;
      stream.emit('prefinish');
    }
  }
}
function finishMaybe(stream, w, sync) {
  if (needFinish(w)) {
    prefinish(stream, w);
    if (w.pendingcb === 0 && w.prefinished) {
      w.pendingcb++;
      if (sync) process.nextTick(finish, stream, w);
      else finish(stream, w);
    }
  }
}
function finish(stream, w) {
  w.pendingcb--;
  if (w.finished || w.errored) return;
  w.finished = true;
  stream.emit('finish');
  if (w.autoDestroy) {
    const rs = stream._readableState;
    if (!rs || (rs.autoDestroy && (rs.endEmitted || rs.readable === false || stream.readable === false))) stream.destroy();
  }
}

// ---- destroy / errors -------------------------------------------------------------------
function destroy(stream, err, cb) {
  const r = stream._readableState, w = stream._writableState;
  const s = w || r;
  if ((w && w.destroyed) || (r && r.destroyed)) {
    if (typeof cb === 'function') cb();
    return stream;
  }
  if (err) {
    if (w && !w.errored) w.errored = err;
    if (r && !r.errored) r.errored = err;
  }
  if (w) w.destroyed = true;
  if (r) r.destroyed = true;
  const done = (er) => {
    if (er) {
      if (w && !w.errored) w.errored = er;
      if (r && !r.errored) r.errored = er;
    }
    if (w) w.closed = true;
    if (r) r.closed = true;
    if (typeof cb === 'function') cb(er);
    process.nextTick(() => {
      if (er && !((w && w.errorEmitted) || (r && r.errorEmitted))) {
        if (w) w.errorEmitted = true;
        if (r) r.errorEmitted = true;
        stream.emit('error', er);
      }
      if (w) w.closeEmitted = true;
      if (r) r.closeEmitted = true;
      if (s.emitClose) stream.emit('close');
    });
  };
  try { stream._destroy(err || null, done); } catch (e) { done(e); }
  return stream;
}
function errorOrDestroy(stream, err, sync) {
  const r = stream._readableState, w = stream._writableState;
  if ((w && w.destroyed) || (r && r.destroyed)) return;
  if ((r && r.autoDestroy) || (w && w.autoDestroy)) stream.destroy(err);
  else if (err) {
    if (w) w.errored = err;
    if (r) r.errored = err;
    const emit = () => { if (!((w && w.errorEmitted) || (r && r.errorEmitted))) { if (w) w.errorEmitted = true; if (r) r.errorEmitted = true; stream.emit('error', err); } };
    if (sync) process.nextTick(emit); else emit();
  }
}

// ---- Duplex / Transform / PassThrough --------------------------------------------------
class Duplex extends Readable {
  constructor(options = {}) {
    super(options);
    const w = new Writable({ ...options, construct: undefined });
    this._writableState = w._writableState;
    for (const k of ['write', 'writev', 'final']) if (typeof options[k] === 'function') this['_' + k] = options[k];
    this.allowHalfOpen = options.allowHalfOpen !== false;
    if (options.readable === false) { this._readableState.ended = this._readableState.endEmitted = true; }
    if (options.writable === false) { this._writableState.ending = this._writableState.ended = this._writableState.finished = true; }
  }
}
for (const k of Object.getOwnPropertyNames(Writable.prototype)) {
  if (k === 'constructor' || k === 'destroy' || k === '_destroy' || k === 'destroyed' || k === 'closed' || k === 'errored') continue;
  if (!Object.prototype.hasOwnProperty.call(Duplex.prototype, k)) {
    Object.defineProperty(Duplex.prototype, k, Object.getOwnPropertyDescriptor(Writable.prototype, k));
  }
}
Object.defineProperty(Duplex.prototype, 'destroyed', {
  get() { return this._readableState.destroyed && this._writableState.destroyed; },
  set(v) { this._readableState.destroyed = v; this._writableState.destroyed = v; },
});
Duplex.from = function from(body) {
  if (body instanceof Duplex) return body;
  if (body instanceof Readable) return body;
  if (typeof body === 'function') {
    const d = new PassThrough({ objectMode: true });
    const out = body(d);
    return Duplex.from(out);
  }
  return Readable.from(body);
};

class Transform extends Duplex {
  constructor(options = {}) {
    super(options);
    this._readableState.sync = false;
    if (typeof options.transform === 'function') this._transform = options.transform;
    if (typeof options.flush === 'function') this._flush = options.flush;
    this._callback = null;
  }
  _final(cb) {
    const done = (er, data) => {
      if (er) { cb(er); return; }
      if (data != null) this.push(data);
      this.push(null);
      cb();
    };
    if (typeof this._flush === 'function' && !this.destroyed) this._flush(done);
    else done();
  }
  _transform() { throw errCode('ERR_METHOD_NOT_IMPLEMENTED', 'The _transform() method is not implemented'); }
  _write(chunk, encoding, callback) {
    const rs = this._readableState;
    const length = rs.length;
    this._transform(chunk, encoding, (err, val) => {
      if (err) { callback(err); return; }
      if (val != null) this.push(val);
      if (rs.ended || length === rs.length || rs.length < rs.highWaterMark) callback();
      else this._callback = callback;
    });
  }
  _read() {
    if (this._callback) {
      const cb = this._callback;
      this._callback = null;
      cb();
    }
  }
}
class PassThrough extends Transform {
  _transform(chunk, enc, cb) { cb(null, chunk); }
}

// ---- finished / pipeline ----------------------------------------------------------------------
function finished(stream, opts, callback) {
  if (typeof opts === 'function') { callback = opts; opts = {}; }
  let called = false;
  const cb = (err) => { if (!called) { called = true; callback.call(stream, err); } };
  const r = stream._readableState, w = stream._writableState;
  const readable = opts.readable !== false && !!r && (typeof stream.read === 'function') && !(stream instanceof Writable && !(stream instanceof Duplex));
  const writable = opts.writable !== false && !!w && typeof stream.write === 'function' && !(stream instanceof Readable && !(stream instanceof Duplex));
  let readableFinished = r ? r.endEmitted : false;
  let writableFinished = w ? w.finished : false;
  const onfinish = () => { writableFinished = true; if (!readable || readableFinished) cb(); };
  const onend = () => { readableFinished = true; if (!writable || writableFinished) cb(); };
  const onerror = (err) => cb(err);
  const onclose = () => {
    if (readable && !readableFinished) return cb(errCode('ERR_STREAM_PREMATURE_CLOSE', 'Premature close'));
    if (writable && !writableFinished) return cb(errCode('ERR_STREAM_PREMATURE_CLOSE', 'Premature close'));
    cb();
  };
  stream.on('end', onend);
  stream.on('finish', onfinish);
  if (opts.error !== false) stream.on('error', onerror);
  stream.on('close', onclose);
  const cleanup = () => {
    stream.removeListener('end', onend);
    stream.removeListener('finish', onfinish);
    stream.removeListener('error', onerror);
    stream.removeListener('close', onclose);
  };
  const closed = (w && w.closeEmitted) || (r && r.closeEmitted);
  const errored = (w && w.errored) || (r && r.errored);
  if (closed || (readable ? readableFinished : true) && (writable ? writableFinished : true) && (readableFinished || writableFinished)) {
    process.nextTick(() => (errored ? cb(errored) : closed && ((readable && !readableFinished) || (writable && !writableFinished)) ? onclose() : cb()));
  }
  return cleanup;
}

function pipeline(...streams) {
  let callback = typeof streams[streams.length - 1] === 'function' ? streams.pop() : null;
  if (Array.isArray(streams[0]) && streams.length === 1) streams = streams[0];
  const opts = streams.length && streams[streams.length - 1] && !isStream(streams[streams.length - 1]) && typeof streams[streams.length - 1] === 'object' && !streams[streams.length - 1][Symbol.asyncIterator] && !streams[streams.length - 1][Symbol.iterator] ? streams.pop() : {};
  void opts;
  if (!callback) throw errCode('ERR_INVALID_ARG_TYPE', 'The "streams[stream.length - 1]" argument must be of type function.', TypeError);
  const list = [];
  // Stages made by a function consume the previous stage themselves (they
  // iterate it): nothing is piped into them.
  const fed = new Set();
  for (let i = 0; i < streams.length; i++) {
    let s = streams[i];
    if (typeof s === 'function') {
      const prev = list[i - 1];
      if (i > 0) fed.add(i);
      s = s(prev);
      if (s && typeof s.then === 'function' && i === streams.length - 1) {
        s.then((v) => finish(null, v), (e) => finish(e));
        list.push(null);
        continue;
      }
      if (s && !isStream(s)) s = Readable.from(s);
    } else if (!isStream(s)) s = Readable.from(s);
    list.push(s);
  }
  let error;
  let remaining = 0;
  let done = false;
  const finish = (err, val) => {
    if (err && !error) error = err;
    if (err) for (const s of list) if (s && !s.destroyed) s.destroy(err);
    if (--remaining <= 0 || err) {
      if (!done) { done = true; process.nextTick(callback, error, val); }
    }
  };
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (!s) { remaining++; continue; }
    const last = i === list.length - 1;
    if (last || i === 0 || s instanceof Duplex || s._writableState) {
      remaining++;
      finished(s, { readable: !last ? i === 0 : false, writable: last || i > 0 }, (err) => finish(err && err.code === 'ERR_STREAM_PREMATURE_CLOSE' && done ? null : err));
    }
    if (i > 0 && list[i - 1] && !fed.has(i)) list[i - 1].pipe(s);
  }
  return list[list.length - 1];
}
function isStream(s) { return s && typeof s === 'object' && (typeof s.pipe === 'function' || typeof s.write === 'function'); }

function addAbortSignal(signal, stream) {
  const onAbort = () => {
    const e = new Error('The operation was aborted');
    e.name = 'AbortError';
    e.code = 'ABORT_ERR';
    stream.destroy(e);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return stream;
}

const promises = {
  pipeline: (...streams) => new Promise((resolve, reject) => pipeline(...streams, (err, v) => (err ? reject(err) : resolve(v)))),
  finished: (stream, opts) => new Promise((resolve, reject) => finished(stream, opts || {}, (err) => (err ? reject(err) : resolve()))),
};
const consumers = {
  async text(s) { let out = ''; const d = new (require('string_decoder').StringDecoder)('utf8'); for await (const c of s) out += typeof c === 'string' ? c : d.write(c); return out + d.end(); },
  async json(s) { return JSON.parse(await consumers.text(s)); },
  async buffer(s) { const parts = []; for await (const c of s) parts.push(typeof c === 'string' ? Buffer.from(c) : c); return Buffer.concat(parts); },
  async arrayBuffer(s) { const b = await consumers.buffer(s); return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); },
  async blob(s) { return new Blob([await consumers.buffer(s)]); },
};

Stream.Stream = Stream;
Stream.Readable = Readable;
Stream.Writable = Writable;
Stream.Duplex = Duplex;
Stream.Transform = Transform;
Stream.PassThrough = PassThrough;
Stream.pipeline = pipeline;
Stream.finished = finished;
Stream.addAbortSignal = addAbortSignal;
Stream.promises = promises;
Stream.consumers = consumers;
Stream.isReadable = (s) => !!(s && s._readableState && !s._readableState.destroyed && !s._readableState.endEmitted);
Stream.isErrored = (s) => !!(s && ((s._readableState && s._readableState.errored) || (s._writableState && s._writableState.errored)));
Stream.isDisturbed = Readable.isDisturbed;
Stream.getDefaultHighWaterMark = (objectMode) => (objectMode ? 16 : 65536);
Stream.setDefaultHighWaterMark = () => {};
Stream.compose = (...streams) => { const p = new PassThrough(); pipeline(p, ...streams, () => {}); return p; };
Object.defineProperty(pipeline, require('util').promisify.custom, { value: promises.pipeline });
Object.defineProperty(finished, require('util').promisify.custom, { value: promises.finished });
module.exports = Stream;
