// node:tls — outbound only and denied: `tls.connect` to an outside host
// fails like any connection leaving the VM (`connect EACCES host:port`),
// to a server inside the VM with ERR_NOT_SUPPORTED (there is no TLS
// engine); servers throw ERR_NOT_SUPPORTED.
'use strict';
const net = require('net');
const http = require('http');

class TLSSocket extends net.Socket {
  constructor(socket, options) { super(options); this.encrypted = true; this.authorized = false; }
  getPeerCertificate() { return {}; }
  getCipher() { return null; }
  getProtocol() { return null; }
}
function connect(...args) {
  const [options, cb] = net._normalizeArgs(args);
  if (typeof args[1] === 'object' && args[1]) Object.assign(options, args[1], { port: options.port, host: options.host });
  const host = options.host || 'localhost';
  const s = new TLSSocket(null, options);
  if (cb) s.once('secureConnect', cb);
  if (http._local(host)) {
    process.nextTick(() => s.destroy(internals.notSupported('tls.connect: TLS to servers inside the VM')));
    return s;
  }
  return s.connect({ host, port: options.port });
}
const unsupported = (what) => () => { throw internals.notSupported(`tls.${what} (TLS servers)`); };
module.exports = {
  TLSSocket, connect,
  createServer: unsupported('createServer'),
  Server: class Server { constructor() { throw internals.notSupported('tls.Server (TLS servers)'); } },
  createSecureContext: () => ({ context: {} }),
  checkServerIdentity: () => undefined,
  getCiphers: () => ['aes128-gcm-sha256', 'aes256-gcm-sha384'],
  rootCertificates: [],
  DEFAULT_MIN_VERSION: 'TLSv1.2', DEFAULT_MAX_VERSION: 'TLSv1.3', DEFAULT_ECDH_CURVE: 'auto',
  DEFAULT_CIPHERS: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256',
};
