//! The `host_net` import module: sockets for guests compiled against the
//! agentOS registry's libc, over the kernel's sockets (the VM's own
//! loopback network, and whatever the kernel lets out). Signatures and the
//! address encoding: `src/abi.md`.
//!
//! Addresses cross the boundary as text, `host:port` (`[v6]:port` for IPv6
//! literals), not as `sockaddr` structs. Every call is a kernel call on the
//! guest's descriptor table, so a `host_net` socket is an ordinary
//! descriptor: `fd_read`/`fd_write`, `poll_oneoff`, `dup` and child
//! processes all see it, and the kernel's permission checks (policy and
//! tier) apply to `connect` and `listen` as they do for every runtime.
//!
//! Analogue: `socket(2)`, `connect(2)`, `bind(2)`, `listen(2)`,
//! `accept4(2)`, `send(2)`, `recv(2)`, `poll(2)`, `getaddrinfo(3)`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use agentos_kernel::abi::{Fd, OFlags};
use agentos_kernel::file::poll as bits;
use agentos_kernel::net::{ConnectError, SockType, TlsClient};
use agentos_kernel::task::PollFd;
use agentos_kernel::{Errno, KResult, Task};
use wasmtime::{Caller, Linker};

use crate::ctx::{Ctx, call};
use crate::mem::GuestMem;

const M: &str = "host_net";

/// `SOCK_STREAM` as Linux (1) and as wasi-libc (6) number it.
const STREAM: [u32; 2] = [1, 6];
/// `SOCK_DGRAM` as Linux (2) and as wasi-libc (5) number it.
const DGRAM: [u32; 2] = [2, 5];
/// Type flags: `SOCK_NONBLOCK` and `SOCK_CLOEXEC`, Linux and wasi-libc.
const NONBLOCK: [u32; 2] = [0o4000, 0x4000];
const CLOEXEC: [u32; 2] = [0o2000000, 0x2000];
/// Address families accepted by `net_socket`: unspecified, `AF_INET`
/// (Linux 2, wasi-libc 1), `AF_INET6` (Linux 10, wasi-libc 2).
const FAMILIES: [u32; 4] = [0, 1, 2, 10];
/// `pollfd.events` bits as wasi-libc defines them.
const POLLIN: u16 = 0x1;
const POLLOUT: u16 = 0x2;
const POLLERR: u16 = 0x1000;
const POLLHUP: u16 = 0x2000;
const POLLNVAL: u16 = 0x4000;
/// Most descriptors one `net_poll` may watch.
const POLL_MAX: u32 = 4096;

/// The host part of a `host:port` / `[v6]:port` string, and the port.
fn split_addr(s: &str) -> KResult<(&str, u16)> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, p) = rest.split_once("]:").ok_or(Errno::EINVAL)?;
        (h, p)
    } else {
        s.rsplit_once(':').ok_or(Errno::EINVAL)?
    };
    Ok((host, port.parse().map_err(|_| Errno::EINVAL)?))
}

/// The addresses of `host` as the kernel resolves them: IP literals,
/// `localhost` and the empty name (the wildcard) locally; other names by
/// the host when the VM's allow-list lets them out (`EACCES` otherwise,
/// `ENOENT` for a name that does not exist).
fn resolve(task: &Task, host: &str) -> KResult<Vec<IpAddr>> {
    if host.is_empty() {
        return Ok(vec![IpAddr::V4(Ipv4Addr::UNSPECIFIED)]);
    }
    task.getaddrinfo(host)
}

/// A local address for `bind`/`sendto`: resolved as [`resolve`] does.
fn sock_addr(task: &Task, mem: &GuestMem<'_>, ptr: i32, len: i32) -> KResult<SocketAddr> {
    let (host, port) = split_addr(mem.str(ptr as u32, len as u32)?)?;
    let ip = *resolve(task, host)?.first().ok_or(Errno::ENOENT)?;
    Ok(SocketAddr::new(ip, port))
}

fn fmt_addr(a: SocketAddr) -> String {
    match a.ip() {
        IpAddr::V4(ip) => format!("{ip}:{}", a.port()),
        IpAddr::V6(ip) => format!("[{ip}]:{}", a.port()),
    }
}

/// Write `s` to a buffer whose capacity is the `u32` at `len_ptr`, and its
/// length back there. `ENOBUFS` (length still set) when it does not fit.
fn put_str(mem: &mut GuestMem<'_>, buf: i32, len_ptr: i32, s: &str) -> KResult<()> {
    let cap = mem.read_u32(len_ptr as u32)?;
    let n = u32::try_from(s.len()).map_err(|_| Errno::ENOBUFS)?;
    mem.write_u32(len_ptr as u32, n)?;
    if n > cap {
        return Err(Errno::ENOBUFS);
    }
    mem.write(buf as u32, s.as_bytes())
}

fn socket(task: &Task, domain: u32, ty: u32) -> KResult<Fd> {
    if !FAMILIES.contains(&domain) {
        return Err(Errno::EAFNOSUPPORT);
    }
    let base = ty & 0xff;
    let kind = if STREAM.contains(&base) {
        SockType::Stream
    } else if DGRAM.contains(&base) {
        SockType::Dgram
    } else {
        return Err(Errno::EPROTONOSUPPORT);
    };
    let mut flags = 0;
    if NONBLOCK.iter().any(|b| ty & b != 0) {
        flags |= OFlags::NONBLOCK.0;
    }
    if CLOEXEC.iter().any(|b| ty & b != 0) {
        flags |= OFlags::CLOEXEC.0;
    }
    task.socket(kind, OFlags(flags))
}

/// `poll(2)` over 8-byte `{fd: i32, events: i16, revents: i16}` records.
fn poll(mem: &mut GuestMem<'_>, task: &Task, ptr: u32, n: u32, timeout_ms: i32) -> KResult<u32> {
    if n > POLL_MAX {
        return Err(Errno::EINVAL);
    }
    let mut fds = Vec::with_capacity(n as usize);
    for i in 0..n {
        let at = ptr.checked_add(i * 8).ok_or(Errno::EFAULT)?;
        let fd = mem.read_u32(at)? as i32;
        let ev = mem.read_u16(at + 4)?;
        let mut events = 0;
        if ev & POLLIN != 0 {
            events |= bits::IN;
        }
        if ev & POLLOUT != 0 {
            events |= bits::OUT;
        }
        fds.push(PollFd { fd, events, revents: 0 });
    }
    let timeout = (timeout_ms >= 0).then(|| Duration::from_millis(timeout_ms as u64));
    // Negative descriptors are skipped, as poll(2) does.
    let mut live: Vec<PollFd> =
        fds.iter().filter(|p| p.fd >= 0).map(|p| PollFd { fd: p.fd, events: p.events, revents: 0 }).collect();
    if live.is_empty() {
        task.sleep(timeout.unwrap_or(Duration::MAX))?;
    } else {
        task.poll(&mut live, timeout)?;
    }
    let mut ready = 0;
    let mut it = live.iter();
    for (i, p) in fds.iter().enumerate() {
        let rev = if p.fd < 0 { 0 } else { it.next().map(|q| q.revents).unwrap_or(0) };
        let mut out = 0u16;
        for (k, w) in [(bits::IN, POLLIN), (bits::OUT, POLLOUT), (bits::ERR, POLLERR), (bits::HUP, POLLHUP)] {
            if rev & k != 0 {
                out |= w;
            }
        }
        if rev & 0x20 != 0 {
            out |= POLLNVAL;
        }
        if out != 0 {
            ready += 1;
        }
        mem.write_u16(ptr + i as u32 * 8 + 6, out)?;
    }
    Ok(ready)
}

/// `net_tls_connect`: make connected socket `fd` a TLS client of
/// `server_name`. The kernel's TLS (done by the host, over an outbound
/// connection) is chosen when connecting, so the plain connection is
/// replaced by a new one to the same port with TLS, checked against the
/// VM's roots, installed at the same descriptor. `EOPNOTSUPP` for the VM's
/// own servers (no TLS inside the VM); `ECONNREFUSED` for a certificate the
/// host rejects.
fn tls_connect(task: &Task, fd: Fd, server_name: &str) -> KResult<()> {
    let port = task.getpeername(fd)?.port();
    let flags = task.get_flags(fd)?;
    let nfd = task.socket(SockType::Stream, OFlags(0))?;
    let tls = TlsClient { server_name: server_name.to_string(), verify: true, ..Default::default() };
    let r = task.connect_name_tls(nfd, server_name, port, &tls).map_err(|e| match e {
        ConnectError::Sys(e) => e,
        ConnectError::Tls { .. } => Errno::ECONNREFUSED,
    });
    if let Err(e) = r {
        let _ = task.close(nfd);
        return Err(e);
    }
    task.dup2(nfd, fd)?;
    let _ = task.close(nfd);
    task.set_flags(fd, flags)
}

pub fn add(l: &mut Linker<Ctx>) -> wasmtime::Result<()> {
    l.func_wrap(M, "net_socket", |mut c: Caller<'_, Ctx>, domain: i32, ty: i32, _proto: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let fd = socket(&ctx.task, domain as u32, ty as u32)?;
            mem.write_u32(out as u32, fd as u32)
        })
    })?;
    l.func_wrap(M, "net_set_nonblock", |mut c: Caller<'_, Ctx>, fd: i32, on: i32| {
        call(&mut c, |_, ctx| {
            let f = ctx.task.get_flags(fd)?;
            let f = if on != 0 { f | OFlags::NONBLOCK } else { OFlags(f.0 & !OFlags::NONBLOCK.0) };
            ctx.task.set_flags(fd, f)
        })
    })?;
    l.func_wrap(M, "net_connect", |mut c: Caller<'_, Ctx>, fd: i32, ap: i32, al: i32| {
        call(&mut c, |mem, ctx| {
            let (host, port) = split_addr(mem.str(ap as u32, al as u32)?)?;
            // A name goes to the kernel as a name, so that the allow-list
            // judges it and the address connected to is one it resolved.
            ctx.task.connect_name(fd, host, port).map(|_| ())
        })
    })?;
    l.func_wrap(M, "net_bind", |mut c: Caller<'_, Ctx>, fd: i32, ap: i32, al: i32| {
        call(&mut c, |mem, ctx| ctx.task.bind(fd, sock_addr(&ctx.task, mem, ap, al)?))
    })?;
    l.func_wrap(
        M,
        "net_sendto",
        |mut c: Caller<'_, Ctx>, fd: i32, bp: i32, bl: i32, _flags: i32, ap: i32, al: i32, out: i32| {
            call(&mut c, |mem, ctx| {
                let to = if al == 0 { None } else { Some(sock_addr(&ctx.task, mem, ap, al)?) };
                let n = ctx.task.sendto(fd, mem.slice(bp as u32, bl as u32)?, to)?;
                mem.write_u32(out as u32, n as u32)
            })
        },
    )?;
    l.func_wrap(
        M,
        "net_recvfrom",
        |mut c: Caller<'_, Ctx>, fd: i32, bp: i32, bl: i32, _flags: i32, out: i32, ap: i32, alp: i32| {
            call(&mut c, |mem, ctx| {
                let (n, from) = ctx.task.recvfrom(fd, mem.slice_mut(bp as u32, bl as u32)?)?;
                mem.write_u32(out as u32, n as u32)?;
                put_str(mem, ap, alp, &fmt_addr(from))
            })
        },
    )?;
    l.func_wrap(M, "net_listen", |mut c: Caller<'_, Ctx>, fd: i32, backlog: i32| {
        call(&mut c, |_, ctx| ctx.task.listen(fd, backlog.clamp(1, 4096) as usize))
    })?;
    l.func_wrap(M, "net_accept", |mut c: Caller<'_, Ctx>, fd: i32, out: i32, ap: i32, alp: i32| {
        call(&mut c, |mem, ctx| {
            let (nfd, peer) = ctx.task.accept(fd, OFlags(0))?;
            mem.write_u32(out as u32, nfd as u32)?;
            if ap != 0 && alp != 0 {
                // A too-small address buffer truncates nothing silently:
                // the connection is kept and the length tells the size.
                let s = fmt_addr(peer);
                let cap = mem.read_u32(alp as u32)? as usize;
                let n = s.len().min(cap);
                mem.write(ap as u32, &s.as_bytes()[..n])?;
                mem.write_u32(alp as u32, s.len() as u32)?;
            }
            Ok(())
        })
    })?;
    l.func_wrap(M, "net_send", |mut c: Caller<'_, Ctx>, fd: i32, bp: i32, bl: i32, _flags: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let n = ctx.task.write(fd, mem.slice(bp as u32, bl as u32)?)?;
            mem.write_u32(out as u32, n as u32)
        })
    })?;
    l.func_wrap(M, "net_recv", |mut c: Caller<'_, Ctx>, fd: i32, bp: i32, bl: i32, _flags: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let n = ctx.task.read(fd, mem.slice_mut(bp as u32, bl as u32)?)?;
            mem.write_u32(out as u32, n as u32)
        })
    })?;
    l.func_wrap(M, "net_close", |mut c: Caller<'_, Ctx>, fd: i32| call(&mut c, |_, ctx| ctx.task.close(fd)))?;
    l.func_wrap(M, "net_shutdown", |mut c: Caller<'_, Ctx>, fd: i32, how: i32| {
        call(&mut c, |_, ctx| match how {
            0 => ctx.task.shutdown(fd, true, false),
            1 => ctx.task.shutdown(fd, false, true),
            2 => ctx.task.shutdown(fd, true, true),
            _ => Err(Errno::EINVAL),
        })
    })?;
    l.func_wrap(M, "net_getsockname", |mut c: Caller<'_, Ctx>, fd: i32, bp: i32, lp: i32| {
        call(&mut c, |mem, ctx| {
            let a = ctx.task.getsockname(fd)?;
            put_str(mem, bp, lp, &fmt_addr(a))
        })
    })?;
    l.func_wrap(M, "net_getpeername", |mut c: Caller<'_, Ctx>, fd: i32, bp: i32, lp: i32| {
        call(&mut c, |mem, ctx| {
            let a = ctx.task.getpeername(fd)?;
            put_str(mem, bp, lp, &fmt_addr(a))
        })
    })?;
    l.func_wrap(
        M,
        "net_getaddrinfo",
        |mut c: Caller<'_, Ctx>, hp: i32, hl: i32, pp: i32, pl: i32, family: i32, bp: i32, lp: i32| {
            call(&mut c, |mem, ctx| {
                let host = mem.str(hp as u32, hl as u32)?.to_string();
                let port = mem.str(pp as u32, pl as u32)?;
                let port: u16 = if port.is_empty() { 0 } else { port.parse().map_err(|_| Errno::EINVAL)? };
                let ips = resolve(&ctx.task, &host)?;
                let list: Vec<String> = ips
                    .into_iter()
                    .filter(|ip| match family {
                        4 => ip.is_ipv4(),
                        6 => ip.is_ipv6(),
                        _ => true,
                    })
                    .map(|ip| fmt_addr(SocketAddr::new(ip, port)))
                    .collect();
                if list.is_empty() {
                    return Err(Errno::ENOENT);
                }
                put_str(mem, bp, lp, &list.join("\n"))
            })
        },
    )?;
    l.func_wrap(
        M,
        "net_setsockopt",
        |mut c: Caller<'_, Ctx>, fd: i32, _level: i32, _name: i32, _vp: i32, _vl: i32| {
            // The loopback network has no tunables: options are accepted
            // (SO_REUSEADDR, TCP_NODELAY, SO_KEEPALIVE …) and have no effect.
            call(&mut c, |_, ctx| ctx.task.getsockname(fd).map(|_| ()))
        },
    )?;
    l.func_wrap(M, "net_poll", |mut c: Caller<'_, Ctx>, fp: i32, n: i32, timeout: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let k = poll(mem, &ctx.task, fp as u32, n as u32, timeout)?;
            mem.write_u32(out as u32, k)
        })
    })?;
    l.func_wrap(M, "net_tls_connect", |mut c: Caller<'_, Ctx>, fd: i32, hp: i32, hl: i32| {
        call(&mut c, |mem, ctx| {
            let name = mem.str(hp as u32, hl as u32)?.to_string();
            tls_connect(&ctx.task, fd, &name)
        })
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_and_print() {
        assert_eq!(split_addr("127.0.0.1:80"), Ok(("127.0.0.1", 80)));
        assert_eq!(split_addr("[::1]:8080"), Ok(("::1", 8080)));
        assert_eq!(split_addr("localhost:0"), Ok(("localhost", 0)));
        assert_eq!(split_addr("nocolon"), Err(Errno::EINVAL));
        assert_eq!(split_addr("h:99999"), Err(Errno::EINVAL));
        assert_eq!(fmt_addr("[::1]:5".parse().unwrap()), "[::1]:5");
    }
}
