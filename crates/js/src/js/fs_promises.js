// node:fs/promises — the fs calls as promises (completed on the event
// loop), FileHandle, and the promise forms of watch/readdir/opendir.
'use strict';
const fs = require('fs');
const { Buffer } = require('buffer');

function wrap(sync) {
  return (...args) => new Promise((resolve, reject) => {
    let r, err = null;
    try { r = sync(...args); } catch (e) { err = e; }
    internals.defer(() => (err ? reject(err) : resolve(r)));
  });
}
class FileHandle extends require('events') {
  constructor(fd) { super(); this.fd = fd; }
  getAsyncId() { return this.fd; }
  async read(buffer, offset, length, position) {
    if (buffer === undefined || (buffer && !ArrayBuffer.isView(buffer))) {
      const o = buffer || {};
      buffer = o.buffer || Buffer.alloc(16384);
      offset = o.offset || 0; length = o.length === undefined ? buffer.length - offset : o.length; position = o.position;
    }
    const bytesRead = fs.readSync(this.fd, buffer, offset, length, position);
    return { bytesRead, buffer };
  }
  async readFile(options) { return fs.readFileSync(this.fd, options); }
  async write(data, ...rest) { const bytesWritten = fs.writeSync(this.fd, data, ...rest); return { bytesWritten, buffer: data }; }
  async writeFile(data, options) { fs.writeSync(this.fd, typeof data === 'string' ? Buffer.from(data, (options && options.encoding) || options || 'utf8') : data); }
  async appendFile(data, options) { return this.writeFile(data, options); }
  async stat(opts) { return fs.fstatSync(this.fd, opts); }
  async truncate(len) { fs.ftruncateSync(this.fd, len); }
  async sync() { fs.fsyncSync(this.fd); }
  async datasync() { fs.fsyncSync(this.fd); }
  async chmod(mode) { fs.fchmodSync(this.fd, mode); }
  async close() { if (this.fd !== -1) { fs.closeSync(this.fd); this.fd = -1; this.emit('close'); } }
  async *readLines() { yield* require('readline').createInterface({ input: this.createReadStream(), crlfDelay: Infinity }); }
  createReadStream(o) { return fs.createReadStream(null, { ...o, fd: this.fd }); }
  createWriteStream(o) { return fs.createWriteStream(null, { ...o, fd: this.fd }); }
  readableWebStream() { throw internals.notSupported('FileHandle.readableWebStream'); }
  [Symbol.asyncDispose || Symbol.for('asyncDispose')]() { return this.close(); }
}
const p = {};
for (const name of ['access', 'appendFile', 'chmod', 'chown', 'copyFile', 'cp', 'lchown', 'link', 'lstat', 'lutimes',
  'mkdir', 'mkdtemp', 'readdir', 'readFile', 'readlink', 'realpath', 'rename', 'rm', 'rmdir', 'stat', 'statfs',
  'symlink', 'truncate', 'unlink', 'utimes', 'writeFile']) {
  p[name] = wrap(fs[name + 'Sync']);
}
p.open = wrap((path, flags, mode) => new FileHandle(fs.openSync(path, flags, mode)));
p.opendir = wrap((path) => fs.opendirSync(path));
p.writeFile = wrap((path, data, options) => (path instanceof FileHandle ? fs.writeSync(path.fd, data) && undefined : fs.writeFileSync(path, data, options)));
p.readFile = wrap((path, options) => fs.readFileSync(path instanceof FileHandle ? path.fd : path, options));
p.constants = fs.constants;
p.FileHandle = FileHandle;
p.watch = async function* watch(path, options = {}) {
  const queue = [];
  let wake = null;
  const w = fs.watch(path, options, (eventType, filename) => {
    queue.push({ eventType, filename });
    if (wake) { const f = wake; wake = null; f(); }
  });
  if (options.signal) options.signal.addEventListener('abort', () => { w.close(); if (wake) wake(); });
  try {
    for (;;) {
      while (queue.length) yield queue.shift();
      if (options.signal && options.signal.aborted) {
        const e = new Error('The operation was aborted');
        e.name = 'AbortError';
        e.code = 'ABORT_ERR';
        throw e;
      }
      await new Promise((r) => { wake = r; });
    }
  } finally { w.close(); }
};
p.glob = async function* glob(pattern, o) { yield* fs.globSync(pattern, o); };
module.exports = p;
