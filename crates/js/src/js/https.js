// node:https — outbound clients only. The VM reaches no outside network
// (connections fail with `connect EACCES host:443` from the kernel's
// policy), and there is no TLS for servers inside the VM, so a request to
// one fails with a clear ERR_NOT_SUPPORTED error; `createServer` throws.
'use strict';
const http = require('http');

class Agent extends http.Agent {
  constructor(options) {
    super(options);
    this.defaultPort = 443;
    this.protocol = 'https:';
  }
}
const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

function request(input, options, cb) {
  if (typeof options === 'function') { cb = options; options = undefined; }
  if (typeof input === 'string' || (input && typeof input === 'object' && typeof input.searchParams === 'object')) {
    return new http.ClientRequest(input, { _defaultAgent: globalAgent, ...(options || {}) }, cb);
  }
  return new http.ClientRequest({ _defaultAgent: globalAgent, ...(input || {}) }, cb);
}
function get(input, options, cb) {
  const req = request(input, options, cb);
  req.end();
  return req;
}
function createServer() { throw internals.notSupported('https.createServer (TLS servers)'); }
class Server { constructor() { throw internals.notSupported('https.Server (TLS servers)'); } }

module.exports = { Agent, globalAgent, request, get, createServer, Server };
