//! The system-call surface: what a running program may ask of the kernel.
//!
//! A [`Task`] is a running process's handle. Every program — native
//! commands, the shell, the WebAssembly and JavaScript runtimes — does all
//! its I/O through one. Calls are grouped by family: descriptors
//! ([`fd`]), paths ([`path`]), processes and signals ([`process`]).
//!
//! Analogue: gVisor `kernel.Task` + `syscalls/linux`. Calls return
//! `Result<T, Errno>`. A fatal signal (`SIGKILL`, an unhandled `SIGTERM`,
//! `SIGPIPE` on a broken pipe) ends a native program at the next kernel call
//! by unwinding its stack, as the real signal would; runtimes that cannot
//! unwind (C code on the stack) turn that off and see `EINTR` instead.

mod fd;
mod io;
mod net;
mod path;
mod process;
mod tty;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::abi::{Cred, Errno, KResult, Pid, SigAction, Signal, Timespec};
use crate::exec::Image;
use crate::file::Stream;
use crate::kernel::Kernel;
use crate::process::Process;
use crate::vfs::PathCtx;
use crate::wait::Registration;

pub use fd::PollFd;
pub use io::{FdReader, FdWriter};
pub use net::literal_addr;
pub use process::{WaitOptions, WaitTarget};

/// Non-local exits of a native program, carried by unwinding.
pub(crate) enum Unwind {
    Exit(i32),
    Killed(Signal),
    Exec(Image),
}

/// A running process, as its program sees it.
pub struct Task {
    kernel: Kernel,
    proc: Arc<Process>,
    /// Arguments, `argv[0]` first.
    pub argv: Vec<String>,
    /// The environment, in order. Programs may change it freely.
    pub env: Vec<(String, String)>,
    unwind_on_kill: bool,
}

impl Task {
    pub(crate) fn new(kernel: Kernel, proc: Arc<Process>, argv: Vec<String>, env: Vec<(String, String)>) -> Task {
        Task { kernel, proc, argv, env, unwind_on_kill: true }
    }

    pub fn kernel(&self) -> &Kernel {
        &self.kernel
    }

    pub fn process(&self) -> &Arc<Process> {
        &self.proc
    }

    pub fn pid(&self) -> Pid {
        self.proc.pid
    }

    pub fn ppid(&self) -> Pid {
        self.proc.state.lock().ppid
    }

    pub fn pgid(&self) -> Pid {
        self.proc.state.lock().pgid
    }

    pub fn cred(&self) -> Cred {
        self.proc.state.lock().cred
    }

    /// The process's permission tier.
    pub fn tier(&self) -> crate::policy::Tier {
        self.proc.state.lock().tier
    }

    /// The value of environment variable `key`.
    pub fn getenv(&self, key: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Set an environment variable (replacing any previous value).
    pub fn setenv(&mut self, key: &str, value: &str) {
        match self.env.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.to_string(),
            None => self.env.push((key.to_string(), value.to_string())),
        }
    }

    pub fn unsetenv(&mut self, key: &str) {
        self.env.retain(|(k, _)| k != key);
    }

    /// Canonical working directory.
    pub fn getcwd(&self) -> String {
        self.proc.state.lock().cwd.clone()
    }

    /// Set the file-creation mask; returns the old one.
    pub fn umask(&self, mask: u32) -> u32 {
        std::mem::replace(&mut self.proc.state.lock().umask, mask & 0o777)
    }

    pub fn get_umask(&self) -> u32 {
        self.proc.state.lock().umask
    }

    /// Hostname of the VM.
    pub fn hostname(&self) -> &str {
        &self.kernel.hostname
    }

    /// `CLOCK_REALTIME`.
    pub fn now(&self) -> Timespec {
        self.kernel.clock.realtime()
    }

    /// `CLOCK_MONOTONIC`.
    pub fn monotonic(&self) -> Timespec {
        self.kernel.clock.monotonic()
    }

    /// Fill `buf` with random bytes (`getrandom(2)`).
    pub fn random(&self, buf: &mut [u8]) {
        self.kernel.entropy.fill(buf);
    }

    /// Run path lookups with this task's identity and working directory.
    pub(crate) fn with_ctx<T>(&self, f: impl FnOnce(&PathCtx<'_>) -> KResult<T>) -> KResult<T> {
        let (cred, cwd, tier) = {
            let st = self.proc.state.lock();
            (st.cred, st.cwd.clone(), st.tier)
        };
        f(&PathCtx { cred, cwd: &cwd, pid: self.proc.pid, tier })
    }

    /// Choose between unwinding (default) and `EINTR` on fatal signals.
    pub fn set_unwind_on_kill(&mut self, on: bool) {
        self.unwind_on_kill = on;
    }

    /// The fatal signal this process has received, if any.
    pub fn fatal_signal(&self) -> Option<Signal> {
        self.proc.state.lock().sig.fatal
    }

    /// End the process now with `code` (like `_exit(2)`).
    pub fn exit(&self, code: i32) -> ! {
        std::panic::resume_unwind(Box::new(Unwind::Exit(code)))
    }

    /// Return `Err(EINTR)` (or end the process) if a fatal signal arrived,
    /// and, when `interruptible`, also if a caught signal is pending. Long
    /// computations call this so that they stop when killed.
    pub fn check_signals(&self, interruptible: bool) -> KResult<()> {
        loop {
            let (fatal, pending, stop) = {
                let st = self.proc.state.lock();
                (st.sig.fatal, st.sig.pending, st.sig.stop)
            };
            if let Some(sig) = fatal {
                if self.unwind_on_kill {
                    std::panic::resume_unwind(Box::new(Unwind::Killed(sig)));
                }
                return Err(Errno::EINTR);
            }
            if let Some(sig) = stop {
                self.stop_until_continued(sig);
                continue;
            }
            if interruptible && pending != 0 {
                return Err(Errno::EINTR);
            }
            return Ok(());
        }
    }

    /// Job control: the process is stopped by `sig`. Tell the parent, then
    /// sleep until SIGCONT (or a fatal signal) arrives.
    fn stop_until_continued(&self, sig: Signal) {
        let ppid = {
            let mut st = self.proc.state.lock();
            st.sig.stop = None;
            st.sig.stopped = Some(sig);
            st.sig.stop_reported = false;
            st.sig.continued = false;
            st.ppid
        };
        let notify_parent = || {
            if let Some(p) = self.kernel.process(ppid) {
                p.child_wq.notify_all();
                p.deliver(Signal::SIGCHLD);
            }
        };
        notify_parent();
        loop {
            let seen = self.proc.waiter.generation();
            {
                let st = self.proc.state.lock();
                if st.sig.stopped.is_none() || st.sig.fatal.is_some() {
                    break;
                }
            }
            self.proc.waiter.wait(seen, None);
        }
        notify_parent();
    }

    /// Whether this process is stopped (job control).
    pub fn is_stopped(&self) -> bool {
        self.proc.state.lock().sig.stopped.is_some()
    }

    /// Set the disposition of `sig`; returns the previous one. `EINVAL` for
    /// `SIGKILL`/`SIGSTOP` or an invalid number.
    pub fn sigaction(&self, sig: Signal, action: SigAction) -> KResult<SigAction> {
        if !(1..32).contains(&sig.0) || sig.is_uncatchable() {
            return Err(Errno::EINVAL);
        }
        let mut st = self.proc.state.lock();
        let old = std::mem::replace(&mut st.sig.actions[sig.0 as usize], action);
        if action != SigAction::Catch {
            st.sig.pending &= !sig.bit();
        }
        Ok(old)
    }

    /// Collect and clear pending caught signals, lowest number first.
    pub fn take_signals(&self) -> Vec<Signal> {
        let mut st = self.proc.state.lock();
        let pending = std::mem::take(&mut st.sig.pending);
        (1..64).filter(|n| pending & (1u64 << n) != 0).map(Signal).collect()
    }

    /// Sleep for `d`, or until a signal interrupts (`EINTR`).
    pub fn sleep(&self, d: Duration) -> KResult<()> {
        let deadline = Instant::now() + d;
        loop {
            let seen = self.proc.waiter.generation();
            self.check_signals(true)?;
            if Instant::now() >= deadline {
                return Ok(());
            }
            self.proc.waiter.wait(seen, Some(deadline));
        }
    }

    /// Block until `ready` yields a value, sleeping on the wait queues of
    /// `streams` between tries. `ready` returns `Err(EAGAIN)` to keep
    /// waiting. Signals interrupt with `EINTR`; `deadline` with `ETIMEDOUT`.
    pub fn block_on<T>(
        &self,
        streams: &[&Arc<dyn Stream>],
        deadline: Option<Instant>,
        mut ready: impl FnMut() -> KResult<T>,
    ) -> KResult<T> {
        match ready() {
            Err(Errno::EAGAIN) => {}
            r => return r,
        }
        let mut reg = Registration::new(&self.proc.waiter);
        for s in streams {
            reg.add(s.wait_queue());
        }
        loop {
            let seen = self.proc.waiter.generation();
            match ready() {
                Err(Errno::EAGAIN) => {}
                r => return r,
            }
            self.check_signals(true)?;
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(Errno::ETIMEDOUT);
            }
            self.proc.waiter.wait(seen, deadline);
        }
    }
}
