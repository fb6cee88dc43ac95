//! The `host_process` import module: spawning, waiting, signals and
//! descriptor duplication for guests compiled against the agentOS
//! registry's libc. Signatures: `src/abi.md`.
//!
//! Analogue: `posix_spawn(3)` with file actions, `waitpid(2)`, `kill(2)`,
//! `pipe(2)`, `dup(2)`/`dup2(2)`/`fcntl(F_DUPFD)`, `sigaction(2)`,
//! `execve(2)`, all forwarded to the kernel's `Task`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use agentos_kernel::abi::{Fd, OFlags, Pid, SigAction, Signal, WaitStatus};
use agentos_kernel::file::OpenFile;
use agentos_kernel::task::WaitTarget;
use agentos_kernel::{Errno, KResult, Pgroup, SpawnOptions, Task};
use wasmtime::{Caller, Linker};

use crate::ctx::{Ctx, call};
use crate::mem::GuestMem;

const M: &str = "host_process";
/// Spawn file actions (24-byte records, each followed by its path).
const FDOP_CLOSE: u32 = 1;
const FDOP_DUP2: u32 = 2;
const FDOP_OPEN: u32 = 3;
const ACTION: u32 = 24;
/// `POSIX_SPAWN_SETPGROUP`.
const SETPGROUP: u32 = 2;
const WNOHANG: u32 = 1;

/// What a spawn request carries, decoded from guest memory.
struct SpawnReq {
    path: String,
    argv: Vec<String>,
    env: Vec<String>,
    actions: Vec<u8>,
    cwd: String,
    pgroup: Pgroup,
}

fn env_pairs(env: &[String]) -> Vec<(String, String)> {
    env.iter()
        .map(|kv| kv.split_once('=').map(|(k, v)| (k.into(), v.into())).unwrap_or((kv.clone(), String::new())))
        .collect()
}

/// `path` as `execvp` would find it on `PATH` when it has no `/`.
fn search_path(task: &Task, path: &str, env: &[(String, String)]) -> String {
    if path.contains('/') || path.is_empty() {
        return path.to_string();
    }
    let var = env.iter().rev().find(|(k, _)| k == "PATH").map(|(_, v)| v.as_str()).or(task.getenv("PATH"));
    for dir in var.unwrap_or("/usr/local/bin:/usr/bin:/bin").split(':') {
        let cand = format!("{}/{path}", if dir.is_empty() { "." } else { dir });
        if task.stat(&cand).is_ok_and(|s| s.is_file()) {
            return cand;
        }
    }
    path.to_string()
}

/// The child's descriptor table: the parent's descriptors with the file
/// actions applied in order, then those still close-on-exec dropped (as
/// `posix_spawn` does: an action may `dup2` from a close-on-exec pipe end).
fn child_fds(task: &Task, actions: &[u8]) -> KResult<Vec<(Fd, Arc<OpenFile>)>> {
    let mut fds = BTreeMap::new();
    let all = task.process().fds.lock().fds();
    for fd in all {
        fds.insert(fd, (task.file(fd)?, task.get_cloexec(fd)?));
    }
    let word = |at: usize| -> KResult<u32> {
        let b = actions.get(at..at + 4).ok_or(Errno::EINVAL)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let mut at = 0usize;
    while at < actions.len() {
        let (cmd, fd, src, flags, mode, plen) =
            (word(at)?, word(at + 4)? as Fd, word(at + 8)? as Fd, word(at + 12)?, word(at + 16)?, word(at + 20)?);
        let pstart = at + ACTION as usize;
        let path = actions.get(pstart..pstart + plen as usize).ok_or(Errno::EINVAL)?;
        at = pstart + plen as usize;
        match cmd {
            FDOP_CLOSE => {
                fds.remove(&fd);
            }
            FDOP_DUP2 => {
                let (f, _) = fds.get(&src).cloned().ok_or(Errno::EBADF)?;
                fds.insert(fd, (f, false));
            }
            FDOP_OPEN => {
                let path = std::str::from_utf8(path).map_err(|_| Errno::EILSEQ)?;
                let f = task.open_file(path, OFlags(flags), if mode == 0 { 0o666 } else { mode })?;
                fds.insert(fd, (f, false));
            }
            _ => return Err(Errno::EINVAL),
        }
    }
    Ok(fds.into_iter().filter(|(_, (_, cloexec))| !cloexec).map(|(fd, (f, _))| (fd, f)).collect())
}

fn spawn(task: &Task, req: SpawnReq) -> KResult<Pid> {
    let env = env_pairs(&req.env);
    let path = search_path(
        task,
        if req.path.is_empty() { req.argv.first().map(String::as_str).unwrap_or("") } else { &req.path },
        &env,
    );
    let fds = child_fds(task, &req.actions)?;
    let cwd = (!req.cwd.is_empty()).then_some(req.cwd);
    task.spawn(&path, SpawnOptions { argv: req.argv, env, cwd, fds, pgroup: req.pgroup, ..Default::default() })
}

/// Parse a `waitpid` pid argument into the kernel's target.
fn wait_target(task: &Task, pid: i32) -> WaitTarget {
    match pid {
        -1 => WaitTarget::Any,
        0 => WaitTarget::Group(task.pgid()),
        p if p < -1 => WaitTarget::Group(-p),
        p => WaitTarget::Pid(p),
    }
}

fn read_str(mem: &GuestMem<'_>, p: i32, l: i32) -> KResult<String> {
    Ok(mem.str(p as u32, l as u32)?.to_string())
}

fn put_wait(mem: &mut GuestMem<'_>, r: Option<(Pid, WaitStatus)>, code: u32, sig: u32, pid: u32) -> KResult<()> {
    let (p, c, s) = match r {
        None => (0, 0, 0),
        Some((p, WaitStatus::Exited(c))) => (p, c as u32, 0),
        Some((p, WaitStatus::Signaled(s))) => (p, 0, s.0 as u32),
    };
    mem.write_u32(code, c)?;
    mem.write_u32(sig, s)?;
    mem.write_u32(pid, p as u32)
}

pub fn add(l: &mut Linker<Ctx>) -> wasmtime::Result<()> {
    l.func_wrap(
        M,
        "proc_spawn_v3",
        |mut c: Caller<'_, Ctx>,
         pp: i32,
         pl: i32,
         ap: i32,
         al: i32,
         ep: i32,
         el: i32,
         xp: i32,
         xl: i32,
         cp: i32,
         cl: i32,
         flags: i32,
         _sd_lo: i32,
         _sd_hi: i32,
         _mask_lo: i32,
         _mask_hi: i32,
         pgroup: i32,
         out: i32| {
            call(&mut c, |mem, ctx| {
                let req = SpawnReq {
                    path: read_str(mem, pp, pl)?,
                    argv: mem.string_list(ap as u32, al as u32)?,
                    env: mem.string_list(ep as u32, el as u32)?,
                    actions: mem.slice(xp as u32, xl as u32)?.to_vec(),
                    cwd: read_str(mem, cp, cl)?,
                    pgroup: match (flags as u32 & SETPGROUP != 0, pgroup) {
                        (false, _) => Pgroup::Inherit,
                        (true, 0) => Pgroup::New,
                        (true, g) => Pgroup::Join(g),
                    },
                };
                let pid = spawn(&ctx.task, req)?;
                mem.write_u32(out as u32, pid as u32)
            })
        },
    )?;
    // The older form: argv, envp, three stdio descriptors, cwd.
    l.func_wrap(
        M,
        "proc_spawn",
        |mut c: Caller<'_, Ctx>,
         ap: i32,
         al: i32,
         ep: i32,
         el: i32,
         i: i32,
         o: i32,
         e: i32,
         cp: i32,
         cl: i32,
         out: i32| {
            call(&mut c, |mem, ctx| {
                let mut actions = Vec::new();
                for (src, dst) in [(i, 0), (o, 1), (e, 2)] {
                    if src != dst {
                        for w in [FDOP_DUP2, dst as u32, src as u32, 0, 0, 0] {
                            actions.extend_from_slice(&w.to_le_bytes());
                        }
                    }
                }
                let argv = mem.string_list(ap as u32, al as u32)?;
                let req = SpawnReq {
                    path: argv.first().cloned().unwrap_or_default(),
                    argv,
                    env: mem.string_list(ep as u32, el as u32)?,
                    actions,
                    cwd: read_str(mem, cp, cl)?,
                    pgroup: Pgroup::Inherit,
                };
                let pid = spawn(&ctx.task, req)?;
                mem.write_u32(out as u32, pid as u32)
            })
        },
    )?;
    l.func_wrap(
        M,
        "proc_exec",
        |mut c: Caller<'_, Ctx>, pp: i32, pl: i32, ap: i32, al: i32, ep: i32, el: i32, xp: i32, xl: i32| {
            call(&mut c, |mem, ctx| {
                let path = read_str(mem, pp, pl)?;
                let argv = mem.string_list(ap as u32, al as u32)?;
                let env = env_pairs(&mem.string_list(ep as u32, el as u32)?);
                let path = search_path(&ctx.task, &path, &env);
                let n = xl as u32;
                let close: Vec<Fd> =
                    (0..n).map(|i| mem.read_u32(xp as u32 + 4 * i).map(|f| f as Fd)).collect::<KResult<_>>()?;
                ctx.task.load_image(&path, argv.clone())?;
                for fd in close {
                    let _ = ctx.task.set_cloexec(fd, true);
                }
                // Success unwinds out of the guest (see program.rs).
                Err(ctx.task.exec(&path, argv, env))
            })
        },
    )?;
    l.func_wrap(
        M,
        "proc_waitpid_v2",
        |mut c: Caller<'_, Ctx>, pid: i32, opts: i32, code: i32, sig: i32, ret: i32, core: i32| {
            call(&mut c, |mem, ctx| {
                let r = ctx.task.waitpid(wait_target(&ctx.task, pid), opts as u32 & WNOHANG != 0)?;
                put_wait(mem, r, code as u32, sig as u32, ret as u32)?;
                mem.write_u32(core as u32, 0)
            })
        },
    )?;
    l.func_wrap(M, "proc_waitpid", |mut c: Caller<'_, Ctx>, pid: i32, opts: i32, status: i32, ret: i32| {
        call(&mut c, |mem, ctx| {
            let r = ctx.task.waitpid(wait_target(&ctx.task, pid), opts as u32 & WNOHANG != 0)?;
            mem.write_u32(status as u32, r.map(|(_, s)| s.code() as u32).unwrap_or(0))?;
            mem.write_u32(ret as u32, r.map(|(p, _)| p as u32).unwrap_or(0))
        })
    })?;
    l.func_wrap(M, "proc_kill", |mut c: Caller<'_, Ctx>, pid: i32, sig: i32| {
        call(&mut c, |_, ctx| ctx.task.kill(pid, sig))
    })?;
    l.func_wrap(M, "proc_getpid", |mut c: Caller<'_, Ctx>, out: i32| {
        call(&mut c, |mem, ctx| mem.write_u32(out as u32, ctx.task.pid() as u32))
    })?;
    l.func_wrap(M, "proc_getppid", |mut c: Caller<'_, Ctx>, out: i32| {
        call(&mut c, |mem, ctx| mem.write_u32(out as u32, ctx.task.ppid() as u32))
    })?;
    l.func_wrap(M, "proc_getpgid", |mut c: Caller<'_, Ctx>, pid: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let g = if pid == 0 || pid == ctx.task.pid() {
                ctx.task.pgid()
            } else {
                ctx.task.kernel().process(pid).ok_or(Errno::ESRCH)?.state.lock().pgid
            };
            mem.write_u32(out as u32, g as u32)
        })
    })?;
    l.func_wrap(M, "proc_setpgid", |mut c: Caller<'_, Ctx>, pid: i32, pgid: i32| {
        call(&mut c, |_, ctx| ctx.task.setpgid(pid, pgid))
    })?;
    l.func_wrap(M, "fd_pipe", |mut c: Caller<'_, Ctx>, r: i32, w: i32| {
        call(&mut c, |mem, ctx| {
            let (a, b) = ctx.task.pipe(OFlags(0))?;
            mem.write_u32(r as u32, a as u32)?;
            mem.write_u32(w as u32, b as u32)
        })
    })?;
    l.func_wrap(M, "fd_dup", |mut c: Caller<'_, Ctx>, fd: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let n = ctx.task.dup(fd)?;
            mem.write_u32(out as u32, n as u32)
        })
    })?;
    l.func_wrap(M, "fd_dup2", |mut c: Caller<'_, Ctx>, old: i32, new: i32| {
        call(&mut c, |_, ctx| {
            ctx.task.dup2(old, new)?;
            ctx.preopens.retain(|(f, _)| *f != new || old == new);
            Ok(())
        })
    })?;
    l.func_wrap(M, "fd_dup_min", |mut c: Caller<'_, Ctx>, fd: i32, min: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let n = ctx.task.dup_min(fd, min, false)?;
            mem.write_u32(out as u32, n as u32)
        })
    })?;
    l.func_wrap(M, "fd_getfd", |mut c: Caller<'_, Ctx>, fd: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let on = ctx.task.get_cloexec(fd)?;
            mem.write_u32(out as u32, u32::from(on))
        })
    })?;
    l.func_wrap(M, "fd_setfd", |mut c: Caller<'_, Ctx>, fd: i32, flags: i32| {
        call(&mut c, |_, ctx| ctx.task.set_cloexec(fd, flags & 1 != 0))
    })?;
    l.func_wrap(M, "proc_closefrom", |mut c: Caller<'_, Ctx>, low: i32| {
        call(&mut c, |_, ctx| {
            let fds = ctx.task.process().fds.lock().fds();
            for fd in fds.into_iter().filter(|f| *f >= low) {
                let _ = ctx.task.close(fd);
            }
            ctx.preopens.retain(|(f, _)| *f < low);
            Ok(())
        })
    })?;
    l.func_wrap(M, "sleep_ms", |mut c: Caller<'_, Ctx>, ms: i32| {
        call(&mut c, |_, ctx| ctx.task.sleep(Duration::from_millis(u64::from(ms as u32))))
    })?;
    l.func_wrap(M, "pty_open", |mut c: Caller<'_, Ctx>, m: i32, s: i32| {
        call(&mut c, |mem, ctx| {
            let (master, slave) = ctx.task.openpty()?;
            mem.write_u32(m as u32, master as u32)?;
            mem.write_u32(s as u32, slave as u32)
        })
    })?;
    l.func_wrap(M, "proc_sigaction", |mut c: Caller<'_, Ctx>, sig: i32, action: i32, _lo: i32, _hi: i32, _fl: i32| {
        call(&mut c, |_, ctx| {
            let a = match action {
                0 => SigAction::Default,
                1 => SigAction::Ignore,
                _ => SigAction::Catch,
            };
            ctx.task.sigaction(Signal(sig), a).map(|_| ())
        })
    })?;
    l.func_wrap(M, "proc_signal_mask_v2", |mut c: Caller<'_, Ctx>, how: i32, lo: i32, hi: i32, olo: i32, ohi: i32| {
        call(&mut c, |mem, ctx| {
            // The kernel does not block signals; the mask is kept so that
            // sigprocmask reads back what it set.
            let old = ctx.sigmask;
            let set = u64::from(lo as u32) | (u64::from(hi as u32) << 32);
            ctx.sigmask = match how {
                0 => old | set,
                1 => old & !set,
                2 => set,
                3 => old,
                _ => return Err(Errno::EINVAL),
            };
            mem.write_u32(olo as u32, old as u32)?;
            mem.write_u32(ohi as u32, (old >> 32) as u32)
        })
    })?;
    l.func_wrap(M, "umask", |mut c: Caller<'_, Ctx>, mask: i32, query: i32, out: i32| {
        // `umask(mask, query_only, ret_old)`, as the published binaries
        // import it.
        call(&mut c, |mem, ctx| {
            let old = if query != 0 { ctx.task.get_umask() } else { ctx.task.umask(mask as u32) };
            mem.write_u32(out as u32, old)
        })
    })?;
    l.func_wrap(M, "proc_umask", |mut c: Caller<'_, Ctx>, mask: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let old = ctx.task.umask(mask as u32);
            mem.write_u32(out as u32, old)
        })
    })?;
    Ok(())
}
