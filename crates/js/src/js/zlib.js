// node:zlib — gzip/deflate/deflateRaw/inflate/gunzip/unzip (sync,
// callback, promisified and streams) over Rust's flate2, and crc32.
// Streams buffer their input and compress at the end. Brotli is not
// supported.
'use strict';
const { Buffer } = require('buffer');
const { Transform } = require('stream');
const toBuf = (d) => (typeof d === 'string' ? Buffer.from(d) : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d));
const wrapOut = (u) => Buffer.from(u.buffer, u.byteOffset, u.length);
const kinds = {
  gzip: (d, o) => wrapOut(ops.deflate(toBuf(d), 'gzip', o && o.level)),
  deflate: (d, o) => wrapOut(ops.deflate(toBuf(d), 'deflate', o && o.level)),
  deflateRaw: (d, o) => wrapOut(ops.deflate(toBuf(d), 'raw', o && o.level)),
  gunzip: (d) => wrapOut(ops.inflate(toBuf(d), 'gzip')),
  inflate: (d) => wrapOut(ops.inflate(toBuf(d), 'deflate')),
  inflateRaw: (d) => wrapOut(ops.inflate(toBuf(d), 'raw')),
  unzip: (d) => wrapOut(ops.inflate(toBuf(d), 'unzip')),
};
const z = { constants: { Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_OK: 0, Z_STREAM_END: 1, Z_DATA_ERROR: -3, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1, BROTLI_PARAM_QUALITY: 1 } };
Object.assign(z, z.constants);
class ZlibStream extends Transform {
  constructor(fn, opts) { super(opts); this._fn = fn; this._opts = opts; this._parts = []; this.bytesWritten = 0; }
  _transform(chunk, enc, cb) { this._parts.push(toBuf(chunk)); this.bytesWritten += chunk.length; cb(); }
  _flush(cb) {
    let r;
    try { r = this._fn(Buffer.concat(this._parts), this._opts); } catch (e) { cb(e); return; }
    cb(null, r);
  }
  close(cb) { this.destroy(); if (cb) process.nextTick(cb); }
  flush(kind, cb) { if (typeof kind === 'function') cb = kind; if (cb) process.nextTick(cb); }
  params(l, s, cb) { if (cb) process.nextTick(cb); }
  reset() {}
}
const Ctor = { gzip: 'Gzip', deflate: 'Deflate', deflateRaw: 'DeflateRaw', gunzip: 'Gunzip', inflate: 'Inflate', inflateRaw: 'InflateRaw', unzip: 'Unzip' };
for (const [name, fn] of Object.entries(kinds)) {
  z[name + 'Sync'] = (d, o) => fn(d, o);
  z[name] = (d, o, cb) => {
    if (typeof o === 'function') { cb = o; o = {}; }
    let r, e = null;
    try { r = fn(d, o); } catch (x) { e = x; }
    internals.defer(() => cb(e, r));
  };
  const C = Ctor[name];
  z[C] = class extends ZlibStream { constructor(o) { super(fn, o); } };
  Object.defineProperty(z[C], 'name', { value: C });
  z['create' + C] = (o) => new z[C](o);
}
z.crc32 = (data, value = 0) => ops.crc32(typeof data === 'string' ? Buffer.from(data) : data, value);
for (const n of ['brotliCompress', 'brotliDecompress', 'brotliCompressSync', 'brotliDecompressSync', 'createBrotliCompress', 'createBrotliDecompress']) {
  z[n] = () => { throw internals.notSupported(`zlib.${n}`); };
}
module.exports = z;
