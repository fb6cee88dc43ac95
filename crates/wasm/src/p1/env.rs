//! Arguments, environment, clocks, randomness, exit and signals:
//! `args_*`, `environ_*`, `clock_*`, `random_get`, `proc_exit`,
//! `proc_raise`, `sched_yield`.
//!
//! Analogue: the process-level parts of Linux `execve` (the argv/envp
//! block), `clock_gettime(2)`, `getrandom(2)`, `_exit(2)`, `raise(3)`.

use agentos_kernel::Errno;
use agentos_kernel::abi::Timespec;
use wasmtime::{Caller, Linker};

use crate::ctx::{Ctx, Stop, call};
use crate::mem::GuestMem;

/// Lay out `items` as NUL-terminated strings at `buf` with their addresses
/// at `ptrs` (the `args_get`/`environ_get` layout).
fn put_strings(mem: &mut GuestMem<'_>, items: &[String], ptrs: u32, buf: u32) -> Result<(), Errno> {
    let mut at = buf;
    for (i, s) in items.iter().enumerate() {
        mem.write_u32(ptrs.wrapping_add(4 * i as u32), at)?;
        mem.write(at, s.as_bytes())?;
        let end = at.checked_add(s.len() as u32).ok_or(Errno::EFAULT)?;
        mem.write_u8(end, 0)?;
        at = end + 1;
    }
    Ok(())
}

fn sizes(mem: &mut GuestMem<'_>, items: &[String], count_ptr: u32, size_ptr: u32) -> Result<(), Errno> {
    let total: usize = items.iter().map(|s| s.len() + 1).sum();
    mem.write_u32(count_ptr, items.len() as u32)?;
    mem.write_u32(size_ptr, u32::try_from(total).map_err(|_| Errno::E2BIG)?)
}

/// The environment the guest sees: the process's, plus `PWD` when it has
/// none. WASI preview 1 has no `getcwd`; libcs built for it (the registry's
/// included) take the working directory from `PWD`, so a program started
/// without one would otherwise believe it runs in `/`.
fn environ(ctx: &Ctx) -> Vec<String> {
    let mut out: Vec<String> = ctx.task.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if !ctx.task.env.iter().any(|(k, _)| k == "PWD") {
        out.push(format!("PWD={}", ctx.task.getcwd()));
    }
    out
}

fn nanos(t: Timespec) -> u64 {
    u64::try_from(t.as_nanos()).unwrap_or(0)
}

/// The clock `id` now, in nanoseconds (`EINVAL` for an unknown clock).
pub fn clock_now(ctx: &Ctx, id: u32) -> Result<u64, Errno> {
    match id {
        0 => Ok(nanos(ctx.task.now())),
        // Process and thread CPU clocks are approximated by the monotonic
        // clock: the kernel does not account CPU time per process.
        1..=3 => Ok(nanos(ctx.task.monotonic())),
        _ => Err(Errno::EINVAL),
    }
}

pub fn add(l: &mut Linker<Ctx>, m: &str) -> wasmtime::Result<()> {
    l.func_wrap(m, "args_sizes_get", |mut c: Caller<'_, Ctx>, count: i32, size: i32| {
        call(&mut c, |mem, ctx| sizes(mem, &ctx.task.argv, count as u32, size as u32))
    })?;
    l.func_wrap(m, "args_get", |mut c: Caller<'_, Ctx>, ptrs: i32, buf: i32| {
        call(&mut c, |mem, ctx| put_strings(mem, &ctx.task.argv, ptrs as u32, buf as u32))
    })?;
    l.func_wrap(m, "environ_sizes_get", |mut c: Caller<'_, Ctx>, count: i32, size: i32| {
        call(&mut c, |mem, ctx| sizes(mem, &environ(ctx), count as u32, size as u32))
    })?;
    l.func_wrap(m, "environ_get", |mut c: Caller<'_, Ctx>, ptrs: i32, buf: i32| {
        call(&mut c, |mem, ctx| put_strings(mem, &environ(ctx), ptrs as u32, buf as u32))
    })?;
    l.func_wrap(m, "clock_res_get", |mut c: Caller<'_, Ctx>, id: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            clock_now(ctx, id as u32)?;
            mem.write_u64(out as u32, 1)
        })
    })?;
    l.func_wrap(m, "clock_time_get", |mut c: Caller<'_, Ctx>, id: i32, _precision: i64, out: i32| {
        call(&mut c, |mem, ctx| {
            let t = clock_now(ctx, id as u32)?;
            mem.write_u64(out as u32, t)
        })
    })?;
    l.func_wrap(m, "random_get", |mut c: Caller<'_, Ctx>, buf: i32, len: i32| {
        call(&mut c, |mem, ctx| {
            ctx.task.random(mem.slice_mut(buf as u32, len as u32)?);
            Ok(())
        })
    })?;
    l.func_wrap(m, "proc_exit", |_c: Caller<'_, Ctx>, code: i32| -> wasmtime::Result<()> {
        Err(Stop::Exit(code).into())
    })?;
    l.func_wrap(m, "proc_raise", |mut c: Caller<'_, Ctx>, sig: i32| {
        call(&mut c, |_, ctx| {
            let pid = ctx.task.pid();
            ctx.task.kill(pid, sig)
        })
    })?;
    l.func_wrap(m, "sched_yield", |mut c: Caller<'_, Ctx>| {
        call(&mut c, |_, ctx| {
            std::thread::yield_now();
            ctx.task.check_signals(false)
        })
    })?;
    Ok(())
}
