// node:buffer — Buffer as a Uint8Array subclass: from/alloc/concat,
// encodings (utf8, hex, base64, base64url, latin1/binary, ascii,
// utf16le/ucs2), slice/subarray, read/write integers and floats,
// compare/equals/indexOf/includes, fill, toJSON, Blob, atob/btoa.
'use strict';
const kMaxLength = 2 ** 32;
const ENCODINGS = ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'utf16le', 'utf-16le', 'ucs2', 'ucs-2'];
function normEnc(enc) {
  if (enc === undefined || enc === null || enc === 'utf8' || enc === 'utf-8') return 'utf8';
  const e = String(enc).toLowerCase();
  switch (e) {
    case 'utf8': case 'utf-8': return 'utf8';
    case 'hex': return 'hex';
    case 'base64': return 'base64';
    case 'base64url': return 'base64url';
    case 'latin1': case 'binary': return 'latin1';
    case 'ascii': return 'ascii';
    case 'utf16le': case 'utf-16le': case 'ucs2': case 'ucs-2': return 'utf16le';
  }
  const err = new TypeError(`Unknown encoding: ${enc}`);
  err.code = 'ERR_UNKNOWN_ENCODING';
  throw err;
}
function typeErr(code, msg) { const e = new TypeError(msg); e.code = code; return e; }
function rangeErr(code, msg) { const e = new RangeError(msg); e.code = code; return e; }
function received(v) {
  if (v == null) return ` Received ${v}`;
  if (typeof v === 'function') return ` Received function ${v.name}`;
  if (typeof v === 'object') return v.constructor && v.constructor.name ? ` Received an instance of ${v.constructor.name}` : ` Received ${require('util').inspect(v, { depth: -1 })}`;
  let s = require('util').inspect(v);
  if (s.length > 28) s = `${s.slice(0, 25)}...`;
  return ` Received type ${typeof v} (${s})`;
}

function encodeString(str, enc) {
  switch (enc) {
    case 'utf8': return ops.utf8Encode(str);
    case 'hex': {
      const n = str.length >>> 1;
      const out = new Uint8Array(n);
      let i = 0;
      for (; i < n; i++) {
        const b = parseInt(str.substr(i * 2, 2), 16);
        if (Number.isNaN(b) || !/^[0-9a-fA-F]{2}$/.test(str.substr(i * 2, 2))) break;
        out[i] = b;
      }
      return i === n ? out : out.slice(0, i);
    }
    case 'base64': case 'base64url': return ops.b64Decode(str);
    case 'latin1': case 'ascii': {
      const out = new Uint8Array(str.length);
      for (let i = 0; i < str.length; i++) out[i] = str.charCodeAt(i) & 255;
      return out;
    }
    case 'utf16le': {
      const out = new Uint8Array(str.length * 2);
      for (let i = 0; i < str.length; i++) {
        const c = str.charCodeAt(i);
        out[i * 2] = c & 255;
        out[i * 2 + 1] = c >>> 8;
      }
      return out;
    }
  }
  return ops.utf8Encode(str);
}
function decodeBytes(bytes, enc) {
  switch (enc) {
    case 'utf8': return ops.utf8Decode(bytes);
    case 'hex': {
      let s = '';
      for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
      return s;
    }
    case 'base64': return ops.b64Encode(bytes);
    case 'base64url': return ops.b64Encode(bytes, true);
    case 'latin1': {
      let s = '';
      for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
      return s;
    }
    case 'ascii': {
      let s = '';
      for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] & 127);
      return s;
    }
    case 'utf16le': {
      let s = '';
      for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
      return s;
    }
  }
  return ops.utf8Decode(bytes);
}

class Buffer extends Uint8Array {
  constructor(arg, encOrOffset, length) {
    if (typeof arg === 'number') super(arg);
    else if (arg instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && arg instanceof SharedArrayBuffer)) super(arg, encOrOffset || 0, length === undefined ? arg.byteLength - (encOrOffset || 0) : length);
    else super(arg);
  }
  static from(value, encodingOrOffset, length) {
    if (typeof value === 'string') return fromBytes(encodeString(value, normEnc(encodingOrOffset)));
    if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
      const off = encodingOrOffset === undefined ? 0 : Number(encodingOrOffset) || 0;
      if (off > value.byteLength) throw rangeErr('ERR_BUFFER_OUT_OF_BOUNDS', '"offset" is outside of buffer bounds');
      const len = length === undefined ? value.byteLength - off : Number(length) || 0;
      if (off + len > value.byteLength) throw rangeErr('ERR_BUFFER_OUT_OF_BOUNDS', '"length" is outside of buffer bounds');
      return new Buffer(value, off, len);
    }
    if (ArrayBuffer.isView(value)) {
      if (value instanceof Uint8Array) return fromBytes(value.slice());
      const out = Buffer.alloc(value.length);
      for (let i = 0; i < value.length; i++) out[i] = value[i] & 255;
      return out;
    }
    if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'symbol') {
      throw typeErr('ERR_INVALID_ARG_TYPE', 'The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.' + received(value));
    }
    if (typeof value === 'object') {
      if (typeof value[Symbol.toPrimitive] === 'function') {
        const p = value[Symbol.toPrimitive]('string');
        if (typeof p === 'string') return Buffer.from(p, encodingOrOffset);
      }
      const vo = value.valueOf && value.valueOf();
      if (vo != null && vo !== value && (typeof vo === 'string' || typeof vo === 'object')) return Buffer.from(vo, encodingOrOffset, length);
      if (value.type === 'Buffer' && Array.isArray(value.data)) return fromArrayLike(value.data);
      if (Array.isArray(value) || typeof value.length === 'number') return fromArrayLike(value);
    }
    throw typeErr('ERR_INVALID_ARG_TYPE', 'The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.' + received(value));
  }
  static alloc(size, fill, encoding) {
    checkSize(size);
    const b = new Buffer(size);
    if (fill !== undefined && fill !== 0 && size > 0) b.fill(fill, encoding);
    return b;
  }
  static allocUnsafe(size) { checkSize(size); return new Buffer(size); }
  static allocUnsafeSlow(size) { checkSize(size); return new Buffer(size); }
  static isBuffer(b) { return b instanceof Buffer; }
  static isEncoding(enc) { return typeof enc === 'string' && enc !== '' && ENCODINGS.includes(enc.toLowerCase()); }
  static byteLength(s, enc) {
    if (typeof s !== 'string') {
      if (ArrayBuffer.isView(s) || s instanceof ArrayBuffer) return s.byteLength;
      throw typeErr('ERR_INVALID_ARG_TYPE', 'The "string" argument must be of type string or an instance of Buffer or ArrayBuffer.' + received(s));
    }
    const e = normEnc(enc);
    if (e === 'utf8') return utf8Length(s);
    if (e === 'latin1' || e === 'ascii') return s.length;
    if (e === 'utf16le') return s.length * 2;
    if (e === 'hex') return s.length >>> 1;
    return encodeString(s, e).length;
  }
  static concat(list, totalLength) {
    if (!Array.isArray(list)) throw typeErr('ERR_INVALID_ARG_TYPE', 'The "list" argument must be an instance of Array.' + received(list));
    if (list.length === 0) return Buffer.alloc(0);
    if (totalLength === undefined) totalLength = list.reduce((a, b) => a + b.length, 0);
    const out = Buffer.alloc(totalLength);
    let pos = 0;
    for (let i = 0; i < list.length; i++) {
      const b = list[i];
      if (!(b instanceof Uint8Array)) throw typeErr('ERR_INVALID_ARG_TYPE', `The "list[${i}]" argument must be an instance of Buffer or Uint8Array.` + received(b));
      if (pos + b.length > totalLength) { out.set(b.subarray(0, totalLength - pos), pos); pos = totalLength; break; }
      out.set(b, pos);
      pos += b.length;
    }
    return out;
  }
  static compare(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }
  static copyBytesFrom(view, offset = 0, length) {
    const bytes = new Uint8Array(view.buffer, view.byteOffset + offset * view.BYTES_PER_ELEMENT, (length === undefined ? view.length - offset : length) * view.BYTES_PER_ELEMENT);
    return fromBytes(bytes.slice());
  }
  get parent() { return this.buffer; }
  get offset() { return this.byteOffset; }
  toString(encoding, start, end) {
    if (arguments.length === 0) return ops.utf8Decode(this);
    start = start === undefined ? 0 : Math.max(0, start | 0);
    end = end === undefined ? this.length : Math.min(this.length, end | 0);
    if (end <= start) return '';
    const view = start === 0 && end === this.length ? this : this.subarray(start, end);
    return decodeBytes(view, normEnc(encoding));
  }
  toLocaleString(e, s, en) { return this.toString(e, s, en); }
  equals(other) {
    if (!(other instanceof Uint8Array)) throw typeErr('ERR_INVALID_ARG_TYPE', 'The "otherBuffer" argument must be an instance of Buffer or Uint8Array.' + received(other));
    return Buffer.compare(this, other) === 0;
  }
  compare(target, tStart = 0, tEnd = target.length, sStart = 0, sEnd = this.length) {
    return Buffer.compare(this.subarray(sStart, sEnd), target.subarray(tStart, tEnd));
  }
  copy(target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
    if (sourceEnd > this.length) sourceEnd = this.length;
    if (sourceStart >= sourceEnd || targetStart >= target.length) return 0;
    const n = Math.min(sourceEnd - sourceStart, target.length - targetStart);
    target.set(this.subarray(sourceStart, sourceStart + n), targetStart);
    return n;
  }
  slice(start, end) { return this.subarray(start, end); }
  subarray(start, end) {
    const len = this.length;
    start = start === undefined ? 0 : Math.trunc(start) || 0;
    end = end === undefined ? len : Math.trunc(end) || 0;
    if (start < 0) start = Math.max(len + start, 0); else if (start > len) start = len;
    if (end < 0) end = Math.max(len + end, 0); else if (end > len) end = len;
    if (end < start) end = start;
    return new Buffer(this.buffer, this.byteOffset + start, end - start);
  }
  write(string, offset, length, encoding) {
    if (typeof offset === 'string') { encoding = offset; offset = 0; length = this.length; }
    else if (typeof length === 'string') { encoding = length; length = this.length - (offset || 0); }
    offset = offset === undefined ? 0 : offset >>> 0;
    const remaining = this.length - offset;
    length = length === undefined || length > remaining ? remaining : length >>> 0;
    const enc = normEnc(encoding);
    let bytes = encodeString(string, enc);
    if (bytes.length > length) {
      bytes = bytes.subarray(0, length);
      if (enc === 'utf8') {
        // Do not write a partial character.
        let end = length;
        while (end > 0 && (bytes[end - 1] & 0xc0) === 0x80) end--;
        if (end > 0 && bytes[end - 1] >= 0xc0) {
          const lead = bytes[end - 1];
          const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
          if (length - (end - 1) < need) bytes = bytes.subarray(0, end - 1);
        }
      }
    }
    this.set(bytes, offset);
    return bytes.length;
  }
  fill(value, offset, end, encoding) {
    if (typeof offset === 'string') { encoding = offset; offset = 0; end = this.length; }
    else if (typeof end === 'string') { encoding = end; end = this.length; }
    offset = offset === undefined ? 0 : offset;
    end = end === undefined ? this.length : end;
    if (typeof value === 'number') return super.fill(value & 255, offset, end), this;
    if (typeof value === 'boolean') return super.fill(+value, offset, end), this;
    const bytes = typeof value === 'string' ? encodeString(value, normEnc(encoding)) : value;
    if (bytes.length === 0) {
      if (typeof value === 'string' && value.length > 0) throw typeErr('ERR_INVALID_ARG_VALUE', `The argument 'value' is invalid. Received '${value}'`);
      return super.fill(0, offset, end), this;
    }
    for (let i = offset, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
    return this;
  }
  indexOf(value, byteOffset = 0, encoding) { return indexOf(this, value, byteOffset, encoding, true); }
  lastIndexOf(value, byteOffset = this.length, encoding) { return indexOf(this, value, byteOffset, encoding, false); }
  includes(value, byteOffset, encoding) { return this.indexOf(value, byteOffset, encoding) !== -1; }
  toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
  swap16() { for (let i = 0; i + 1 < this.length; i += 2) { const t = this[i]; this[i] = this[i + 1]; this[i + 1] = t; } return this; }
  swap32() { for (let i = 0; i + 3 < this.length; i += 4) { this.subarray(i, i + 4).reverse(); } return this; }
  swap64() { for (let i = 0; i + 7 < this.length; i += 8) { this.subarray(i, i + 8).reverse(); } return this; }
  [Symbol.for('nodejs.util.inspect.custom')](depth, opts) {
    const max = 50;
    let str = '';
    const n = Math.min(max, this.length);
    for (let i = 0; i < n; i++) str += (i ? ' ' : '') + (this[i] < 16 ? '0' : '') + this[i].toString(16);
    const remaining = this.length - max;
    if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
    return `<${this.constructor.name}${str ? ' ' + str : ''}>`;
  }
}
function checkSize(size) {
  if (typeof size !== 'number') throw typeErr('ERR_INVALID_ARG_TYPE', 'The "size" argument must be of type number.' + received(size));
  if (!(size >= 0 && size <= kMaxLength)) throw rangeErr('ERR_OUT_OF_RANGE', `The value of "size" is out of range. It must be >= 0 && <= ${kMaxLength}. Received ${String(size).replace(/\B(?=(\d{3})+(?!\d))/g, '_')}`);
}
function fromBytes(u8) { return new Buffer(u8.buffer, u8.byteOffset, u8.length); }
function fromArrayLike(a) {
  const b = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) b[i] = a[i] & 255;
  return b;
}
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
function indexOf(buf, value, byteOffset, encoding, first) {
  if (typeof byteOffset === 'string') { encoding = byteOffset; byteOffset = first ? 0 : buf.length; }
  byteOffset = Number(byteOffset);
  if (Number.isNaN(byteOffset)) byteOffset = first ? 0 : buf.length;
  if (byteOffset < 0) byteOffset = buf.length + byteOffset;
  if (typeof value === 'number') {
    value &= 255;
    if (first) { for (let i = Math.max(0, byteOffset); i < buf.length; i++) if (buf[i] === value) return i; }
    else { for (let i = Math.min(byteOffset, buf.length - 1); i >= 0; i--) if (buf[i] === value) return i; }
    return -1;
  }
  const needle = typeof value === 'string' ? encodeString(value, normEnc(encoding)) : value;
  if (needle.length === 0) return first ? Math.min(Math.max(0, byteOffset), buf.length) : Math.min(byteOffset, buf.length);
  const last = buf.length - needle.length;
  const match = (i) => { for (let j = 0; j < needle.length; j++) if (buf[i + j] !== needle[j]) return false; return true; };
  if (first) { for (let i = Math.max(0, byteOffset); i <= last; i++) if (match(i)) return i; }
  else { for (let i = Math.min(byteOffset, last); i >= 0; i--) if (match(i)) return i; }
  return -1;
}

// ---- integer and float accessors ---------------------------------------------------------
function checkOffset(buf, offset, size) {
  if (offset === undefined) offset = 0;
  if (typeof offset !== 'number') throw typeErr('ERR_INVALID_ARG_TYPE', 'The "offset" argument must be of type number.' + received(offset));
  if (!Number.isInteger(offset)) throw rangeErr('ERR_OUT_OF_RANGE', `The value of "offset" is out of range. It must be an integer. Received ${offset}`);
  if (offset < 0 || offset + size > buf.length) {
    if (buf.length - size < 0) throw rangeErr('ERR_BUFFER_OUT_OF_BOUNDS', 'Attempt to access memory outside buffer bounds');
    throw rangeErr('ERR_OUT_OF_RANGE', `The value of "offset" is out of range. It must be >= 0 and <= ${buf.length - size}. Received ${offset}`);
  }
  return offset;
}
function dv(buf) { return new DataView(buf.buffer, buf.byteOffset, buf.byteLength); }
const P = Buffer.prototype;
const intTypes = [['UInt8', 1, 'Uint8'], ['Int8', 1, 'Int8'], ['UInt16', 2, 'Uint16'], ['Int16', 2, 'Int16'],
  ['UInt32', 4, 'Uint32'], ['Int32', 4, 'Int32'], ['Float', 4, 'Float32'], ['Double', 8, 'Float64'],
  ['BigUInt64', 8, 'BigUint64'], ['BigInt64', 8, 'BigInt64']];
for (const [name, size, dvName] of intTypes) {
  for (const le of size === 1 ? [null] : [true, false]) {
    const suffix = le === null ? '' : le ? 'LE' : 'BE';
    P[`read${name}${suffix}`] = function (offset) {
      offset = checkOffset(this, offset, size);
      return dv(this)[`get${dvName}`](offset, !!le);
    };
    P[`write${name}${suffix}`] = function (value, offset) {
      offset = checkOffset(this, offset, size);
      if (name.startsWith('Big')) {
        if (typeof value !== 'bigint') throw typeErr('ERR_INVALID_ARG_TYPE', 'The "value" argument must be of type bigint.' + received(value));
      } else if (name !== 'Float' && name !== 'Double') {
        const bits = size * 8;
        const signed = !name.startsWith('U');
        const min = signed ? -(2 ** (bits - 1)) : 0;
        const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
        if (value > max || value < min) {
          const range = bits > 31 ? `>= ${signed ? `-(2 ** ${bits - 1})` : '0'} and <= ${signed ? `2 ** ${bits - 1} - 1` : `2 ** ${bits} - 1`}` : `>= ${min} and <= ${max}`;
          const rv = bits > 31 && Math.abs(value) > 2 ** 32 ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '_') : String(value);
          throw rangeErr('ERR_OUT_OF_RANGE', `The value of "value" is out of range. It must be ${range}. Received ${rv}`);
        }
        value = Number(value);
      }
      dv(this)[`set${dvName}`](offset, value, !!le);
      return offset + size;
    };
  }
}
for (const n of Object.keys(P)) {
  if (/UInt|BigUInt/.test(n)) P[n.replace('UInt', 'Uint')] = P[n];
}
P.readUIntBE = function (offset, byteLength) { let v = 0; for (let i = 0; i < byteLength; i++) v = v * 256 + this[checkOffset(this, offset, byteLength) + i]; return v; };
P.readUIntLE = function (offset, byteLength) { let v = 0; checkOffset(this, offset, byteLength); for (let i = byteLength - 1; i >= 0; i--) v = v * 256 + this[offset + i]; return v; };
P.readIntBE = function (offset, byteLength) { const v = this.readUIntBE(offset, byteLength); const lim = 2 ** (8 * byteLength - 1); return v >= lim ? v - lim * 2 : v; };
P.readIntLE = function (offset, byteLength) { const v = this.readUIntLE(offset, byteLength); const lim = 2 ** (8 * byteLength - 1); return v >= lim ? v - lim * 2 : v; };
P.writeUIntBE = function (value, offset, byteLength) { checkOffset(this, offset, byteLength); for (let i = byteLength - 1; i >= 0; i--) { this[offset + i] = value & 255; value = Math.floor(value / 256); } return offset + byteLength; };
P.writeUIntLE = function (value, offset, byteLength) { checkOffset(this, offset, byteLength); for (let i = 0; i < byteLength; i++) { this[offset + i] = value & 255; value = Math.floor(value / 256); } return offset + byteLength; };
P.writeIntBE = function (value, offset, byteLength) { if (value < 0) value += 2 ** (8 * byteLength); return this.writeUIntBE(value, offset, byteLength); };
P.writeIntLE = function (value, offset, byteLength) { if (value < 0) value += 2 ** (8 * byteLength); return this.writeUIntLE(value, offset, byteLength); };
P.readUintBE = P.readUIntBE; P.readUintLE = P.readUIntLE; P.writeUintBE = P.writeUIntBE; P.writeUintLE = P.writeUIntLE;
for (const k of Object.keys(P)) Object.defineProperty(P, k, { enumerable: false });

function SlowBuffer(n) { return Buffer.allocUnsafeSlow(n); }
const atob = (s) => globalThis.atob(s);
const btoa = (s) => globalThis.btoa(s);
module.exports = {
  Buffer, SlowBuffer, kMaxLength, kStringMaxLength: 2 ** 29 - 24, constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: 2 ** 29 - 24 },
  INSPECT_MAX_BYTES: 50, atob, btoa, isUtf8: (b) => ops.utf8Decode(b, true) !== null, isAscii: (b) => b.every((x) => x < 128),
  transcode: (buf, from, to) => Buffer.from(decodeBytes(buf, normEnc(from)), normEnc(to)),
  get Blob() { return globalThis.Blob; },
  get File() { return globalThis.File; },
  resolveObjectURL: () => undefined,
  _decode: decodeBytes, _encode: encodeString, _normEnc: normEnc,
};
