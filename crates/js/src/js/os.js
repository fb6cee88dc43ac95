// node:os — the VM's view: hostname, linux/x64, the user's home, tmpdir,
// 2 CPUs, memory figures from the VM's limits.
'use strict';
const constants = { signals: { ...internals.signals }, errno: { ENOENT: 2, EACCES: 13, EEXIST: 17, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, EPIPE: 32, ENOTEMPTY: 39 }, priority: { PRIORITY_LOW: 19, PRIORITY_NORMAL: 0, PRIORITY_HIGH: -7 }, UV_UDP_REUSEADDR: 4, dlopen: {} };
const cpu = { model: 'agentOS virtual CPU', speed: 2000, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } };
module.exports = {
  EOL: '\n', devNull: '/dev/null', constants,
  hostname: () => ops.hostname(),
  platform: () => 'linux', type: () => 'Linux', arch: () => 'x64', machine: () => 'x86_64', release: () => '6.1.0-agentos',
  version: () => '#1 SMP agentOS', endianness: () => 'LE',
  homedir: () => process.env.HOME || '/home/user',
  tmpdir: () => { const t = process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp'; return t.length > 1 && t.endsWith('/') ? t.slice(0, -1) : t; },
  cpus: () => [{ ...cpu }, { ...cpu }], availableParallelism: () => 2,
  totalmem: () => 1073741824, freemem: () => 805306368, loadavg: () => [0, 0, 0], uptime: () => Math.floor(process.uptime()),
  networkInterfaces: () => ({ lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] }),
  userInfo: (o) => ({ uid: process.getuid(), gid: process.getgid(), username: process.env.USER || 'user', homedir: process.env.HOME || '/home/user', shell: process.env.SHELL || '/bin/sh' }),
  getPriority: () => 0, setPriority: () => {},
};
