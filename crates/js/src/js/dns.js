// node:dns — `lookup` answers IP literals and `localhost` (the VM's own
// loopback) itself; other names are resolved by the host when the VM's
// network allow-list allows them (`getaddrinfo EACCES name` otherwise,
// `getaddrinfo ENOTFOUND name` when they do not exist). `resolve`,
// `resolve4` and `resolve6` answer the same way; the other record types
// (MX, TXT, …: raw DNS queries) have no server to ask: ENOTFOUND.
'use strict';
const net = require('net');

function notFound(syscall, hostname) {
  const e = new Error(`${syscall} ENOTFOUND ${hostname}`);
  Object.assign(e, { errno: -3008, code: 'ENOTFOUND', syscall, hostname });
  return e;
}
// [{ address, family }] or throws the lookup's error.
function addresses(hostname, family) {
  const f = net.isIP(hostname);
  if (f) return [{ address: hostname, family: f }];
  const h = String(hostname).toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) {
    const v4 = { address: '127.0.0.1', family: 4 };
    const v6 = { address: '::1', family: 6 };
    return family === 6 ? [v6] : family === 4 ? [v4] : [v4, v6];
  }
  if (!h) throw notFound('getaddrinfo', hostname);
  const all = ops.lookup(h).map(([address, fam]) => ({ address, family: fam }));
  const list = family ? all.filter((a) => a.family === family) : all;
  if (!list.length) throw notFound('getaddrinfo', hostname);
  return list;
}
function lookup(hostname, options, callback) {
  if (typeof options === 'function') { callback = options; options = {}; }
  if (typeof callback !== 'function') {
    const e = new TypeError(`The "callback" argument must be of type function. Received ${require('util').inspect(callback)}`);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  if (typeof options === 'number') options = { family: options };
  options = options || {};
  const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family) || 0;
  let list;
  try { list = addresses(hostname, family); } catch (e) {
    if (e.code === 'EACCES') e.hostname = hostname;
    process.nextTick(callback, e);
    return {};
  }
  if (options.all) process.nextTick(callback, null, list);
  else process.nextTick(callback, null, list[0].address, list[0].family);
  return {};
}
function query(syscall) {
  return function resolve(hostname, rrtype, cb) {
    if (typeof rrtype === 'function') cb = rrtype;
    process.nextTick(cb, notFound(syscall, hostname));
    return {};
  };
}
const RESOLVERS = { resolve: 'queryA', resolve4: 'queryA', resolve6: 'queryAaaa', resolveAny: 'queryAny',
  resolveCname: 'queryCname', resolveMx: 'queryMx', resolveNs: 'queryNs', resolveTxt: 'queryTxt',
  resolveSrv: 'querySrv', resolvePtr: 'queryPtr', resolveNaptr: 'queryNaptr', resolveSoa: 'querySoa',
  resolveCaa: 'queryCaa', reverse: 'getHostByAddr' };

// resolve4/resolve6 (and resolve with A/AAAA) answer from the host's
// resolver like lookup: arrays of address strings.
function resolveAddrs(syscall, family) {
  return function resolve(hostname, rrtype, cb) {
    if (typeof rrtype === 'function') { cb = rrtype; rrtype = undefined; }
    const fam = family || (rrtype === 'AAAA' ? 6 : rrtype === undefined || rrtype === 'A' ? 4 : 0);
    if (!fam) { process.nextTick(cb, notFound(syscall, hostname)); return {}; }
    let list;
    try { list = addresses(hostname, fam); } catch (e) {
      const err = e.code === 'ENOTFOUND' ? notFound(fam === 6 ? 'queryAaaa' : 'queryA', hostname) : e;
      if (err.code === 'EACCES') { err.syscall = fam === 6 ? 'queryAaaa' : 'queryA'; err.hostname = hostname; }
      process.nextTick(cb, err);
      return {};
    }
    process.nextTick(cb, null, list.map((a) => a.address));
    return {};
  };
}

const dns = {
  lookup,
  lookupService(address, port, cb) { process.nextTick(cb, null, address === '127.0.0.1' || address === '::1' ? 'localhost' : address, String(port)); },
  getServers: () => [],
  setServers() {},
  setDefaultResultOrder() {},
  getDefaultResultOrder: () => 'verbatim',
  ADDRCONFIG: 1024, V4MAPPED: 2048, ALL: 256,
  NODATA: 'ENODATA', NOTFOUND: 'ENOTFOUND', SERVFAIL: 'ESERVFAIL', CONNREFUSED: 'ECONNREFUSED', TIMEOUT: 'ETIMEOUT',
};
for (const [k, sys] of Object.entries(RESOLVERS)) dns[k] = query(sys);
dns.resolve = resolveAddrs('queryA', 0);
dns.resolve4 = resolveAddrs('queryA', 4);
dns.resolve6 = resolveAddrs('queryAaaa', 6);
class Resolver {
  cancel() {}
  getServers() { return []; }
  setServers() {}
  setLocalAddress() {}
}
for (const k of Object.keys(RESOLVERS)) Resolver.prototype[k] = dns[k];
dns.Resolver = Resolver;

const promisify = (fn) => (...args) => new Promise((resolve, reject) => {
  fn(...args, (err, a, b) => (err ? reject(err) : resolve(b === undefined ? a : { address: a, family: b })));
});
const promises = {
  lookup: (hostname, options) => new Promise((resolve, reject) => {
    lookup(hostname, options || {}, (err, address, family) => {
      if (err) reject(err);
      else resolve(Array.isArray(address) ? address : { address, family });
    });
  }),
  lookupService: (address, port) => new Promise((resolve) => {
    dns.lookupService(address, port, (err, hostname, service) => resolve({ hostname, service }));
  }),
  getServers: () => [],
  setServers() {},
  setDefaultResultOrder() {},
  Resolver,
};
for (const k of Object.keys(RESOLVERS)) promises[k] = promisify(dns[k]);
dns.promises = promises;
module.exports = dns;
