//! Newline-delimited JSON-RPC 2.0 over a guest process's stdio: the
//! transport of the Agent Client Protocol (one JSON message per line, as
//! ACP's stdio transport and the LSP-style `Content-Length`-free framing of
//! Zed's agents use).
//!
//! The adapter's stdout arrives through the process's output callback, on
//! whatever thread the guest writes from. Each complete line is decoded at
//! once: responses complete the pending request, notifications go to the
//! session (in order, synchronously), and requests from the agent are
//! handed to the Tokio runtime that created the session. A request that
//! gets no answer fails at its timeout; when the process exits, or writes a
//! line that is not JSON, every pending request fails at once with the tail
//! of the process's stderr.
//!
//! Locks: `reading` (reentrant) is held while stdout is decoded and
//! handled, callbacks included; `state` and `stderr` are leaves, never held
//! across a callback.

use std::collections::{HashMap, VecDeque};
use std::sync::Weak;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use parking_lot::{Mutex, ReentrantMutex};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::error::{Error, Result};
use crate::vm::{AgentOs, VmInner};

/// How much of the adapter's stderr is kept for error messages.
const STDERR_TAIL: usize = 4096;

/// What the session wants from the connection's decoded messages.
pub(crate) trait Peer: Send + Sync {
    /// A notification (`session/update` and any other), in arrival order.
    fn notification(&self, message: Value);
    /// A request from the agent; answer it with [`Connection::respond`].
    fn request(&self, id: Value, method: String, params: Value);
}

type Reply = oneshot::Sender<Result<Value>>;

#[derive(Default)]
struct State {
    next_id: u64,
    pending: HashMap<u64, (String, Reply)>,
    /// Why the connection is unusable, once it is.
    closed: Option<String>,
    /// Bytes of an incomplete line.
    partial: Vec<u8>,
}

/// One JSON-RPC connection to an adapter process.
pub(crate) struct Connection {
    vm: Weak<VmInner>,
    pid: AtomicI32,
    state: Mutex<State>,
    stderr: Mutex<VecDeque<u8>>,
    peer: Weak<dyn Peer>,
    /// Held while lines are cut and handled, so that output arriving from
    /// two guest threads (a child sharing the adapter's stdout) is still
    /// handled in the order it was written.
    reading: ReentrantMutex<()>,
}

impl Connection {
    pub(crate) fn new(vm: Weak<VmInner>, peer: Weak<dyn Peer>) -> Connection {
        Connection {
            vm,
            pid: AtomicI32::new(0),
            state: Mutex::new(State { next_id: 1, ..State::default() }),
            stderr: Mutex::new(VecDeque::new()),
            peer,
            reading: ReentrantMutex::new(()),
        }
    }

    pub(crate) fn set_pid(&self, pid: i32) {
        self.pid.store(pid, Ordering::SeqCst);
    }

    /// The adapter's process id (0 before it started).
    pub(crate) fn pid(&self) -> i32 {
        self.pid.load(Ordering::SeqCst)
    }

    pub(crate) fn vm(&self) -> Result<AgentOs> {
        self.vm.upgrade().map(|inner| AgentOs { inner }).ok_or(Error::Disposed)
    }

    /// The last few KiB of the adapter's stderr, as text.
    pub(crate) fn stderr_tail(&self) -> String {
        let tail = self.stderr.lock();
        let (a, b) = tail.as_slices();
        let mut bytes = a.to_vec();
        bytes.extend_from_slice(b);
        // The tail may start inside a UTF-8 sequence.
        let start = bytes.iter().position(|b| (*b as i8) >= -0x40).unwrap_or(bytes.len());
        String::from_utf8_lossy(&bytes[start..]).into_owned()
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::Acp { message: message.into(), stderr_tail: self.stderr_tail() }
    }

    /// Feed bytes the adapter wrote to stderr.
    pub(crate) fn feed_stderr(&self, data: &[u8]) {
        let mut tail = self.stderr.lock();
        tail.extend(data.iter().copied());
        let excess = tail.len().saturating_sub(STDERR_TAIL);
        tail.drain(..excess);
    }

    /// Feed bytes the adapter wrote to stdout.
    pub(crate) fn feed_stdout(&self, data: &[u8]) {
        let _in_order = self.reading.lock();
        let lines: Vec<Vec<u8>> = {
            let mut st = self.state.lock();
            st.partial.extend_from_slice(data);
            let mut lines = Vec::new();
            while let Some(nl) = st.partial.iter().position(|b| *b == b'\n') {
                let rest = st.partial.split_off(nl + 1);
                lines.push(std::mem::replace(&mut st.partial, rest));
            }
            lines
        };
        for line in lines {
            self.handle_line(&line);
        }
    }

    fn handle_line(&self, line: &[u8]) {
        let text = String::from_utf8_lossy(line);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let message: Value = match serde_json::from_str(text) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                let shown: String = text.chars().take(200).collect();
                self.fail_pending(&format!("agent wrote a line that is not JSON-RPC: {shown}"));
                return;
            }
        };
        let Some(peer) = self.peer.upgrade() else { return };
        match (message.get("method").and_then(Value::as_str), message.get("id")) {
            (Some(method), Some(id)) if !id.is_null() => {
                let params = message.get("params").cloned().unwrap_or(Value::Null);
                peer.request(id.clone(), method.to_string(), params);
            }
            (Some(_), _) => peer.notification(message),
            (None, Some(id)) => {
                let waiter = id.as_u64().and_then(|id| self.state.lock().pending.remove(&id));
                if let Some((method, tx)) = waiter {
                    let result = match message.get("error") {
                        Some(err) if !err.is_null() => Err(self.error(format!(
                            "{method} failed: {} (code {})",
                            err.get("message").and_then(Value::as_str).unwrap_or("unknown error"),
                            err.get("code").and_then(Value::as_i64).unwrap_or(0)
                        ))),
                        _ => Ok(message),
                    };
                    let _ = tx.send(result);
                }
            }
            (None, None) => {
                let shown: String = text.chars().take(200).collect();
                self.fail_pending(&format!("agent wrote a message that is not JSON-RPC: {shown}"));
            }
        }
    }

    /// Fail every pending request with `reason` (the connection stays
    /// usable).
    fn fail_pending(&self, reason: &str) {
        let pending: Vec<_> = self.state.lock().pending.drain().collect();
        for (_, (method, tx)) in pending {
            let _ = tx.send(Err(self.error(format!("{method}: {reason}"))));
        }
    }

    /// Mark the connection unusable and fail everything pending.
    pub(crate) fn close(&self, reason: &str) {
        let pending: Vec<_> = {
            let mut st = self.state.lock();
            if st.closed.is_none() {
                st.closed = Some(reason.to_string());
            }
            st.pending.drain().collect()
        };
        for (_, (method, tx)) in pending {
            let _ = tx.send(Err(self.error(format!("{method}: {reason}"))));
        }
    }

    fn write(&self, message: &Value) -> Result<()> {
        let mut line = message.to_string();
        line.push('\n');
        self.vm()?
            .write_process_stdin(self.pid(), line.as_bytes())
            .map_err(|e| self.error(format!("cannot write to the agent: {e}")))
    }

    /// Send a request and wait for its response (the whole JSON-RPC
    /// response object). An error response is an [`Error::Acp`].
    pub(crate) async fn request(&self, method: &str, params: Value, timeout: Duration) -> Result<Value> {
        let (tx, rx) = oneshot::channel();
        let id = {
            let mut st = self.state.lock();
            if let Some(reason) = &st.closed {
                let reason = reason.clone();
                drop(st);
                return Err(self.error(format!("{method}: {reason}")));
            }
            let id = st.next_id;
            st.next_id += 1;
            st.pending.insert(id, (method.to_string(), tx));
            id
        };
        let sent = self.write(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        if let Err(e) = sent {
            self.state.lock().pending.remove(&id);
            return Err(e);
        }
        match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(self.error(format!("{method}: connection dropped"))),
            Err(_) => {
                self.state.lock().pending.remove(&id);
                Err(self.error(format!("{method} timed out after {}", show_duration(timeout))))
            }
        }
    }

    /// Send a notification.
    pub(crate) fn notify(&self, method: &str, params: Value) -> Result<()> {
        if let Some(reason) = self.state.lock().closed.clone() {
            return Err(self.error(format!("{method}: {reason}")));
        }
        self.write(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    /// Answer a request of the agent's: a result, or an error code and
    /// message.
    pub(crate) fn respond(&self, id: Value, result: std::result::Result<Value, (i64, String)>) {
        let message = match result {
            Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
            Err((code, message)) => {
                json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
            }
        };
        // A dead agent cannot be answered; its pending calls fail anyway.
        let _ = self.write(&message);
    }
}

/// `10s`, `250ms`.
pub(crate) fn show_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 { format!("{}s", d.as_secs()) } else { format!("{}ms", d.as_millis()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl Peer for Recorder {
        fn notification(&self, message: Value) {
            self.0.lock().push(format!("note {}", message["params"]));
        }
        fn request(&self, id: Value, method: String, _params: Value) {
            self.0.lock().push(format!("request {id} {method}"));
        }
    }

    #[test]
    fn lines_are_cut_across_writes_and_dispatched() {
        let peer = Arc::new(Recorder::default());
        let weak: Weak<dyn Peer> = Arc::downgrade(&peer) as Weak<dyn Peer>;
        let conn = Connection::new(Weak::new(), weak);
        conn.feed_stdout(b"{\"jsonrpc\":\"2.0\",\"method\":\"n\",\"params\":1}\n{\"jsonrpc\":\"2.0\",\"id\":7,");
        conn.feed_stdout(b"\"method\":\"fs/read_text_file\"}\n\n{\"method\":\"n\",\"params\":2}");
        assert_eq!(*peer.0.lock(), ["note 1", "request 7 fs/read_text_file"]);
        conn.feed_stdout(b"\n");
        assert_eq!(peer.0.lock().len(), 3);
    }

    #[test]
    fn stderr_tail_is_bounded_and_starts_on_a_character() {
        let conn = Connection::new(Weak::new(), Weak::<Recorder>::new() as Weak<dyn Peer>);
        conn.feed_stderr("é".repeat(STDERR_TAIL).as_bytes());
        conn.feed_stderr(b"end\n");
        let tail = conn.stderr_tail();
        assert!(tail.ends_with("é\u{e9}end\n"));
        assert!(tail.len() <= STDERR_TAIL && tail.len() >= STDERR_TAIL - 1);
        assert_eq!(show_duration(Duration::from_millis(300)), "300ms");
        assert_eq!(show_duration(Duration::from_secs(10)), "10s");
    }

    #[tokio::test]
    async fn closed_connections_fail_at_once_with_the_reason() {
        let conn = Connection::new(Weak::new(), Weak::<Recorder>::new() as Weak<dyn Peer>);
        conn.feed_stderr(b"oops\n");
        conn.close("Session closed: s");
        let e = conn.request("session/prompt", json!({}), Duration::from_secs(60)).await.unwrap_err();
        assert_eq!(e, Error::Acp { message: "session/prompt: Session closed: s".into(), stderr_tail: "oops\n".into() });
    }
}
