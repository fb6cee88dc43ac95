//! Outbound TCP for guests: the kernel's [`Connector`], made of the host's
//! resolver and sockets. The kernel decides what may be reached (the
//! allow-list in `agentos_kernel::net::egress`); this file only does it.
//!
//! Each connection is a real `TcpStream` and two host threads carrying
//! bytes between it and the guest's socket: remote → guest (its EOF is the
//! guest's EOF) and guest → remote (the guest's shutdown is a TCP FIN; when
//! the guest closes, the connection is shut down both ways). Backpressure is
//! the kernel's bounded socket buffer: a full buffer stops the thread, which
//! stops reading from TCP.
//!
//! TLS clients (`connect_tls`) are done here too, with rustls on ring:
//! the handshake runs before `connect_tls` returns (so certificate errors
//! are the connect's errors), then the relay threads share the rustls
//! connection under a lock and the guest reads and writes plaintext.
//! Certificates are checked against Mozilla's roots (`webpki-roots`) plus
//! the VM's extra roots, or only against a connection's own `ca`.
//!
//! Analogue: a user-space NAT's TCP relay (slirp, gVisor's netstack
//! forwarder), reduced to connect-out; kTLS-style offload for TLS.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use agentos_kernel::abi::{Errno, KResult};
use agentos_kernel::net::{ConnectError, Connector, HostConn, TlsClient};

mod tls;

/// How long a connect may take before `ETIMEDOUT`.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Relay threads do little: a small stack is plenty.
pub(crate) const RELAY_STACK: usize = 128 * 1024;
pub(crate) const RELAY_BUF: usize = 16 * 1024;

/// The host's network, as a [`Connector`].
#[derive(Debug, Default)]
pub struct HostNet {
    /// Names answered without DNS (like `curl --resolve`): for pinning a
    /// name, and for tests without a resolver. The kernel's allow-list and
    /// internal-address filter apply to these answers like any other.
    overrides: HashMap<String, Vec<IpAddr>>,
    /// PEM root certificates trusted besides the compiled-in ones.
    extra_roots: Vec<Vec<u8>>,
}

impl HostNet {
    /// The host's resolver and sockets.
    pub fn new() -> HostNet {
        HostNet::default()
    }

    /// Answer lookups of `name` with `addrs` instead of asking DNS.
    pub fn with_override(mut self, name: &str, addrs: Vec<IpAddr>) -> HostNet {
        self.overrides.insert(name.to_ascii_lowercase(), addrs);
        self
    }

    /// Trust the root certificates in `pem` for TLS, besides Mozilla's.
    pub fn with_root_pem(mut self, pem: Vec<u8>) -> HostNet {
        self.extra_roots.push(pem);
        self
    }
}

pub(crate) fn errno(e: &std::io::Error) -> Errno {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => Errno::ECONNREFUSED,
        K::TimedOut => Errno::ETIMEDOUT,
        K::ConnectionReset => Errno::ECONNRESET,
        _ => Errno::from_raw(e.raw_os_error().unwrap_or(0)).unwrap_or(Errno::EIO),
    }
}

impl Connector for HostNet {
    fn lookup(&self, name: &str) -> KResult<Vec<IpAddr>> {
        if let Some(a) = self.overrides.get(name) {
            return Ok(a.clone());
        }
        match (name, 0u16).to_socket_addrs() {
            Ok(it) => {
                let mut v: Vec<IpAddr> = Vec::new();
                for a in it {
                    if !v.contains(&a.ip()) {
                        v.push(a.ip());
                    }
                }
                if v.is_empty() { Err(Errno::ENOENT) } else { Ok(v) }
            }
            // getaddrinfo's EAI_AGAIN reads "Temporary failure in name
            // resolution"; every other failure means no such name.
            Err(e) if e.to_string().contains("Temporary failure") => Err(Errno::EAGAIN),
            Err(_) => Err(Errno::ENOENT),
        }
    }

    fn connect(&self, addr: SocketAddr, conn: HostConn) -> KResult<()> {
        let tcp = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).map_err(|e| errno(&e))?;
        let _ = tcp.set_nodelay(true);
        let remote_in = tcp.try_clone().map_err(|e| errno(&e))?;
        let guest_in = conn.handle();
        let spawn = |name: &str, f: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new().name(name.into()).stack_size(RELAY_STACK).spawn(f).map(|_| ())
        };
        spawn("agentos-net-in", Box::new(move || relay_in(remote_in, guest_in))).map_err(|_| Errno::EAGAIN)?;
        // If this spawn fails the first thread still ends: dropping `conn`
        // and `tcp` here is the guest's close and the remote's.
        spawn("agentos-net-out", Box::new(move || relay_out(tcp, conn))).map_err(|_| Errno::EAGAIN)?;
        Ok(())
    }

    fn connect_tls(&self, addr: SocketAddr, conn: HostConn, opts: &TlsClient) -> Result<(), ConnectError> {
        let tcp = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).map_err(|e| errno(&e))?;
        let _ = tcp.set_nodelay(true);
        let session = tls::handshake(&tcp, addr, opts, &self.extra_roots)?;
        tls::relay(tcp, session, conn).map_err(ConnectError::Sys)
    }
}

/// Remote → guest, until the remote's EOF (the guest's EOF) or the guest
/// stops reading (then the connection is shut down).
fn relay_in(mut tcp: TcpStream, guest: HostConn) {
    let mut buf = vec![0u8; RELAY_BUF];
    loop {
        match tcp.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if guest.write_all(&buf[..n], None).is_err() {
                    let _ = tcp.shutdown(Shutdown::Both);
                    return;
                }
            }
        }
    }
    guest.shutdown_write();
}

/// Guest → remote, until the guest's EOF (a FIN for the remote; then wait
/// for the guest to close before tearing the connection down) or a failed
/// write.
fn relay_out(mut tcp: TcpStream, guest: HostConn) {
    let mut buf = vec![0u8; RELAY_BUF];
    loop {
        match guest.read(&mut buf, None) {
            Ok(0) => {
                let _ = tcp.shutdown(Shutdown::Write);
                guest.wait_reader_gone();
                break;
            }
            Ok(n) => {
                if tcp.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    // Ends `relay_in`'s read, whatever the remote does.
    let _ = tcp.shutdown(Shutdown::Both);
}
