//! Processes: identity, credentials, working directory, descriptor table,
//! signal state, and the parent/child links `wait` follows.
//!
//! Analogue: Linux `task_struct` (one thread per process here). Each running
//! process is one host thread executing its program; an exited process is a
//! zombie entry until its parent waits for it (or, for children of the
//! virtual init, pid 1, at once).
//!
//! Lock order: the kernel's process table, then a process's `state`, then
//! its `fds`. Never take the table while holding a process lock.

pub mod fdtable;
mod table;

use std::sync::Arc;

use parking_lot::Mutex;

use crate::abi::{Cred, Pid, SigAction, Signal, Timespec, WaitStatus};
use crate::wait::{WaitQueue, Waiter};

pub use fdtable::FdTable;
pub use table::ProcTable;

/// Called once with the final status when a process exits.
pub type ExitHook = Box<dyn FnOnce(WaitStatus) + Send>;

/// Signal dispositions and what is pending.
#[derive(Clone, Debug, Default)]
pub struct SigState {
    pub actions: [SigAction; 32],
    /// Caught signals not yet collected by the program.
    pub pending: u64,
    /// A signal whose default action ends the process; set once.
    pub fatal: Option<Signal>,
    /// A stop signal (default action) the process acts on at its next
    /// kernel call.
    pub stop: Option<Signal>,
    /// Stopped by this signal, until SIGCONT.
    pub stopped: Option<Signal>,
    /// The current stop was reported by `waitpid(WUNTRACED)`.
    pub stop_reported: bool,
    /// Continued by SIGCONT and not yet reported (`WCONTINUED`).
    pub continued: bool,
}

/// Mutable state of a process.
pub struct ProcState {
    pub ppid: Pid,
    pub pgid: Pid,
    pub sid: Pid,
    pub cred: Cred,
    pub umask: u32,
    /// Canonical absolute working directory.
    pub cwd: String,
    pub argv: Vec<String>,
    /// The environment the program started with (for `/proc/<pid>/environ`).
    pub env: Vec<(String, String)>,
    /// Which driver runs it (`"native"`, `"wasm"`, `"node"`).
    pub driver: &'static str,
    pub sig: SigState,
    /// `Some` once exited (a zombie until reaped).
    pub status: Option<WaitStatus>,
    pub children: Vec<Pid>,
    pub start_time: Timespec,
    pub exit_time: Option<Timespec>,
    pub exit_hooks: Vec<ExitHook>,
    /// The controlling terminal (shared by the session; `None` after
    /// `setsid`).
    pub ctty: Option<Arc<crate::file::Pty>>,
    /// The permission tier: inherited, set at exec from the tier table.
    pub tier: crate::policy::Tier,
}

/// A process.
pub struct Process {
    pub pid: Pid,
    /// The sleeping slot of the thread running this process.
    pub waiter: Arc<Waiter>,
    /// Notified when a child changes state (for `waitpid`).
    pub child_wq: WaitQueue,
    pub state: Mutex<ProcState>,
    pub fds: Mutex<FdTable>,
}

impl Process {
    pub fn new(pid: Pid, state: ProcState, fds: FdTable) -> Arc<Process> {
        Arc::new(Process {
            pid,
            waiter: Waiter::new(),
            child_wq: WaitQueue::new(),
            state: Mutex::new(state),
            fds: Mutex::new(fds),
        })
    }

    /// Whether it has exited.
    pub fn exited(&self) -> bool {
        self.state.lock().status.is_some()
    }

    /// Deliver `sig` per the process's dispositions. Returns whether it had
    /// any effect.
    pub fn deliver(&self, sig: Signal) -> bool {
        let mut st = self.state.lock();
        if st.status.is_some() {
            return false;
        }
        let action = if sig.is_uncatchable() { SigAction::Default } else { st.sig.actions[sig.0 as usize & 31] };
        // SIGCONT continues a stopped process whatever its disposition.
        let mut continued = false;
        if sig == Signal::SIGCONT && (st.sig.stop.is_some() || st.sig.stopped.is_some()) {
            st.sig.stop = None;
            st.sig.stopped = None;
            st.sig.continued = true;
            continued = true;
        }
        let effect = continued
            | match action {
                SigAction::Ignore => false,
                SigAction::Catch => {
                    st.sig.pending |= sig.bit();
                    true
                }
                SigAction::Default => {
                    use crate::abi::signal_default::DefaultAction;
                    match sig.default_action() {
                        DefaultAction::Terminate | DefaultAction::CoreDump => {
                            if st.sig.fatal.is_none() {
                                st.sig.fatal = Some(sig);
                            }
                            true
                        }
                        // The process stops itself at its next kernel call
                        // (`Task::check_signals`).
                        DefaultAction::Stop => {
                            st.sig.stop = Some(sig);
                            true
                        }
                        DefaultAction::Ignore | DefaultAction::Continue => false,
                    }
                }
            };
        drop(st);
        if effect {
            self.waiter.notify();
        }
        effect
    }
}
