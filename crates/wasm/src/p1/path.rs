//! Path operations relative to a directory descriptor: `path_open`,
//! `path_create_directory`, `path_remove_directory`, `path_unlink_file`,
//! `path_rename`, `path_symlink`, `path_readlink`, `path_link`,
//! `path_filestat_get`, `path_filestat_set_times`.
//!
//! Analogue: Linux `openat(2)`, `mkdirat(2)`, `unlinkat(2)`, `renameat(2)`,
//! `symlinkat(2)`, `readlinkat(2)`, `linkat(2)`, `fstatat(2)`,
//! `utimensat(2)`.

use agentos_kernel::abi::{Fd, OFlags};
use agentos_kernel::{Errno, KResult};
use wasmtime::{Caller, Linker};

use crate::ctx::{Ctx, call};
use crate::mem::GuestMem;
use crate::p1::fd::{FDFLAG_APPEND, FDFLAG_NONBLOCK, put_filestat, rights, time_sets};

/// WASI `lookupflags::symlink_follow`.
const FOLLOW: u32 = 1;
/// WASI `oflags`.
const O_CREAT: u16 = 1;
const O_DIRECTORY: u16 = 2;
const O_EXCL: u16 = 4;
const O_TRUNC: u16 = 8;

/// The kernel path for `path` relative to directory descriptor `dirfd`.
pub fn resolve(ctx: &Ctx, dirfd: Fd, path: &str) -> KResult<String> {
    if path.starts_with('/') {
        // WASI paths are relative to a capability; an absolute one is a
        // guest bug (wasi-libc strips the leading '/').
        return Err(Errno::EPERM);
    }
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    let base = ctx.task.fd_path(ctx.kfd(dirfd)).map_err(|e| if e == Errno::EINVAL { Errno::ENOTDIR } else { e })?;
    Ok(if base.ends_with('/') { format!("{base}{path}") } else { format!("{base}/{path}") })
}

/// Read the guest string at `(ptr, len)` and resolve it against `dirfd`.
fn guest_path(mem: &GuestMem<'_>, ctx: &Ctx, dirfd: i32, ptr: i32, len: i32) -> KResult<String> {
    resolve(ctx, dirfd, mem.str(ptr as u32, len as u32)?)
}

/// The kernel open flags for a `path_open` request.
fn open_flags(lookup: u32, oflags: u16, base: u64, fdflags: u16) -> OFlags {
    let read = base & rights::FD_READ != 0;
    let write = base & rights::FD_WRITE != 0;
    let mut f = match (read, write) {
        (_, false) => OFlags::RDONLY,
        (false, true) => OFlags::WRONLY,
        (true, true) => OFlags::RDWR,
    };
    for (bit, flag) in [(O_CREAT, OFlags::CREAT), (O_DIRECTORY, OFlags::DIRECTORY), (O_EXCL, OFlags::EXCL)] {
        if oflags & bit != 0 {
            f |= flag;
        }
    }
    if oflags & O_TRUNC != 0 {
        f |= OFlags::TRUNC;
    }
    if fdflags & FDFLAG_APPEND != 0 {
        f |= OFlags::APPEND;
    }
    if fdflags & FDFLAG_NONBLOCK != 0 {
        f |= OFlags::NONBLOCK;
    }
    if lookup & FOLLOW == 0 {
        f |= OFlags::NOFOLLOW;
    }
    f
}

pub fn add(l: &mut Linker<Ctx>, m: &str) -> wasmtime::Result<()> {
    l.func_wrap(
        m,
        "path_open",
        |mut c: Caller<'_, Ctx>,
         dirfd: i32,
         lookup: i32,
         p: i32,
         pl: i32,
         oflags: i32,
         base: i64,
         _inh: i64,
         fdflags: i32,
         out: i32| {
            call(&mut c, |mem, ctx| {
                let path = guest_path(mem, ctx, dirfd, p, pl)?;
                let flags = open_flags(lookup as u32, oflags as u16, base as u64, fdflags as u16);
                // host_fs.set_open_mode applies to the next open only.
                let mode = ctx.open_mode.take().unwrap_or(0o666);
                let fd = ctx.task.open(&path, flags, mode)?;
                mem.write_u32(out as u32, fd as u32)
            })
        },
    )?;
    l.func_wrap(m, "path_create_directory", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32| {
        call(&mut c, |mem, ctx| ctx.task.mkdir(&guest_path(mem, ctx, fd, p, pl)?, 0o777))
    })?;
    l.func_wrap(m, "path_remove_directory", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32| {
        call(&mut c, |mem, ctx| ctx.task.rmdir(&guest_path(mem, ctx, fd, p, pl)?))
    })?;
    l.func_wrap(m, "path_unlink_file", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32| {
        call(&mut c, |mem, ctx| ctx.task.unlink(&guest_path(mem, ctx, fd, p, pl)?))
    })?;
    l.func_wrap(m, "path_rename", |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32, fd2: i32, q: i32, ql: i32| {
        call(&mut c, |mem, ctx| {
            let from = guest_path(mem, ctx, fd, p, pl)?;
            let to = guest_path(mem, ctx, fd2, q, ql)?;
            ctx.task.rename(&from, &to)
        })
    })?;
    l.func_wrap(m, "path_symlink", |mut c: Caller<'_, Ctx>, t: i32, tl: i32, fd: i32, p: i32, pl: i32| {
        call(&mut c, |mem, ctx| {
            let target = mem.str(t as u32, tl as u32)?.to_string();
            ctx.task.symlink(&target, &guest_path(mem, ctx, fd, p, pl)?)
        })
    })?;
    l.func_wrap(
        m,
        "path_readlink",
        |mut c: Caller<'_, Ctx>, fd: i32, p: i32, pl: i32, buf: i32, len: i32, out: i32| {
            call(&mut c, |mem, ctx| {
                let target = ctx.task.readlink(&guest_path(mem, ctx, fd, p, pl)?)?;
                let bytes = target.as_bytes();
                let n = bytes.len().min(len as u32 as usize);
                mem.write(buf as u32, &bytes[..n])?;
                mem.write_u32(out as u32, n as u32)
            })
        },
    )?;
    l.func_wrap(
        m,
        "path_link",
        |mut c: Caller<'_, Ctx>, fd: i32, _flags: i32, p: i32, pl: i32, fd2: i32, q: i32, ql: i32| {
            call(&mut c, |mem, ctx| {
                let from = guest_path(mem, ctx, fd, p, pl)?;
                let to = guest_path(mem, ctx, fd2, q, ql)?;
                ctx.task.link(&from, &to)
            })
        },
    )?;
    l.func_wrap(m, "path_filestat_get", |mut c: Caller<'_, Ctx>, fd: i32, fl: i32, p: i32, pl: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let path = guest_path(mem, ctx, fd, p, pl)?;
            let st = if fl as u32 & FOLLOW != 0 { ctx.task.stat(&path)? } else { ctx.task.lstat(&path)? };
            put_filestat(mem, out as u32, &st)
        })
    })?;
    l.func_wrap(
        m,
        "path_filestat_set_times",
        |mut c: Caller<'_, Ctx>, fd: i32, fl: i32, p: i32, pl: i32, atim: i64, mtim: i64, fst: i32| {
            call(&mut c, |mem, ctx| {
                let path = guest_path(mem, ctx, fd, p, pl)?;
                let (a, m) = time_sets(atim, mtim, fst as u16)?;
                ctx.task.utimens(&path, a, m, fl as u32 & FOLLOW != 0)
            })
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_flags_follow_rights() {
        let f = open_flags(FOLLOW, O_CREAT | O_TRUNC, rights::FD_WRITE, 0);
        assert_eq!(f, OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC);
        let f = open_flags(0, O_DIRECTORY, rights::FD_READ, FDFLAG_APPEND);
        assert_eq!(f, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::APPEND | OFlags::NOFOLLOW);
        assert_eq!(open_flags(FOLLOW, 0, rights::FD_READ | rights::FD_WRITE, 0), OFlags::RDWR);
    }
}
