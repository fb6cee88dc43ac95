//! Pipes: a 64 KiB buffer between a read end and a write end.
//!
//! Analogue: Linux `fs/pipe.c`. Writes of at most `PIPE_BUF` bytes are
//! atomic; reading returns EOF once every write end is closed; writing with
//! every read end closed fails with `EPIPE` (and the kernel sends `SIGPIPE`).

use std::collections::VecDeque;
use std::sync::Arc;

use parking_lot::Mutex;

use super::{Stream, anon_stat, poll};
use crate::abi::{Errno, KResult, PIPE_BUF, PIPE_CAPACITY, S_IFIFO, Stat};
use crate::wait::WaitQueue;

struct PipeState {
    buf: VecDeque<u8>,
    readers: usize,
    writers: usize,
}

/// The shared buffer of a pipe.
pub struct Pipe {
    id: u64,
    state: Mutex<PipeState>,
    wq: WaitQueue,
    /// Called when the pipe is gone, to release the VM's pipe count.
    on_free: Option<Box<dyn Fn() + Send + Sync>>,
}

impl Pipe {
    /// A new pipe; returns its two ends.
    pub fn create(id: u64, on_free: Option<Box<dyn Fn() + Send + Sync>>) -> (Arc<PipeReader>, Arc<PipeWriter>) {
        let p = Arc::new(Pipe {
            id,
            state: Mutex::new(PipeState { buf: VecDeque::new(), readers: 1, writers: 1 }),
            wq: WaitQueue::new(),
            on_free,
        });
        (Arc::new(PipeReader(p.clone())), Arc::new(PipeWriter(p)))
    }

    fn stat(&self) -> Stat {
        let mut st = anon_stat(S_IFIFO | 0o600, self.id);
        st.size = self.state.lock().buf.len() as u64;
        st
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        if let Some(f) = &self.on_free {
            f();
        }
    }
}

/// The read end of a pipe.
pub struct PipeReader(Arc<Pipe>);
/// The write end of a pipe.
pub struct PipeWriter(Arc<Pipe>);

impl Stream for PipeReader {
    fn try_read(&self, buf: &mut [u8]) -> KResult<usize> {
        let mut st = self.0.state.lock();
        if st.buf.is_empty() {
            return if st.writers == 0 || buf.is_empty() { Ok(0) } else { Err(Errno::EAGAIN) };
        }
        let n = buf.len().min(st.buf.len());
        let (a, b) = st.buf.as_slices();
        let na = n.min(a.len());
        buf[..na].copy_from_slice(&a[..na]);
        if n > na {
            buf[na..n].copy_from_slice(&b[..n - na]);
        }
        st.buf.drain(..n);
        drop(st);
        self.0.wq.notify_all();
        Ok(n)
    }

    fn try_write(&self, _buf: &[u8]) -> KResult<usize> {
        Err(Errno::EBADF)
    }

    fn poll(&self) -> u32 {
        let st = self.0.state.lock();
        let mut m = 0;
        if !st.buf.is_empty() {
            m |= poll::IN;
        }
        if st.writers == 0 {
            m |= poll::HUP;
        }
        m
    }

    fn wait_queue(&self) -> &WaitQueue {
        &self.0.wq
    }

    fn stat(&self) -> Stat {
        self.0.stat()
    }

    fn describe(&self) -> String {
        format!("pipe:[{}]", self.0.id)
    }
}

impl Drop for PipeReader {
    fn drop(&mut self) {
        self.0.state.lock().readers -= 1;
        self.0.wq.notify_all();
    }
}

impl Stream for PipeWriter {
    fn try_read(&self, _buf: &mut [u8]) -> KResult<usize> {
        Err(Errno::EBADF)
    }

    fn try_write(&self, buf: &[u8]) -> KResult<usize> {
        let mut st = self.0.state.lock();
        if st.readers == 0 {
            return Err(Errno::EPIPE);
        }
        if buf.is_empty() {
            return Ok(0);
        }
        let room = PIPE_CAPACITY - st.buf.len();
        if room == 0 || (buf.len() <= PIPE_BUF && room < buf.len()) {
            return Err(Errno::EAGAIN);
        }
        let n = room.min(buf.len());
        st.buf.extend(&buf[..n]);
        drop(st);
        self.0.wq.notify_all();
        Ok(n)
    }

    fn poll(&self) -> u32 {
        let st = self.0.state.lock();
        if st.readers == 0 {
            return poll::ERR | poll::OUT;
        }
        if PIPE_CAPACITY - st.buf.len() >= PIPE_BUF { poll::OUT } else { 0 }
    }

    fn wait_queue(&self) -> &WaitQueue {
        &self.0.wq
    }

    fn stat(&self) -> Stat {
        self.0.stat()
    }

    fn describe(&self) -> String {
        format!("pipe:[{}]", self.0.id)
    }
}

impl Drop for PipeWriter {
    fn drop(&mut self) {
        self.0.state.lock().writers -= 1;
        self.0.wq.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eof_after_writer_closes_and_epipe_after_reader_closes() {
        let (r, w) = Pipe::create(1, None);
        assert_eq!(w.try_write(b"hi"), Ok(2));
        let mut b = [0u8; 8];
        assert_eq!(r.try_read(&mut b), Ok(2));
        assert_eq!(r.try_read(&mut b), Err(Errno::EAGAIN));
        drop(w);
        assert_eq!(r.try_read(&mut b), Ok(0));
        let (r, w) = Pipe::create(2, None);
        drop(r);
        assert_eq!(w.try_write(b"x"), Err(Errno::EPIPE));
    }

    #[test]
    fn capacity_and_atomic_small_writes() {
        let (r, w) = Pipe::create(1, None);
        let big = vec![7u8; PIPE_CAPACITY + 10];
        assert_eq!(w.try_write(&big), Ok(PIPE_CAPACITY));
        assert_eq!(w.try_write(b"x"), Err(Errno::EAGAIN));
        let mut b = vec![0u8; 10];
        assert_eq!(r.try_read(&mut b), Ok(10));
        // 10 bytes free: a 20-byte (<= PIPE_BUF) write must not be split.
        assert_eq!(w.try_write(&[1u8; 20]), Err(Errno::EAGAIN));
        assert_eq!(w.try_write(&[1u8; 10]), Ok(10));
    }
}
