//! The VM's virtual network: TCP-like stream sockets and UDP-like datagram
//! sockets (`dgram.rs`) on the VM's own loopback. Guest servers and clients in one VM reach each other through
//! it; different VMs never see each other (each kernel has its own
//! [`Network`]). The host reaches guest listeners with
//! [`Network::connect_host`] (what `vm.fetch` uses). Addresses outside
//! the VM are reached only through an [`Egress`] the embedder installs
//! (`egress.rs`: the allow-list and the host's [`Connector`]).
//!
//! Analogue: Linux's loopback TCP (`net/ipv4/tcp*.c` over `lo`), reduced to
//! what programs observe: ports, `EADDRINUSE`, `ECONNREFUSED`, backpressure
//! (a bounded buffer per direction), half-close with `shutdown`, EOF.
//!
//! Lock order: the port table, then a listener's queue, then a
//! connection's buffers. Wait queues are notified after locks are dropped.

mod conn;
mod dgram;
pub mod egress;
mod socket;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use parking_lot::Mutex;

use crate::abi::{Errno, KResult};
use crate::wait::WaitQueue;

pub use conn::{ConnEnd, HostConn};
pub use dgram::{DGRAM_MAX, DGRAM_QUEUE, DgramSocket};
pub use egress::{AllowEntry, ConnectError, Connector, Egress, TlsClient};
pub use socket::{SockType, Socket};

/// Bytes buffered per direction of a connection before writers wait.
pub const SOCKET_BUFFER: usize = 256 * 1024;
/// First port handed out for implicit binds (Linux's default range).
const EPHEMERAL_START: u16 = 32768;

/// Whether `ip` is an address of the VM itself (loopback or unspecified).
pub fn is_local(ip: &IpAddr) -> bool {
    ip.is_loopback() || ip.is_unspecified()
}

/// One VM's ports.
#[derive(Default)]
pub struct Network {
    listeners: Mutex<HashMap<u16, Arc<socket::Listener>>>,
    /// Ports held by bound (not yet listening) sockets and connections.
    bound: Mutex<HashMap<u16, usize>>,
    next_ephemeral: Mutex<u16>,
    /// The way out, when the embedder opened one.
    egress: std::sync::OnceLock<Arc<Egress>>,
    /// Datagram ports (a space of their own, as UDP's).
    dgram: dgram::DgramPorts,
}

impl Network {
    pub fn new() -> Network {
        Network::default()
    }

    /// Reserve `port` (0 = any free ephemeral port). `EADDRINUSE` if taken.
    fn reserve(&self, port: u16) -> KResult<u16> {
        let listeners = self.listeners.lock();
        let mut bound = self.bound.lock();
        if port != 0 {
            if listeners.contains_key(&port) || bound.contains_key(&port) {
                return Err(Errno::EADDRINUSE);
            }
            bound.insert(port, 1);
            return Ok(port);
        }
        let mut next = self.next_ephemeral.lock();
        for _ in 0..(u16::MAX - EPHEMERAL_START) {
            if *next < EPHEMERAL_START {
                *next = EPHEMERAL_START;
            }
            let p = *next;
            *next = next.wrapping_add(1);
            if !listeners.contains_key(&p) && !bound.contains_key(&p) {
                bound.insert(p, 1);
                return Ok(p);
            }
        }
        Err(Errno::EADDRINUSE)
    }

    fn release(&self, port: u16) {
        let mut bound = self.bound.lock();
        if let Some(n) = bound.get_mut(&port) {
            *n -= 1;
            if *n == 0 {
                bound.remove(&port);
            }
        }
    }

    fn listen(&self, port: u16, l: Arc<socket::Listener>) {
        self.bound.lock().remove(&port);
        self.listeners.lock().insert(port, l);
    }

    fn unlisten(&self, port: u16) {
        self.listeners.lock().remove(&port);
    }

    fn listener(&self, port: u16) -> Option<Arc<socket::Listener>> {
        self.listeners.lock().get(&port).cloned()
    }

    /// Open the VM to the outside through `egress` (once; `EBUSY` after).
    pub fn set_egress(&self, egress: Egress) -> KResult<()> {
        self.egress.set(Arc::new(egress)).map_err(|_| Errno::EBUSY)
    }

    /// The way out, if any.
    pub fn egress(&self) -> Option<&Arc<Egress>> {
        self.egress.get()
    }

    /// Ports with a listener, sorted.
    pub fn listening_ports(&self) -> Vec<u16> {
        let mut v: Vec<u16> = self.listeners.lock().keys().copied().collect();
        v.sort();
        v
    }

    /// Connect from the host to a guest listener on `port`.
    /// `ECONNREFUSED` when nothing listens there.
    pub fn connect_host(&self, port: u16) -> KResult<HostConn> {
        let l = self.listener(port).ok_or(Errno::ECONNREFUSED)?;
        let peer = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
        let local = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port);
        let (client, server) = conn::pair(peer, local, Arc::new(WaitQueue::new()), Arc::new(WaitQueue::new()));
        l.enqueue(server)?;
        Ok(HostConn::new(client))
    }
}
