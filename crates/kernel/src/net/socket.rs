//! Sockets as open files: a stream socket is unbound, bound, listening, or
//! connected. Reads and writes on a connected socket use its connection;
//! the kernel's generic blocking (`Task::block_on`) makes them block.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use parking_lot::Mutex;

use super::conn::{ConnEnd, HostConn, pair};
use super::{ConnectError, Egress, Network, TlsClient, is_local};
use crate::abi::{Errno, KResult, S_IFSOCK, Stat};
use crate::file::{Stream, anon_stat, poll};
use crate::wait::WaitQueue;

/// Socket type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SockType {
    /// `SOCK_STREAM` (TCP-like).
    Stream,
    /// `SOCK_DGRAM` (UDP-like), a [`super::DgramSocket`].
    Dgram,
}

/// Pending connections of a listening socket.
pub(super) struct Listener {
    queue: Mutex<VecDeque<ConnEnd>>,
    backlog: Mutex<usize>,
    wq: Arc<WaitQueue>,
}

impl Listener {
    /// Queue a new connection's server end. `ECONNREFUSED` past the backlog.
    pub(super) fn enqueue(&self, end: ConnEnd) -> KResult<()> {
        let mut q = self.queue.lock();
        if q.len() >= *self.backlog.lock() {
            return Err(Errno::ECONNREFUSED);
        }
        q.push_back(end);
        drop(q);
        self.wq.notify_all();
        Ok(())
    }
}

enum State {
    Unbound,
    Bound(SocketAddr),
    Listening(SocketAddr, Arc<Listener>),
    Connected(ConnEnd),
}

/// A socket.
pub struct Socket {
    net: Arc<Network>,
    state: Mutex<State>,
    /// The port this socket holds in the port table, released on close.
    reserved: Mutex<Option<u16>>,
    wq: Arc<WaitQueue>,
    id: u64,
    /// A connect running in the background ([`Socket::start_pending`]):
    /// `Some(None)` while it runs, then its outcome.
    pending: Mutex<Option<Option<Result<SocketAddr, ConnectError>>>>,
}

fn any_addr(port: u16) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port)
}

impl Socket {
    pub fn new(net: Arc<Network>, _kind: SockType, id: u64) -> Arc<Socket> {
        Arc::new(Socket {
            net,
            state: Mutex::new(State::Unbound),
            reserved: Mutex::new(None),
            wq: Arc::new(WaitQueue::new()),
            id,
            pending: Mutex::new(None),
        })
    }

    fn connected(net: Arc<Network>, end: ConnEnd, wq: Arc<WaitQueue>, id: u64) -> Arc<Socket> {
        Arc::new(Socket {
            net,
            state: Mutex::new(State::Connected(end)),
            reserved: Mutex::new(None),
            wq,
            id,
            pending: Mutex::new(None),
        })
    }

    /// `bind(2)`: only the VM's own addresses (`EADDRNOTAVAIL` otherwise);
    /// `EADDRINUSE` if the port is taken; `EINVAL` if already bound.
    pub fn bind(&self, addr: SocketAddr) -> KResult<()> {
        let mut st = self.state.lock();
        if !matches!(*st, State::Unbound) {
            return Err(Errno::EINVAL);
        }
        if !is_local(&addr.ip()) {
            return Err(Errno::EADDRNOTAVAIL);
        }
        let port = self.net.reserve(addr.port())?;
        *self.reserved.lock() = Some(port);
        *st = State::Bound(SocketAddr::new(addr.ip(), port));
        Ok(())
    }

    /// `listen(2)`; binds an ephemeral port first if unbound.
    pub fn listen(&self, backlog: usize) -> KResult<()> {
        let backlog = backlog.clamp(1, 4096);
        let mut st = self.state.lock();
        let addr = match &*st {
            State::Unbound => {
                let port = self.net.reserve(0)?;
                *self.reserved.lock() = Some(port);
                any_addr(port)
            }
            State::Bound(a) => *a,
            State::Listening(_, l) => {
                *l.backlog.lock() = backlog;
                return Ok(());
            }
            State::Connected(_) => return Err(Errno::EINVAL),
        };
        let l = Arc::new(Listener {
            queue: Mutex::new(VecDeque::new()),
            backlog: Mutex::new(backlog),
            wq: self.wq.clone(),
        });
        self.net.listen(addr.port(), l.clone());
        *self.reserved.lock() = None;
        *st = State::Listening(addr, l);
        Ok(())
    }

    /// Take one pending connection: `EAGAIN` if none, `EINVAL` if not
    /// listening. Returns the new socket and the peer's address.
    pub fn try_accept(&self, id: u64) -> KResult<(Arc<Socket>, SocketAddr)> {
        let st = self.state.lock();
        let State::Listening(_, l) = &*st else { return Err(Errno::EINVAL) };
        let end = l.queue.lock().pop_front().ok_or(Errno::EAGAIN)?;
        let peer = end.peer;
        // The server end was created with a fresh queue; adopt it.
        let wq = end.queue_arc();
        Ok((Socket::connected(self.net.clone(), end, wq, id), peer))
    }

    /// `connect(2)` to a guest listener of this VM. `ECONNREFUSED` if
    /// nothing listens; `EISCONN` if connected; `EACCES` for addresses
    /// outside the VM (outbound access goes through the host policy).
    pub fn connect(&self, addr: SocketAddr) -> KResult<()> {
        let mut st = self.state.lock();
        let local = match &*st {
            State::Connected(_) => return Err(Errno::EISCONN),
            State::Listening(..) => return Err(Errno::EINVAL),
            State::Bound(a) => *a,
            State::Unbound => {
                let port = self.net.reserve(0)?;
                *self.reserved.lock() = Some(port);
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)
            }
        };
        if !is_local(&addr.ip()) {
            // The VM is closed to the host network unless a policy opens it.
            return Err(Errno::EACCES);
        }
        let l = self.net.listener(addr.port()).ok_or(Errno::ECONNREFUSED)?;
        let (client, server) = pair(local, addr, self.wq.clone(), Arc::new(WaitQueue::new()));
        l.enqueue(server)?;
        *st = State::Connected(client);
        Ok(())
    }

    /// `connect(2)` to an address outside the VM, through the host's
    /// connector of `egress` (the caller has checked the address; `EAGAIN`
    /// past [`super::egress::MAX_OUTBOUND`] live connections). Blocks until the
    /// host connection is made or fails (`ECONNREFUSED`, `ETIMEDOUT`, …).
    /// The guest sees an ordinary connected socket: reads, writes,
    /// readiness and half-close work on its end of a [`pair`] whose other
    /// end the host pumps to and from the real connection.
    /// With `tls`, the host also runs a TLS handshake and the guest's end
    /// carries plaintext.
    pub fn connect_out(&self, egress: &Egress, addr: SocketAddr, tls: Option<&TlsClient>) -> Result<(), ConnectError> {
        let local = {
            let st = self.state.lock();
            match &*st {
                State::Connected(_) => return Err(Errno::EISCONN.into()),
                State::Listening(..) => return Err(Errno::EINVAL.into()),
                State::Bound(a) => *a,
                State::Unbound => {
                    let port = self.net.reserve(0)?;
                    let any =
                        if addr.is_ipv4() { IpAddr::V4(Ipv4Addr::UNSPECIFIED) } else { Ipv6Addr::UNSPECIFIED.into() };
                    *self.reserved.lock() = Some(port);
                    let a = SocketAddr::new(any, port);
                    // Bound from now on, so a retry keeps the port.
                    drop(st);
                    *self.state.lock() = State::Bound(a);
                    a
                }
            }
        };
        // The state lock is not held while the host connects: that may
        // take a while, and readiness checks must not wait for it.
        let slot = egress.slot()?;
        let (client, server) = pair(local, addr, self.wq.clone(), Arc::new(WaitQueue::new()));
        let conn = HostConn::with_slot(server, slot);
        match tls {
            Some(tls) => egress.connector().connect_tls(addr, conn, tls)?,
            None => egress.connector().connect(addr, conn)?,
        }
        let mut st = self.state.lock();
        if !matches!(*st, State::Bound(_)) {
            return Err(Errno::EISCONN.into());
        }
        *st = State::Connected(client);
        drop(st);
        self.wq.notify_all();
        Ok(())
    }

    /// Mark a background connect as started: `EALREADY` if one runs,
    /// `EISCONN` if connected.
    pub(crate) fn start_pending(&self) -> KResult<()> {
        let mut p = self.pending.lock();
        if matches!(*p, Some(None)) {
            return Err(Errno::EALREADY);
        }
        if matches!(*self.state.lock(), State::Connected(_)) {
            return Err(Errno::EISCONN);
        }
        *p = Some(None);
        Ok(())
    }

    /// Record the outcome of the background connect and wake pollers.
    pub(crate) fn finish_pending(&self, r: Result<SocketAddr, ConnectError>) {
        *self.pending.lock() = Some(Some(r));
        self.wq.notify_all();
    }

    /// The background connect's outcome: `None` while it runs (or if none
    /// was started: `Some(Err(ENOTCONN))`).
    pub(crate) fn pending_result(&self) -> Option<Result<SocketAddr, ConnectError>> {
        match &*self.pending.lock() {
            Some(None) => None,
            Some(Some(r)) => Some(r.clone()),
            None => Some(Err(Errno::ENOTCONN.into())),
        }
    }

    /// `shutdown(2)`: `read`, `write` or both. `ENOTCONN` if not connected.
    pub fn shutdown(&self, read: bool, write: bool) -> KResult<()> {
        let st = self.state.lock();
        let State::Connected(c) = &*st else { return Err(Errno::ENOTCONN) };
        if write {
            c.shutdown_write();
        }
        if read {
            c.shutdown_read();
        }
        Ok(())
    }

    /// `getsockname(2)`.
    pub fn local_addr(&self) -> SocketAddr {
        match &*self.state.lock() {
            State::Unbound => any_addr(0),
            State::Bound(a) | State::Listening(a, _) => *a,
            State::Connected(c) => c.local,
        }
    }

    /// `getpeername(2)`: `ENOTCONN` if not connected.
    pub fn peer_addr(&self) -> KResult<SocketAddr> {
        match &*self.state.lock() {
            State::Connected(c) => Ok(c.peer),
            _ => Err(Errno::ENOTCONN),
        }
    }

    /// Whether this socket is listening.
    pub fn is_listening(&self) -> bool {
        matches!(*self.state.lock(), State::Listening(..))
    }
}

impl Stream for Socket {
    fn try_read(&self, buf: &mut [u8]) -> KResult<usize> {
        match &*self.state.lock() {
            State::Connected(c) => c.try_read(buf),
            _ => Err(Errno::ENOTCONN),
        }
    }

    fn try_write(&self, buf: &[u8]) -> KResult<usize> {
        match &*self.state.lock() {
            State::Connected(c) => c.try_write(buf),
            _ => Err(Errno::ENOTCONN),
        }
    }

    fn poll(&self) -> u32 {
        match &*self.pending.lock() {
            // Writable once the connect is done, as for a TCP connect.
            Some(None) => return 0,
            Some(Some(Err(_))) => return poll::OUT | poll::ERR,
            _ => {}
        }
        match &*self.state.lock() {
            State::Connected(c) => c.poll(),
            State::Listening(_, l) => {
                if l.queue.lock().is_empty() {
                    0
                } else {
                    poll::IN
                }
            }
            _ => poll::OUT | poll::HUP,
        }
    }

    fn wait_queue(&self) -> &WaitQueue {
        &self.wq
    }

    fn stat(&self) -> Stat {
        anon_stat(S_IFSOCK | 0o777, self.id)
    }

    fn describe(&self) -> String {
        format!("socket:[{}]", self.id)
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        if let State::Listening(a, _) = &*self.state.lock() {
            self.net.unlisten(a.port());
        }
        if let Some(p) = self.reserved.lock().take() {
            self.net.release(p);
        }
    }
}
