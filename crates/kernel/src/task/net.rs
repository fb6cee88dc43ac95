//! Socket calls: `socket`, `bind`, `listen`, `accept`, `connect`,
//! `shutdown`, `getsockname`, `getpeername`, and name resolution
//! (`getaddrinfo`, `connect_name`). Reads and writes use the ordinary
//! descriptor calls.
//!
//! Addresses of the VM itself (loopback, unspecified, `localhost`) are the
//! VM's own network; everything else goes out through the kernel's
//! [`Egress`](crate::net::Egress) when the embedder installed one, after
//! the tier and the permission policy, and is `EACCES` otherwise.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use super::Task;
use crate::abi::{Errno, Fd, KResult, OFlags};
use crate::file::{OpenFile, Stream};
use crate::net::{ConnectError, DgramSocket, Egress, SockType, Socket, TlsClient, is_local};
use crate::policy::Domain;

/// An address without resolution: an IP literal (IPv6 optionally in
/// brackets) or `localhost` (the VM's loopback).
pub fn literal_addr(host: &str) -> Option<IpAddr> {
    if host.eq_ignore_ascii_case("localhost") {
        return Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host).parse().ok()
}

impl Task {
    fn socket_of(&self, fd: Fd) -> KResult<(Arc<OpenFile>, Arc<Socket>)> {
        let f = self.file(fd)?;
        let s = f.stream_ref().cloned().ok_or(Errno::ENOTSOCK)?;
        let sock = downcast_socket(&s).ok_or(Errno::ENOTSOCK)?;
        Ok((f, sock))
    }

    fn dgram_of(&self, fd: Fd) -> KResult<Option<(Arc<OpenFile>, Arc<DgramSocket>)>> {
        let f = self.file(fd)?;
        let s = f.stream_ref().cloned().ok_or(Errno::ENOTSOCK)?;
        Ok(s.as_any_arc().downcast::<DgramSocket>().ok().map(|d| (f, d)))
    }

    /// `socket(2)`.
    pub fn socket(&self, kind: SockType, flags: OFlags) -> KResult<Fd> {
        let id = self.kernel.next_socket_id();
        let s: Arc<dyn Stream> = match kind {
            SockType::Stream => Socket::new(self.kernel.net.clone(), kind, id),
            SockType::Dgram => DgramSocket::new(self.kernel.net.clone(), id),
        };
        let nb = OFlags(flags.0 & OFlags::NONBLOCK.0);
        self.install(OpenFile::stream(s, OFlags::RDWR | nb), flags.contains(OFlags::CLOEXEC))
    }

    /// `bind(2)`.
    pub fn bind(&self, fd: Fd, addr: SocketAddr) -> KResult<()> {
        if let Some((_, d)) = self.dgram_of(fd)? {
            return d.bind(addr);
        }
        self.socket_of(fd)?.1.bind(addr)
    }

    /// `sendto(2)` on a datagram socket: one message to `to` (the
    /// connected peer when `None`). See [`DgramSocket::send_to`].
    pub fn sendto(&self, fd: Fd, data: &[u8], to: Option<SocketAddr>) -> KResult<usize> {
        self.check_signals(true)?;
        let (_, d) = self.dgram_of(fd)?.ok_or(Errno::EOPNOTSUPP)?;
        d.send_to(data, to)
    }

    /// `recvfrom(2)` on a datagram socket: one message and its sender;
    /// waits unless the descriptor is non-blocking (`EAGAIN`).
    pub fn recvfrom(&self, fd: Fd, buf: &mut [u8]) -> KResult<(usize, SocketAddr)> {
        let (f, d) = self.dgram_of(fd)?.ok_or(Errno::EOPNOTSUPP)?;
        if f.flags().contains(OFlags::NONBLOCK) {
            return d.try_recv_from(buf);
        }
        let stream: Arc<dyn Stream> = d.clone();
        self.block_on(&[&stream], None, || d.try_recv_from(buf))
    }

    /// `listen(2)`.
    pub fn listen(&self, fd: Fd, backlog: usize) -> KResult<()> {
        let sock = self.socket_of(fd)?.1;
        self.permit_net("listen", &sock.local_addr())?;
        sock.listen(backlog)
    }

    /// `accept4(2)`: waits for a connection unless the descriptor is
    /// non-blocking (`EAGAIN`).
    pub fn accept(&self, fd: Fd, flags: OFlags) -> KResult<(Fd, SocketAddr)> {
        let (f, sock) = self.socket_of(fd)?;
        let id = self.kernel.next_socket_id();
        let stream: Arc<dyn Stream> = sock.clone();
        let (new, peer) = if f.flags().contains(OFlags::NONBLOCK) {
            sock.try_accept(id)?
        } else {
            self.block_on(&[&stream], None, || sock.try_accept(id))?
        };
        let nb = OFlags(flags.0 & OFlags::NONBLOCK.0);
        let nfd = self.install(OpenFile::stream(new, OFlags::RDWR | nb), flags.contains(OFlags::CLOEXEC))?;
        Ok((nfd, peer))
    }

    /// `connect(2)`: to a listener of this VM, or (through the egress) to
    /// an outside address an allow-list pattern covers, directly or by a
    /// name that resolved to it (see [`Egress::permit_addr`]).
    pub fn connect(&self, fd: Fd, addr: SocketAddr) -> KResult<()> {
        self.check_signals(true)?;
        self.permit_net("connect", &addr)?;
        if let Some((_, d)) = self.dgram_of(fd)? {
            return d.connect(addr);
        }
        let sock = self.socket_of(fd)?.1;
        if is_local(&addr.ip()) {
            return sock.connect(addr);
        }
        let eg = self.egress(&format!("tcp://{addr}"))?;
        if !eg.permit_addr(&addr) {
            return Err(eg.deny(self.kernel.vfs.guard().map(|g| &**g), "connect", &format!("tcp://{addr}")));
        }
        sock.connect_out(eg, addr, None).map_err(|e| match e {
            ConnectError::Sys(e) => e,
            ConnectError::Tls { .. } => Errno::EIO,
        })
    }

    /// Resolve `host` and connect to it (what `net.connect(port, host)`
    /// does): the VM's own names and IP literals as [`Task::connect`];
    /// other names must be allowed for `port` by the policy and the
    /// allow-list, and are resolved by the host (internal answers
    /// filtered, see [`crate::net::egress`]); the first address that
    /// answers wins. Returns the address connected to. `EACCES` with the
    /// name in the denial message; `ENOENT` for a name that does not exist.
    pub fn connect_name(&self, fd: Fd, host: &str, port: u16) -> KResult<SocketAddr> {
        self.connect_name_with(fd, host, port, None).map_err(|e| match e {
            ConnectError::Sys(e) => e,
            ConnectError::Tls { .. } => Errno::EIO,
        })
    }

    /// [`Task::connect_name`] to an outside host, then a TLS handshake
    /// done by the host as `tls` asks (the socket carries plaintext).
    /// `EOPNOTSUPP` for the VM's own addresses (no TLS inside the VM).
    pub fn connect_name_tls(&self, fd: Fd, host: &str, port: u16, tls: &TlsClient) -> Result<SocketAddr, ConnectError> {
        self.connect_name_with(fd, host, port, Some(tls))
    }

    fn connect_name_with(
        &self,
        fd: Fd,
        host: &str,
        port: u16,
        tls: Option<&TlsClient>,
    ) -> Result<SocketAddr, ConnectError> {
        let local = literal_addr(host).filter(is_local);
        if let (Some(ip), None) = (literal_addr(host), tls) {
            let addr = SocketAddr::new(ip, port);
            return self.connect(fd, addr).map(|()| addr).map_err(Into::into);
        }
        if local.is_some() {
            return Err(Errno::EOPNOTSUPP.into());
        }
        let (sock, eg) = self.outbound_checks(fd, host, port)?;
        outbound(&sock, &eg, self.kernel.vfs.guard().map(|g| &**g), host, port, tls)
    }

    /// Start [`Task::connect_name`] / [`Task::connect_name_tls`] to an
    /// outside host in the background (what a non-blocking `connect`
    /// returning `EINPROGRESS` does): the policy and the allow-list's
    /// existence are checked now, resolution and the connection on a pool
    /// thread. The socket polls writable (with `ERR` on failure) when it is
    /// done; [`Task::connect_finish`] tells the outcome. `EOPNOTSUPP` for
    /// the VM's own addresses (connect those directly).
    pub fn connect_name_start(&self, fd: Fd, host: &str, port: u16, tls: Option<TlsClient>) -> KResult<()> {
        if literal_addr(host).is_some_and(|ip| is_local(&ip)) {
            return Err(Errno::EOPNOTSUPP);
        }
        let (sock, eg) = self.outbound_checks(fd, host, port)?;
        sock.start_pending()?;
        let guard = self.kernel.vfs.guard().cloned();
        let host = host.to_string();
        crate::pool::execute(Box::new(move || {
            let r = outbound(&sock, &eg, guard.as_deref(), &host, port, tls.as_ref());
            sock.finish_pending(r);
        }));
        Ok(())
    }

    /// The outcome of [`Task::connect_name_start`]: `None` while it runs,
    /// else the address connected to or why it failed.
    pub fn connect_finish(&self, fd: Fd) -> KResult<Option<Result<SocketAddr, ConnectError>>> {
        Ok(self.socket_of(fd)?.1.pending_result())
    }

    /// What is checked before any outbound connection to `host:port`: the
    /// tier and policy (on the name or address as given), and that the VM
    /// has a way out at all.
    fn outbound_checks(&self, fd: Fd, host: &str, port: u16) -> KResult<(Arc<Socket>, Arc<Egress>)> {
        self.check_signals(true)?;
        let subject = match literal_addr(host) {
            Some(ip) => format!("tcp://{}", SocketAddr::new(ip, port)),
            None => format!("tcp://{host}:{port}"),
        };
        self.permit_net_subject("connect", &subject)?;
        let sock = self.socket_of(fd)?.1;
        let eg = self.egress(&subject)?.clone();
        Ok((sock, eg))
    }

    /// `getaddrinfo(3)`: the addresses of `host`. `localhost` is the VM's
    /// loopback (`127.0.0.1`, `::1`), IP literals are themselves, other
    /// names are resolved by the host when the allow-list allows them for
    /// some port (`EACCES` otherwise, `ENOENT` when they do not exist).
    pub fn getaddrinfo(&self, host: &str) -> KResult<Vec<IpAddr>> {
        if host.eq_ignore_ascii_case("localhost") {
            return Ok(vec![Ipv4Addr::LOCALHOST.into(), Ipv6Addr::LOCALHOST.into()]);
        }
        if let Some(ip) = literal_addr(host) {
            return Ok(vec![ip]);
        }
        let tier = self.tier();
        let guard = self.kernel.vfs.guard().map(|g| &**g);
        if !tier.allows(Domain::Network, "lookup", "") {
            return Err(crate::policy::deny_by_tier(guard, tier, Domain::Network, "lookup", host));
        }
        let eg = self.egress_for("lookup", host)?;
        match eg.resolve(host, None) {
            Err(Errno::EACCES) => Err(eg.deny(guard, "lookup", host)),
            r => r,
        }
    }

    /// The egress, or the denial of connecting to `subject` when the VM
    /// has none.
    fn egress(&self, subject: &str) -> KResult<&Arc<Egress>> {
        self.egress_for("connect", subject)
    }

    fn egress_for(&self, op: &str, subject: &str) -> KResult<&Arc<Egress>> {
        self.kernel.net.egress().ok_or_else(|| {
            let msg = format!("EACCES: permission denied, {op} '{subject}'");
            tracing::info!(domain = "network", op, subject, "{msg} (no outbound network)");
            if let Some(g) = self.kernel.vfs.guard() {
                g.record(msg);
            }
            Errno::EACCES
        })
    }

    /// `shutdown(2)`.
    pub fn shutdown(&self, fd: Fd, read: bool, write: bool) -> KResult<()> {
        self.socket_of(fd)?.1.shutdown(read, write)
    }

    /// `getsockname(2)`.
    pub fn getsockname(&self, fd: Fd) -> KResult<SocketAddr> {
        if let Some((_, d)) = self.dgram_of(fd)? {
            return Ok(d.local_addr());
        }
        Ok(self.socket_of(fd)?.1.local_addr())
    }

    /// `getpeername(2)`.
    pub fn getpeername(&self, fd: Fd) -> KResult<SocketAddr> {
        if let Some((_, d)) = self.dgram_of(fd)? {
            return d.peer_addr();
        }
        self.socket_of(fd)?.1.peer_addr()
    }
}

/// The socket behind a stream, if it is one.
fn downcast_socket(s: &Arc<dyn Stream>) -> Option<Arc<Socket>> {
    s.clone().as_any_arc().downcast::<Socket>().ok()
}

/// Resolve (unless `host` is an address) and connect `sock` out through
/// `eg`: the allow-list decides (denials counted, also in `guard`), the
/// first answering address wins, a certificate failure is final.
fn outbound(
    sock: &Socket,
    eg: &Egress,
    guard: Option<&crate::policy::Guard>,
    host: &str,
    port: u16,
    tls: Option<&TlsClient>,
) -> Result<SocketAddr, ConnectError> {
    if let Some(ip) = literal_addr(host) {
        let addr = SocketAddr::new(ip, port);
        if !eg.permit_addr(&addr) {
            return Err(eg.deny(guard, "connect", &format!("tcp://{addr}")).into());
        }
        return sock.connect_out(eg, addr, tls).map(|()| addr);
    }
    let ips = match eg.resolve(host, Some(port)) {
        Err(Errno::EACCES) => return Err(eg.deny(guard, "connect", &format!("tcp://{host}:{port}")).into()),
        r => r?,
    };
    let mut last = ConnectError::Sys(Errno::ECONNREFUSED);
    for ip in ips {
        let addr = SocketAddr::new(ip, port);
        match sock.connect_out(eg, addr, tls) {
            Ok(()) => return Ok(addr),
            // A certificate problem is the server's answer: no retry.
            Err(e @ ConnectError::Tls { .. }) => return Err(e),
            Err(e) => last = e,
        }
    }
    Err(last)
}
