// node:url — WHATWG URL and URLSearchParams (the common subset of the URL
// Standard: special schemes, authority, dot-segment removal, percent
// encoding), fileURLToPath/pathToFileURL, and the legacy parse/format/resolve.
'use strict';
const SPECIAL = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21', 'file:': '' };
function invalid(input, base) {
  const e = new TypeError('Invalid URL');
  e.code = 'ERR_INVALID_URL';
  e.input = input;
  if (base !== undefined) e.base = base;
  return e;
}
const enc = (set) => (s) => {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c < 0x20 || c >= 0x7f || set.includes(ch)) {
      for (const b of require('buffer').Buffer.from(ch)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    } else out += ch;
  }
  return out;
};
const encPath = enc(' "#<>?`{}');
const encQuery = enc(' "#<>');
const encSpecialQuery = enc(' "#<>\'');
const encFragment = enc(' "<>`');
const encUserinfo = enc(' "#<>?`{}/:;=@[\\]^|');

function removeDots(segments) {
  const out = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const last = i === segments.length - 1;
    if (s === '..' || s.toLowerCase() === '%2e%2e' || s.toLowerCase() === '.%2e' || s.toLowerCase() === '%2e.') {
      if (out.length) out.pop();
      if (last) out.push('');
    } else if (s === '.' || s.toLowerCase() === '%2e') {
      if (last) out.push('');
    } else out.push(s);
  }
  return out;
}

function parseURL(input, base) {
  input = String(input).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  const r = { protocol: '', username: '', password: '', hostname: '', port: '', pathname: '', search: '', hash: '', opaque: false };
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s.exec(input);
  let rest;
  if (m) {
    r.protocol = m[1].toLowerCase() + ':';
    rest = m[2];
    if (base && base.protocol === r.protocol && SPECIAL[r.protocol] !== undefined && !rest.startsWith('/')) {
      return relative(rest, base, r.protocol);
    }
  } else {
    if (!base) return null;
    return relative(input, base, base.protocol);
  }
  const special = SPECIAL[r.protocol] !== undefined;
  if (special) rest = rest.replace(/\\/g, '/');
  const hashI = rest.indexOf('#');
  if (hashI >= 0) { r.hash = rest.slice(hashI); rest = rest.slice(0, hashI); }
  const qI = rest.indexOf('?');
  if (qI >= 0) { r.search = rest.slice(qI); rest = rest.slice(0, qI); }
  if (rest.startsWith('//') || (special && r.protocol !== 'file:')) {
    rest = r.protocol === 'file:' ? rest.slice(2) : special ? rest.replace(/^\/*/, '') : rest.slice(2);
    const slash = rest.indexOf('/');
    const auth = slash >= 0 ? rest.slice(0, slash) : rest;
    rest = slash >= 0 ? rest.slice(slash) : '';
    if (!parseAuthority(r, auth, special)) return null;
    r.pathname = special ? '/' + removeDots(rest.slice(1).split('/')).map(encPath).join('/') : rest === '' ? '' : '/' + removeDots(rest.slice(1).split('/')).map(encPath).join('/');
    if (special && r.hostname === '' && r.protocol !== 'file:') return null;
  } else if (r.protocol === 'file:') {
    r.pathname = '/' + removeDots(rest.replace(/^\/*/, '').split('/')).map(encPath).join('/');
  } else if (rest.startsWith('/')) {
    r.pathname = '/' + removeDots(rest.slice(1).split('/')).map(encPath).join('/');
  } else {
    r.opaque = true;
    r.pathname = enc('')(rest);
  }
  finishQuery(r, special);
  return r;
}
function finishQuery(r, special) {
  if (r.search === '?') r.search = '';
  else if (r.search) r.search = '?' + (special ? encSpecialQuery : encQuery)(r.search.slice(1));
  if (r.hash === '#') r.hash = '';
  else if (r.hash) r.hash = '#' + encFragment(r.hash.slice(1));
}
function parseAuthority(r, auth, special) {
  const at = auth.lastIndexOf('@');
  if (at >= 0) {
    const cred = auth.slice(0, at);
    auth = auth.slice(at + 1);
    const c = cred.indexOf(':');
    r.username = encUserinfo(c >= 0 ? cred.slice(0, c) : cred);
    r.password = c >= 0 ? encUserinfo(cred.slice(c + 1)) : '';
  }
  let host = auth, port = '';
  const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(auth);
  if (!pm) return false;
  host = pm[1]; port = pm[2] || '';
  if (/[\s#%/:<>?@[\\\]^|]/.test(host.replace(/^\[|\]$/g, '')) && !host.startsWith('[')) return false;
  if (special) {
    try { host = decodeURIComponent(host); } catch { return false; }
    host = host.toLowerCase();
    if (/^\d+$/.test(host)) {
      const n = Number(host);
      host = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    }
  }
  if (port !== '') {
    const n = Number(port);
    if (n > 65535) return false;
    port = String(n);
    if (SPECIAL[r.protocol] === port) port = '';
  }
  r.hostname = host;
  r.port = port;
  return true;
}
function relative(input, base, protocol) {
  const special = SPECIAL[protocol] !== undefined;
  if (special) input = input.replace(/\\/g, '/');
  if (input.startsWith('//')) return parseURL(protocol + input, null);
  const r = { ...base, protocol, search: base.search, hash: '' };
  let rest = input;
  const hashI = rest.indexOf('#');
  if (hashI >= 0) { r.hash = rest.slice(hashI); rest = rest.slice(0, hashI); }
  const qI = rest.indexOf('?');
  if (qI >= 0) { r.search = rest.slice(qI); rest = rest.slice(0, qI); }
  else if (rest !== '') r.search = '';
  if (base.opaque) {
    if (input.startsWith('#')) { r.hash = rest === '' ? input : r.hash; finishQuery(r, special); return r; }
    return null;
  }
  if (rest.startsWith('/')) {
    r.pathname = '/' + removeDots(rest.slice(1).split('/')).map(encPath).join('/');
  } else if (rest !== '') {
    const dir = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
    r.pathname = '/' + removeDots((dir + rest).slice(1).split('/')).map(encPath).join('/');
  }
  finishQuery(r, special);
  if (qI < 0 && rest === '' && hashI >= 0) r.search = base.search;
  return r;
}

const kState = Symbol('url');
class URL {
  constructor(input, base) {
    let b = null;
    if (base !== undefined) {
      b = parseURL(String(base), null);
      if (!b) throw invalid(String(input), String(base));
    }
    const r = parseURL(input instanceof URL ? input.href : String(input), b);
    if (!r) throw invalid(String(input), base === undefined ? undefined : String(base));
    this[kState] = r;
    this._sp = null;
  }
  static canParse(input, base) { try { new URL(input, base); return true; } catch { return false; } }
  static parse(input, base) { try { return new URL(input, base); } catch { return null; } }
  get protocol() { return this[kState].protocol; }
  set protocol(v) { const p = String(v).replace(/:.*$/, '').toLowerCase() + ':'; if ((SPECIAL[p] !== undefined) === (SPECIAL[this.protocol] !== undefined)) this[kState].protocol = p; }
  get username() { return this[kState].username; }
  set username(v) { this[kState].username = encUserinfo(String(v)); }
  get password() { return this[kState].password; }
  set password(v) { this[kState].password = encUserinfo(String(v)); }
  get hostname() { return this[kState].hostname; }
  set hostname(v) { if (!this[kState].opaque) this[kState].hostname = String(v).toLowerCase(); }
  get port() { return this[kState].port; }
  set port(v) { v = String(v); if (v === '') { this[kState].port = ''; return; } const n = parseInt(v, 10); if (n >= 0 && n <= 65535) this[kState].port = SPECIAL[this.protocol] === String(n) ? '' : String(n); }
  get host() { const s = this[kState]; return s.hostname + (s.port ? ':' + s.port : ''); }
  set host(v) { const m = /^([^:]*)(?::(\d*))?$/.exec(String(v)); if (m) { this.hostname = m[1]; if (m[2] !== undefined) this.port = m[2]; } }
  get origin() {
    const s = this[kState];
    if (s.protocol === 'blob:') { try { return new URL(s.pathname).origin; } catch { return 'null'; } }
    return SPECIAL[s.protocol] !== undefined && s.protocol !== 'file:' ? `${s.protocol}//${this.host}` : 'null';
  }
  get pathname() { return this[kState].pathname; }
  set pathname(v) { if (!this[kState].opaque) { v = String(v); this[kState].pathname = '/' + removeDots(v.replace(/^\//, '').split('/')).map(encPath).join('/'); } }
  get search() { return this[kState].search; }
  set search(v) { v = String(v); this[kState].search = v === '' || v === '?' ? '' : '?' + encSpecialQuery(v.replace(/^\?/, '')); if (this._sp) this._sp._reset(this[kState].search); }
  get hash() { return this[kState].hash; }
  set hash(v) { v = String(v); this[kState].hash = v === '' || v === '#' ? '' : '#' + encFragment(v.replace(/^#/, '')); }
  get searchParams() {
    if (!this._sp) { this._sp = new URLSearchParams(this[kState].search); this._sp._url = this; }
    return this._sp;
  }
  get href() {
    const s = this[kState];
    let out = s.protocol;
    if (!s.opaque && (s.hostname !== '' || SPECIAL[s.protocol] !== undefined || s.pathname.startsWith('//') === false && s.protocol === 'file:' || s.username)) {
      out += '//';
      if (s.username || s.password) out += s.username + (s.password ? ':' + s.password : '') + '@';
      out += this.host;
    }
    return out + s.pathname + s.search + s.hash;
  }
  set href(v) { const r = parseURL(String(v), null); if (!r) throw invalid(String(v)); this[kState] = r; if (this._sp) this._sp._reset(r.search); }
  toString() { return this.href; }
  toJSON() { return this.href; }
  static createObjectURL() { throw internals.notSupported('URL.createObjectURL'); }
  static revokeObjectURL() {}
  [Symbol.for('nodejs.util.inspect.custom')](depth, opts, inspect) {
    const obj = { href: this.href, origin: this.origin, protocol: this.protocol, username: this.username, password: this.password,
      host: this.host, hostname: this.hostname, port: this.port, pathname: this.pathname, search: this.search,
      searchParams: this.searchParams, hash: this.hash };
    if (depth < 0) return this.href;
    return `URL ${inspect(obj, { ...opts, depth }).replace(/^\{/, '{')}`;
  }
}
Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
for (const k of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash', 'toString', 'toJSON']) {
  Object.defineProperty(URL.prototype, k, { ...Object.getOwnPropertyDescriptor(URL.prototype, k), enumerable: true });
}

const formDecode = (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s.replace(/\+/g, ' '); } };
const formEncode = (s) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
class URLSearchParams {
  constructor(init = '') {
    this._list = [];
    this._url = null;
    if (init instanceof URLSearchParams) this._list = init._list.map((p) => p.slice());
    else if (typeof init === 'object' && init !== null) {
      if (typeof init[Symbol.iterator] === 'function') {
        for (const pair of init) {
          const p = [...pair];
          if (p.length !== 2) { const e = new TypeError('Each query pair must be an iterable [name, value] tuple'); e.code = 'ERR_INVALID_TUPLE'; throw e; }
          this._list.push([String(p[0]), String(p[1])]);
        }
      } else for (const k of Object.keys(init)) this._list.push([k, String(init[k])]);
    } else this._reset(String(init));
  }
  _reset(s) {
    this._list = [];
    s = s.replace(/^\?/, '');
    if (!s) return;
    for (const part of s.split('&')) {
      if (!part) continue;
      const i = part.indexOf('=');
      this._list.push(i >= 0 ? [formDecode(part.slice(0, i)), formDecode(part.slice(i + 1))] : [formDecode(part), '']);
    }
  }
  _update() { if (this._url) { const s = this.toString(); this._url[kState].search = s ? '?' + s : ''; } }
  get size() { return this._list.length; }
  append(k, v) { this._list.push([String(k), String(v)]); this._update(); }
  delete(k, v) { this._list = this._list.filter(([a, b]) => a !== String(k) || (v !== undefined && b !== String(v))); this._update(); }
  get(k) { const p = this._list.find(([a]) => a === String(k)); return p ? p[1] : null; }
  getAll(k) { return this._list.filter(([a]) => a === String(k)).map((p) => p[1]); }
  has(k, v) { return this._list.some(([a, b]) => a === String(k) && (v === undefined || b === String(v))); }
  set(k, v) {
    k = String(k); v = String(v);
    const i = this._list.findIndex(([a]) => a === k);
    if (i < 0) this._list.push([k, v]);
    else { this._list[i][1] = v; this._list = this._list.filter(([a], j) => a !== k || j === i); }
    this._update();
  }
  sort() { this._list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this._update(); }
  forEach(fn, thisArg) { for (const [k, v] of this._list) fn.call(thisArg, v, k, this); }
  keys() { return this._list.map((p) => p[0])[Symbol.iterator](); }
  values() { return this._list.map((p) => p[1])[Symbol.iterator](); }
  entries() { return this._list.map((p) => p.slice())[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
  toString() { return this._list.map(([k, v]) => formEncode(k) + '=' + formEncode(v)).join('&'); }
  [Symbol.for('nodejs.util.inspect.custom')](depth, opts, inspect) {
    if (this._list.length === 0) return 'URLSearchParams {}';
    return `URLSearchParams { ${this._list.map(([k, v]) => `${inspect(k)} => ${inspect(v)}`).join(', ')} }`;
  }
}
Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });

function fileURLToPath(u) {
  if (typeof u === 'string') u = new URL(u);
  else if (!(u instanceof URL)) {
    const e = new TypeError(`The "path" argument must be of type string or an instance of URL. Received ${require('util').inspect(u)}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  if (u.protocol !== 'file:') { const e = new TypeError('The URL must be of scheme file'); e.code = 'ERR_INVALID_URL_SCHEME'; throw e; }
  if (u.hostname !== '') { const e = new TypeError('File URL host must be "localhost" or empty on linux'); e.code = 'ERR_INVALID_FILE_URL_HOST'; throw e; }
  if (/%2f/i.test(u.pathname)) { const e = new TypeError('File URL path must not include encoded / characters'); e.code = 'ERR_INVALID_FILE_URL_PATH'; throw e; }
  return decodeURIComponent(u.pathname);
}
function pathToFileURL(p) {
  let resolved = require('path').resolve(p);
  if (p.endsWith('/') && !resolved.endsWith('/')) resolved += '/';
  const u = new URL('file://');
  u[kState].pathname = resolved.split('/').map((s) => encodeURIComponent(s).replace(/%40/g, '@').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%2B/g, '+').replace(/%3D/g, '=').replace(/%26/g, '&').replace(/%24/g, '$').replace(/%21/g, '!').replace(/%27/g, "'").replace(/%28/g, '(').replace(/%29/g, ')').replace(/%2A/g, '*').replace(/%3B/g, ';')).join('/');
  return u;
}

// ---- legacy API ---------------------------------------------------------------------------
function Url() {
  this.protocol = null; this.slashes = null; this.auth = null; this.host = null; this.port = null; this.hostname = null;
  this.hash = null; this.search = null; this.query = null; this.pathname = null; this.path = null; this.href = null;
}
function urlParse(s, parseQuery, slashesDenoteHost) {
  const u = new Url();
  let rest = String(s).trim();
  const hashI = rest.indexOf('#');
  if (hashI >= 0) { u.hash = rest.slice(hashI); rest = rest.slice(0, hashI); }
  const qI = rest.indexOf('?');
  if (qI >= 0) { u.search = rest.slice(qI); u.query = rest.slice(qI + 1); rest = rest.slice(0, qI); }
  else if (parseQuery) { u.search = ''; u.query = {}; }
  if (parseQuery && typeof u.query === 'string') u.query = require('querystring').parse(u.query);
  const pm = /^([a-zA-Z][a-zA-Z0-9+.-]*:)/.exec(rest);
  if (pm) { u.protocol = pm[1].toLowerCase(); rest = rest.slice(pm[1].length); }
  if (rest.startsWith('//') && (u.protocol || slashesDenoteHost) && u.protocol !== 'javascript:') {
    u.slashes = true;
    rest = rest.slice(2);
    const end = rest.search(/[/]/);
    let auth = end >= 0 ? rest.slice(0, end) : rest;
    rest = end >= 0 ? rest.slice(end) : '';
    const at = auth.lastIndexOf('@');
    if (at >= 0) { u.auth = decodeURIComponent(auth.slice(0, at)); auth = auth.slice(at + 1); }
    const m = /^(.*?)(?::(\d+))?$/.exec(auth);
    u.hostname = m[1].toLowerCase();
    u.port = m[2] || null;
    u.host = u.hostname + (u.port ? ':' + u.port : '');
    if (!rest && (SPECIAL[u.protocol] !== undefined)) rest = '/';
  }
  u.pathname = rest || (u.slashes ? '/' : null);
  if (u.pathname === null && rest === '' && !u.protocol) u.pathname = null;
  u.path = (u.pathname || '') + (u.search || '') || null;
  u.href = urlFormat(u);
  return u;
}
function urlFormat(u, options) {
  if (typeof u === 'string') u = urlParse(u);
  if (u instanceof URL) {
    const o = options || {};
    let out = u.protocol + '//';
    if (o.auth !== false && (u.username || u.password)) out += u.username + (u.password ? ':' + u.password : '') + '@';
    out += o.unicode ? u.host : u.host;
    return out + u.pathname + (o.search === false ? '' : u.search) + (o.fragment === false ? '' : u.hash);
  }
  let protocol = u.protocol || '';
  if (protocol && !protocol.endsWith(':')) protocol += ':';
  let host = '';
  const auth = u.auth ? encodeURIComponent(u.auth).replace(/%3A/i, ':') + '@' : '';
  if (u.host) host = auth + u.host;
  else if (u.hostname) host = auth + u.hostname + (u.port ? ':' + u.port : '');
  let pathname = u.pathname || '';
  let search = u.search || '';
  if (!search && u.query && typeof u.query === 'object' && Object.keys(u.query).length) search = '?' + require('querystring').stringify(u.query);
  else if (!search && typeof u.query === 'string' && u.query) search = '?' + u.query;
  let hash = u.hash || '';
  if (u.slashes || ((!protocol || SPECIAL[protocol] !== undefined) && host)) {
    host = '//' + host;
    if (pathname && pathname[0] !== '/') pathname = '/' + pathname;
  }
  if (hash && hash[0] !== '#') hash = '#' + hash;
  if (search && search[0] !== '?') search = '?' + search;
  pathname = pathname.replace(/[?#]/g, encodeURIComponent);
  search = search.replace('#', '%23');
  return protocol + host + pathname + search + hash;
}
function urlResolve(from, to) {
  const base = new URL(from, 'resolve://');
  const r = new URL(to, base);
  if (r.protocol === 'resolve:') {
    const { pathname, search, hash } = r;
    return pathname + search + hash;
  }
  return r.toString();
}
module.exports = {
  URL, URLSearchParams, fileURLToPath, pathToFileURL, parse: urlParse, format: urlFormat, resolve: urlResolve,
  resolveObject: (a, b) => urlParse(urlResolve(a, b)), Url,
  domainToASCII: (d) => String(d).toLowerCase(), domainToUnicode: (d) => String(d),
  urlToHttpOptions: (u) => ({ protocol: u.protocol, hostname: u.hostname, hash: u.hash, search: u.search, pathname: u.pathname, path: `${u.pathname}${u.search}`, href: u.href, port: u.port ? Number(u.port) : undefined, auth: u.username ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : undefined }),
};
