// node:crypto — hashes and HMAC (Rust), random bytes/UUIDs from the
// kernel's entropy, timingSafeEqual, and webcrypto (getRandomValues,
// randomUUID, subtle.digest). Ciphers and key pairs are not supported.
'use strict';
const { Buffer } = require('buffer');
const { Transform } = require('stream');
const ALGS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
function normAlg(a) { return String(a).toLowerCase().replace(/-/g, ''); }
function toBuf(d, enc) { return typeof d === 'string' ? Buffer.from(d, enc || 'utf8') : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d); }
function out(bytes, enc) { const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length); return enc && enc !== 'buffer' ? b.toString(enc) : b; }
class Hash extends Transform {
  constructor(alg, key) {
    super();
    this._alg = normAlg(alg);
    if (!ALGS.includes(this._alg)) { const e = new Error('Digest method not supported'); e.code = 'ERR_CRYPTO_INVALID_DIGEST'; throw e; }
    this._key = key;
    this._parts = [];
    this._done = false;
  }
  update(data, enc) {
    if (this._done) { const e = new Error('Digest already called'); e.code = 'ERR_CRYPTO_HASH_FINALIZED'; throw e; }
    this._parts.push(toBuf(data, enc));
    return this;
  }
  digest(enc) {
    if (this._done) { const e = new Error('Digest already called'); e.code = 'ERR_CRYPTO_HASH_FINALIZED'; throw e; }
    this._done = true;
    const data = Buffer.concat(this._parts);
    return out(this._key !== undefined ? ops.hmac(this._alg, this._key, data) : ops.hash(this._alg, data), enc);
  }
  copy() { const h = new Hash(this._alg, this._key); h._parts = this._parts.slice(); return h; }
  _transform(chunk, enc, cb) { this.update(chunk, enc); cb(); }
  _flush(cb) { this.push(this.digest()); cb(); }
}
const createHash = (alg) => new Hash(alg);
const createHmac = (alg, key) => new Hash(alg, toBuf(key));
function randomBytes(n, cb) {
  const b = out(ops.random(n));
  if (cb) { internals.defer(() => cb(null, b)); return undefined; }
  return b;
}
function randomFillSync(buf, offset = 0, size) {
  const view = new Uint8Array(buf.buffer || buf, (buf.byteOffset || 0) + offset, size === undefined ? (buf.byteLength - offset) : size);
  view.set(ops.random(view.length));
  return buf;
}
function randomInt(min, max, cb) {
  if (max === undefined || typeof max === 'function') { cb = max; max = min; min = 0; }
  const range = max - min;
  const b = ops.random(6);
  const n = ((b[0] * 2 ** 40) + (b[1] * 2 ** 32) + ((b[2] << 24) >>> 0) + (b[3] << 16) + (b[4] << 8) + b[5]) % range + min;
  if (cb) { internals.defer(() => cb(null, n)); return undefined; }
  return n;
}
function randomUUID() {
  const b = ops.random(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
function timingSafeEqual(a, b) {
  if (a.byteLength !== b.byteLength) { const e = new RangeError('Input buffers must have the same byte length'); e.code = 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH'; throw e; }
  const x = toBuf(a), y = toBuf(b);
  let r = 0;
  for (let i = 0; i < x.length; i++) r |= x[i] ^ y[i];
  return r === 0;
}
function getRandomValues(arr) {
  if (!ArrayBuffer.isView(arr) || arr instanceof Float32Array || arr instanceof Float64Array) {
    const e = new TypeError('The data argument must be an integer-type TypedArray');
    e.name = 'TypeMismatchError';
    e.code = 17;
    throw e;
  }
  if (arr.byteLength > 65536) { const e = new Error(`The ArrayBufferView's byte length (${arr.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`); e.name = 'QuotaExceededError'; throw e; }
  new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength).set(ops.random(arr.byteLength));
  return arr;
}
function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  const alg = normAlg(digest);
  const hlen = ops.hash(alg, new Uint8Array(0)).length;
  const p = toBuf(password), s = toBuf(salt);
  const blocks = Math.ceil(keylen / hlen);
  const outb = Buffer.alloc(blocks * hlen);
  for (let i = 1; i <= blocks; i++) {
    const ib = Buffer.alloc(4); ib.writeUInt32BE(i, 0);
    let u = ops.hmac(alg, p, Buffer.concat([s, ib]));
    const t = Buffer.from(u);
    for (let j = 1; j < iterations; j++) { u = ops.hmac(alg, p, u); for (let k = 0; k < t.length; k++) t[k] ^= u[k]; }
    t.copy(outb, (i - 1) * hlen);
  }
  return outb.subarray(0, keylen);
}
const subtle = {
  async digest(alg, data) {
    const name = normAlg(typeof alg === 'string' ? alg : alg.name);
    const bytes = ops.hash(name, ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  },
};
for (const m of ['encrypt', 'decrypt', 'sign', 'verify', 'generateKey', 'importKey', 'exportKey', 'deriveKey', 'deriveBits', 'wrapKey', 'unwrapKey']) {
  subtle[m] = async () => { throw internals.notSupported(`crypto.subtle.${m}`); };
}
const webcrypto = { getRandomValues, randomUUID, subtle };
const unsupported = (name) => () => { throw internals.notSupported(`crypto.${name}`); };
module.exports = {
  createHash, createHmac, randomBytes, randomFillSync, randomInt, randomUUID, timingSafeEqual, getRandomValues,
  randomFill: (buf, ...a) => { const cb = a.pop(); randomFillSync(buf, ...a); internals.defer(() => cb(null, buf)); },
  pseudoRandomBytes: randomBytes, pbkdf2Sync,
  pbkdf2: (...a) => { const cb = a.pop(); let r, e = null; try { r = pbkdf2Sync(...a); } catch (x) { e = x; } internals.defer(() => cb(e, r)); },
  hash: (alg, data, enc = 'hex') => createHash(alg).update(data).digest(enc),
  getHashes: () => ALGS.slice(), getCiphers: () => [], getCurves: () => [],
  webcrypto, subtle, constants: {},
  Hash, Hmac: Hash,
  createCipheriv: unsupported('createCipheriv'), createDecipheriv: unsupported('createDecipheriv'),
  createSign: unsupported('createSign'), createVerify: unsupported('createVerify'),
  generateKeyPairSync: unsupported('generateKeyPairSync'), generateKeyPair: unsupported('generateKeyPair'),
  createPrivateKey: unsupported('createPrivateKey'), createPublicKey: unsupported('createPublicKey'),
  createSecretKey: unsupported('createSecretKey'), scryptSync: unsupported('scryptSync'), scrypt: unsupported('scrypt'),
  createECDH: unsupported('createECDH'), createDiffieHellman: unsupported('createDiffieHellman'),
  publicEncrypt: unsupported('publicEncrypt'), privateDecrypt: unsupported('privateDecrypt'),
  sign: unsupported('sign'), verify: unsupported('verify'), hkdfSync: unsupported('hkdfSync'),
};
