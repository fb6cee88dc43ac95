//! Open file descriptions and the streams behind non-file descriptors.
//!
//! Analogue: Linux `struct file`. An [`OpenFile`] is shared by every
//! descriptor `dup`ed or inherited from the one `open` created, so they share
//! the offset and status flags, as on Linux.

mod channel;
mod device;
mod pipe;
pub mod pty;
pub mod termios;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use parking_lot::Mutex;

use crate::abi::{KResult, OFlags, Stat};
use crate::vfs::Vnode;
use crate::wait::WaitQueue;

pub use channel::{InputChannel, OutputChannel, OutputSink};
pub use device::{Device, makedev, open_device};
pub use pipe::{Pipe, PipeReader, PipeWriter};
pub use pty::{Pty, PtyMaster, PtySlave};

/// Readiness bits, as `poll(2)` reports them.
pub mod poll {
    pub const IN: u32 = 0x1;
    pub const OUT: u32 = 0x4;
    pub const ERR: u32 = 0x8;
    pub const HUP: u32 = 0x10;
}

/// A byte stream that is not a regular file: pipe ends, devices, host
/// channels, sockets and terminals.
///
/// `try_read`/`try_write` never block: they return `EAGAIN` when they would,
/// and the kernel sleeps on [`Stream::wait_queue`] for blocking descriptors.
pub trait Stream: Send + Sync + AsAnyArc {
    /// Read available bytes; `Ok(0)` is end of file; `EAGAIN` if none yet.
    fn try_read(&self, buf: &mut [u8]) -> KResult<usize>;
    /// Write what fits; `EAGAIN` if nothing fits yet; `EPIPE` if nobody will
    /// ever read it (the kernel then raises `SIGPIPE`).
    fn try_write(&self, buf: &[u8]) -> KResult<usize>;
    /// Current readiness ([`poll`] bits).
    fn poll(&self) -> u32;
    /// Notified whenever readiness may have changed.
    fn wait_queue(&self) -> &WaitQueue;
    /// `fstat` of the stream.
    fn stat(&self) -> Stat;
    /// What `/proc/<pid>/fd/<n>` shows, e.g. `pipe:[3]`.
    fn describe(&self) -> String;
    /// Whether this is a terminal.
    fn isatty(&self) -> bool {
        false
    }
}

/// Upcast to `Any` so the kernel can recover a stream's concrete type
/// (a socket behind a descriptor).
pub trait AsAnyArc {
    fn as_any_arc(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync>;
}

impl<T: Stream + 'static> AsAnyArc for T {
    fn as_any_arc(self: Arc<Self>) -> Arc<dyn std::any::Any + Send + Sync> {
        self
    }
}

/// What an open file description refers to.
pub enum FileKind {
    /// A filesystem object, with the canonical path it was opened by.
    Vnode {
        vnode: Vnode,
        path: String,
    },
    Stream(Arc<dyn Stream>),
}

/// An open file description.
pub struct OpenFile {
    pub kind: FileKind,
    flags: AtomicU32,
    /// File offset; also the index of the next entry for directories.
    pub offset: Mutex<u64>,
}

impl OpenFile {
    pub fn new(kind: FileKind, flags: OFlags) -> Arc<OpenFile> {
        let keep =
            flags.0 & !(OFlags::CREAT.0 | OFlags::EXCL.0 | OFlags::TRUNC.0 | OFlags::CLOEXEC.0 | OFlags::NOCTTY.0);
        Arc::new(OpenFile { kind, flags: AtomicU32::new(keep), offset: Mutex::new(0) })
    }

    /// A stream description with the given access mode.
    pub fn stream(s: Arc<dyn Stream>, flags: OFlags) -> Arc<OpenFile> {
        OpenFile::new(FileKind::Stream(s), flags)
    }

    pub fn flags(&self) -> OFlags {
        OFlags(self.flags.load(Ordering::Relaxed))
    }

    /// `fcntl(F_SETFL)`: only `O_APPEND` and `O_NONBLOCK` change.
    pub fn set_status_flags(&self, f: OFlags) {
        let old = self.flags.load(Ordering::Relaxed);
        let new = (old & !OFlags::SETFL_MASK) | (f.0 & OFlags::SETFL_MASK);
        self.flags.store(new, Ordering::Relaxed);
    }

    pub fn stream_ref(&self) -> Option<&Arc<dyn Stream>> {
        match &self.kind {
            FileKind::Stream(s) => Some(s),
            FileKind::Vnode { .. } => None,
        }
    }

    /// What `/proc/<pid>/fd/<n>` shows.
    pub fn describe(&self) -> String {
        match &self.kind {
            FileKind::Vnode { path, .. } => path.clone(),
            FileKind::Stream(s) => s.describe(),
        }
    }

    pub fn stat(&self) -> KResult<Stat> {
        match &self.kind {
            FileKind::Vnode { vnode, .. } => vnode.stat(),
            FileKind::Stream(s) => Ok(s.stat()),
        }
    }
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        if let FileKind::Vnode { vnode, .. } = &self.kind {
            vnode.mount.fs.release(vnode.ino);
        }
    }
}

/// A `Stat` for objects that live outside any filesystem.
pub fn anon_stat(mode: u32, ino: u64) -> Stat {
    Stat {
        dev: 0,
        ino,
        mode,
        nlink: 1,
        uid: 1000,
        gid: 1000,
        rdev: 0,
        size: 0,
        blksize: 4096,
        blocks: 0,
        atime: Default::default(),
        mtime: Default::default(),
        ctime: Default::default(),
        btime: Default::default(),
    }
}
