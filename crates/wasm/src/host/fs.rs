//! The `host_fs` import module: the metadata that WASI's `filestat` cannot
//! carry (permission bits, owners, device numbers) and `chmod`.
//!
//! Analogue: the `st_mode`/`st_uid` parts of `fstatat(2)`, `fchmodat(2)`,
//! `fchownat(2)`. Scalar queries (`fd_mode`, `path_size`, ...) return the
//! value itself and 0 when the object cannot be examined; the others
//! return a WASI errno.

use agentos_kernel::Errno;
use agentos_kernel::abi::Stat;
use wasmtime::{Caller, Linker};

use crate::ctx::{Ctx, call};
use crate::mem::GuestMem;
use crate::p1::path::resolve;

const M: &str = "host_fs";

/// `stat`/`lstat` of `path` relative to `dirfd`, for the scalar queries.
fn path_stat(c: &mut Caller<'_, Ctx>, fd: i32, p: i32, pl: i32, follow: i32) -> Option<Stat> {
    let mut st = None;
    let _ = call(c, |mem: &mut GuestMem<'_>, ctx| {
        let path = resolve(ctx, fd, mem.str(p as u32, pl as u32)?)?;
        st = Some(if follow != 0 { ctx.task.stat(&path)? } else { ctx.task.lstat(&path)? });
        Ok(())
    });
    st
}

fn fd_stat(c: &Caller<'_, Ctx>, fd: i32) -> Option<Stat> {
    c.data().task.fstat(fd).ok()
}

pub fn add(l: &mut Linker<Ctx>) -> wasmtime::Result<()> {
    l.func_wrap(M, "fd_mode", |c: Caller<'_, Ctx>, fd: i32| fd_stat(&c, fd).map(|s| s.mode as i32).unwrap_or(0))?;
    l.func_wrap(M, "fd_size", |c: Caller<'_, Ctx>, fd: i32| fd_stat(&c, fd).map(|s| s.size as i64).unwrap_or(0))?;
    l.func_wrap(M, "fd_blocks", |c: Caller<'_, Ctx>, fd: i32| fd_stat(&c, fd).map(|s| s.blocks as i64).unwrap_or(0))?;
    l.func_wrap(M, "path_mode", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32, fl: i32| {
        path_stat(&mut c, fd, p, pl, fl).map(|s| s.mode as i32).unwrap_or(0)
    })?;
    l.func_wrap(M, "path_size", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32, fl: i32| {
        path_stat(&mut c, fd, p, pl, fl).map(|s| s.size as i64).unwrap_or(0)
    })?;
    l.func_wrap(M, "path_blocks", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32, fl: i32| {
        path_stat(&mut c, fd, p, pl, fl).map(|s| s.blocks as i64).unwrap_or(0)
    })?;
    l.func_wrap(M, "path_rdev", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32, fl: i32| {
        path_stat(&mut c, fd, p, pl, fl).map(|s| s.rdev as i64).unwrap_or(0)
    })?;
    l.func_wrap(M, "path_owner", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32, fl: i32, u: i32, g: i32| {
        call(&mut c, |mem, ctx| {
            let path = resolve(ctx, fd, mem.str(p as u32, pl as u32)?)?;
            let st = if fl != 0 { ctx.task.stat(&path)? } else { ctx.task.lstat(&path)? };
            mem.write_u32(u as u32, st.uid)?;
            mem.write_u32(g as u32, st.gid)
        })
    })?;
    l.func_wrap(M, "fd_owner", |mut c: Caller<'_, Ctx>, fd: i32, u: i32, g: i32| {
        call(&mut c, |mem, ctx| {
            let st = ctx.task.fstat(fd)?;
            mem.write_u32(u as u32, st.uid)?;
            mem.write_u32(g as u32, st.gid)
        })
    })?;
    l.func_wrap(M, "path_chown", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32, u: i32, g: i32, fl: i32| {
        call(&mut c, |mem, ctx| {
            let path = resolve(ctx, fd, mem.str(p as u32, pl as u32)?)?;
            // -1 leaves an id unchanged, as in chown(2).
            let id = |v: i32| (v != -1).then_some(v as u32);
            ctx.task.chown(&path, id(u), id(g), fl != 0)
        })
    })?;
    l.func_wrap(M, "chmod", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32, mode: i32| {
        call(&mut c, |mem, ctx| {
            let path = resolve(ctx, fd, mem.str(p as u32, pl as u32)?)?;
            ctx.task.chmod(&path, mode as u32 & 0o7777)
        })
    })?;
    l.func_wrap(M, "fchmod", |mut c: Caller<'_, Ctx>, fd: i32, mode: i32| {
        call(&mut c, |_, ctx| ctx.task.fchmod(fd, mode as u32 & 0o7777))
    })?;
    l.func_wrap(M, "ftruncate", |mut c: Caller<'_, Ctx>, fd: i32, len: i64| {
        call(&mut c, |_, ctx| {
            if len < 0 {
                return Err(Errno::EINVAL);
            }
            ctx.task.ftruncate(fd, len as u64)
        })
    })?;
    l.func_wrap(M, "set_open_mode", |mut c: Caller<'_, Ctx>, mode: i32| {
        // The creation mode of the next path_open (WASI has none).
        call(&mut c, |_, ctx| {
            ctx.open_mode = Some(mode as u32 & 0o7777);
            Ok(())
        })
    })?;
    Ok(())
}
