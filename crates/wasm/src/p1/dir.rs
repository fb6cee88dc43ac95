//! Directory listing and preopens: `fd_readdir`, `fd_prestat_get`,
//! `fd_prestat_dir_name`.
//!
//! Analogue: Linux `getdents64(2)` with `telldir`/`seekdir` cookies. A
//! WASI cookie is the index of the next entry in the listing (`.` and `..`
//! first, then the directory's entries in the filesystem's order), so a
//! guest can resume a listing it read only partly.

use agentos_kernel::Errno;
use wasmtime::{Caller, Linker};

use crate::ctx::{Ctx, call};
use crate::p1::wasi_filetype;

/// Size of a WASI `dirent` header; the name follows it, unterminated.
const DIRENT: usize = 24;

pub fn add(l: &mut Linker<Ctx>, m: &str) -> wasmtime::Result<()> {
    l.func_wrap(m, "fd_readdir", |mut c: Caller<'_, Ctx>, fd: i32, buf: i32, len: i32, cookie: i64, out: i32| {
        call(&mut c, |mem, ctx| {
            // Listing from the start each call keeps cookies stable and
            // leaves no hidden state behind a descriptor.
            let fd = ctx.kfd(fd);
            ctx.task.seekdir(fd, 0)?;
            let entries = ctx.task.getdents(fd)?;
            let mut bytes = Vec::new();
            let cap = len as u32 as usize;
            for (i, e) in entries.iter().enumerate().skip(cookie as u64 as usize) {
                if bytes.len() >= cap {
                    break;
                }
                let mut head = [0u8; DIRENT];
                head[0..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
                head[8..16].copy_from_slice(&e.ino.to_le_bytes());
                head[16..20].copy_from_slice(&(e.name.len() as u32).to_le_bytes());
                head[20] = wasi_filetype(e.kind);
                bytes.extend_from_slice(&head);
                bytes.extend_from_slice(e.name.as_bytes());
            }
            // A full buffer tells the guest to come back with the cookie
            // of the last complete entry, as the spec asks.
            bytes.truncate(cap);
            mem.write(buf as u32, &bytes)?;
            mem.write_u32(out as u32, bytes.len() as u32)
        })
    })?;
    l.func_wrap(m, "fd_prestat_get", |mut c: Caller<'_, Ctx>, fd: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            // EBADF for any other descriptor ends wasi-libc's scan.
            let name = ctx.preopen(fd).ok_or(Errno::EBADF)?;
            let mut b = [0u8; 8];
            b[4..8].copy_from_slice(&(name.len() as u32).to_le_bytes());
            mem.write(out as u32, &b)
        })
    })?;
    l.func_wrap(m, "fd_prestat_dir_name", |mut c: Caller<'_, Ctx>, fd: i32, buf: i32, len: i32| {
        call(&mut c, |mem, ctx| {
            let name = ctx.preopen(fd).ok_or(Errno::EBADF)?;
            if name.len() > len as u32 as usize {
                return Err(Errno::ENAMETOOLONG);
            }
            mem.write(buf as u32, name.as_bytes())
        })
    })?;
    Ok(())
}
