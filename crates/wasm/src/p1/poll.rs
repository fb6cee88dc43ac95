//! Waiting and sockets: `poll_oneoff` (clock and descriptor
//! subscriptions, over `Task::poll` and `Task::sleep`) and `sock_accept`,
//! `sock_recv`, `sock_send`, `sock_shutdown` on kernel sockets (created by
//! the `host_net` module or inherited).
//!
//! Analogue: Linux `ppoll(2)` with a timeout taken from the earliest clock
//! subscription.

use std::time::Duration;

use agentos_kernel::abi::{Fd, OFlags};
use agentos_kernel::file::poll as bits;
use agentos_kernel::task::PollFd;
use agentos_kernel::{Errno, KResult};
use wasmtime::{Caller, Linker};

use crate::ctx::{Ctx, call};
use crate::mem::GuestMem;
use crate::p1::env::clock_now;
use crate::p1::errno::BADF;
use crate::p1::fd::{FDFLAG_NONBLOCK, readv, writev};

const SUBSCRIPTION: u32 = 48;
const EVENT: u32 = 32;
const TAG_CLOCK: u8 = 0;
const TAG_FD_READ: u8 = 1;
const TAG_FD_WRITE: u8 = 2;
const SUBCLOCK_ABSTIME: u16 = 1;
const EVENT_HANGUP: u16 = 1;
const POLLNVAL: u32 = 0x20;

enum Sub {
    Clock { userdata: u64, deadline_ns: u64 },
    Fd { userdata: u64, tag: u8, fd: Fd },
}

fn parse(mem: &GuestMem<'_>, ctx: &Ctx, ptr: u32, n: u32) -> KResult<Vec<Sub>> {
    let mut subs = Vec::with_capacity(n as usize);
    for i in 0..n {
        let at = ptr.checked_add(i.checked_mul(SUBSCRIPTION).ok_or(Errno::EFAULT)?).ok_or(Errno::EFAULT)?;
        let userdata = mem.read_u64(at)?;
        match mem.read_u8(at + 8)? {
            TAG_CLOCK => {
                let id = mem.read_u32(at + 16)?;
                let timeout = mem.read_u64(at + 24)?;
                let flags = mem.read_u16(at + 40)?;
                // Deadlines are kept on the monotonic clock.
                let now = clock_now(ctx, id)?;
                let rel = if flags & SUBCLOCK_ABSTIME != 0 { timeout.saturating_sub(now) } else { timeout };
                let deadline_ns = clock_now(ctx, 1)?.saturating_add(rel);
                subs.push(Sub::Clock { userdata, deadline_ns });
            }
            tag @ (TAG_FD_READ | TAG_FD_WRITE) => {
                let fd = mem.read_u32(at + 16)? as Fd;
                subs.push(Sub::Fd { userdata, tag, fd });
            }
            _ => return Err(Errno::EINVAL),
        }
    }
    Ok(subs)
}

fn event(userdata: u64, error: u16, tag: u8, flags: u16) -> [u8; EVENT as usize] {
    let mut b = [0u8; EVENT as usize];
    b[0..8].copy_from_slice(&userdata.to_le_bytes());
    b[8..10].copy_from_slice(&error.to_le_bytes());
    b[10] = tag;
    b[24..26].copy_from_slice(&flags.to_le_bytes());
    b
}

fn poll_oneoff(mem: &mut GuestMem<'_>, ctx: &Ctx, sin: u32, sout: u32, n: u32) -> KResult<u32> {
    if n == 0 {
        return Err(Errno::EINVAL);
    }
    let subs = parse(mem, ctx, sin, n)?;
    let earliest = subs
        .iter()
        .filter_map(|s| if let Sub::Clock { deadline_ns, .. } = s { Some(*deadline_ns) } else { None })
        .min();
    let timeout = earliest.map(|d| Duration::from_nanos(d.saturating_sub(clock_now(ctx, 1).unwrap_or(0))));
    let mut fds: Vec<PollFd> = subs
        .iter()
        .filter_map(|s| match s {
            Sub::Fd { tag, fd, .. } => {
                let events = if *tag == TAG_FD_READ { bits::IN } else { bits::OUT };
                Some(PollFd { fd: *fd, events, revents: 0 })
            }
            Sub::Clock { .. } => None,
        })
        .collect();
    if fds.is_empty() {
        ctx.task.sleep(timeout.unwrap_or(Duration::ZERO))?;
    } else {
        ctx.task.poll(&mut fds, timeout)?;
    }
    let now = clock_now(ctx, 1)?;
    let mut events = Vec::new();
    let mut fd_iter = fds.iter();
    for s in &subs {
        match s {
            Sub::Clock { userdata, deadline_ns } => {
                if *deadline_ns <= now {
                    events.push(event(*userdata, 0, TAG_CLOCK, 0));
                }
            }
            Sub::Fd { userdata, tag, .. } => {
                let Some(p) = fd_iter.next() else { continue };
                if p.revents == 0 {
                    continue;
                }
                let error = if p.revents & POLLNVAL != 0 { BADF } else { 0 };
                let flags = if p.revents & bits::HUP != 0 { EVENT_HANGUP } else { 0 };
                events.push(event(*userdata, error, *tag, flags));
            }
        }
    }
    for (i, e) in events.iter().enumerate() {
        mem.write(sout + i as u32 * EVENT, e)?;
    }
    Ok(events.len() as u32)
}

pub fn add(l: &mut Linker<Ctx>, m: &str) -> wasmtime::Result<()> {
    l.func_wrap(m, "poll_oneoff", |mut c: Caller<'_, Ctx>, sin: i32, sout: i32, n: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let k = poll_oneoff(mem, ctx, sin as u32, sout as u32, n as u32)?;
            mem.write_u32(out as u32, k)
        })
    })?;
    l.func_wrap(m, "sock_accept", |mut c: Caller<'_, Ctx>, fd: i32, flags: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            let nb = if flags as u16 & FDFLAG_NONBLOCK != 0 { OFlags::NONBLOCK } else { OFlags(0) };
            let (nfd, _) = ctx.task.accept(fd, nb)?;
            mem.write_u32(out as u32, nfd as u32)
        })
    })?;
    l.func_wrap(
        m,
        "sock_recv",
        |mut c: Caller<'_, Ctx>, fd: i32, iovs: i32, n: i32, flags: i32, out: i32, oflags: i32| {
            call(&mut c, |mem, ctx| {
                // RECV_PEEK (1) and RECV_WAITALL (2) are not offered.
                if flags != 0 {
                    return Err(Errno::EOPNOTSUPP);
                }
                ctx.task.getsockname(fd)?;
                let k = readv(&ctx.task, mem, fd, iovs as u32, n as u32, None)?;
                mem.write_u32(out as u32, k)?;
                mem.write_u16(oflags as u32, 0)
            })
        },
    )?;
    l.func_wrap(m, "sock_send", |mut c: Caller<'_, Ctx>, fd: i32, iovs: i32, n: i32, _flags: i32, out: i32| {
        call(&mut c, |mem, ctx| {
            ctx.task.getsockname(fd)?;
            let k = writev(&ctx.task, mem, fd, iovs as u32, n as u32, None)?;
            mem.write_u32(out as u32, k)
        })
    })?;
    l.func_wrap(m, "sock_shutdown", |mut c: Caller<'_, Ctx>, fd: i32, how: i32| {
        // `sdflags`: RD = 1, WR = 2.
        call(&mut c, |_, ctx| {
            if how & !3 != 0 || how == 0 {
                return Err(Errno::EINVAL);
            }
            ctx.task.shutdown(fd, how & 1 != 0, how & 2 != 0)
        })
    })?;
    Ok(())
}
