//! Datagram sockets on the VM's loopback: UDP-like messages between
//! sockets of one VM, with their own port space (as UDP's is apart from
//! TCP's).
//!
//! Analogue: Linux's UDP over `lo` (`net/ipv4/udp.c`), reduced to what
//! programs observe: message boundaries (a read takes one datagram, and
//! the part that does not fit the buffer is discarded), `EADDRINUSE`,
//! `EMSGSIZE` past 65507 bytes, a connected socket that only hears its
//! peer, and a bounded receive queue that **drops** what does not fit, as
//! Linux does when a socket's receive buffer is full. A datagram to a port
//! nobody holds is lost; on a connected socket that is `ECONNREFUSED` at
//! once (Linux reports the ICMP error on the next call instead). Nothing
//! leaves the VM: addresses outside it are `EACCES`.
//!
//! Lock order: the port table, then a socket's state, then its queue.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Weak};

use parking_lot::Mutex;

use super::{EPHEMERAL_START, Network, is_local};
use crate::abi::{Errno, KResult, S_IFSOCK, Stat};
use crate::file::{Stream, anon_stat, poll};
use crate::wait::WaitQueue;

/// Bytes of queued datagrams per socket before new ones are dropped
/// (Linux's default `rmem_default`).
pub const DGRAM_QUEUE: usize = 212_992;
/// The largest datagram (UDP over IPv4).
pub const DGRAM_MAX: usize = 65_507;

/// Queued datagrams with their senders, and their total bytes.
type Queue = (VecDeque<(SocketAddr, Vec<u8>)>, usize);

/// A socket's receive queue, what the port table points at.
pub(super) struct Inbox {
    msgs: Mutex<Queue>,
    /// Only datagrams from here are accepted (a connected socket).
    peer: Mutex<Option<SocketAddr>>,
    wq: WaitQueue,
    dropped: Mutex<u64>,
}

impl Inbox {
    fn deliver(&self, from: SocketAddr, data: &[u8]) {
        if self.peer.lock().is_some_and(|p| p.port() != from.port()) {
            return;
        }
        let mut q = self.msgs.lock();
        if q.1 + data.len() > DGRAM_QUEUE {
            *self.dropped.lock() += 1;
            return;
        }
        q.1 += data.len();
        q.0.push_back((from, data.to_vec()));
        drop(q);
        self.wq.notify_all();
    }
}

/// The datagram ports of one VM.
#[derive(Default)]
pub(super) struct DgramPorts {
    ports: Mutex<HashMap<u16, Weak<Inbox>>>,
    next: Mutex<u16>,
}

impl DgramPorts {
    fn bind(&self, port: u16, inbox: &Arc<Inbox>) -> KResult<u16> {
        let mut ports = self.ports.lock();
        ports.retain(|_, w| w.strong_count() > 0);
        if port != 0 {
            if ports.contains_key(&port) {
                return Err(Errno::EADDRINUSE);
            }
            ports.insert(port, Arc::downgrade(inbox));
            return Ok(port);
        }
        let mut next = self.next.lock();
        for _ in 0..(u16::MAX - EPHEMERAL_START) {
            if *next < EPHEMERAL_START {
                *next = EPHEMERAL_START;
            }
            let p = *next;
            *next = next.wrapping_add(1);
            if let std::collections::hash_map::Entry::Vacant(e) = ports.entry(p) {
                e.insert(Arc::downgrade(inbox));
                return Ok(p);
            }
        }
        Err(Errno::EADDRINUSE)
    }

    fn release(&self, port: u16) {
        self.ports.lock().remove(&port);
    }

    fn inbox(&self, port: u16) -> Option<Arc<Inbox>> {
        self.ports.lock().get(&port).and_then(Weak::upgrade)
    }
}

/// A datagram socket.
pub struct DgramSocket {
    net: Arc<Network>,
    local: Mutex<Option<SocketAddr>>,
    inbox: Arc<Inbox>,
    id: u64,
}

impl DgramSocket {
    pub fn new(net: Arc<Network>, id: u64) -> Arc<DgramSocket> {
        let inbox = Arc::new(Inbox {
            msgs: Mutex::new((VecDeque::new(), 0)),
            peer: Mutex::new(None),
            wq: WaitQueue::new(),
            dropped: Mutex::new(0),
        });
        Arc::new(DgramSocket { net, local: Mutex::new(None), inbox, id })
    }

    /// `bind(2)`: `EADDRNOTAVAIL` outside the VM, `EADDRINUSE` if the port
    /// is held, `EINVAL` if already bound.
    pub fn bind(&self, addr: SocketAddr) -> KResult<()> {
        let mut local = self.local.lock();
        if local.is_some() {
            return Err(Errno::EINVAL);
        }
        if !is_local(&addr.ip()) {
            return Err(Errno::EADDRNOTAVAIL);
        }
        let port = self.net.dgram.bind(addr.port(), &self.inbox)?;
        *local = Some(SocketAddr::new(addr.ip(), port));
        Ok(())
    }

    /// Bind an ephemeral port if unbound, in `dst`'s family.
    fn autobind(&self, dst: &SocketAddr) -> KResult<SocketAddr> {
        if let Some(a) = *self.local.lock() {
            return Ok(a);
        }
        let any = if dst.is_ipv4() { IpAddr::V4(Ipv4Addr::UNSPECIFIED) } else { Ipv6Addr::UNSPECIFIED.into() };
        self.bind(SocketAddr::new(any, 0))?;
        self.local.lock().ok_or(Errno::EINVAL)
    }

    /// `connect(2)`: the default destination, and the only source heard.
    pub fn connect(&self, addr: SocketAddr) -> KResult<()> {
        if !is_local(&addr.ip()) {
            return Err(Errno::EACCES);
        }
        self.autobind(&addr)?;
        *self.inbox.peer.lock() = Some(addr);
        Ok(())
    }

    /// The connected peer: `ENOTCONN` if none.
    pub fn peer_addr(&self) -> KResult<SocketAddr> {
        self.inbox.peer.lock().ok_or(Errno::ENOTCONN)
    }

    /// `getsockname(2)`.
    pub fn local_addr(&self) -> SocketAddr {
        self.local.lock().unwrap_or_else(|| SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), 0))
    }

    /// `sendto(2)`: one datagram to `to` (the connected peer when `None`:
    /// `EDESTADDRREQ` if there is none). `EMSGSIZE` past [`DGRAM_MAX`];
    /// `EACCES` outside the VM; never blocks.
    pub fn send_to(&self, data: &[u8], to: Option<SocketAddr>) -> KResult<usize> {
        let peer = *self.inbox.peer.lock();
        let dst = to.or(peer).ok_or(Errno::EDESTADDRREQ)?;
        if data.len() > DGRAM_MAX {
            return Err(Errno::EMSGSIZE);
        }
        if !is_local(&dst.ip()) {
            return Err(Errno::EACCES);
        }
        let local = self.autobind(&dst)?;
        let from_ip = match local.ip() {
            ip if !ip.is_unspecified() => ip,
            _ if dst.is_ipv4() => Ipv4Addr::LOCALHOST.into(),
            _ => Ipv6Addr::LOCALHOST.into(),
        };
        match self.net.dgram.inbox(dst.port()) {
            Some(inbox) => inbox.deliver(SocketAddr::new(from_ip, local.port()), data),
            None if peer.is_some() && to.is_none() => return Err(Errno::ECONNREFUSED),
            None => {}
        }
        Ok(data.len())
    }

    /// `recvfrom(2)`, non-blocking: one datagram (truncated to `buf`) and
    /// its sender; `EAGAIN` if none is queued.
    pub fn try_recv_from(&self, buf: &mut [u8]) -> KResult<(usize, SocketAddr)> {
        let mut q = self.inbox.msgs.lock();
        let (from, msg) = q.0.pop_front().ok_or(Errno::EAGAIN)?;
        q.1 -= msg.len();
        let n = msg.len().min(buf.len());
        buf[..n].copy_from_slice(&msg[..n]);
        Ok((n, from))
    }

    /// Datagrams dropped because the queue was full.
    pub fn dropped(&self) -> u64 {
        *self.inbox.dropped.lock()
    }
}

impl Stream for DgramSocket {
    fn try_read(&self, buf: &mut [u8]) -> KResult<usize> {
        self.try_recv_from(buf).map(|(n, _)| n)
    }

    fn try_write(&self, buf: &[u8]) -> KResult<usize> {
        self.send_to(buf, None)
    }

    fn poll(&self) -> u32 {
        if self.inbox.msgs.lock().0.is_empty() { poll::OUT } else { poll::IN | poll::OUT }
    }

    fn wait_queue(&self) -> &WaitQueue {
        &self.inbox.wq
    }

    fn stat(&self) -> Stat {
        anon_stat(S_IFSOCK | 0o777, self.id)
    }

    fn describe(&self) -> String {
        format!("socket:[{}]", self.id)
    }
}

impl Drop for DgramSocket {
    fn drop(&mut self) {
        if let Some(a) = *self.local.lock() {
            self.net.dgram.release(a.port());
        }
    }
}
