// node:http — HTTP/1.1 servers and clients over `net` sockets. Heads are
// parsed in Rust (`ops.httpParse`, httparse; `ops.httpChunk` for chunk
// sizes); bodies (Content-Length, chunked, or until close) are framed
// here. A server handles one request at a time per connection (pipelined
// requests wait in the parser), keeps connections alive unless either side
// says `Connection: close`, and sends chunked bodies when no length is
// known. The client opens one connection per request and closes it after
// the response (Node's pooled keep-alive sockets are unref'd, so the
// difference is not observable to scripts).
'use strict';
const net = require('net');
const EventEmitter = require('events');
const { Readable, Stream } = require('stream');
const { Buffer } = require('buffer');

const METHODS = ['ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH',
  'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH',
  'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK', 'UNLOCK',
  'UNSUBSCRIBE'];
const STATUS_CODES = { 100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints', 200: 'OK',
  201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content', 205: 'Reset Content',
  206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used', 300: 'Multiple Choices',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy',
  307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
  402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
  407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required',
  412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a Teapot", 421: 'Misdirected Request',
  422: 'Unprocessable Entity', 423: 'Locked', 424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required',
  428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates', 507: 'Insufficient Storage', 508: 'Loop Detected', 509: 'Bandwidth Limit Exceeded',
  510: 'Not Extended', 511: 'Network Authentication Required' };
const MAX_HEADER_SIZE = 16384;
const NO_BODY_METHODS = ['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'];
// Repeats of these keep the first value (Node's `matchKnownFields`).
const SINGLE = new Set(['content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization',
  'proxy-authorization', 'if-modified-since', 'if-unmodified-since', 'from', 'location', 'max-forwards',
  'retry-after', 'etag', 'last-modified', 'server', 'age', 'expires']);

function errCode(code, msg, Ctor = Error) { const e = new Ctor(msg); e.code = code; return e; }
function connReset(msg) { const e = new Error(msg); e.code = 'ECONNRESET'; return e; }
const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
function validateHeaderName(name) {
  if (typeof name !== 'string' || !name || !TOKEN.test(name)) {
    throw errCode('ERR_INVALID_HTTP_TOKEN', `Header name must be a valid HTTP token ["${name}"]`, TypeError);
  }
}
function validateHeaderValue(name, value) {
  if (value === undefined) throw errCode('ERR_HTTP_INVALID_HEADER_VALUE', `Invalid value "${value}" for header "${name}"`, TypeError);
  if (/[^\t\x20-\x7e\x80-\xff]/.test(String(value))) throw errCode('ERR_INVALID_CHAR', `Invalid character in header content ["${name}"]`, TypeError);
}

// ---- parsing ------------------------------------------------------------------------------
// Frames messages out of a byte stream. `onHead(info)` returns the body
// framing ({ length } | { chunked } | { eof } | null for none); `onBody`
// gets body slices; `onComplete` ends a message, after which the parser
// waits (`paused`) until its owner calls `next()`.
class Parser {
  constructor(isRequest) {
    this.isRequest = isRequest;
    this.buf = null;
    this.state = 'head';
    this.remaining = 0;
    this.paused = false;
    this.onHead = this.onBody = this.onComplete = null;
  }
  push(data) {
    this.buf = this.buf && this.buf.length ? Buffer.concat([this.buf, data]) : data;
    this.run();
  }
  next() {
    this.state = 'head';
    this.paused = false;
    this.run();
  }
  _take(n) {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
  _complete() {
    this.state = 'done';
    this.paused = true;
    this.onComplete();
  }
  run() {
    while (!this.paused && this.buf) {
      const b = this.buf;
      switch (this.state) {
        case 'head': {
          let i = 0;
          while (i < b.length && (b[i] === 13 || b[i] === 10)) i++;
          if (i) this.buf = b.subarray(i);
          if (!this.buf.length) return;
          const info = ops.httpParse(this.buf, this.isRequest);
          if (!info) {
            if (this.buf.length > MAX_HEADER_SIZE) throw errCode('HPE_HEADER_OVERFLOW', 'Parse Error: Header overflow');
            return;
          }
          this.buf = this.buf.subarray(info.length);
          const framing = this.onHead(info);
          if (this.state !== 'head') break; // the owner took over (e.g. destroyed)
          if (!framing) this._complete();
          else if (framing.chunked) this.state = 'size';
          else if (framing.eof) this.state = 'eof';
          else if (framing.length > 0) { this.state = 'body'; this.remaining = framing.length; }
          else if (framing.info) this.state = 'head';
          else this._complete();
          break;
        }
        case 'body': {
          if (!b.length) return;
          const part = this._take(Math.min(this.remaining, b.length));
          this.remaining -= part.length;
          this.onBody(part);
          if (this.remaining === 0) this._complete();
          break;
        }
        case 'size': {
          const r = ops.httpChunk(b, 0);
          if (!r) return;
          this.buf = b.subarray(r[0]);
          if (r[1] === 0) this.state = 'trailers';
          else { this.state = 'chunk'; this.remaining = r[1]; }
          break;
        }
        case 'chunk': {
          if (!b.length) return;
          const part = this._take(Math.min(this.remaining, b.length));
          this.remaining -= part.length;
          this.onBody(part);
          if (this.remaining === 0) this.state = 'crlf';
          break;
        }
        case 'crlf': {
          if (b.length < 2) return;
          if (b[0] !== 13 || b[1] !== 10) throw errCode('HPE_STRICT', 'Parse Error: Expected CRLF after chunk');
          this.buf = b.subarray(2);
          this.state = 'size';
          break;
        }
        case 'trailers': {
          if (b.length < 2) return;
          if (b[0] === 13 && b[1] === 10) { this.buf = b.subarray(2); this._complete(); break; }
          const end = b.indexOf('\r\n\r\n');
          if (end < 0) return;
          this.buf = b.subarray(end + 4);
          this._complete();
          break;
        }
        case 'eof': {
          if (!b.length) return;
          this.buf = null;
          this.onBody(b);
          return;
        }
        default:
          return;
      }
    }
  }
  // The peer closed: a close-delimited body ends; anything else unfinished
  // was cut short (returns false).
  finish() {
    if (this.state === 'eof') { this._complete(); return true; }
    return this.state === 'head' || this.state === 'done';
  }
}

function framing(headers, isResponse, status, method) {
  if (isResponse && ((status >= 100 && status < 200) || status === 204 || status === 304 || method === 'HEAD')) {
    return status >= 100 && status < 200 && status !== 101 ? { info: true } : null;
  }
  const te = headers['transfer-encoding'];
  if (te && /(^|,)\s*chunked\s*$/i.test(te)) return { chunked: true };
  const cl = headers['content-length'];
  if (cl !== undefined) return { length: Number(cl) || 0 };
  return isResponse ? { eof: true } : null;
}

// ---- IncomingMessage ------------------------------------------------------------------------
class IncomingMessage extends Readable {
  constructor(socket) {
    super();
    this.socket = socket;
    this.httpVersionMajor = 1;
    this.httpVersionMinor = 1;
    this.httpVersion = '1.1';
    this.complete = false;
    this.rawHeaders = [];
    this.rawTrailers = [];
    this.headers = {};
    this.trailers = {};
    this.aborted = false;
    this.upgrade = false;
    this.url = '';
    this.method = null;
    this.statusCode = null;
    this.statusMessage = null;
    this._dumped = false;
    this._resume = null;
  }
  get connection() { return this.socket; }
  set connection(v) { this.socket = v; }
  get headersDistinct() {
    const o = {};
    for (let i = 0; i < this.rawHeaders.length; i += 2) (o[this.rawHeaders[i].toLowerCase()] ||= []).push(this.rawHeaders[i + 1]);
    return o;
  }
  _addHeaders(flat) {
    for (let i = 0; i < flat.length; i += 2) {
      const name = flat[i], value = flat[i + 1];
      this.rawHeaders.push(name, value);
      const k = name.toLowerCase();
      const cur = this.headers[k];
      if (k === 'set-cookie') (this.headers[k] ||= []).push(value);
      else if (cur === undefined) this.headers[k] = value;
      else if (!SINGLE.has(k)) this.headers[k] = `${cur}${k === 'cookie' ? '; ' : ', '}${value}`;
    }
  }
  _setVersion(minor) {
    this.httpVersionMinor = minor;
    this.httpVersion = `1.${minor}`;
  }
  _read() { if (this._resume) this._resume(); }
  _dump() {
    if (this._dumped) return;
    this._dumped = true;
    this.removeAllListeners('data');
    this.resume();
  }
  _destroy(err, cb) {
    if (!this.readableEnded || !this.complete) {
      this.aborted = true;
      if (this.socket && !this.socket.destroyed && !this.complete) this.socket.destroy(err);
    }
    cb(err);
  }
  setTimeout(ms, cb) { if (this.socket) this.socket.setTimeout(ms, cb); return this; }
}

// ---- OutgoingMessage ------------------------------------------------------------------------
class OutgoingMessage extends Stream {
  constructor() {
    super();
    this._headers = new Map();
    this._header = null;
    this._headerSent = false;
    this.finished = false;
    this.writableFinished = false;
    this.socket = null;
    this.sendDate = false;
    this.chunkedEncoding = false;
    this.useChunkedEncodingByDefault = true;
    this.shouldKeepAlive = true;
    this._hasBody = true;
    this._contentLength = null;
    this.destroyed = false;
    this.strictContentLength = false;
    this._trailer = '';
  }
  get connection() { return this.socket; }
  get headersSent() { return !!this._header; }
  get writableEnded() { return this.finished; }
  get writable() { return !this.finished && !this.destroyed; }
  get writableLength() { return this.socket ? this.socket.writableLength : 0; }
  get writableHighWaterMark() { return this.socket ? this.socket.writableHighWaterMark : 16384; }
  get writableCorked() { return this.socket ? this.socket.writableCorked : 0; }
  get writableNeedDrain() { return this.socket ? this.socket.writableNeedDrain : false; }
  setHeader(name, value) {
    if (this._header) throw errCode('ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
    validateHeaderName(name);
    validateHeaderValue(name, value);
    this._headers.set(name.toLowerCase(), [name, value]);
    return this;
  }
  appendHeader(name, value) {
    const k = name.toLowerCase();
    const cur = this._headers.get(k);
    if (!cur) return this.setHeader(name, value);
    cur[1] = [].concat(cur[1], value);
    return this;
  }
  setHeaders(h) {
    for (const [k, v] of h instanceof Map || (h && typeof h.entries === 'function') ? h.entries() : Object.entries(h)) this.setHeader(k, v);
    return this;
  }
  getHeader(name) { const e = this._headers.get(String(name).toLowerCase()); return e ? e[1] : undefined; }
  getHeaders() { const o = Object.create(null); for (const [k, [, v]] of this._headers) o[k] = v; return o; }
  getHeaderNames() { return [...this._headers.keys()]; }
  getRawHeaderNames() { return [...this._headers.values()].map((e) => e[0]); }
  hasHeader(name) { return this._headers.has(String(name).toLowerCase()); }
  removeHeader(name) {
    if (this._header) throw errCode('ERR_HTTP_HEADERS_SENT', 'Cannot remove headers after they are sent to the client');
    this._headers.delete(String(name).toLowerCase());
  }
  // Serialize the head: `firstLine` plus headers plus the framing ones.
  _storeHeader(firstLine, extra) {
    let h = firstLine;
    const line = (k, v) => {
      if (Array.isArray(v)) for (const x of v) h += `${k}: ${x}\r\n`;
      else h += `${k}: ${v}\r\n`;
    };
    for (const [name, value] of (extra || this._headers).values()) line(name, value);
    const has = (k) => this._headers.has(k) || (extra && extra.has(k));
    const get = (k) => { const e = (extra && extra.get(k)) || this._headers.get(k); return e ? String(e[1]) : ''; };
    if (this.sendDate && !has('date')) line('Date', new Date().toUTCString());
    if (has('connection')) {
      if (/close/i.test(get('connection'))) this.shouldKeepAlive = false;
    } else if (this.shouldKeepAlive) {
      line('Connection', 'keep-alive');
      if (this._keepAliveHeader) line('Keep-Alive', this._keepAliveHeader);
    } else {
      line('Connection', 'close');
    }
    // Node's order: an explicit framing header, else none for messages
    // that do not chunk by default (GET requests, HTTP/1.0 responses),
    // else a known length, else chunked.
    if (this._hasBody) {
      if (has('transfer-encoding')) this.chunkedEncoding = /chunked/i.test(get('transfer-encoding'));
      else if (has('content-length')) this.chunkedEncoding = false;
      else if (!this.useChunkedEncodingByDefault) { if (this instanceof ServerResponse) this.shouldKeepAlive = false; }
      else if (typeof this._contentLength === 'number') line('Content-Length', this._contentLength);
      else if (this._chunkable()) { line('Transfer-Encoding', 'chunked'); this.chunkedEncoding = true; }
      else this.shouldKeepAlive = false;
    }
    this._header = h + '\r\n';
  }
  _chunkable() { return true; }
  _writeRaw(data, cb) {
    if (!this._headerSent) {
      this._headerSent = true;
      const head = Buffer.from(this._header, 'latin1');
      data = data && data.length ? Buffer.concat([head, data]) : head;
    }
    if (!this.socket || this.socket.destroyed) { if (cb) process.nextTick(cb); return false; }
    const ok = this.socket.write(data, cb);
    if (!ok && !this._awaitingDrain) {
      // The socket's backpressure is the message's: forward its 'drain'.
      this._awaitingDrain = true;
      this.socket.once('drain', () => { this._awaitingDrain = false; this.emit('drain'); });
    }
    return ok;
  }
  _frame(chunk, encoding) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, encoding || 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.chunkedEncoding || !buf.length) return buf;
    return Buffer.concat([Buffer.from(`${buf.length.toString(16)}\r\n`), buf, Buffer.from('\r\n')]);
  }
  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') { cb = encoding; encoding = null; }
    if (this.finished) {
      const err = errCode('ERR_STREAM_WRITE_AFTER_END', 'write after end');
      process.nextTick(() => { if (cb) cb(err); this.emit('error', err); });
      return false;
    }
    if (chunk === null || chunk === undefined || (typeof chunk !== 'string' && !(chunk instanceof Uint8Array))) {
      throw errCode('ERR_INVALID_ARG_TYPE', 'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array.' + ` Received ${require('util').inspect(chunk)}`, TypeError);
    }
    if (!this._header) this._implicitHeader();
    if (!this._hasBody) { if (cb) process.nextTick(cb); return true; }
    if (!chunk.length) { if (cb) process.nextTick(cb); return true; }
    return this._writeRaw(this._frame(chunk, encoding), cb);
  }
  end(chunk, encoding, cb) {
    if (typeof chunk === 'function') { cb = chunk; chunk = null; } else if (typeof encoding === 'function') { cb = encoding; encoding = null; }
    if (this.finished) { if (cb) process.nextTick(cb); return this; }
    if (chunk !== null && chunk !== undefined && !this._header) {
      this._contentLength = typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding || 'utf8') : chunk.length;
    }
    if (!this._header) { if (this._contentLength === null && !chunk) this._contentLength = 0; this._implicitHeader(); }
    let data = null;
    if (chunk !== null && chunk !== undefined && this._hasBody) data = this._frame(chunk, encoding);
    if (this.chunkedEncoding && this._hasBody) data = Buffer.concat([data || Buffer.alloc(0), Buffer.from(`0\r\n${this._trailer}\r\n`)]);
    this.finished = true;
    this._writeRaw(data || Buffer.alloc(0), () => this._onFinish(cb));
    return this;
  }
  _onFinish(cb) {
    if (this.writableFinished) return;
    this.writableFinished = true;
    if (cb) cb();
    this.emit('finish');
  }
  addTrailers(headers) {
    for (const [k, v] of Array.isArray(headers) ? headers : Object.entries(headers)) this._trailer += `${k}: ${v}\r\n`;
  }
  flushHeaders() {
    if (!this._header) this._implicitHeader();
    this._writeRaw(Buffer.alloc(0));
  }
  cork() { if (this.socket) this.socket.cork(); }
  uncork() { if (this.socket) this.socket.uncork(); }
  setTimeout(ms, cb) {
    if (cb) this.on('timeout', cb);
    if (this.socket) this.socket.setTimeout(ms);
    return this;
  }
  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (this.socket) this.socket.destroy(err);
    return this;
  }
}

// ---- server -------------------------------------------------------------------------------------
class ServerResponse extends OutgoingMessage {
  constructor(req) {
    super();
    this.req = req;
    this.statusCode = 200;
    this.statusMessage = undefined;
    this.sendDate = true;
    this._keepAliveHeader = 'timeout=5';
    if (req.method === 'HEAD') this._hasBody = false;
    if (req.httpVersionMinor < 1) {
      this.useChunkedEncodingByDefault = /(?:^|\W)chunked(?:$|\W)/i.test(req.headers.te || '');
    }
  }
  assignSocket(socket) { this.socket = socket; this.emit('socket', socket); }
  detachSocket() { this.socket = null; }
  _chunkable() { return this.req.httpVersionMinor >= 1; }
  writeContinue(cb) { if (this.socket) this.socket.write('HTTP/1.1 100 Continue\r\n\r\n', cb); }
  writeProcessing(cb) { if (this.socket) this.socket.write('HTTP/1.1 102 Processing\r\n\r\n', cb); }
  writeEarlyHints(hints, cb) {
    let h = 'HTTP/1.1 103 Early Hints\r\n';
    for (const [k, v] of Object.entries(hints)) h += `${k}: ${[].concat(v).join(', ')}\r\n`;
    if (this.socket) this.socket.write(h + '\r\n', cb);
  }
  writeHead(statusCode, reason, headers) {
    if (this._header) throw errCode('ERR_HTTP_HEADERS_SENT', 'Cannot write headers after they are sent to the client');
    if (typeof reason !== 'string') { headers = reason; reason = undefined; }
    statusCode |= 0;
    if (statusCode < 100 || statusCode > 999) throw errCode('ERR_HTTP_INVALID_STATUS_CODE', `Invalid status code: ${statusCode}`, RangeError);
    this.statusCode = statusCode;
    if (reason !== undefined) this.statusMessage = reason;
    if (Array.isArray(headers)) {
      if (headers.length && Array.isArray(headers[0])) for (const [k, v] of headers) this.appendHeader(k, v);
      else for (let i = 0; i < headers.length; i += 2) this.appendHeader(headers[i], headers[i + 1]);
    } else if (headers) {
      for (const k of Object.keys(headers)) if (headers[k] !== undefined) this.setHeader(k, headers[k]);
    }
    this._implicitHeader();
    return this;
  }
  _implicitHeader() {
    const code = this.statusCode;
    if (code === 204 || code === 304 || (code >= 100 && code < 200)) this._hasBody = false;
    const msg = this.statusMessage || STATUS_CODES[code] || 'unknown';
    this.statusMessage = msg;
    this._storeHeader(`HTTP/1.1 ${code} ${msg}\r\n`);
  }
}

function connectionListener(socket) {
  const server = this;
  const parser = new Parser(true);
  const conn = { req: null, res: null, resDone: true, ending: false, idle: false };
  socket._httpConn = conn;
  if (server.timeout) socket.setTimeout(server.timeout);
  socket.on('timeout', () => {
    // An idle keep-alive connection past keepAliveTimeout just closes.
    if (conn.idle) { socket.destroy(); return; }
    const handled = (conn.req && conn.req.emit('timeout')) | (conn.res && conn.res.emit('timeout')) | server.emit('timeout', socket);
    if (!handled) socket.destroy();
  });
  const nextRequest = () => {
    conn.req = conn.res = null;
    conn.idle = true;
    if (server.keepAliveTimeout) socket.setTimeout(server.keepAliveTimeout);
    if (conn.ending || socket.destroyed) { if (!socket.destroyed) socket.end(); return; }
    try { parser.next(); } catch (e) { clientError(e); }
    if (parser.state === 'head' && !conn.req && socket.isPaused()) socket.resume();
  };
  parser.onHead = (info) => {
    if (conn.idle) { conn.idle = false; socket.setTimeout(server.timeout || 0); }
    const req = new IncomingMessage(socket);
    req.method = info.method;
    req.url = info.url;
    req._setVersion(info.versionMinor);
    req._addHeaders(info.headers);
    req._resume = () => { if (socket.isPaused() && conn.req === req) socket.resume(); };
    const res = new ServerResponse(req);
    const connHeader = String(req.headers.connection || '');
    res.shouldKeepAlive = info.versionMinor >= 1 ? !/(^|,)\s*close\s*(,|$)/i.test(connHeader) : /keep-alive/i.test(connHeader);
    conn.req = req;
    conn.res = res;
    conn.resDone = false;
    res.assignSocket(socket);
    res.on('finish', () => {
      conn.resDone = true;
      process.nextTick(() => { res.emit('close'); if (req.complete) req.emit('close'); });
      if (!res.shouldKeepAlive) { conn.ending = true; socket.end(); return; }
      if (req.complete) nextRequest();
      else req._dump();
    });
    const body = framing(req.headers, false);
    if (/100-continue/i.test(req.headers.expect || '')) {
      if (server.listenerCount('checkContinue')) server.emit('checkContinue', req, res);
      else { res.writeContinue(); server.emit('request', req, res); }
    } else {
      server.emit('request', req, res);
    }
    return body;
  };
  parser.onBody = (chunk) => {
    const req = conn.req;
    if (!req || req._dumped) return;
    if (!req.push(chunk)) socket.pause();
  };
  parser.onComplete = () => {
    const req = conn.req;
    if (!req) return;
    req.complete = true;
    req.push(null);
    // Not from inside the parser's loop: the next head is parsed fresh.
    if (conn.resDone) process.nextTick(nextRequest);
  };
  function clientError(err) {
    if (server.listenerCount('clientError')) { server.emit('clientError', err, socket); return; }
    if (socket.writable && !conn.req) {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    }
    socket.destroy(err);
  }
  socket.on('data', (d) => {
    try { parser.push(d); } catch (e) { clientError(e); }
  });
  socket.on('end', () => {
    const cut = !parser.finish();
    if (cut && conn.req && !conn.req.complete) {
      conn.req.aborted = true;
      conn.req.emit('aborted');
      conn.req.destroy(connReset('aborted'));
    }
    if (conn.resDone) socket.end();
    else conn.ending = true;
  });
  socket.on('error', (e) => { if (!server.emit('clientError', e, socket)) socket.destroy(); });
  socket.on('close', () => {
    const { req, res } = conn;
    if (req && !req.complete && !req.destroyed) { req.aborted = true; req.emit('aborted'); req.destroy(connReset('aborted')); }
    if (res && !res.writableFinished) { res.destroyed = true; res.emit('close'); }
  });
}

class Server extends net.Server {
  constructor(options, requestListener) {
    if (typeof options === 'function') { requestListener = options; options = {}; }
    options = options || {};
    super({ allowHalfOpen: true, noDelay: options.noDelay });
    if (requestListener) this.on('request', requestListener);
    this.on('connection', connectionListener);
    this.timeout = 0;
    this.keepAliveTimeout = 5000;
    this.headersTimeout = 60000;
    this.requestTimeout = 300000;
    this.maxHeadersCount = null;
    this.maxRequestsPerSocket = 0;
    this.httpAllowHalfOpen = false;
  }
  setTimeout(ms, cb) { this.timeout = ms; if (cb) this.on('timeout', cb); return this; }
  closeAllConnections() { for (const s of [...this._connections]) s.destroy(); }
  closeIdleConnections() {
    for (const s of [...this._connections]) if (!s._httpConn || s._httpConn.resDone) s.destroy();
  }
  close(cb) {
    super.close(cb);
    this.closeIdleConnections();
    return this;
  }
}
function createServer(options, listener) { return new Server(options, listener); }

// ---- client -------------------------------------------------------------------------------------
class Agent extends EventEmitter {
  constructor(options = {}) {
    super();
    this.options = { path: null, ...options };
    this.keepAlive = !!options.keepAlive;
    this.keepAliveMsecs = options.keepAliveMsecs || 1000;
    this.maxSockets = options.maxSockets || Infinity;
    this.maxFreeSockets = options.maxFreeSockets || 256;
    this.maxTotalSockets = options.maxTotalSockets || Infinity;
    this.defaultPort = 80;
    this.protocol = 'http:';
    this.sockets = Object.create(null);
    this.freeSockets = Object.create(null);
    this.requests = Object.create(null);
  }
  getName(o = {}) { return `${o.host || 'localhost'}:${o.port || ''}:${o.localAddress || ''}${o.family ? `:${o.family}` : ''}`; }
  createConnection(options, cb) { return net.createConnection(options, cb); }
  keepSocketAlive() { return false; }
  reuseSocket() {}
  destroy() {}
}
const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

function urlToOptions(url) {
  const o = {
    protocol: url.protocol,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    hash: url.hash, search: url.search, pathname: url.pathname,
    path: `${url.pathname || ''}${url.search || ''}`, href: url.href,
  };
  if (url.port !== '') o.port = Number(url.port);
  if (url.username || url.password) o.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return o;
}

const LOCAL = (h) => h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '::1' || h === '0.0.0.0' || h === '::';

class ClientRequest extends OutgoingMessage {
  constructor(input, options, cb) {
    super();
    if (typeof input === 'string') input = urlToOptions(new URL(input));
    else if (input && typeof input === 'object' && input.href && typeof input.searchParams === 'object') input = urlToOptions(input);
    else { cb = options; options = input; input = null; }
    if (typeof options === 'function') { cb = options; options = {}; }
    options = { ...(input || {}), ...(options || {}) };
    const agent = options.agent === undefined ? (options._defaultAgent || globalAgent) : options.agent;
    const defaultPort = options.defaultPort || (agent && agent.defaultPort) || 80;
    const protocol = options.protocol || (agent && agent.protocol) || 'http:';
    const expected = (agent && agent.protocol) || options._expectedProtocol || 'http:';
    if (protocol !== expected) throw errCode('ERR_INVALID_PROTOCOL', `Protocol "${protocol}" not supported. Expected "${expected}"`, TypeError);
    this.agent = agent;
    this.protocol = protocol;
    this.method = String(options.method || 'GET').toUpperCase();
    if (!TOKEN.test(this.method)) throw errCode('ERR_INVALID_HTTP_TOKEN', `Method must be a valid HTTP token ["${options.method}"]`, TypeError);
    this.host = options.hostname || (options.host ? String(options.host).replace(/:\d+$/, '') : 'localhost');
    this.port = Number(options.port) || defaultPort;
    this.path = options.path || '/';
    if (/[\u0000-\u0020]/.test(this.path)) throw errCode('ERR_UNESCAPED_CHARACTERS', 'Request path contains unescaped characters', TypeError);
    this.res = null;
    this.aborted = false;
    this.reusedSocket = false;
    this.maxHeadersCount = null;
    this.timeout = options.timeout;
    this.useChunkedEncodingByDefault = !NO_BODY_METHODS.includes(this.method);
    this.shouldKeepAlive = !!(agent && agent.keepAlive);
    if (this.method === 'HEAD') this._responseHasBody = false;
    const headers = options.headers;
    if (Array.isArray(headers)) for (let i = 0; i < headers.length; i += 2) this.appendHeader(headers[i], headers[i + 1]);
    else if (headers) for (const k of Object.keys(headers)) if (headers[k] !== undefined) this.setHeader(k, headers[k]);
    if (options.setHost !== false && !this.hasHeader('host')) {
      const h = this.host.includes(':') ? `[${this.host}]` : this.host;
      this.setHeader('Host', this.port === defaultPort ? h : `${h}:${this.port}`);
    }
    if (options.auth && !this.hasHeader('authorization')) this.setHeader('Authorization', `Basic ${Buffer.from(options.auth).toString('base64')}`);
    if (cb) this.once('response', cb);
    if (options.timeout !== undefined) this.setTimeout(options.timeout);
    if (options.signal) {
      const onAbort = () => this.destroy(options.signal.reason);
      if (options.signal.aborted) process.nextTick(onAbort);
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
    this._connect(options);
  }
  _connect(options) {
    if (this.protocol === 'https:' && LOCAL(this.host)) {
      const s = new net.Socket();
      this._attach(s);
      process.nextTick(() => s.destroy(internals.notSupported('https: TLS to servers inside the VM')));
      return;
    }
    const copts = { host: this.host, port: this.port };
    if (this.protocol === 'https:') {
      for (const k of ['servername', 'ca', 'rejectUnauthorized']) if (options[k] !== undefined) copts[k] = options[k];
      const ao = (this.agent && this.agent.options) || {};
      for (const k of ['ca', 'rejectUnauthorized']) if (copts[k] === undefined && ao[k] !== undefined) copts[k] = ao[k];
      copts.ALPNProtocols = ['http/1.1'];
    }
    const direct = this.protocol === 'https:' ? (o) => require('tls').connect(o) : (o) => net.createConnection(o);
    const create = options.createConnection || (this.agent && typeof this.agent.createConnection === 'function'
      ? (o) => this.agent.createConnection(o) : direct);
    const s = create(copts);
    this._attach(s);
  }
  _attach(socket) {
    this.socket = socket;
    if (this.timeout) socket.setTimeout(this.timeout);
    const parser = new Parser(false);
    let res = null;
    process.nextTick(() => this.emit('socket', socket));
    parser.onHead = (info) => {
      const m = new IncomingMessage(socket);
      m.statusCode = info.statusCode;
      m.statusMessage = info.statusMessage;
      m._setVersion(info.versionMinor);
      m._addHeaders(info.headers);
      const f = framing(m.headers, true, m.statusCode, this.method);
      if (f && f.info) {
        if (m.statusCode === 100) this.emit('continue');
        else this.emit('information', { statusCode: m.statusCode, statusMessage: m.statusMessage, httpVersion: m.httpVersion, headers: m.headers, rawHeaders: m.rawHeaders });
        return f;
      }
      res = m;
      m.req = this;
      m._resume = () => { if (socket.isPaused()) socket.resume(); };
      this.res = m;
      if (!this.emit('response', m)) m._dump();
      return f;
    };
    parser.onBody = (chunk) => {
      if (!res || res._dumped) return;
      if (!res.push(chunk)) socket.pause();
    };
    parser.onComplete = () => {
      res.complete = true;
      res.push(null);
      // The whole response is buffered in `res`: the connection is done
      // (Node would park it, unref'd, in the agent's pool).
      socket.destroy();
    };
    socket.on('data', (d) => {
      try { parser.push(d); } catch (e) { socket.destroy(e); }
    });
    socket.on('end', () => { parser.finish(); });
    socket.on('timeout', () => this.emit('timeout'));
    socket.on('error', (e) => {
      if (this._errored) return;
      this._errored = true;
      if (res && !res.complete) { res.destroy(e); return; }
      if (!res) this.emit('error', e);
    });
    socket.on('close', () => {
      if (!res) {
        if (!this._errored) { this._errored = true; this.emit('error', connReset('socket hang up')); }
      } else if (!res.complete) {
        res.aborted = true;
        res.emit('aborted');
        res.destroy(connReset('aborted'));
      }
      this.destroyed = true;
      this.emit('close');
    });
  }
  _implicitHeader() { this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`); }
  abort() {
    if (this.aborted) return;
    this.aborted = true;
    process.nextTick(() => this.emit('abort'));
    this._errored = true;
    if (this.socket) this.socket.destroy();
  }
  destroy(err) {
    if (this.destroyed) return this;
    if (err) { this._errored = true; process.nextTick(() => this.emit('error', err)); }
    if (this.socket) this.socket.destroy();
    return this;
  }
  setTimeout(ms, cb) {
    this.timeout = ms;
    if (cb) this.once('timeout', cb);
    if (this.socket) this.socket.setTimeout(ms);
    return this;
  }
  setNoDelay() {}
  setSocketKeepAlive() {}
}

function request(url, options, cb) { return new ClientRequest(url, options, cb); }
function get(url, options, cb) {
  const req = request(url, options, cb);
  req.end();
  return req;
}

module.exports = {
  METHODS, STATUS_CODES, Agent, globalAgent, ClientRequest, IncomingMessage, OutgoingMessage, ServerResponse,
  Server, createServer, request, get, validateHeaderName, validateHeaderValue, maxHeaderSize: MAX_HEADER_SIZE,
  setMaxIdleHTTPParsers() {},
  _local: LOCAL,
};
