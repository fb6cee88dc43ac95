//! The per-process state a running guest's imports work on, and the glue
//! that turns an import's `Result<_, Errno>` into what the guest sees.
//!
//! Two channels leave an import (STYLE "Errors"): an errno the guest reads
//! as a return value, or a [`Stop`] that unwinds the guest's wasm frames
//! (exit, a fatal signal, exhausted memory). A guest cannot turn one into
//! the other. Analogue: the `WasiCtx` of wasmtime-wasi, a Linux `task_struct`.

use std::fmt;

use agentos_kernel::abi::{Fd, Signal};
use agentos_kernel::{Errno, KResult, Task};
use wasmtime::{Caller, Memory, ResourceLimiter};

use crate::mem::GuestMem;
use crate::p1::errno::to_wasi;

/// Where preopened descriptors are mirrored for the registry's libc.
pub const PREOPEN_ALIAS: Fd = 0x4000_0000;

/// Why a guest was stopped from inside an import or by the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// `proc_exit(code)`.
    Exit(i32),
    /// A fatal signal arrived (`SIGKILL`, unhandled `SIGTERM`, `SIGPIPE`).
    Killed(Signal),
    /// The guest asked for more linear memory than its limit.
    OutOfMemory { limit: usize },
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Exit(c) => write!(f, "exit({c})"),
            Stop::Killed(s) => write!(f, "killed by {}", s.name().unwrap_or("signal")),
            Stop::OutOfMemory { limit } => write!(f, "out of memory (limit {} MiB)", limit >> 20),
        }
    }
}

impl std::error::Error for Stop {}

/// A guest process's state: its kernel handle and what the engine tracks.
pub struct Ctx {
    pub task: Task,
    /// The guest's exported `memory`, once instantiated.
    pub memory: Option<Memory>,
    /// Preopened directories: descriptor and the name the guest sees.
    pub preopens: Vec<(Fd, String)>,
    /// Most bytes of linear memory the guest may have.
    pub memory_limit: usize,
    /// Bytes charged to the VM's memory budget so far (returned by the
    /// program when the guest ends).
    pub charged: u64,
    /// Set when the limiter refused a growth, so the trap can be reported.
    pub oom: bool,
    /// Creation mode for the next `path_open` (`host_fs.set_open_mode`).
    pub open_mode: Option<u32>,
    /// The signal mask the guest set (`proc_signal_mask_v2`).
    pub sigmask: u64,
    /// Epoch ticks (10 ms each) the guest has run, for the CPU limit.
    pub ticks: u64,
}

impl Ctx {
    pub fn new(task: Task, memory_limit: usize) -> Ctx {
        Ctx {
            task,
            memory: None,
            preopens: Vec::new(),
            memory_limit,
            charged: 0,
            oom: false,
            open_mode: None,
            sigmask: 0,
            ticks: 0,
        }
    }

    /// The name a preopened `fd` (or its alias) was registered under.
    pub fn preopen(&self, fd: Fd) -> Option<&str> {
        let fd = self.kfd(fd);
        self.preopens.iter().find(|(f, _)| *f == fd).map(|(_, n)| n.as_str())
    }

    /// The kernel descriptor behind a guest descriptor. Preopens are also
    /// visible at [`PREOPEN_ALIAS`] + fd: the registry's libc looks for
    /// them there (from `0x4000_0003`), keeping low numbers for POSIX use,
    /// while stock wasi-libc scans from 3.
    pub fn kfd(&self, fd: Fd) -> Fd {
        match fd.checked_sub(PREOPEN_ALIAS) {
            Some(k) if k >= 0 && self.preopens.iter().any(|(f, _)| *f == k) => k,
            _ => fd,
        }
    }
}

impl ResourceLimiter for Ctx {
    fn memory_growing(&mut self, current: usize, desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.memory_limit {
            self.oom = true;
            return Err(Stop::OutOfMemory { limit: self.memory_limit }.into());
        }
        // Linear memory counts against the VM's memory budget, like any
        // other buffer a program holds.
        let delta = desired.saturating_sub(current) as u64;
        if self.task.kernel().charge_memory(delta).is_err() {
            self.oom = true;
            return Err(Stop::OutOfMemory { limit: self.memory_limit }.into());
        }
        self.charged += delta;
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }
}

/// What an import returns to wasmtime: an errno for the guest, or a stop.
pub type HostResult = wasmtime::Result<i32>;

/// Run an import body with the guest's memory and state. `Ok(())` is
/// errno 0; an errno becomes its WASI number; `EINTR` caused by a fatal
/// signal stops the guest instead (its frames are unwound by a trap).
pub fn call(caller: &mut Caller<'_, Ctx>, f: impl FnOnce(&mut GuestMem<'_>, &mut Ctx) -> KResult<()>) -> HostResult {
    let r = match caller.data().memory {
        Some(mem) => {
            let (bytes, ctx) = mem.data_and_store_mut(&mut *caller);
            f(&mut GuestMem::new(bytes), ctx)
        }
        None => f(&mut GuestMem::new(&mut []), caller.data_mut()),
    };
    finish(caller.data(), r)
}

/// Like [`call`] for imports that need the caller itself (memory growth,
/// nested calls) rather than a memory borrow.
pub fn finish(ctx: &Ctx, r: KResult<()>) -> HostResult {
    match r {
        Ok(()) => Ok(0),
        Err(Errno::EINTR) => match ctx.task.fatal_signal() {
            Some(sig) => Err(Stop::Killed(sig).into()),
            None => Ok(i32::from(to_wasi(Errno::EINTR))),
        },
        Err(e) => Ok(i32::from(to_wasi(e))),
    }
}
