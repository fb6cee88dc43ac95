// node:tls — clients only. `tls.connect` to a host the VM's network
// allow-list opens: the host makes the connection and runs the TLS
// handshake (rustls), the socket carries plaintext, and a certificate the
// roots don't vouch for fails like Node (`unable to verify the first
// certificate`, code UNABLE_TO_VERIFY_LEAF_SIGNATURE). TLS to servers
// inside the VM, over an existing socket, and TLS servers are
// ERR_NOT_SUPPORTED.
'use strict';
const net = require('net');
const http = require('http');

class TLSSocket extends net.Socket {
  constructor(socket, options) {
    super(options);
    if (socket) throw internals.notSupported('tls.TLSSocket over an existing socket');
    this.encrypted = true;
    this.authorized = false;
    this.authorizationError = null;
    this.alpnProtocol = false;
  }
  getPeerCertificate() { return {}; }
  getCipher() { return null; }
  getProtocol() { return null; }
  setServername() {}
}
function connect(...args) {
  const [options, cb] = net._normalizeArgs(args);
  if (typeof args[1] === 'object' && args[1]) Object.assign(options, args[1], { port: options.port, host: options.host });
  if (options.socket) throw internals.notSupported('tls.connect over an existing socket (options.socket)');
  const host = options.host || 'localhost';
  const s = new TLSSocket(null, options);
  if (cb) s.once('secureConnect', cb);
  if (http._local(host)) {
    process.nextTick(() => s.destroy(internals.notSupported('tls.connect: TLS to servers inside the VM')));
    return s;
  }
  const list = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]).map(String);
  const verify = options.rejectUnauthorized !== false;
  s._tlsOptions = {
    servername: options.servername || (net.isIP(host) ? '' : host),
    ca: list(options.ca),
    rejectUnauthorized: verify,
    ALPNProtocols: list(options.ALPNProtocols),
  };
  s.once('connect', () => {
    s.authorized = verify;
    s.emit('secureConnect');
  });
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
