// node:string_decoder — decodes Buffers to strings without splitting
// multi-byte UTF-8/UTF-16 characters across writes.
'use strict';
const { Buffer } = require('buffer');
// A function constructor, not a class: libraries inherit from it with
// `StringDecoder.call(this, enc)` (iconv-lite, used by express).
function StringDecoder(encoding) {
  if (!(this instanceof StringDecoder)) return new StringDecoder(encoding);
  this.encoding = require('buffer')._normEnc(encoding);
  this.pending = Buffer.alloc(0);
}
const methods = {
  write(buf) {
    if (typeof buf === 'string') return buf;
    if (!(buf instanceof Uint8Array)) {
      const e = new TypeError('The "buf" argument must be an instance of Buffer, TypedArray, or DataView.' + ` Received ${typeof buf}`);
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    let data = this.pending.length ? Buffer.concat([this.pending, buf]) : Buffer.from(buf.buffer, buf.byteOffset, buf.length);
    let keep = 0;
    if (this.encoding === 'utf8') {
      let i = data.length - 1;
      let back = 0;
      while (i >= 0 && back < 4 && (data[i] & 0xc0) === 0x80) { i--; back++; }
      if (i >= 0 && data[i] >= 0xc0) {
        const need = data[i] >= 0xf0 ? 4 : data[i] >= 0xe0 ? 3 : 2;
        if (data.length - i < need) keep = data.length - i;
      }
    } else if (this.encoding === 'utf16le') {
      keep = data.length % 2;
      if (!keep && data.length >= 2) {
        const last = data[data.length - 2] | (data[data.length - 1] << 8);
        if (last >= 0xd800 && last <= 0xdbff) keep = 2;
      }
    } else if (this.encoding === 'base64' || this.encoding === 'base64url') {
      keep = data.length % 3;
    }
    this.pending = keep ? Buffer.from(data.subarray(data.length - keep)) : Buffer.alloc(0);
    if (keep) data = data.subarray(0, data.length - keep);
    return data.toString(this.encoding);
  },
  end(buf) {
    let r = buf ? this.write(buf) : '';
    if (this.pending.length) {
      r += this.pending.toString(this.encoding);
      this.pending = Buffer.alloc(0);
    }
    return r;
  },
  text(buf, offset) { return this.write(buf.subarray(offset)); },
  get lastNeed() { return this.pending.length ? 1 : 0; },
};
Object.defineProperties(StringDecoder.prototype, Object.getOwnPropertyDescriptors(methods));
for (const k of Object.keys(methods)) Object.defineProperty(StringDecoder.prototype, k, { enumerable: false });
module.exports = { StringDecoder };
