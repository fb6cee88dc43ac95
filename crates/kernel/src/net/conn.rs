//! A connection: two bounded byte channels, one per direction, and the
//! two ends that use them.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use parking_lot::Mutex;

use super::SOCKET_BUFFER;
use crate::abi::{Errno, KResult};
use crate::file::poll;
use crate::wait::{Registration, WaitQueue, Waiter};

#[derive(Default)]
struct Chan {
    buf: VecDeque<u8>,
    /// The writer shut down or closed: reads drain, then see EOF.
    write_closed: bool,
    /// The reader is gone: writes fail with `EPIPE`.
    read_closed: bool,
}

struct Shared {
    /// `dirs[0]` carries bytes from end 0 to end 1; `dirs[1]` the reverse.
    dirs: [Mutex<Chan>; 2],
    /// One queue per end (the owning socket's), each notified on any
    /// change.
    wqs: [Arc<WaitQueue>; 2],
}

impl Shared {
    fn notify(&self) {
        self.wqs[0].notify_all();
        self.wqs[1].notify_all();
    }
}

/// One end of a connection.
pub struct ConnEnd {
    shared: Arc<Shared>,
    side: usize,
    pub local: SocketAddr,
    pub peer: SocketAddr,
}

/// A connected pair: (client end, server end).
pub(super) fn pair(
    client: SocketAddr,
    server: SocketAddr,
    client_wq: Arc<WaitQueue>,
    server_wq: Arc<WaitQueue>,
) -> (ConnEnd, ConnEnd) {
    let shared = Arc::new(Shared { dirs: Default::default(), wqs: [client_wq, server_wq] });
    (
        ConnEnd { shared: shared.clone(), side: 0, local: client, peer: server },
        ConnEnd { shared, side: 1, local: server, peer: client },
    )
}

impl ConnEnd {
    /// Read what is buffered; `Ok(0)` at EOF; `EAGAIN` if nothing yet.
    pub fn try_read(&self, buf: &mut [u8]) -> KResult<usize> {
        let mut ch = self.shared.dirs[1 - self.side].lock();
        if ch.buf.is_empty() {
            return if ch.write_closed || ch.read_closed || buf.is_empty() { Ok(0) } else { Err(Errno::EAGAIN) };
        }
        let n = buf.len().min(ch.buf.len());
        for (d, s) in buf.iter_mut().zip(ch.buf.drain(..n)) {
            *d = s;
        }
        drop(ch);
        self.shared.notify();
        Ok(n)
    }

    /// Write what fits; `EAGAIN` when the buffer is full; `EPIPE` when the
    /// peer will never read it or we shut down writing.
    pub fn try_write(&self, buf: &[u8]) -> KResult<usize> {
        let mut ch = self.shared.dirs[self.side].lock();
        if ch.read_closed || ch.write_closed {
            return Err(Errno::EPIPE);
        }
        let room = SOCKET_BUFFER.saturating_sub(ch.buf.len());
        if room == 0 {
            return Err(Errno::EAGAIN);
        }
        let n = room.min(buf.len());
        ch.buf.extend(&buf[..n]);
        drop(ch);
        self.shared.notify();
        Ok(n)
    }

    /// `shutdown(SHUT_WR)`: the peer reads EOF after the buffered bytes.
    pub fn shutdown_write(&self) {
        self.shared.dirs[self.side].lock().write_closed = true;
        self.shared.notify();
    }

    /// `shutdown(SHUT_RD)`: further peer writes fail.
    pub fn shutdown_read(&self) {
        let mut ch = self.shared.dirs[1 - self.side].lock();
        ch.read_closed = true;
        ch.buf.clear();
        drop(ch);
        self.shared.notify();
    }

    /// Whether the peer will never read what this end writes.
    fn peer_reader_gone(&self) -> bool {
        self.shared.dirs[self.side].lock().read_closed
    }

    /// Readiness bits.
    pub fn poll(&self) -> u32 {
        let mut m = 0;
        {
            let inc = self.shared.dirs[1 - self.side].lock();
            if !inc.buf.is_empty() || inc.write_closed {
                m |= poll::IN;
            }
            if inc.write_closed {
                m |= poll::HUP;
            }
        }
        let out = self.shared.dirs[self.side].lock();
        if out.read_closed {
            m |= poll::ERR | poll::OUT;
        } else if out.buf.len() < SOCKET_BUFFER {
            m |= poll::OUT;
        }
        m
    }

    /// Notified on every change of this connection.
    pub fn wait_queue(&self) -> &WaitQueue {
        &self.shared.wqs[self.side]
    }

    /// This end's queue, shared.
    pub(super) fn queue_arc(&self) -> Arc<WaitQueue> {
        self.shared.wqs[self.side].clone()
    }
}

impl Drop for ConnEnd {
    fn drop(&mut self) {
        self.shared.dirs[self.side].lock().write_closed = true;
        let mut inc = self.shared.dirs[1 - self.side].lock();
        inc.read_closed = true;
        inc.buf.clear();
        drop(inc);
        self.shared.notify();
    }
}

/// The host's end of a connection to a guest listener, with blocking
/// reads and writes for host threads (never for guest tasks).
pub struct HostConn {
    end: Arc<ConnEnd>,
    waiter: Arc<Waiter>,
    /// The outbound-connection slot this connection holds, if any; freed
    /// when the last handle goes.
    slot: Option<Arc<super::egress::Slot>>,
}

impl HostConn {
    pub(super) fn new(end: ConnEnd) -> HostConn {
        HostConn { end: Arc::new(end), waiter: Waiter::new(), slot: None }
    }

    pub(super) fn with_slot(end: ConnEnd, slot: super::egress::Slot) -> HostConn {
        HostConn { end: Arc::new(end), waiter: Waiter::new(), slot: Some(Arc::new(slot)) }
    }

    /// Another handle on the same end, for a second host thread (each
    /// blocks on its own waiter). The end closes when the last handle
    /// is dropped.
    pub fn handle(&self) -> HostConn {
        HostConn { end: self.end.clone(), waiter: Waiter::new(), slot: self.slot.clone() }
    }

    /// Wait until the guest will never read again (it closed the socket
    /// or shut down reading).
    pub fn wait_reader_gone(&self) {
        let _ = self.block(None, || if self.end.peer_reader_gone() { Ok(()) } else { Err(Errno::EAGAIN) });
    }

    fn block<T>(&self, deadline: Option<Instant>, mut f: impl FnMut() -> KResult<T>) -> KResult<T> {
        let mut reg = Registration::new(&self.waiter);
        reg.add(self.end.wait_queue());
        loop {
            let seen = self.waiter.generation();
            match f() {
                Err(Errno::EAGAIN) => {}
                r => return r,
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(Errno::ETIMEDOUT);
            }
            self.waiter.wait(seen, deadline);
        }
    }

    /// Write all of `data`, waiting for room.
    pub fn write_all(&self, mut data: &[u8], deadline: Option<Instant>) -> KResult<()> {
        while !data.is_empty() {
            let n = self.block(deadline, || self.end.try_write(data))?;
            data = &data[n..];
        }
        Ok(())
    }

    /// Read some bytes, waiting for them; `Ok(0)` at EOF.
    pub fn read(&self, buf: &mut [u8], deadline: Option<Instant>) -> KResult<usize> {
        self.block(deadline, || self.end.try_read(buf))
    }

    /// Half-close: the guest reads EOF.
    pub fn shutdown_write(&self) {
        self.end.shutdown_write();
    }
}
