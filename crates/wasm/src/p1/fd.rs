//! Descriptor I/O: `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`,
//! `fd_seek`, `fd_tell`, `fd_close`, `fd_renumber`, `fd_fdstat_*`,
//! `fd_filestat_*`, `fd_advise`, `fd_allocate`, `fd_datasync`, `fd_sync`.
//!
//! Analogue: Linux `readv(2)`, `pwritev(2)`, `lseek(2)`, `fcntl(2)`,
//! `fstat(2)`, `ftruncate(2)`, `futimens(2)`, `fsync(2)`. Scatter/gather
//! calls are one kernel call through a bounce buffer, so a pipe read never
//! blocks again for a later iovec and a small pipe write stays atomic.

use agentos_kernel::abi::{Fd, OFlags, Stat, TimeSet, Timespec, Whence};
use agentos_kernel::{Errno, KResult, Task};
use wasmtime::{Caller, Linker};

use crate::ctx::{Ctx, call};
use crate::mem::GuestMem;
use crate::p1::wasi_filetype;

/// WASI `rights` bits this crate looks at.
pub mod rights {
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    /// Every right preview1 defines (bits 0 to 28).
    pub const ALL: u64 = (1 << 29) - 1;
}

/// WASI `fdflags`.
pub const FDFLAG_APPEND: u16 = 1;
pub const FDFLAG_NONBLOCK: u16 = 4;

/// WASI `fstflags`.
const ATIM: u16 = 1;
const ATIM_NOW: u16 = 2;
const MTIM: u16 = 4;
const MTIM_NOW: u16 = 8;

/// Read into the guest's iovecs with a single kernel read (`pread` when
/// `at` is given).
pub(crate) fn readv(task: &Task, mem: &mut GuestMem<'_>, fd: Fd, iovs: u32, n: u32, at: Option<u64>) -> KResult<u32> {
    let iovs: Vec<_> = mem.iovecs(iovs, n)?.into_iter().filter(|(_, l)| *l > 0).collect();
    let read = |buf: &mut [u8]| match at {
        Some(off) => task.pread(fd, buf, off),
        None => task.read(fd, buf),
    };
    if iovs.len() <= 1 {
        let (p, l) = iovs.first().copied().unwrap_or((0, 0));
        return read(mem.slice_mut(p, l)?).map(|n| n as u32);
    }
    let total: u64 = iovs.iter().map(|(_, l)| u64::from(*l)).sum();
    let mut buf = vec![0u8; total.min(16 << 20) as usize];
    let got = read(&mut buf)?;
    let mut done = 0;
    for (p, l) in iovs {
        if done >= got {
            break;
        }
        let k = (l as usize).min(got - done);
        mem.write(p, &buf[done..done + k])?;
        done += k;
    }
    Ok(got as u32)
}

/// Write the guest's iovecs with a single kernel write.
pub(crate) fn writev(task: &Task, mem: &GuestMem<'_>, fd: Fd, iovs: u32, n: u32, at: Option<u64>) -> KResult<u32> {
    let iovs: Vec<_> = mem.iovecs(iovs, n)?.into_iter().filter(|(_, l)| *l > 0).collect();
    let write = |buf: &[u8]| match at {
        Some(off) => task.pwrite(fd, buf, off),
        None => task.write(fd, buf),
    };
    if iovs.len() <= 1 {
        let (p, l) = iovs.first().copied().unwrap_or((0, 0));
        return write(mem.slice(p, l)?).map(|n| n as u32);
    }
    let mut buf = Vec::new();
    for (p, l) in iovs {
        buf.extend_from_slice(mem.slice(p, l)?);
    }
    write(&buf).map(|n| n as u32)
}

/// A WASI `filestat` (64 bytes) at `ptr`.
pub fn put_filestat(mem: &mut GuestMem<'_>, ptr: u32, st: &Stat) -> KResult<()> {
    let ns = |t: Timespec| u64::try_from(t.as_nanos()).unwrap_or(0);
    let mut b = [0u8; 64];
    b[0..8].copy_from_slice(&st.dev.to_le_bytes());
    b[8..16].copy_from_slice(&st.ino.to_le_bytes());
    b[16] = wasi_filetype(st.file_type());
    b[24..32].copy_from_slice(&st.nlink.to_le_bytes());
    b[32..40].copy_from_slice(&st.size.to_le_bytes());
    b[40..48].copy_from_slice(&ns(st.atime).to_le_bytes());
    b[48..56].copy_from_slice(&ns(st.mtime).to_le_bytes());
    b[56..64].copy_from_slice(&ns(st.ctime).to_le_bytes());
    mem.write(ptr, &b)
}

/// The two timestamps of a `*_set_times` call (`EINVAL` for contradictory
/// flags, as WASI specifies).
pub fn time_sets(atim: i64, mtim: i64, flags: u16) -> KResult<(TimeSet, TimeSet)> {
    let one = |t: i64, set: u16, now: u16| -> KResult<TimeSet> {
        match (flags & set != 0, flags & now != 0) {
            (true, true) => Err(Errno::EINVAL),
            (true, false) => Ok(TimeSet::At(Timespec::from_nanos(i128::from(t as u64)))),
            (false, true) => Ok(TimeSet::Now),
            (false, false) => Ok(TimeSet::Omit),
        }
    };
    Ok((one(atim, ATIM, ATIM_NOW)?, one(mtim, MTIM, MTIM_NOW)?))
}

fn fdstat(mem: &mut GuestMem<'_>, ctx: &Ctx, fd: Fd, ptr: u32) -> KResult<()> {
    let file = ctx.task.file(ctx.kfd(fd))?;
    let st = file.stat()?;
    let flags = file.flags();
    let mut base = rights::ALL;
    if !flags.readable() {
        base &= !rights::FD_READ;
    }
    if !flags.writable() {
        base &= !rights::FD_WRITE;
    }
    if file.stream_ref().is_some() {
        // Not seekable; wasi-libc's isatty() also looks for this.
        base &= !(rights::FD_SEEK | rights::FD_TELL);
    }
    let mut fdflags = 0u16;
    if flags.contains(OFlags::APPEND) {
        fdflags |= FDFLAG_APPEND;
    }
    if flags.contains(OFlags::NONBLOCK) {
        fdflags |= FDFLAG_NONBLOCK;
    }
    let mut b = [0u8; 24];
    b[0] = wasi_filetype(st.file_type());
    b[2..4].copy_from_slice(&fdflags.to_le_bytes());
    b[8..16].copy_from_slice(&base.to_le_bytes());
    b[16..24].copy_from_slice(&rights::ALL.to_le_bytes());
    mem.write(ptr, &b)
}

pub fn add(l: &mut Linker<Ctx>, m: &str) -> wasmtime::Result<()> {
    l.func_wrap(m, "fd_read", |mut c: Caller<'_, Ctx>, fd: i32, iovs: i32, n: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let got = readv(&ctx.task, mem, fd, iovs as u32, n as u32, None)?;
            mem.write_u32(out as u32, got)
        })
    })?;
    l.func_wrap(m, "fd_pread", |mut c: Caller<'_, Ctx>, fd: i32, iovs: i32, n: i32, off: i64, out: i32| {
        call(&mut c, |mem, ctx| {
            let got = readv(&ctx.task, mem, fd, iovs as u32, n as u32, Some(off as u64))?;
            mem.write_u32(out as u32, got)
        })
    })?;
    l.func_wrap(m, "fd_write", |mut c: Caller<'_, Ctx>, fd: i32, iovs: i32, n: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let put = writev(&ctx.task, mem, fd, iovs as u32, n as u32, None)?;
            mem.write_u32(out as u32, put)
        })
    })?;
    l.func_wrap(m, "fd_pwrite", |mut c: Caller<'_, Ctx>, fd: i32, iovs: i32, n: i32, off: i64, out: i32| {
        call(&mut c, |mem, ctx| {
            let put = writev(&ctx.task, mem, fd, iovs as u32, n as u32, Some(off as u64))?;
            mem.write_u32(out as u32, put)
        })
    })?;
    l.func_wrap(m, "fd_seek", |mut c: Caller<'_, Ctx>, fd: i32, off: i64, whence: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let whence = match whence {
                0 => Whence::Set,
                1 => Whence::Cur,
                2 => Whence::End,
                _ => return Err(Errno::EINVAL),
            };
            let pos = ctx.task.lseek(fd, off, whence)?;
            mem.write_u64(out as u32, pos)
        })
    })?;
    l.func_wrap(m, "fd_tell", |mut c: Caller<'_, Ctx>, fd: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let pos = ctx.task.lseek(fd, 0, Whence::Cur)?;
            mem.write_u64(out as u32, pos)
        })
    })?;
    l.func_wrap(m, "fd_close", |mut c: Caller<'_, Ctx>, fd: i32| {
        call(&mut c, |_, ctx| {
            let fd = ctx.kfd(fd);
            ctx.task.close(fd)?;
            ctx.preopens.retain(|(f, _)| *f != fd);
            Ok(())
        })
    })?;
    l.func_wrap(m, "fd_renumber", |mut c: Caller<'_, Ctx>, from: i32, to: i32| {
        call(&mut c, |_, ctx| {
            ctx.task.dup2(from, to)?;
            if from != to {
                ctx.task.close(from)?;
                ctx.preopens.retain(|(f, _)| *f != to);
                for p in ctx.preopens.iter_mut().filter(|(f, _)| *f == from) {
                    p.0 = to;
                }
            }
            Ok(())
        })
    })?;
    l.func_wrap(m, "fd_fdstat_get", |mut c: Caller<'_, Ctx>, fd: i32, out: i32| {
        call(&mut c, |mem, ctx| fdstat(mem, ctx, fd, out as u32))
    })?;
    l.func_wrap(m, "fd_fdstat_set_flags", |mut c: Caller<'_, Ctx>, fd: i32, flags: i32| {
        call(&mut c, |_, ctx| {
            let mut f = OFlags(0);
            if flags as u16 & FDFLAG_APPEND != 0 {
                f |= OFlags::APPEND;
            }
            if flags as u16 & FDFLAG_NONBLOCK != 0 {
                f |= OFlags::NONBLOCK;
            }
            ctx.task.set_flags(fd, f)
        })
    })?;
    l.func_wrap(m, "fd_fdstat_set_rights", |mut c: Caller<'_, Ctx>, fd: i32, _base: i64, _inh: i64| {
        // Rights are not a security boundary here (the kernel's permission
        // checks are); accept any narrowing.
        call(&mut c, |_, ctx| ctx.task.file(fd).map(|_| ()))
    })?;
    l.func_wrap(m, "fd_filestat_get", |mut c: Caller<'_, Ctx>, fd: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let st = ctx.task.fstat(ctx.kfd(fd))?;
            put_filestat(mem, out as u32, &st)
        })
    })?;
    l.func_wrap(m, "fd_filestat_set_size", |mut c: Caller<'_, Ctx>, fd: i32, size: i64| {
        call(&mut c, |_, ctx| ctx.task.ftruncate(fd, size as u64))
    })?;
    l.func_wrap(m, "fd_filestat_set_times", |mut c: Caller<'_, Ctx>, fd: i32, atim: i64, mtim: i64, fl: i32| {
        call(&mut c, |_, ctx| {
            let (a, m) = time_sets(atim, mtim, fl as u16)?;
            let path = ctx.task.fd_path(fd).map_err(|_| Errno::EBADF)?;
            ctx.task.utimens(&path, a, m, true)
        })
    })?;
    l.func_wrap(m, "fd_advise", |mut c: Caller<'_, Ctx>, fd: i32, _off: i64, _len: i64, _advice: i32| {
        call(&mut c, |_, ctx| ctx.task.file(fd).map(|_| ()))
    })?;
    l.func_wrap(m, "fd_allocate", |mut c: Caller<'_, Ctx>, fd: i32, off: i64, len: i64| {
        call(&mut c, |_, ctx| {
            let end = (off as u64).checked_add(len as u64).ok_or(Errno::EFBIG)?;
            if ctx.task.fstat(fd)?.size < end {
                ctx.task.ftruncate(fd, end)?;
            }
            Ok(())
        })
    })?;
    for name in ["fd_sync", "fd_datasync"] {
        l.func_wrap(m, name, |mut c: Caller<'_, Ctx>, fd: i32| call(&mut c, |_, ctx| ctx.task.fsync(fd)))?;
    }
    Ok(())
}
