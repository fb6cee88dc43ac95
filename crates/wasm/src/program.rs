//! Running a WebAssembly command as a kernel process: the `Binfmt` that
//! claims `\0asm` files, and the `Program` that instantiates the module in
//! a fresh store and calls `_start` on the process's thread.
//!
//! How a guest ends, and what its parent sees (exit status as `$?`):
//!
//! | cause | stderr | status |
//! |---|---|---|
//! | returns from `_start` | — | 0 |
//! | `proc_exit(n)` | — | n |
//! | fatal signal (SIGKILL, SIGTERM, SIGPIPE, ...) | — | 128+sig, e.g. 137 |
//! | linear memory past the limit | `x: out of memory (...)` | SIGKILL: 137, like Linux's OOM killer |
//! | CPU limit (`WasmConfig::cpu_limit`) | `x: CPU time limit exceeded` | SIGXCPU: 152 |
//! | out-of-bounds access, stack overflow | `x: wasm trap: ...` | SIGSEGV: 139 |
//! | `unreachable` (C `abort()`), other traps | `x: wasm trap: ...` | SIGABRT: 134 |
//!
//! Signals reach a running guest through the epoch callback (every
//! [`crate::engine::TICK`]) and through blocking imports, which return
//! `EINTR` that [`crate::ctx::finish`] turns into a trap.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;

use agentos_kernel::abi::{Fd, OFlags, Signal};
use agentos_kernel::exec::{Binfmt, Program};
use agentos_kernel::vfs::Resolved;
use agentos_kernel::{Errno, KResult, Task};
use wasmtime::{Store, Trap, UpdateDeadline};

use crate::ctx::{Ctx, Stop};
use crate::engine::{Loaded, TICK, runtime};

/// The handler for WebAssembly modules.
pub struct WasmBinfmt;

impl Binfmt for WasmBinfmt {
    fn matches(&self, header: &[u8]) -> bool {
        header.starts_with(b"\0asm")
    }

    fn load(&self, _task: &Task, exe: &Resolved) -> KResult<Box<dyn Program>> {
        let rt = runtime().ok_or(Errno::ENOEXEC)?;
        Ok(Box::new(WasmProgram { loaded: rt.load(exe)? }))
    }
}

/// A loaded module about to run as a process.
pub struct WasmProgram {
    loaded: Arc<Loaded>,
}

impl Program for WasmProgram {
    fn driver(&self) -> &'static str {
        "wasm"
    }

    fn run(self: Box<Self>, task: &mut Task) -> i32 {
        // Wasm frames cannot be unwound by a Rust panic mid-instruction:
        // fatal signals arrive as EINTR and we trap out instead.
        task.set_unwind_on_kill(false);
        let Ok(stand_in) = task.kernel().host_task() else { return 126 };
        // The store owns the guest's Task for the run ('static data); the
        // kernel's slot holds a stand-in until we put the real one back,
        // which happens before anything can unwind past this frame.
        let real = std::mem::replace(task, stand_in);
        let (real, outcome) = run_guest(&self.loaded, real);
        *task = real;
        match outcome {
            Ok(code) => code,
            Err(payload) => resume_unwind(payload),
        }
    }
}

type Outcome = Result<i32, Box<dyn std::any::Any + Send>>;

fn run_guest(loaded: &Loaded, task: Task) -> (Task, Outcome) {
    let Some(rt) = runtime() else { return (task, Ok(126)) };
    let mut store = Store::new(&rt.engine, Ctx::new(task, rt.config.memory_limit));
    store.limiter(|c| c);
    store.set_epoch_deadline(1);
    let cpu_ticks = rt.config.cpu_limit.map(|d| (d.as_millis() / TICK.as_millis()).max(1) as u64);
    store.epoch_deadline_callback(move |mut s| {
        let ctx = s.data_mut();
        if let Some(sig) = ctx.task.fatal_signal() {
            return Err(Stop::Killed(sig).into());
        }
        ctx.ticks += 1;
        if cpu_ticks.is_some_and(|max| ctx.ticks > max) {
            return Err(Stop::Killed(Signal::SIGXCPU).into());
        }
        Ok(UpdateDeadline::Continue(1))
    });
    let outcome = catch_unwind(AssertUnwindSafe(|| start(loaded, &mut store)));
    let ctx = store.into_data();
    ctx.task.kernel().uncharge_memory(ctx.charged);
    (ctx.task, outcome)
}

/// Open directory `path` as a preopen at the lowest descriptor from 3 on.
fn preopen(task: &Task, path: &str) -> KResult<Fd> {
    let fd = task.open(path, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, 0)?;
    if fd >= 3 {
        return Ok(fd);
    }
    let high = task.dup_min(fd, 3, true);
    let _ = task.close(fd);
    high
}

fn start(loaded: &Loaded, store: &mut Store<Ctx>) -> i32 {
    // Two preopens, as the agentOS registry's libc expects: `.` (the
    // working directory at start, which that libc uses for relative paths)
    // first, then `/`. wasi-libc resolves through the longest matching name,
    // so both layouts reach every path.
    for name in [".", "/"] {
        match preopen(&store.data().task, name) {
            Ok(fd) => store.data_mut().preopens.push((fd, name.into())),
            Err(e) => tracing::warn!("wasm: no preopen for {name}: {e:?}"),
        }
    }
    let result = loaded.pre.instantiate(&mut *store).and_then(|inst| {
        store.data_mut().memory = inst.get_memory(&mut *store, "memory");
        let entry = inst.get_typed_func::<(), ()>(&mut *store, "_start")?;
        entry.call(&mut *store, ())
    });
    match result {
        Ok(()) => 0,
        Err(e) => stopped(store, e),
    }
}

/// Report how a guest that trapped or was stopped ended; returns its code.
fn stopped(store: &mut Store<Ctx>, e: wasmtime::Error) -> i32 {
    let ctx = store.data();
    let task = &ctx.task;
    let name = task.argv.first().map(|a| a.rsplit('/').next().unwrap_or(a).to_string()).unwrap_or_default();
    let say = |msg: String| {
        let _ = task.write_all(2, format!("{name}: {msg}\n").as_bytes());
    };
    let stop = e.downcast_ref::<Stop>().cloned();
    let (sig, code) = match stop {
        Some(Stop::Exit(c)) => return c,
        _ if ctx.oom => {
            say(format!("out of memory (wasm memory limit {} MiB)", ctx.memory_limit >> 20));
            (Signal::SIGKILL, 137)
        }
        Some(Stop::Killed(Signal::SIGXCPU)) if task.fatal_signal().is_none() => {
            say("CPU time limit exceeded".into());
            (Signal::SIGXCPU, 152)
        }
        Some(Stop::Killed(sig)) => return 128 + sig.0,
        Some(Stop::OutOfMemory { .. }) => (Signal::SIGKILL, 137),
        None => match e.downcast_ref::<Trap>() {
            Some(t @ (Trap::MemoryOutOfBounds | Trap::StackOverflow | Trap::TableOutOfBounds)) => {
                say(t.to_string());
                (Signal::SIGSEGV, 139)
            }
            Some(t) => {
                say(t.to_string());
                (Signal::SIGABRT, 134)
            }
            None => {
                say(format!("cannot run WebAssembly module: {e:#}"));
                return 126;
            }
        },
    };
    // Deliver the signal so the parent sees "killed by", not an exit code.
    task.process().deliver(sig);
    code
}
