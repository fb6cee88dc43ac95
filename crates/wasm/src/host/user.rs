//! The `host_user` import module: identities and the account database.
//!
//! Analogue: `getuid(2)` and friends, `isatty(3)`, and `getpwuid(3)` /
//! `getgrgid(3)` answered from the VM's own `/etc/passwd` and `/etc/group`
//! (records are returned as their `name:x:...` lines).

use agentos_kernel::abi::OFlags;
use agentos_kernel::{Errno, KResult, Task};
use wasmtime::{Caller, Linker};

use crate::ctx::{Ctx, call};
use crate::mem::GuestMem;

const M: &str = "host_user";

/// The lines of a VM file such as `/etc/passwd` (empty if missing).
fn lines(task: &Task, path: &str) -> Vec<String> {
    let Ok(fd) = task.open(path, OFlags::RDONLY | OFlags::CLOEXEC, 0) else { return Vec::new() };
    let data = task.read_to_end(fd).unwrap_or_default();
    let _ = task.close(fd);
    String::from_utf8_lossy(&data).lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
}

/// Field `i` of a colon-separated record.
fn field(line: &str, i: usize) -> &str {
    line.split(':').nth(i).unwrap_or("")
}

/// Copy a record to `(buf, len)` and its length to `out`; `ERANGE` when
/// it does not fit (the length is still reported, so callers can retry).
fn put_record(mem: &mut GuestMem<'_>, rec: &str, buf: i32, len: i32, out: i32) -> KResult<()> {
    mem.write_u32(out as u32, rec.len() as u32)?;
    if rec.len() > len as u32 as usize {
        return Err(Errno::ERANGE);
    }
    mem.write(buf as u32, rec.as_bytes())
}

fn by_id(task: &Task, db: &str, id: u32) -> Option<String> {
    lines(task, db).into_iter().find(|l| field(l, 2).parse::<u32>().ok() == Some(id))
}

fn by_name(task: &Task, db: &str, name: &str) -> Option<String> {
    lines(task, db).into_iter().find(|l| field(l, 0) == name)
}

fn add_db(l: &mut Linker<Ctx>, db: &'static str, id_fn: &str, name_fn: &str, ent_fn: &str) -> wasmtime::Result<()> {
    l.func_wrap(M, id_fn, move |mut c: Caller<'_, Ctx>, id: i32, buf: i32, len: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let rec = by_id(&ctx.task, db, id as u32).ok_or(Errno::ENOENT)?;
            put_record(mem, &rec, buf, len, out)
        })
    })?;
    l.func_wrap(M, name_fn, move |mut c: Caller<'_, Ctx>, np: i32, nl: i32, buf: i32, len: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let name = mem.str(np as u32, nl as u32)?.to_string();
            let rec = by_name(&ctx.task, db, &name).ok_or(Errno::ENOENT)?;
            put_record(mem, &rec, buf, len, out)
        })
    })?;
    l.func_wrap(M, ent_fn, move |mut c: Caller<'_, Ctx>, index: i32, buf: i32, len: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let rec = lines(&ctx.task, db).into_iter().nth(index as u32 as usize).ok_or(Errno::ENOENT)?;
            put_record(mem, &rec, buf, len, out)
        })
    })?;
    Ok(())
}

pub fn add(l: &mut Linker<Ctx>) -> wasmtime::Result<()> {
    for (name, gid) in [("getuid", false), ("geteuid", false), ("getgid", true), ("getegid", true)] {
        l.func_wrap(M, name, move |mut c: Caller<'_, Ctx>, out: i32| {
            call(&mut c, |mem, ctx| {
                let cred = ctx.task.cred();
                mem.write_u32(out as u32, if gid { cred.gid } else { cred.uid })
            })
        })?;
    }
    for (name, gid) in [("getresuid", false), ("getresgid", true)] {
        l.func_wrap(M, name, move |mut c: Caller<'_, Ctx>, a: i32, b: i32, d: i32| {
            call(&mut c, |mem, ctx| {
                let cred = ctx.task.cred();
                let v = if gid { cred.gid } else { cred.uid };
                for p in [a, b, d] {
                    mem.write_u32(p as u32, v)?;
                }
                Ok(())
            })
        })?;
    }
    for (name, gid) in [("setuid", false), ("seteuid", false), ("setgid", true), ("setegid", true)] {
        l.func_wrap(M, name, move |mut c: Caller<'_, Ctx>, id: i32| {
            // Identities are fixed per VM: setting the current one is a
            // no-op, anything else is refused.
            call(&mut c, |_, ctx| {
                let cred = ctx.task.cred();
                if id as u32 == if gid { cred.gid } else { cred.uid } { Ok(()) } else { Err(Errno::EPERM) }
            })
        })?;
    }
    l.func_wrap(M, "getgroups", |mut c: Caller<'_, Ctx>, size: i32, ptr: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            if size > 0 {
                mem.write_u32(ptr as u32, ctx.task.cred().gid)?;
            }
            mem.write_u32(out as u32, 1)
        })
    })?;
    l.func_wrap(M, "setgroups", |mut c: Caller<'_, Ctx>, _n: i32, _p: i32| call(&mut c, |_, _| Err(Errno::EPERM)))?;
    l.func_wrap(M, "isatty", |mut c: Caller<'_, Ctx>, fd: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            ctx.task.file(fd)?;
            mem.write_u32(out as u32, u32::from(ctx.task.isatty(fd)))
        })
    })?;
    add_db(l, "/etc/passwd", "getpwuid", "getpwnam", "getpwent")?;
    add_db(l, "/etc/group", "getgrgid", "getgrnam", "getgrent")?;
    Ok(())
}
