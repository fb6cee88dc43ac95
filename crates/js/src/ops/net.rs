//! Socket ops for `net`, `http` and `fetch`: non-blocking stream sockets
//! on the VM's virtual network (`listen`, `accept`, `connect`, reads and
//! writes that report `EAGAIN` as "nothing now", half-close), plus the
//! HTTP/1.1 head and chunk-size parsers the JS `http` module uses.
//!
//! Every socket is opened `O_NONBLOCK | O_CLOEXEC`; the event loop learns
//! readiness through `poll` watchers (`bootstrap.js`). Writes go straight
//! to the socket's stream, as `send(fd, buf, MSG_NOSIGNAL)` does: a peer
//! that went away is an `EPIPE` error for the writer, never a `SIGPIPE`
//! that would kill the process (Node ignores `SIGPIPE` too).
//!
//! Analogue: libuv's `uv_tcp_*` and `uv_read_start`/`uv_write`, Node's
//! `tcp_wrap`, and llhttp (as far as `http` needs it).

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use agentos_kernel::abi::{Errno, OFlags};
use agentos_kernel::net::{ConnectError, SockType, TlsClient};
use agentos_kernel::task::Task;
use rquickjs::{Ctx, Exception, Object, TypedArray, Value};

use super::error::{NetCall, throw_net};
use super::{def, with_task};
use crate::bytes_unsafe;

/// Resolve what `net` accepts as a host without DNS: IP literals (IPv6
/// optionally in brackets) and `localhost` (the VM's loopback).
fn resolve(host: &str) -> Option<IpAddr> {
    agentos_kernel::task::literal_addr(host)
}

fn family(ip: &IpAddr) -> &'static str {
    if ip.is_ipv4() { "IPv4" } else { "IPv6" }
}

fn new_socket(t: &Task) -> Result<i32, Errno> {
    t.socket(SockType::Stream, OFlags::NONBLOCK | OFlags::CLOEXEC)
}

/// Set `address`/`family`/`port` (with `prefix`, e.g. `remoteAddress`).
fn set_addr(o: &Object<'_>, prefix: &str, a: &SocketAddr) -> rquickjs::Result<()> {
    let key = |k: &str| if prefix.is_empty() { k.to_ascii_lowercase() } else { format!("{prefix}{k}") };
    o.set(key("Address"), a.ip().to_string())?;
    o.set(key("Family"), family(&a.ip()))?;
    o.set(key("Port"), a.port())?;
    Ok(())
}

/// `socket` + `bind` + `listen`. `host` empty means every address (`::`,
/// as Node binds by default). Returns `{ fd, address, family, port }`.
fn op_listen<'js>(ctx: Ctx<'js>, host: String, port: i32, backlog: i32) -> rquickjs::Result<Object<'js>> {
    let shown = if host.is_empty() { "::".to_string() } else { host.clone() };
    let port = u16::try_from(port).unwrap_or(0);
    let fail =
        |e: Errno| throw_net(&ctx, e, &NetCall { syscall: "listen", address: Some(&shown), port, with_text: true });
    let ip = if host.is_empty() { Some(IpAddr::V6(Ipv6Addr::UNSPECIFIED)) } else { resolve(&host) };
    let ip = ip.ok_or_else(|| fail(Errno::EADDRNOTAVAIL))?;
    let r = with_task(|t| -> Result<(i32, SocketAddr), Errno> {
        let fd = new_socket(t)?;
        let setup = || -> Result<SocketAddr, Errno> {
            t.bind(fd, SocketAddr::new(ip, port))?;
            t.listen(fd, backlog.max(1) as usize)?;
            t.getsockname(fd)
        };
        match setup() {
            Ok(a) => Ok((fd, a)),
            Err(e) => {
                let _ = t.close(fd);
                Err(e)
            }
        }
    });
    let (fd, addr) = r.map_err(fail)?;
    let o = Object::new(ctx.clone())?;
    o.set("fd", fd)?;
    set_addr(&o, "", &addr)?;
    Ok(o)
}

/// Take one pending connection of a listening socket: `null` when none is
/// waiting, else `{ fd, remoteAddress, remoteFamily, remotePort,
/// localAddress, localFamily, localPort }`.
fn op_accept<'js>(ctx: Ctx<'js>, fd: i32) -> rquickjs::Result<Value<'js>> {
    let r = with_task(|t| -> Result<(i32, SocketAddr, SocketAddr), Errno> {
        let (c, peer) = t.accept(fd, OFlags::NONBLOCK | OFlags::CLOEXEC)?;
        let local = t.getsockname(c)?;
        Ok((c, peer, local))
    });
    match r {
        Ok((c, peer, local)) => {
            let o = Object::new(ctx.clone())?;
            o.set("fd", c)?;
            set_addr(&o, "remote", &peer)?;
            set_addr(&o, "local", &local)?;
            Ok(o.into_value())
        }
        Err(Errno::EAGAIN) => Ok(Value::new_null(ctx)),
        Err(e) => Err(throw_net(&ctx, e, &NetCall { syscall: "accept", address: None, port: 0, with_text: false })),
    }
}

/// `socket` + `connect` to `host:port`: the VM's own addresses on its
/// virtual network, other names and addresses through the kernel's egress
/// (the allow-list; resolution by the host). Returns the connected socket
/// (as [`op_accept`] describes it) or throws `connect ECONNREFUSED
/// 127.0.0.1:3001`, `connect EACCES example.com:443`, `getaddrinfo
/// ENOTFOUND nope.example`. A connection leaving the VM is started in the
/// background instead: `{ fd, pending: true }`, finished by
/// [`op_connect_finish`] once the socket polls writable.
fn op_connect<'js>(ctx: Ctx<'js>, host: String, port: i32) -> rquickjs::Result<Object<'js>> {
    connect(ctx, host, port, None)
}

/// `tls.connect` to an outside host: [`op_connect`] plus a TLS handshake
/// the host does (`opts`: `servername`, `ca` (PEM strings),
/// `rejectUnauthorized`, `ALPNProtocols`); the socket then carries
/// plaintext. Certificate failures throw Node's errors
/// (`unable to verify the first certificate`, code
/// `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, …).
fn op_connect_tls<'js>(ctx: Ctx<'js>, host: String, port: i32, opts: Object<'js>) -> rquickjs::Result<Object<'js>> {
    let servername: Option<String> = opts.get("servername")?;
    let ca: Option<Vec<String>> = opts.get("ca")?;
    let reject: Option<bool> = opts.get("rejectUnauthorized")?;
    let alpn: Option<Vec<String>> = opts.get("ALPNProtocols")?;
    let tls = TlsClient {
        server_name: servername.filter(|s| !s.is_empty()).unwrap_or_else(|| host.clone()),
        ca_pem: ca.unwrap_or_default().into_iter().map(String::into_bytes).collect(),
        verify: reject.unwrap_or(true),
        alpn: alpn.unwrap_or_default().into_iter().map(String::into_bytes).collect(),
    };
    connect(ctx, host, port, Some(tls))
}

fn connect<'js>(ctx: Ctx<'js>, host: String, port: i32, tls: Option<TlsClient>) -> rquickjs::Result<Object<'js>> {
    let port = u16::try_from(port).unwrap_or(0);
    let ip = resolve(&host);
    let shown = ip.map(|i| i.to_string()).unwrap_or_else(|| host.clone());
    let outside = !ip.is_some_and(|i| agentos_kernel::net::is_local(&i));
    if outside {
        // Resolution and the connection run in the kernel's background;
        // `connectFinish` tells the outcome once the socket is writable.
        let r = with_task(|t| -> Result<i32, Errno> {
            let fd = new_socket(t)?;
            match t.connect_name_start(fd, &host, port, tls) {
                Ok(()) => Ok(fd),
                Err(e) => {
                    let _ = t.close(fd);
                    Err(e)
                }
            }
        });
        let fd = r.map_err(|e| connect_error(&ctx, e.into(), &host, &shown, port))?;
        let o = Object::new(ctx.clone())?;
        o.set("fd", fd)?;
        o.set("pending", true)?;
        return Ok(o);
    }
    let r = with_task(|t| -> Result<(i32, SocketAddr, SocketAddr), ConnectError> {
        let fd = new_socket(t)?;
        let go = || -> Result<(SocketAddr, SocketAddr), ConnectError> {
            match &tls {
                Some(tls) => t.connect_name_tls(fd, &host, port, tls)?,
                None => t.connect_name(fd, &host, port)?,
            };
            Ok((t.getpeername(fd)?, t.getsockname(fd)?))
        };
        match go() {
            Ok((peer, local)) => Ok((fd, peer, local)),
            Err(e) => {
                let _ = t.close(fd);
                Err(e)
            }
        }
    });
    let (fd, peer, local) = r.map_err(|e| connect_error(&ctx, e, &host, &shown, port))?;
    connected(&ctx, fd, &peer, &local)
}

/// `{ fd, remoteAddress, …, localPort }` of a connected socket.
fn connected<'js>(ctx: &Ctx<'js>, fd: i32, peer: &SocketAddr, local: &SocketAddr) -> rquickjs::Result<Object<'js>> {
    let o = Object::new(ctx.clone())?;
    o.set("fd", fd)?;
    set_addr(&o, "remote", peer)?;
    set_addr(&o, "local", local)?;
    Ok(o)
}

/// A failed connect as Node reports it.
fn connect_error(ctx: &Ctx<'_>, e: ConnectError, host: &str, shown: &str, port: u16) -> rquickjs::Error {
    match e {
        ConnectError::Sys(Errno::ENOENT) => throw_not_found(ctx, host),
        ConnectError::Sys(e) => {
            throw_net(ctx, e, &NetCall { syscall: "connect", address: Some(shown), port, with_text: false })
        }
        ConnectError::Tls { code, message } => throw_tls(ctx, &code, &message, host),
    }
}

/// The outcome of a background connect ([`connect`] with `pending`):
/// `null` while it runs, the connected socket's description when done;
/// a failure closes the socket and throws.
fn op_connect_finish<'js>(ctx: Ctx<'js>, fd: i32, host: String, port: i32) -> rquickjs::Result<Value<'js>> {
    let port = u16::try_from(port).unwrap_or(0);
    let shown = resolve(&host).map(|i| i.to_string()).unwrap_or_else(|| host.clone());
    let r = with_task(|t| -> Result<Option<(SocketAddr, SocketAddr)>, ConnectError> {
        let done = t.connect_finish(fd).map_err(ConnectError::from).and_then(|d| match d {
            None => Ok(None),
            Some(Ok(_)) => Ok(Some((t.getpeername(fd)?, t.getsockname(fd)?))),
            Some(Err(e)) => Err(e),
        });
        match done {
            Ok(d) => Ok(d),
            Err(e) => {
                let _ = t.close(fd);
                Err(e)
            }
        }
    });
    match r {
        Ok(None) => Ok(Value::new_null(ctx)),
        Ok(Some((peer, local))) => Ok(connected(&ctx, fd, &peer, &local)?.into_value()),
        Err(e) => Err(connect_error(&ctx, e, &host, &shown, port)),
    }
}

/// A TLS failure as Node reports it: `Error: <message>` with `code` (and
/// `reason`/`host` for a name mismatch).
fn throw_tls(ctx: &Ctx<'_>, code: &str, message: &str, host: &str) -> rquickjs::Error {
    let build = || -> rquickjs::Result<Object<'_>> {
        let ctor: rquickjs::Function = ctx.globals().get("Error")?;
        let o: Object<'_> = ctor.call((message,))?;
        o.set("code", code)?;
        if code == "ERR_TLS_CERT_ALTNAME_INVALID" {
            o.set("reason", message.split_once(": ").map_or(message, |(_, r)| r))?;
            o.set("host", host)?;
        }
        Ok(o)
    };
    match build() {
        Ok(o) => ctx.throw(o.into_value()),
        Err(e) => e,
    }
}

/// Node's error for a name that does not resolve: `getaddrinfo ENOTFOUND
/// name` (libuv's `UV_EAI_NONAME`, errno -3008).
fn throw_not_found(ctx: &Ctx<'_>, host: &str) -> rquickjs::Error {
    let build = || -> rquickjs::Result<Object<'_>> {
        let ctor: rquickjs::Function = ctx.globals().get("Error")?;
        let o: Object<'_> = ctor.call((format!("getaddrinfo ENOTFOUND {host}"),))?;
        o.set("errno", -3008)?;
        o.set("code", "ENOTFOUND")?;
        o.set("syscall", "getaddrinfo")?;
        o.set("hostname", host)?;
        Ok(o)
    };
    match build() {
        Ok(o) => ctx.throw(o.into_value()),
        Err(e) => e,
    }
}

/// `dns.lookup`: the addresses of `host` as `[address, family]` pairs
/// (`localhost` and literals answered by the VM, other names by the host
/// when the allow-list allows them). Throws `getaddrinfo ENOTFOUND name`
/// or `getaddrinfo EACCES name` (a name the VM may not reach).
fn op_lookup<'js>(ctx: Ctx<'js>, host: String) -> rquickjs::Result<Value<'js>> {
    match with_task(|t| t.getaddrinfo(&host)) {
        Ok(ips) => {
            let a = rquickjs::Array::new(ctx.clone())?;
            for (i, ip) in ips.iter().enumerate() {
                let pair = rquickjs::Array::new(ctx.clone())?;
                pair.set(0, ip.to_string())?;
                pair.set(1, if ip.is_ipv4() { 4 } else { 6 })?;
                a.set(i, pair)?;
            }
            Ok(a.into_value())
        }
        Err(Errno::ENOENT | Errno::EAGAIN) => Err(throw_not_found(&ctx, &host)),
        Err(e) => Err(throw_net(
            &ctx,
            e,
            &NetCall { syscall: "getaddrinfo", address: Some(&host), port: 0, with_text: false },
        )),
    }
}

/// Read what is buffered (at most `max` bytes): `null` when nothing is
/// (`EAGAIN`), an empty array at end of stream.
fn op_sock_read<'js>(ctx: Ctx<'js>, fd: i32, max: f64) -> rquickjs::Result<Value<'js>> {
    const STEP: usize = 16 * 1024;
    let max = max.clamp(1.0, 16.0 * 1024.0 * 1024.0) as usize;
    // Small messages are the common case: grow the buffer only while
    // reads fill it, instead of zeroing `max` bytes for every call.
    let mut buf = Vec::new();
    let r = with_task(|t| -> Result<(), Errno> {
        loop {
            let start = buf.len();
            let want = STEP.max(start).min(max - start);
            buf.resize(start + want, 0);
            match t.read(fd, &mut buf[start..]) {
                Ok(n) => {
                    buf.truncate(start + n);
                    if n < want || buf.len() >= max {
                        return Ok(());
                    }
                }
                Err(Errno::EAGAIN) if start > 0 => {
                    buf.truncate(start);
                    return Ok(());
                }
                Err(e) => return Err(e),
            }
        }
    });
    match r {
        Ok(()) => Ok(TypedArray::new(ctx, buf)?.into_value()),
        Err(Errno::EAGAIN) => Ok(Value::new_null(ctx)),
        Err(e) => Err(throw_net(&ctx, e, &NetCall { syscall: "read", address: None, port: 0, with_text: false })),
    }
}

/// Write the bytes of `data` from `offset` on: returns how many the socket
/// took (0 when its buffer is full). No `SIGPIPE`: see the module docs.
fn op_sock_write(ctx: Ctx<'_>, fd: i32, data: Value<'_>, offset: f64) -> rquickjs::Result<f64> {
    let off = offset.max(0.0) as usize;
    let r = bytes_unsafe::with_bytes(&data, |b| {
        let b = b.get(off..).unwrap_or(&[]);
        if b.is_empty() {
            return Ok(0);
        }
        with_task(|t| -> Result<usize, Errno> {
            let f = t.file(fd)?;
            let s = f.stream_ref().ok_or(Errno::ENOTSOCK)?;
            match s.try_write(b) {
                Err(Errno::EAGAIN) => Ok(0),
                r => r,
            }
        })
    });
    match r {
        Some(Ok(n)) => Ok(n as f64),
        Some(Err(e)) => {
            Err(throw_net(&ctx, e, &NetCall { syscall: "write", address: None, port: 0, with_text: false }))
        }
        None => Err(Exception::throw_type(&ctx, "data must be a string or a Uint8Array")),
    }
}

/// `shutdown(SHUT_WR)`: the peer reads end of stream after what was sent.
fn op_sock_shutdown(fd: i32) {
    // A socket the peer already closed has nothing left to shut down.
    let _ = with_task(|t| t.shutdown(fd, false, true));
}

/// A parsed HTTP/1.x head, owned (built while the bytes are borrowed).
struct Head {
    len: usize,
    /// Request: method and target; response: status code and reason.
    first: String,
    second: String,
    status: u16,
    minor: u8,
    headers: Vec<(String, String)>,
}

/// Header bytes are Latin-1 on the wire, as Node reads them.
fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

fn parse_head(b: &[u8], request: bool) -> Result<Option<Head>, httparse::Error> {
    let mut hs = [httparse::EMPTY_HEADER; 256];
    let collect = |hs: &[httparse::Header<'_>]| hs.iter().map(|h| (h.name.to_string(), latin1(h.value))).collect();
    if request {
        let mut r = httparse::Request::new(&mut hs);
        Ok(match r.parse(b)? {
            httparse::Status::Complete(len) => Some(Head {
                len,
                first: r.method.unwrap_or("GET").to_string(),
                second: r.path.unwrap_or("/").to_string(),
                status: 0,
                minor: r.version.unwrap_or(1),
                headers: collect(r.headers),
            }),
            httparse::Status::Partial => None,
        })
    } else {
        let mut r = httparse::Response::new(&mut hs);
        Ok(match r.parse(b)? {
            httparse::Status::Complete(len) => Some(Head {
                len,
                first: String::new(),
                second: r.reason.unwrap_or("").to_string(),
                status: r.code.unwrap_or(0),
                minor: r.version.unwrap_or(1),
                headers: collect(r.headers),
            }),
            httparse::Status::Partial => None,
        })
    }
}

/// llhttp's code for a parse failure, as Node's `clientError` reports it.
fn parse_error_code(e: httparse::Error) -> &'static str {
    match e {
        httparse::Error::HeaderName | httparse::Error::HeaderValue => "HPE_INVALID_HEADER_TOKEN",
        httparse::Error::NewLine => "HPE_LF_EXPECTED",
        httparse::Error::Status => "HPE_INVALID_STATUS",
        httparse::Error::Token => "HPE_INVALID_METHOD",
        httparse::Error::TooManyHeaders => "HPE_HEADER_OVERFLOW",
        httparse::Error::Version => "HPE_INVALID_VERSION",
    }
}

fn throw_parse(ctx: &Ctx<'_>, code: &str, what: &str) -> rquickjs::Error {
    let build = || -> rquickjs::Result<Object<'_>> {
        let ctor: rquickjs::Function = ctx.globals().get("Error")?;
        let o: Object<'_> = ctor.call((format!("Parse Error: {what}"),))?;
        o.set("code", code)?;
        Ok(o)
    };
    match build() {
        Ok(o) => ctx.throw(o.into_value()),
        Err(e) => e,
    }
}

/// Parse an HTTP/1.x request (`request`) or response head at the start of
/// `buf`: `null` while incomplete, else `{ length, method, url, statusCode,
/// statusMessage, versionMinor, headers: [name, value, ...] }`. Malformed
/// heads throw `Parse Error` with llhttp's `HPE_*` code.
fn op_http_parse<'js>(ctx: Ctx<'js>, buf: Value<'js>, request: bool) -> rquickjs::Result<Value<'js>> {
    let parsed = bytes_unsafe::with_bytes(&buf, |b| parse_head(b, request));
    let head = match parsed {
        None => return Err(Exception::throw_type(&ctx, "buffer must be a Uint8Array")),
        Some(Err(e)) => return Err(throw_parse(&ctx, parse_error_code(e), &e.to_string())),
        Some(Ok(None)) => return Ok(Value::new_null(ctx)),
        Some(Ok(Some(h))) => h,
    };
    let o = Object::new(ctx.clone())?;
    o.set("length", head.len)?;
    if request {
        o.set("method", head.first)?;
        o.set("url", head.second)?;
    } else {
        o.set("statusCode", head.status)?;
        o.set("statusMessage", head.second)?;
    }
    o.set("versionMinor", head.minor)?;
    let flat: Vec<String> = head.headers.into_iter().flat_map(|(k, v)| [k, v]).collect();
    o.set("headers", flat)?;
    Ok(o.into_value())
}

/// Parse a chunk-size line of a chunked body at `offset` of `buf`: `null`
/// while incomplete, else `[lineLength, chunkSize]`.
fn op_http_chunk<'js>(ctx: Ctx<'js>, buf: Value<'js>, offset: f64) -> rquickjs::Result<Value<'js>> {
    let off = offset.max(0.0) as usize;
    let r = bytes_unsafe::with_bytes(&buf, |b| httparse::parse_chunk_size(b.get(off..).unwrap_or(&[])));
    match r {
        None => Err(Exception::throw_type(&ctx, "buffer must be a Uint8Array")),
        Some(Err(_)) => Err(throw_parse(&ctx, "HPE_INVALID_CHUNK_SIZE", "Invalid character in chunk size")),
        Some(Ok(httparse::Status::Partial)) => Ok(Value::new_null(ctx)),
        Some(Ok(httparse::Status::Complete((n, size)))) => {
            let a = rquickjs::Array::new(ctx.clone())?;
            a.set(0, n as f64)?;
            a.set(1, size as f64)?;
            Ok(a.into_value())
        }
    }
}

/// A datagram socket (`dgram.createSocket`), non-blocking.
fn op_udp_socket(ctx: Ctx<'_>) -> rquickjs::Result<i32> {
    with_task(|t| t.socket(SockType::Dgram, OFlags::NONBLOCK | OFlags::CLOEXEC))
        .map_err(|e| throw_net(&ctx, e, &NetCall { syscall: "socket", address: None, port: 0, with_text: false }))
}

/// The address `dgram` means by `host` (`''`: every address of the
/// family; names other than `localhost` have no address in the VM).
fn udp_addr(host: &str, port: u16, v6: bool) -> Option<SocketAddr> {
    let ip = match host {
        "" if v6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        "" => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        h if h.eq_ignore_ascii_case("localhost") && v6 => IpAddr::V6(Ipv6Addr::LOCALHOST),
        h => resolve(h)?,
    };
    Some(SocketAddr::new(ip, port))
}

/// `bind`: returns `{ address, family, port }`; `bind EADDRINUSE
/// 0.0.0.0:5000` like Node.
fn op_udp_bind<'js>(ctx: Ctx<'js>, fd: i32, host: String, port: i32, v6: bool) -> rquickjs::Result<Object<'js>> {
    let port = u16::try_from(port).unwrap_or(0);
    let shown = if host.is_empty() { if v6 { "::" } else { "0.0.0.0" }.to_string() } else { host.clone() };
    let fail = |e| throw_net(&ctx, e, &NetCall { syscall: "bind", address: Some(&shown), port, with_text: false });
    let addr = udp_addr(&host, port, v6).ok_or_else(|| fail(Errno::EADDRNOTAVAIL))?;
    let a = with_task(|t| t.bind(fd, addr).and_then(|()| t.getsockname(fd))).map_err(fail)?;
    let o = Object::new(ctx.clone())?;
    set_addr(&o, "", &a)?;
    Ok(o)
}

/// `connect`: the default destination and the only sender heard.
fn op_udp_connect(ctx: Ctx<'_>, fd: i32, host: String, port: i32, v6: bool) -> rquickjs::Result<()> {
    let port = u16::try_from(port).unwrap_or(0);
    let fail = |e| throw_net(&ctx, e, &NetCall { syscall: "connect", address: Some(&host), port, with_text: false });
    let addr = udp_addr(&host, port, v6).ok_or_else(|| fail(Errno::EACCES))?;
    with_task(|t| t.connect(fd, addr)).map_err(fail)
}

/// `send` one datagram (to the connected peer when `host` is null).
fn op_udp_send(
    ctx: Ctx<'_>,
    fd: i32,
    data: Value<'_>,
    host: Option<String>,
    port: i32,
    v6: bool,
) -> rquickjs::Result<f64> {
    let port = u16::try_from(port).unwrap_or(0);
    let shown = host.clone().unwrap_or_default();
    let fail = |e| throw_net(&ctx, e, &NetCall { syscall: "send", address: Some(&shown), port, with_text: false });
    let to = match &host {
        Some(h) => Some(udp_addr(h, port, v6).ok_or_else(|| fail(Errno::EACCES))?),
        None => None,
    };
    let r = bytes_unsafe::with_bytes(&data, |b| with_task(|t| t.sendto(fd, b, to)));
    match r {
        Some(Ok(n)) => Ok(n as f64),
        Some(Err(e)) => Err(fail(e)),
        None => Err(Exception::throw_type(&ctx, "data must be a string or a Uint8Array")),
    }
}

/// Take one queued datagram: `null` when none, else `{ data, address,
/// family, port }`.
fn op_udp_recv<'js>(ctx: Ctx<'js>, fd: i32) -> rquickjs::Result<Value<'js>> {
    let mut buf = vec![0u8; agentos_kernel::net::DGRAM_MAX];
    match with_task(|t| t.recvfrom(fd, &mut buf)) {
        Ok((n, from)) => {
            buf.truncate(n);
            let o = Object::new(ctx.clone())?;
            o.set("data", TypedArray::new(ctx.clone(), buf)?)?;
            set_addr(&o, "", &from)?;
            Ok(o.into_value())
        }
        Err(Errno::EAGAIN) => Ok(Value::new_null(ctx)),
        Err(e) => Err(throw_net(&ctx, e, &NetCall { syscall: "recvmsg", address: None, port: 0, with_text: false })),
    }
}

pub fn install<'js>(ctx: &Ctx<'js>, o: &Object<'js>) -> rquickjs::Result<()> {
    def(ctx, o, "udpSocket", op_udp_socket)?;
    def(ctx, o, "udpBind", op_udp_bind)?;
    def(ctx, o, "udpConnect", op_udp_connect)?;
    def(ctx, o, "udpSend", op_udp_send)?;
    def(ctx, o, "udpRecv", op_udp_recv)?;
    def(ctx, o, "listen", op_listen)?;
    def(ctx, o, "accept", op_accept)?;
    def(ctx, o, "connect", op_connect)?;
    def(ctx, o, "lookup", op_lookup)?;
    def(ctx, o, "connectTls", op_connect_tls)?;
    def(ctx, o, "connectFinish", op_connect_finish)?;
    def(ctx, o, "sockRead", op_sock_read)?;
    def(ctx, o, "sockWrite", op_sock_write)?;
    def(ctx, o, "sockShutdown", op_sock_shutdown)?;
    def(ctx, o, "httpParse", op_http_parse)?;
    def(ctx, o, "httpChunk", op_http_chunk)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn resolves_local_names_only() {
        assert_eq!(resolve("localhost"), Some(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(resolve("[::1]"), Some(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert_eq!(resolve("10.0.0.1"), Some("10.0.0.1".parse().unwrap()));
        assert_eq!(resolve("example.com"), None);
    }

    #[test]
    fn parses_heads() {
        let h = parse_head(b"GET /x?y=1 HTTP/1.1\r\nHost: a\r\nX-A: \xe9\r\n\r\nrest", true).unwrap().unwrap();
        assert_eq!((h.first.as_str(), h.second.as_str(), h.minor, h.len), ("GET", "/x?y=1", 1, 40));
        assert_eq!(h.headers, vec![("Host".into(), "a".into()), ("X-A".into(), "\u{e9}".into())]);
        assert!(parse_head(b"GET / HTTP/1.1\r\nHost:", true).unwrap().is_none());
        let r = parse_head(b"HTTP/1.0 404 Not Found\r\n\r\n", false).unwrap().unwrap();
        assert_eq!((r.status, r.second.as_str(), r.minor), (404, "Not Found", 0));
        assert_eq!(
            parse_head(b"G\x01T / HTTP/1.1\r\n\r\n", true).err().map(parse_error_code),
            Some("HPE_INVALID_METHOD")
        );
    }
}
