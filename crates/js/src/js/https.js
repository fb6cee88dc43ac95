// node:https — outbound clients only: requests to hosts the VM's network
// allow-list opens run over `tls.connect` (TLS done by the host, certificates
// checked against Mozilla's roots, the VM's `tls_roots`, or the request's
// own `ca`). There is no TLS for servers inside the VM: a request to one
// fails with ERR_NOT_SUPPORTED; `createServer` throws.
'use strict';
const http = require('http');

class Agent extends http.Agent {
  constructor(options) {
    super(options);
    this.defaultPort = 443;
    this.protocol = 'https:';
  }
  createConnection(options, cb) { return require('tls').connect(options, cb); }
}
const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

// What makes a ClientRequest an https one, with or without an agent.
const HTTPS = { _defaultAgent: globalAgent, _expectedProtocol: 'https:', defaultPort: 443 };
function request(input, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  if (typeof input === 'string' || (input && typeof input === 'object' && typeof input.searchParams === 'object')) {
    return new http.ClientRequest(input, { ...HTTPS, ...(options || {}) }, cb);
  }
  return new http.ClientRequest({ ...HTTPS, ...(input || {}) }, cb);
}
function get(input, options, cb) {
  const req = request(input, options, cb);
  req.end();
  return req;
}
function createServer() { throw internals.notSupported('https.createServer (TLS servers)'); }
class Server { constructor() { throw internals.notSupported('https.Server (TLS servers)'); } }

module.exports = { Agent, globalAgent, request, get, createServer, Server };
