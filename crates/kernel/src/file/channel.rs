//! Streams whose other end is the host: where a process's output goes when
//! the API captures or streams it, and where API-written stdin comes from.
//! Neither ever blocks the guest on the host: output is handed to a sink
//! immediately, input is queued.

use std::collections::VecDeque;
use std::sync::Arc;

use parking_lot::Mutex;

use super::{Stream, anon_stat, poll};
use crate::abi::{Errno, KResult, S_IFIFO, Stat};
use crate::wait::WaitQueue;

/// Receives a process's output bytes, in order.
pub trait OutputSink: Send + Sync {
    fn write(&self, data: &[u8]);
}

impl<F: Fn(&[u8]) + Send + Sync> OutputSink for F {
    fn write(&self, data: &[u8]) {
        self(data)
    }
}

/// Guest-writable stream delivering to a host [`OutputSink`].
pub struct OutputChannel {
    sink: Arc<dyn OutputSink>,
    wq: WaitQueue,
}

impl OutputChannel {
    pub fn new(sink: Arc<dyn OutputSink>) -> Arc<OutputChannel> {
        Arc::new(OutputChannel { sink, wq: WaitQueue::new() })
    }
}

impl Stream for OutputChannel {
    fn try_read(&self, _buf: &mut [u8]) -> KResult<usize> {
        Err(Errno::EBADF)
    }
    fn try_write(&self, buf: &[u8]) -> KResult<usize> {
        self.sink.write(buf);
        Ok(buf.len())
    }
    fn poll(&self) -> u32 {
        poll::OUT
    }
    fn wait_queue(&self) -> &WaitQueue {
        &self.wq
    }
    fn stat(&self) -> Stat {
        anon_stat(S_IFIFO | 0o600, 0)
    }
    fn describe(&self) -> String {
        "pipe:[host]".to_string()
    }
}

#[derive(Default)]
struct InputState {
    queue: VecDeque<u8>,
    closed: bool,
}

/// Guest-readable stream fed by the host: [`InputChannel::push`] queues
/// bytes, [`InputChannel::close`] ends the input.
#[derive(Default)]
pub struct InputChannel {
    state: Mutex<InputState>,
    wq: WaitQueue,
}

impl InputChannel {
    pub fn new() -> Arc<InputChannel> {
        Arc::new(InputChannel::default())
    }

    /// Queue bytes for the guest. `EPIPE` after [`InputChannel::close`].
    pub fn push(&self, data: &[u8]) -> KResult<()> {
        let mut st = self.state.lock();
        if st.closed {
            return Err(Errno::EPIPE);
        }
        st.queue.extend(data);
        drop(st);
        self.wq.notify_all();
        Ok(())
    }

    /// End of input: the guest reads EOF once the queue drains.
    pub fn close(&self) {
        self.state.lock().closed = true;
        self.wq.notify_all();
    }
}

impl Stream for InputChannel {
    fn try_read(&self, buf: &mut [u8]) -> KResult<usize> {
        let mut st = self.state.lock();
        if st.queue.is_empty() {
            return if st.closed || buf.is_empty() { Ok(0) } else { Err(Errno::EAGAIN) };
        }
        let n = buf.len().min(st.queue.len());
        for (dst, src) in buf.iter_mut().zip(st.queue.drain(..n)) {
            *dst = src;
        }
        Ok(n)
    }
    fn try_write(&self, _buf: &[u8]) -> KResult<usize> {
        Err(Errno::EBADF)
    }
    fn poll(&self) -> u32 {
        let st = self.state.lock();
        let mut m = 0;
        if !st.queue.is_empty() {
            m |= poll::IN;
        }
        if st.closed {
            m |= poll::HUP;
        }
        m
    }
    fn wait_queue(&self) -> &WaitQueue {
        &self.wq
    }
    fn stat(&self) -> Stat {
        anon_stat(S_IFIFO | 0o600, 0)
    }
    fn describe(&self) -> String {
        "pipe:[host]".to_string()
    }
}
