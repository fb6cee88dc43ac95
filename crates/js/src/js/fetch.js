// fetch, Request and Response (WHATWG Fetch, as far as Node programs
// use it) over the `http`/`https` clients. Servers inside the VM are
// reached through the virtual network, outside hosts when the VM's
// allow-list opens them; failures read like Node's undici: `TypeError:
// fetch failed` whose `cause` is the error (`connect EACCES
// example.com:80`, `unable to verify the first certificate`).
'use strict';
const { Buffer } = require('buffer');
const web = require('internal/web');
const { Headers } = web;

const kind = (v) => Object.prototype.toString.call(v);
function withCause(err, cause) {
  Object.defineProperty(err, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
  return err;
}

// Turn a body init into [bytes | stream source, content type].
function extractBody(body) {
  if (body === null || body === undefined) return [null, null];
  if (typeof body === 'string') return [Buffer.from(body), 'text/plain;charset=UTF-8'];
  if (body instanceof URLSearchParams) return [Buffer.from(body.toString()), 'application/x-www-form-urlencoded;charset=UTF-8'];
  if (body instanceof web.Blob) return [Buffer.from(body._buf), body.type || null];
  if (body instanceof ArrayBuffer || kind(body) === '[object ArrayBuffer]') return [Buffer.from(body), null];
  if (ArrayBuffer.isView(body)) return [Buffer.from(body.buffer, body.byteOffset, body.byteLength), null];
  if (body instanceof web.ReadableStream || typeof body[Symbol.asyncIterator] === 'function') return [body, null];
  return [Buffer.from(String(body)), 'text/plain;charset=UTF-8'];
}

async function collect(src) {
  if (src === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(src)) return src;
  const parts = [];
  for await (const c of src) parts.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  return Buffer.concat(parts);
}

class Body {
  _initBody(src) {
    this._src = src;
    this._used = false;
    this._stream = null;
  }
  get body() {
    if (this._src === null) return null;
    if (!this._stream) {
      const src = this._src;
      if (src instanceof web.ReadableStream) this._stream = src;
      else if (Buffer.isBuffer(src)) this._stream = new web.ReadableStream({ start(c) { if (src.length) c.enqueue(new Uint8Array(src)); c.close(); } });
      else {
        const it = src[Symbol.asyncIterator]();
        this._stream = new web.ReadableStream({
          async pull(c) {
            const { value, done } = await it.next();
            if (done) c.close();
            else c.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
          },
          cancel() { if (typeof src.destroy === 'function') src.destroy(); },
        });
      }
    }
    return this._stream;
  }
  get bodyUsed() { return this._used; }
  async _bytes() {
    if (this._used) throw new TypeError('Body is unusable: Body has already been read');
    this._used = true;
    return collect(this._stream || this._src);
  }
  async arrayBuffer() { const b = await this._bytes(); return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); }
  async bytes() { return new Uint8Array(await this.arrayBuffer()); }
  async text() { return (await this._bytes()).toString('utf8'); }
  async json() { return JSON.parse(await this.text()); }
  async blob() { const b = await this._bytes(); return new web.Blob([b], { type: this.headers.get('content-type') || '' }); }
  async formData() { throw internals.notSupported('Body.formData'); }
}

class Request extends Body {
  constructor(input, init = {}) {
    super();
    let url, base = {};
    if (input instanceof Request) { base = input; url = input.url; } else {
      try { url = new URL(String(input)).href; } catch (e) {
        throw withCause(new TypeError(`Failed to parse URL from ${input}`), e);
      }
    }
    this.url = url;
    this.method = String(init.method || base.method || 'GET');
    if (/^(get|head|post|put|delete|options|patch)$/i.test(this.method)) this.method = this.method.toUpperCase();
    this.headers = new Headers(init.headers || base.headers || {});
    this.signal = init.signal || base.signal || new web.AbortController().signal;
    this.redirect = init.redirect || base.redirect || 'follow';
    this.credentials = 'same-origin';
    this.mode = 'cors';
    this.cache = 'default';
    this.referrer = 'about:client';
    this.keepalive = false;
    this.duplex = init.duplex;
    let src = null;
    if (init.body !== undefined && init.body !== null) {
      if (this.method === 'GET' || this.method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body.');
      const [b, type] = extractBody(init.body);
      src = b;
      if (type && !this.headers.has('content-type')) this.headers.set('content-type', type);
    } else if (base instanceof Request) src = base._src;
    this._initBody(src);
  }
  clone() { return new Request(this, { body: Buffer.isBuffer(this._src) ? this._src : undefined }); }
  get [Symbol.toStringTag]() { return 'Request'; }
}

class Response extends Body {
  constructor(body = null, init = {}) {
    super();
    const status = init.status === undefined ? 200 : Number(init.status);
    if (!(status >= 200 && status <= 599)) throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
    this.status = status;
    this.statusText = init.statusText === undefined ? '' : String(init.statusText);
    this.headers = new Headers(init.headers || {});
    this.type = 'default';
    this.url = '';
    this.redirected = false;
    const [b, type] = extractBody(body);
    if (type && !this.headers.has('content-type')) this.headers.set('content-type', type);
    this._initBody(b);
  }
  get ok() { return this.status >= 200 && this.status <= 299; }
  clone() {
    if (this._used) throw new TypeError('Response.clone: Body has already been consumed.');
    const r = new Response(null, { status: this.status, statusText: this.statusText, headers: this.headers });
    Object.assign(r, { type: this.type, url: this.url, redirected: this.redirected });
    if (Buffer.isBuffer(this._src) || this._src === null) r._initBody(this._src);
    else {
      const [a, b] = this.body.tee();
      this._stream = a;
      r._initBody(b);
    }
    return r;
  }
  static json(data, init = {}) {
    const headers = new Headers(init.headers || {});
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(JSON.stringify(data), { ...init, headers });
  }
  static error() { const r = new Response(null, { status: 200 }); r.status = 0; r.type = 'error'; return r; }
  static redirect(url, status = 302) { return new Response(null, { status, headers: { location: new URL(url).href } }); }
  get [Symbol.toStringTag]() { return 'Response'; }
}

function abortError(signal) {
  return signal.reason !== undefined ? signal.reason : new web.DOMException('This operation was aborted', 'AbortError');
}

async function fetch(input, init = {}) {
  const request = new Request(input, init);
  const signal = request.signal;
  if (signal.aborted) throw abortError(signal);
  const body = request._src === null ? null : await collect(request._src);
  return send(request, body, new URL(request.url), 0);
}

function send(request, body, url, redirects) {
  const http = require('http');
  const signal = request.signal;
  return new Promise((resolve, reject) => {
    const failed = (cause) => reject(withCause(new TypeError('fetch failed'), cause));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      failed(new Error(url.protocol === 'data:' || url.protocol === 'blob:' ? `${url.protocol} URLs are not supported in agentOS` : 'unknown scheme'));
      return;
    }
    const headers = {};
    for (const [k, v] of request.headers) headers[k] = v;
    const defaults = { accept: '*/*', 'accept-language': '*', 'sec-fetch-mode': 'cors', 'user-agent': 'node' };
    for (const k of Object.keys(defaults)) if (!(k in headers)) headers[k] = defaults[k];
    if (body) headers['content-length'] = String(body.length);
    const mod = url.protocol === 'https:' ? require('https') : http;
    let req;
    try {
      req = mod.request(url, { method: request.method, headers, agent: false }, (res) => {
        const status = res.statusCode;
        const location = res.headers.location;
        if ([301, 302, 303, 307, 308].includes(status) && location !== undefined && request.redirect !== 'manual') {
          res.resume();
          if (request.redirect === 'error') { failed(new Error('unexpected redirect')); return; }
          if (redirects >= 20) { failed(new Error('redirect count exceeded')); return; }
          let method = request.method, nextBody = body;
          if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
            method = method === 'HEAD' ? 'HEAD' : 'GET';
            nextBody = null;
            request.headers.delete('content-type');
          }
          const next = Object.assign(Object.create(Object.getPrototypeOf(request)), request, { method });
          send(next, nextBody, new URL(location, url), redirects + 1).then((r) => { r.redirected = true; resolve(r); }, reject);
          return;
        }
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const nullBody = request.method === 'HEAD' || status === 204 || status === 304;
        const r = new Response(null, { status: status < 200 ? 200 : status, statusText: res.statusMessage, headers: h });
        r.status = status;
        r.type = 'basic';
        r.url = url.href;
        r._initBody(nullBody ? null : res);
        if (nullBody) res.resume();
        resolve(r);
      });
    } catch (e) {
      failed(e);
      return;
    }
    req.on('error', (e) => failed(e));
    if (signal) {
      const onAbort = () => { req.destroy(); reject(abortError(signal)); };
      signal.addEventListener('abort', onAbort, { once: true });
    }
    req.end(body || undefined);
  });
}

module.exports = { fetch, Request, Response, Headers };
