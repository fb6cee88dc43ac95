//! Socket calls: `socket`, `bind`, `listen`, `accept`, `connect`,
//! `shutdown`, `getsockname`, `getpeername`. Reads and writes use the
//! ordinary descriptor calls.

use std::net::SocketAddr;
use std::sync::Arc;

use super::Task;
use crate::abi::{Errno, Fd, KResult, OFlags};
use crate::file::{OpenFile, Stream};
use crate::net::{SockType, Socket};

impl Task {
    fn socket_of(&self, fd: Fd) -> KResult<(Arc<OpenFile>, Arc<Socket>)> {
        let f = self.file(fd)?;
        let s = f.stream_ref().cloned().ok_or(Errno::ENOTSOCK)?;
        let sock = downcast_socket(&s).ok_or(Errno::ENOTSOCK)?;
        Ok((f, sock))
    }

    /// `socket(2)`.
    pub fn socket(&self, kind: SockType, flags: OFlags) -> KResult<Fd> {
        let s = Socket::new(self.kernel.net.clone(), kind, self.kernel.next_socket_id());
        let nb = OFlags(flags.0 & OFlags::NONBLOCK.0);
        self.install(OpenFile::stream(s, OFlags::RDWR | nb), flags.contains(OFlags::CLOEXEC))
    }

    /// `bind(2)`.
    pub fn bind(&self, fd: Fd, addr: SocketAddr) -> KResult<()> {
        self.socket_of(fd)?.1.bind(addr)
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

    /// `connect(2)`.
    pub fn connect(&self, fd: Fd, addr: SocketAddr) -> KResult<()> {
        self.check_signals(true)?;
        self.permit_net("connect", &addr)?;
        self.socket_of(fd)?.1.connect(addr)
    }

    /// `shutdown(2)`.
    pub fn shutdown(&self, fd: Fd, read: bool, write: bool) -> KResult<()> {
        self.socket_of(fd)?.1.shutdown(read, write)
    }

    /// `getsockname(2)`.
    pub fn getsockname(&self, fd: Fd) -> KResult<SocketAddr> {
        Ok(self.socket_of(fd)?.1.local_addr())
    }

    /// `getpeername(2)`.
    pub fn getpeername(&self, fd: Fd) -> KResult<SocketAddr> {
        self.socket_of(fd)?.1.peer_addr()
    }
}

/// The socket behind a stream, if it is one.
fn downcast_socket(s: &Arc<dyn Stream>) -> Option<Arc<Socket>> {
    s.clone().as_any_arc().downcast::<Socket>().ok()
}
