//! The system calls JS glue may make: small Rust functions installed on a
//! hidden `ops` object that the bootstrap script captures and then removes
//! from the global scope. Every op reaches the kernel through the current
//! process's [`Task`] (held in a scoped thread-local for the duration of
//! the run) and reports failures as Node errors ([`error`]).
//!
//! Families: [`fs`] (files and directories), [`proc`] (processes, pipes,
//! poll, signals), [`net`] (sockets and HTTP parsing), [`misc`] (time,
//! randomness, hashing, compression, text).

pub mod error;
pub mod fs;
pub mod misc;
pub mod net;
pub mod proc;

use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_kernel::Task;
use agentos_kernel::process::Process;
use rquickjs::function::IntoJsFunc;
use rquickjs::{Ctx, Function, Object};

scoped_tls::scoped_thread_local!(
    /// The task of the process whose JS is running on this thread.
    pub static TASK: Task
);

/// Per-process state of the runtime shared by the ops, the interrupt
/// handler and the engine.
pub struct RtState {
    pub proc: Arc<Process>,
    /// Set by `process.exit` (or a fatal error): stop running JS.
    pub exit_code: Cell<Option<i32>>,
    start: Instant,
    /// Time spent blocked in the kernel (not charged as CPU).
    blocked: Cell<Duration>,
    pub cpu_limit: Option<Duration>,
    /// Set when the interrupt handler stopped a script for its CPU limit.
    pub cpu_exceeded: Cell<bool>,
}

impl RtState {
    pub fn new(proc: Arc<Process>, cpu_limit: Option<Duration>) -> RtState {
        RtState {
            proc,
            exit_code: Cell::new(None),
            start: Instant::now(),
            blocked: Cell::new(Duration::ZERO),
            cpu_limit,
            cpu_exceeded: Cell::new(false),
        }
    }

    /// Time spent running (not blocked in the kernel) since the start.
    pub fn cpu_used(&self) -> Duration {
        self.start.elapsed().saturating_sub(self.blocked.get())
    }

    /// Run a blocking kernel call without charging its wait as CPU time.
    pub fn blocking<T>(&self, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let r = f();
        self.blocked.set(self.blocked.get() + t.elapsed());
        r
    }

    /// Whether running JS must stop now (interrupt handler).
    pub fn should_interrupt(&self) -> bool {
        if self.exit_code.get().is_some() || self.proc.state.lock().sig.fatal.is_some() {
            return true;
        }
        if let Some(limit) = self.cpu_limit
            && self.cpu_used() > limit
        {
            self.cpu_exceeded.set(true);
            return true;
        }
        false
    }
}

scoped_tls::scoped_thread_local!(
    /// The runtime state of the process whose JS is running on this thread.
    pub static STATE: RtState
);

/// Run `f` with the current task.
pub fn with_task<R>(f: impl FnOnce(&Task) -> R) -> R {
    TASK.with(f)
}

/// Run a blocking call with the current task, not charged as CPU.
pub fn blocking<R>(f: impl FnOnce(&Task) -> R) -> R {
    STATE.with(|s| s.blocking(|| TASK.with(f)))
}

/// Install one function on `obj`.
pub(crate) fn def<'js, P, F>(ctx: &Ctx<'js>, obj: &Object<'js>, name: &str, f: F) -> rquickjs::Result<()>
where
    F: IntoJsFunc<'js, P> + 'js,
{
    obj.set(name, Function::new(ctx.clone(), f)?.with_name(name)?)
}

/// Build the `ops` object.
pub fn install<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let ops = Object::new(ctx.clone())?;
    fs::install(ctx, &ops)?;
    proc::install(ctx, &ops)?;
    misc::install(ctx, &ops)?;
    net::install(ctx, &ops)?;
    Ok(ops)
}
