//! Running one `node` process: a QuickJS runtime and context of its own on
//! the process's thread, with a memory limit, an interrupt handler that
//! stops the script on a fatal signal, `process.exit` or its CPU-time
//! limit, the bootstrap script, and the Rust half of the event loop.
//!
//! The loop's queues (timers, immediates, `nextTick`, I/O watchers) live
//! in JS (`bootstrap.js`); Rust alternates between asking JS to run one
//! macrotask (`next`, which blocks in `Task::poll` when idle) and settling
//! (`nextTick` queue, then promise jobs), as Node's `processTicksAndRejections`.

use std::rc::Rc;
use std::time::Duration;

use agentos_kernel::Task;
use rquickjs::{Context, Ctx, Function, Object, Runtime, Value};

use crate::cli::{self, Main};
use crate::ops::{self, RtState, STATE, TASK};

/// Node's version string, as `process.version` reports it.
pub const NODE_VERSION: &str = "v22.12.0";
/// Default per-process heap limit.
pub const DEFAULT_MEMORY_MB: u64 = 256;
/// Exit status of a script stopped by its CPU-time limit (128 + SIGXCPU).
pub const CPU_LIMIT_STATUS: i32 = 152;
/// Exit status after heap exhaustion (Node aborts: 128 + SIGABRT).
pub const OOM_STATUS: i32 = 134;

fn write_err(task: &Task, msg: &str) {
    let _ = task.write_all(2, msg.as_bytes());
}

/// Run `node` with the task's argv; returns the exit status.
pub fn main(task: &mut Task) -> i32 {
    // QuickJS frames must never be unwound through: see EINTR instead.
    task.set_unwind_on_kill(false);
    let opts = match cli::parse(&task.argv) {
        Ok(o) => o,
        Err(msg) => {
            write_err(task, &format!("{msg}\n"));
            return 9;
        }
    };
    match opts.main {
        Main::Version => {
            let _ = task.write_all(1, format!("{NODE_VERSION}\n").as_bytes());
            return 0;
        }
        Main::Help => {
            let _ = task.write_all(1, b"Usage: node [options] [ script.js | -e \"script\" | - ] [arguments]\n");
            return 0;
        }
        _ => {}
    }
    let cpu = opts.cpu_limit_secs.or_else(|| task.getenv("AGENTOS_NODE_CPU_LIMIT").and_then(|v| v.parse().ok()));
    let state = Rc::new(RtState::new(task.process().clone(), cpu.map(Duration::from_secs_f64)));
    let task: &Task = task;
    TASK.set(task, || STATE.set(&state, || run(task, &state, &opts)))
}

fn run(task: &Task, state: &Rc<RtState>, opts: &cli::Options) -> i32 {
    let rt = match Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            write_err(task, &format!("node: cannot start the JavaScript engine: {e}\n"));
            return 70;
        }
    };
    let mem = opts
        .memory_mb
        .or_else(|| task.getenv("AGENTOS_NODE_MEMORY_MB").and_then(|v| v.parse().ok()))
        .unwrap_or(DEFAULT_MEMORY_MB);
    rt.set_memory_limit((mem as usize) << 20);
    rt.set_max_stack_size(8 << 20);
    let st = state.clone();
    rt.set_interrupt_handler(Some(Box::new(move || st.should_interrupt())));
    rt.set_loader(crate::modules::NodeResolver, crate::modules::NodeLoader);
    rt.set_host_promise_rejection_tracker(Some(Box::new(|ctx, promise, reason, handled| {
        if let Ok(int) = ctx.globals().get::<_, Object>("__agentos")
            && let Ok(f) = int.get::<_, Function>("onRejection")
        {
            let _ = f.call::<_, ()>((promise, reason, handled));
        }
    })));
    let ctx = match Context::full(&rt) {
        Ok(c) => c,
        Err(e) => {
            write_err(task, &format!("node: cannot create a context: {e}\n"));
            return 70;
        }
    };
    let code = ctx.with(|ctx| run_in(&ctx, task, state, opts));
    // Drop order: the context and runtime go before the task scope ends.
    drop(ctx);
    drop(rt);
    code
}

/// The status once JS stopped: `process.exit`, a fatal signal, a limit.
fn forced_status(task: &Task, state: &RtState) -> Option<i32> {
    if let Some(sig) = task.fatal_signal() {
        return Some(128 + sig.0);
    }
    if state.cpu_exceeded.get() {
        let secs = state.cpu_limit.map(|d| d.as_secs_f64()).unwrap_or(0.0);
        write_err(task, &format!("node: CPU time limit exceeded ({secs}s); script stopped\n"));
        return Some(CPU_LIMIT_STATUS);
    }
    state.exit_code.get()
}

fn is_oom(ctx: &Ctx<'_>, err: &Value<'_>) -> bool {
    let _ = ctx;
    err.as_object().and_then(|o| o.get::<_, String>("message").ok()).is_some_and(|m| m == "out of memory")
}

/// Report a thrown value through JS (`uncaughtException` handlers, Node's
/// format), falling back to a plain message if JS cannot run.
fn report<'js>(ctx: &Ctx<'js>, task: &Task, state: &RtState, int: Option<&Object<'js>>) -> Option<i32> {
    let err = ctx.catch();
    if let Some(code) = forced_status(task, state) {
        return Some(code);
    }
    if is_oom(ctx, &err) {
        write_err(task, "\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n");
        return Some(OOM_STATUS);
    }
    if let Some(int) = int
        && let Ok(f) = int.get::<_, Function>("fatal")
    {
        match f.call::<_, ()>((err,)) {
            Ok(()) => return forced_status(task, state),
            Err(_) => {
                let e2 = ctx.catch();
                if let Some(code) = forced_status(task, state) {
                    return Some(code);
                }
                let msg = e2.as_object().and_then(|o| o.get::<_, String>("stack").ok()).unwrap_or_default();
                write_err(task, &format!("node: internal error while reporting an error: {msg}\n"));
                return Some(70);
            }
        }
    }
    let msg = err
        .as_object()
        .and_then(|o| o.get::<_, String>("message").ok())
        .or_else(|| err.as_string().and_then(|s| s.to_string().ok()))
        .unwrap_or_else(|| "unknown error".into());
    write_err(task, &format!("node: {msg}\n"));
    Some(1)
}

/// Run `r`; on a thrown error report it. `Err(status)` when the process
/// must end now; `handled` is the result to go on with when an
/// `uncaughtException` listener dealt with the error.
fn guard<'js, T>(
    ctx: &Ctx<'js>,
    task: &Task,
    state: &RtState,
    int: Option<&Object<'js>>,
    r: rquickjs::Result<T>,
    handled: Option<T>,
) -> Result<T, i32> {
    match r {
        Ok(v) => match forced_status(task, state) {
            Some(c) => Err(c),
            None => Ok(v),
        },
        Err(rquickjs::Error::Exception) => match report(ctx, task, state, int) {
            Some(c) => Err(c),
            None => handled.ok_or(1),
        },
        Err(e) => {
            if let Some(c) = forced_status(task, state) {
                return Err(c);
            }
            write_err(task, &format!("node: {e}\n"));
            Err(70)
        }
    }
}

fn run_in(ctx: &Ctx<'_>, task: &Task, state: &RtState, opts: &cli::Options) -> i32 {
    match run_checked(ctx, task, state, opts) {
        Ok(c) | Err(c) => c,
    }
}

fn run_checked(ctx: &Ctx<'_>, task: &Task, state: &RtState, opts: &cli::Options) -> Result<i32, i32> {
    let boot = || -> rquickjs::Result<Object<'_>> {
        let ops = ops::install(ctx)?;
        let src = crate::builtins::BOOTSTRAP;
        let f: Function = crate::cache_unsafe::eval_script(ctx, src, "node:internal/bootstrap")?.get()?;
        let info = Object::new(ctx.clone())?;
        info.set("argv0", task.argv.first().cloned().unwrap_or_else(|| "node".into()))?;
        info.set("execArgv", opts.exec_argv.clone())?;
        info.set("args", opts.args.clone())?;
        info.set("env", task.env.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>())?;
        info.set("version", NODE_VERSION)?;
        info.set("esmInput", opts.esm_input)?;
        info.set("preload", opts.preload.clone())?;
        let (kind, payload) = match &opts.main {
            Main::File(f) => ("file", f.clone()),
            Main::Eval { code, print: false } => ("eval", code.clone()),
            Main::Eval { code, print: true } => ("print", code.clone()),
            _ => ("stdin", String::new()),
        };
        info.set("mainKind", kind)?;
        info.set("main", payload)?;
        f.call((ops, info))
    };
    let int = guard(ctx, task, state, None, boot(), None)?;
    let int = Some(&int);
    let get = |name: &str| -> Result<Function<'_>, i32> {
        int.and_then(|o| o.get::<_, Function>(name).ok()).ok_or_else(|| {
            write_err(task, &format!("node: bootstrap is missing `{name}`\n"));
            70
        })
    };
    let (run_main, next, ticks, rejections, before_exit, emit_exit) = (
        get("runMain")?,
        get("next")?,
        get("processTicks")?,
        get("processRejections")?,
        get("beforeExit")?,
        get("emitExit")?,
    );
    let settle = || -> Result<(), i32> {
        loop {
            let ran: bool = guard(ctx, task, state, int, ticks.call(()), Some(true))?;
            let mut jobs = false;
            while ctx.execute_pending_job() {
                jobs = true;
                if let Some(c) = forced_status(task, state) {
                    return Err(c);
                }
            }
            if let Some(c) = forced_status(task, state) {
                return Err(c);
            }
            if !ran && !jobs {
                let more: bool = guard(ctx, task, state, int, rejections.call(()), Some(true))?;
                if !more {
                    return Ok(());
                }
            }
        }
    };
    let outcome = (|| -> Result<(), i32> {
        guard(ctx, task, state, int, run_main.call::<_, ()>(()), Some(()))?;
        loop {
            settle()?;
            let more: bool = guard(ctx, task, state, int, next.call(()), Some(true))?;
            if !more {
                settle()?;
                let again: bool = guard(ctx, task, state, int, before_exit.call(()), Some(true))?;
                if !again {
                    return Ok(());
                }
            }
        }
    })();
    let code = outcome.err();
    // Signals and limits end the process without 'exit' handlers.
    if task.fatal_signal().is_some() || state.cpu_exceeded.get() {
        return Ok(code.unwrap_or(1));
    }
    // 'exit' listeners run once, with the final code; process.exit inside
    // them changes it.
    state.exit_code.set(None);
    let final_code: i32 = match emit_exit.call::<_, i32>((code,)) {
        Ok(c) => c,
        Err(_) => {
            let _ = ctx.catch();
            state.exit_code.get().or(code).unwrap_or(1)
        }
    };
    Ok(state.exit_code.get().unwrap_or(final_code))
}
