//! Process ops: spawning kernel processes with pipes (`child_process`),
//! waiting, signals (`process.on('SIGTERM')` is `sigaction(Catch)` +
//! `take_signals`), `poll` for the event loop, and `process.exit`.

use std::sync::Arc;
use std::time::Duration;

use agentos_kernel::abi::{Errno, OFlags, SigAction, Signal, WaitStatus};
use agentos_kernel::file::OpenFile;
use agentos_kernel::task::{PollFd, WaitTarget};
use agentos_kernel::{Pgroup, SpawnOptions};
use parking_lot::Mutex;
use rquickjs::function::Opt;
use rquickjs::{Ctx, Exception, Object};

use super::error::{Call, OrThrow};
use super::{STATE, blocking, def, with_task};

/// Child stdio request: a descriptor of ours to share, or one of these.
const STDIO_PIPE: i32 = -1;
const STDIO_IGNORE: i32 = -2;

/// Start `file` with `argv`/`env` (`K=V` strings). Returns
/// `[pid, exitFd, parentFd0, parentFd1, ...]`: `exitFd` reaches end of
/// file when the child exits; each parent fd is our end of a requested
/// pipe (or `-1`).
fn op_spawn(
    ctx: Ctx<'_>,
    file: String,
    argv: Vec<String>,
    env: Vec<String>,
    cwd: Opt<rquickjs::Value<'_>>,
    stdio: Vec<i32>,
) -> rquickjs::Result<Vec<i32>> {
    let env = env.iter().map(|kv| kv.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).unwrap_or_default());
    let env: Vec<(String, String)> = env.filter(|(k, _)| !k.is_empty()).collect();
    with_task(|t| -> Result<Vec<i32>, Errno> {
        let mut child_fds = Vec::new();
        let mut parent = Vec::new();
        let mut to_close = Vec::new();
        let cleanup = |fds: &[i32]| {
            for &fd in fds {
                let _ = t.close(fd);
            }
        };
        for (i, &s) in stdio.iter().enumerate() {
            let file = match s {
                STDIO_PIPE => {
                    let (r, w) = t.pipe(OFlags::CLOEXEC)?;
                    let (mine, theirs) = if i == 0 { (w, r) } else { (r, w) };
                    parent.push(mine);
                    to_close.push(theirs);
                    t.file(theirs)?
                }
                STDIO_IGNORE => {
                    parent.push(-1);
                    t.open_file("/dev/null", if i == 0 { OFlags::RDONLY } else { OFlags::WRONLY }, 0)?
                }
                fd => {
                    parent.push(-1);
                    match t.file(fd) {
                        Ok(f) => f,
                        Err(_) => t.open_file("/dev/null", OFlags::RDWR, 0)?,
                    }
                }
            };
            child_fds.push((i as i32, file));
        }
        let (er, ew) = t.kernel().new_pipe()?;
        let exit_fd = t.install(OpenFile::stream(er, OFlags::RDONLY), true)?;
        let writer = Mutex::new(Some(ew));
        let opts = SpawnOptions {
            argv,
            env,
            cwd: cwd.0.and_then(|v| v.as_string().and_then(|s| s.to_string().ok())),
            fds: child_fds,
            pgroup: Pgroup::Inherit,
            on_exit: Some(Arc::new(move |_| drop(writer.lock().take()))),
        };
        let r = t.spawn(&file, opts);
        cleanup(&to_close);
        match r {
            Ok(pid) => {
                let mut out = vec![pid, exit_fd];
                out.extend(parent);
                Ok(out)
            }
            Err(e) => {
                cleanup(&parent.iter().copied().filter(|&fd| fd >= 0).collect::<Vec<_>>());
                let _ = t.close(exit_fd);
                Err(e)
            }
        }
    })
    .or_throw(&ctx, Call::path("spawn", &file))
}

/// `waitpid`: `[code, signal]` (signal 0 for a normal exit), or an empty
/// array with `nohang` when the child still runs.
fn op_waitpid(ctx: Ctx<'_>, pid: i32, nohang: bool) -> rquickjs::Result<Vec<i32>> {
    loop {
        let r = blocking(|t| t.waitpid(WaitTarget::Pid(pid), nohang));
        return match r {
            Ok(Some((_, WaitStatus::Exited(c)))) => Ok(vec![c, 0]),
            Ok(Some((_, WaitStatus::Signaled(s)))) => Ok(vec![-1, s.0]),
            Ok(None) => Ok(vec![]),
            Err(Errno::EINTR) if STATE.with(|s| !s.should_interrupt()) => continue,
            Err(e) => Err(e).or_throw(&ctx, Call::new("waitpid")),
        };
    }
}

fn op_kill(ctx: Ctx<'_>, pid: i32, sig: i32) -> rquickjs::Result<()> {
    with_task(|t| t.kill(pid, sig)).or_throw(&ctx, Call::new("kill"))
}

/// `poll(2)` over `fds` with the wanted `events`; `timeout` in ms (`< 0`
/// forever). Returns the ready bits per entry, or an empty array when a
/// signal interrupted the wait.
fn op_poll(ctx: Ctx<'_>, fds: Vec<i32>, events: Vec<i32>, timeout: f64) -> rquickjs::Result<Vec<i32>> {
    let mut list: Vec<PollFd> =
        fds.iter().zip(events.iter()).map(|(&fd, &ev)| PollFd { fd, events: ev as u32, revents: 0 }).collect();
    let timeout = (timeout >= 0.0).then(|| Duration::from_secs_f64(timeout / 1000.0));
    let r = if list.is_empty() {
        match timeout {
            Some(d) => blocking(|t| t.sleep(d)).map(|_| 0),
            None => blocking(|t| t.sleep(Duration::from_secs(3600))).map(|_| 0),
        }
    } else {
        blocking(|t| t.poll(&mut list, timeout))
    };
    match r {
        Ok(_) => Ok(list.iter().map(|p| p.revents as i32).collect()),
        Err(Errno::EINTR) => Ok(vec![]),
        Err(e) => Err(e).or_throw(&ctx, Call::new("poll")),
    }
}

/// 0 default, 1 ignore, 2 catch.
fn op_sigaction(ctx: Ctx<'_>, sig: i32, mode: i32) -> rquickjs::Result<()> {
    let a = match mode {
        1 => SigAction::Ignore,
        2 => SigAction::Catch,
        _ => SigAction::Default,
    };
    with_task(|t| t.sigaction(Signal(sig), a)).map(|_| ()).or_throw(&ctx, Call::new("sigaction"))
}

fn op_take_signals() -> Vec<i32> {
    with_task(|t| t.take_signals()).into_iter().map(|s| s.0).collect()
}

/// `process.exit`: record the code and stop running JS (the interrupt
/// handler refuses to continue once the code is set).
fn op_exit(ctx: Ctx<'_>, code: i32) -> rquickjs::Result<()> {
    STATE.with(|s| s.exit_code.set(Some(code)));
    Err(Exception::throw_internal(&ctx, "process.exit"))
}

fn op_pipe(ctx: Ctx<'_>) -> rquickjs::Result<Vec<i32>> {
    with_task(|t| t.pipe(OFlags::CLOEXEC)).map(|(r, w)| vec![r, w]).or_throw(&ctx, Call::new("pipe"))
}

fn op_isatty(fd: i32) -> bool {
    with_task(|t| t.isatty(fd))
}

/// `[pid, ppid, uid, gid]`.
fn op_ids() -> Vec<i32> {
    with_task(|t| {
        let c = t.cred();
        vec![t.pid(), t.ppid(), c.uid as i32, c.gid as i32]
    })
}

fn op_hostname() -> String {
    with_task(|t| t.hostname().to_string())
}

fn op_set_cloexec(ctx: Ctx<'_>, fd: i32, on: bool) -> rquickjs::Result<()> {
    with_task(|t| t.set_cloexec(fd, on)).or_throw(&ctx, Call::new("fcntl"))
}

pub fn install<'js>(ctx: &Ctx<'js>, o: &Object<'js>) -> rquickjs::Result<()> {
    def(ctx, o, "spawn", op_spawn)?;
    def(ctx, o, "waitpid", op_waitpid)?;
    def(ctx, o, "kill", op_kill)?;
    def(ctx, o, "poll", op_poll)?;
    def(ctx, o, "sigaction", op_sigaction)?;
    def(ctx, o, "takeSignals", op_take_signals)?;
    def(ctx, o, "exit", op_exit)?;
    def(ctx, o, "pipe", op_pipe)?;
    def(ctx, o, "isatty", op_isatty)?;
    def(ctx, o, "ids", op_ids)?;
    def(ctx, o, "hostname", op_hostname)?;
    def(ctx, o, "setCloexec", op_set_cloexec)?;
    Ok(())
}
