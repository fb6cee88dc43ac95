//! Terminals through real tasks: the foreground group gets the signals,
//! job control stops and continues, `/dev/tty`, sessions, hangup.

use std::time::{Duration, Instant};

use agentos_kernel::abi::{Errno, Fd, OFlags, SigAction, Signal, WaitEvent, WaitStatus};
use agentos_kernel::file::termios::{ECHO, SetWhen, Winsize};
use agentos_kernel::{Pgroup, SpawnOptions, Task, WaitOptions, WaitTarget};

use crate::{as_user, kernel};

/// Read `fd` until what was read ends with `want` (or 5 s pass).
fn read_until(t: &Task, fd: Fd, want: &[u8]) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    t.set_flags(fd, OFlags::NONBLOCK).unwrap();
    while !got.ends_with(want) && Instant::now() < deadline {
        match t.read(fd, &mut buf) {
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(Errno::EAGAIN) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => panic!("read: {e:?} after {got:?}"),
        }
    }
    got
}

/// Spawn `cat` on the terminal `slave` in a group of its own; with `fg`
/// the child makes its group the foreground first (as a shell's child
/// does before `exec`), so it cannot race its parent's `tcsetpgrp`.
fn spawn_cat(t: &Task, slave: Fd, fg: bool) -> i32 {
    let f = t.file(slave).unwrap();
    let opts = SpawnOptions {
        argv: vec!["cat".into()],
        fds: vec![(0, f.clone()), (1, f.clone()), (2, f)],
        pgroup: Pgroup::New,
        ..Default::default()
    };
    t.spawn_fn(
        opts,
        Box::new(move |c| {
            if fg {
                c.tcsetpgrp(0, c.pid()).unwrap();
            }
            let e = c.exec("/usr/bin/cat", vec!["cat".into()], vec![]);
            panic!("exec: {e:?}")
        }),
    )
    .unwrap()
}

fn untraced() -> WaitOptions {
    WaitOptions { untraced: true, continued: true, ..Default::default() }
}

#[test]
fn foreground_cat_echo_and_ctrl_c() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let (m, s) = t.openpty().unwrap();
        let pid = spawn_cat(t, s, true);
        t.tcsetpgrp(s, pid).unwrap();
        t.write(m, b"hi\r").unwrap();
        let out = read_until(t, m, b"hi\r\nhi\r\n");
        t.write(m, b"\x03").unwrap();
        let st = t.waitpid(WaitTarget::Pid(pid), false).unwrap();
        let tail = read_until(t, m, b"^C");
        (out, st, tail, t.tcgetpgrp(s).unwrap())
    });
    assert_eq!(r.0, b"hi\r\nhi\r\n");
    assert_eq!(r.1.map(|x| x.1), Some(WaitStatus::Signaled(Signal::SIGINT)));
    assert_eq!(r.2, b"^C");
}

#[test]
fn ctrl_z_stops_sigcont_continues_ctrl_d_ends() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let (m, s) = t.openpty().unwrap();
        let pid = spawn_cat(t, s, true);
        t.tcsetpgrp(s, pid).unwrap();
        t.write(m, b"\x1a").unwrap();
        let stopped = t.waitpid_opts(WaitTarget::Pid(pid), untraced()).unwrap();
        // Reported once.
        let again = t.waitpid_opts(WaitTarget::Pid(pid), WaitOptions { nohang: true, ..untraced() }).unwrap();
        t.kill(pid, Signal::SIGCONT.0).unwrap();
        let cont = t.waitpid_opts(WaitTarget::Pid(pid), untraced()).unwrap();
        t.write(m, b"x\n\x04").unwrap();
        let out = read_until(t, m, b"x\r\nx\r\n");
        let end = t.waitpid_opts(WaitTarget::Pid(pid), untraced()).unwrap();
        (stopped, again, cont, out, end)
    });
    let pid = r.0.unwrap().0;
    assert_eq!(r.0, Some((pid, WaitEvent::Stopped(Signal::SIGTSTP))));
    assert_eq!(r.1, None);
    assert_eq!(r.2, Some((pid, WaitEvent::Continued)));
    assert_eq!(r.3, b"^Zx\r\nx\r\n");
    assert_eq!(r.4, Some((pid, WaitEvent::Exited(WaitStatus::Exited(0)))));
    assert_eq!(WaitEvent::Stopped(Signal::SIGTSTP).code(), 148);
}

#[test]
fn background_read_gets_sigttin() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let (m, s) = t.openpty().unwrap();
        // The caller stays in the foreground; cat is a background job.
        let pid = spawn_cat(t, s, false);
        let ev = t.waitpid_opts(WaitTarget::Pid(pid), untraced()).unwrap();
        t.tcsetpgrp(s, pid).unwrap();
        t.kill(-pid, Signal::SIGCONT.0).unwrap();
        t.write(m, b"ok\n").unwrap();
        let out = read_until(t, m, b"ok\r\nok\r\n");
        t.kill(pid, Signal::SIGKILL.0).unwrap();
        (ev.map(|e| e.1), out)
    });
    assert_eq!(r.0, Some(WaitEvent::Stopped(Signal::SIGTTIN)));
    assert_eq!(r.1, b"ok\r\nok\r\n");
}

#[test]
fn hangup_sends_sighup_to_the_foreground_group() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let (m, s) = t.openpty().unwrap();
        let pid = spawn_cat(t, s, true);
        t.tcsetpgrp(s, pid).unwrap();
        // The caller (the session leader) ignores the hangup it also gets.
        t.sigaction(Signal::SIGHUP, SigAction::Ignore).unwrap();
        t.close(m).unwrap();
        let st = t.waitpid(WaitTarget::Pid(pid), false).unwrap().map(|x| x.1);
        let mut b = [0u8; 4];
        (st, t.read(s, &mut b), t.write(s, b"x"))
    });
    assert_eq!(r.0, Some(WaitStatus::Signaled(Signal::SIGHUP)));
    assert_eq!(r.1, Ok(0));
    assert_eq!(r.2, Err(Errno::EIO));
}

#[test]
fn winsize_change_signals_sigwinch() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let (_m, s) = t.openpty().unwrap();
        t.sigaction(Signal::SIGWINCH, SigAction::Catch).unwrap();
        let ws = Winsize { rows: 50, cols: 132, xpixel: 0, ypixel: 0 };
        t.set_winsize(s, ws).unwrap();
        (t.get_winsize(s).unwrap(), t.take_signals())
    });
    assert_eq!((r.0.rows, r.0.cols), (50, 132));
    assert_eq!(r.1, vec![Signal::SIGWINCH]);
}

#[test]
fn controlling_terminal_dev_tty_and_sessions() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let before = t.open("/dev/tty", OFlags::RDWR, 0);
        let (p0, p1) = t.pipe(OFlags::RDONLY).unwrap();
        let notty = (t.tcgetattr(p0), t.ttyname(p1), t.isatty(p0));
        let (m, s) = t.openpty().unwrap();
        let name = t.ttyname(s).unwrap();
        let tty = t.open("/dev/tty", OFlags::RDWR, 0).unwrap();
        let pts = t.open(&name, OFlags::RDWR, 0).unwrap();
        let names = (t.ttyname(tty).unwrap(), t.ttyname(pts).unwrap(), t.isatty(s), t.isatty(m));
        // Writing to /dev/tty reaches the master.
        t.write(tty, b"via tty\n").unwrap();
        let out = read_until(t, m, b"via tty\r\n");
        let mut attrs = t.tcgetattr(pts).unwrap();
        attrs.lflag &= !ECHO;
        t.tcsetattr(tty, SetWhen::Now, &attrs).unwrap();
        let echo_off = t.tcgetattr(s).unwrap().lflag & ECHO == 0;
        let errs = (
            t.setsid(),
            t.tcsetpgrp(s, 4242),
            t.open("/dev/pts/99", OFlags::RDWR, 0).map(|_| ()),
            t.getsid() == t.pid(),
        );
        (before.map(|_| ()), notty, name, names, out, echo_off, errs)
    });
    assert_eq!(r.0, Err(Errno::ENXIO));
    assert_eq!(r.1.0.map(|_| ()), Err(Errno::ENOTTY));
    assert_eq!(r.1.1, Err(Errno::ENOTTY));
    assert!(!r.1.2);
    assert_eq!(r.2, "/dev/pts/0");
    assert_eq!(r.3, ("/dev/pts/0".to_string(), "/dev/pts/0".to_string(), true, true));
    assert_eq!(r.4, b"via tty\r\n");
    assert!(r.5);
    assert_eq!(r.6, (Err(Errno::EPERM), Err(Errno::EPERM), Err(Errno::ENOENT), true));
}

#[test]
fn setsid_in_a_child_drops_the_terminal() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let (_m, s) = t.openpty().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let pid = t
            .spawn_fn(
                SpawnOptions { argv: vec!["child".into()], ..Default::default() },
                Box::new(move |c| {
                    let had = c.open("/dev/tty", OFlags::RDWR, 0).is_ok();
                    let sid = c.setsid();
                    let after = c.open("/dev/tty", OFlags::RDWR, 0).map(|_| ());
                    let _ = tx.send((had, sid == Ok(c.pid()), after));
                    0
                }),
            )
            .unwrap();
        t.waitpid(WaitTarget::Pid(pid), false).unwrap();
        let _ = s;
        rx.recv().unwrap()
    });
    assert_eq!(r, (true, true, Err(Errno::ENXIO)));
}

#[test]
fn sigkill_ends_a_stopped_process_and_sigstop_cannot_be_caught() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let (_m, s) = t.openpty().unwrap();
        let pid = spawn_cat(t, s, true);
        t.kill(pid, Signal::SIGSTOP.0).unwrap();
        let stopped = t.waitpid_opts(WaitTarget::Pid(pid), untraced()).unwrap().map(|e| e.1);
        let stat = t.read_to_end(t.open(&format!("/proc/{pid}/stat"), OFlags::RDONLY, 0).unwrap()).unwrap();
        let state = String::from_utf8(stat).unwrap().split(' ').nth(2).map(str::to_string);
        t.kill(pid, Signal::SIGKILL.0).unwrap();
        let end = t.waitpid(WaitTarget::Pid(pid), false).unwrap().map(|e| e.1);
        (stopped, state, end, t.sigaction(Signal::SIGSTOP, SigAction::Ignore))
    });
    assert_eq!(r.0, Some(WaitEvent::Stopped(Signal::SIGSTOP)));
    assert_eq!(r.1.as_deref(), Some("T"));
    assert_eq!(r.2, Some(WaitStatus::Signaled(Signal::SIGKILL)));
    assert_eq!(r.3, Err(Errno::EINVAL));
}

#[test]
fn ptmx_opens_a_new_pair_reached_through_dev_pts() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let (_m0, _s0) = t.openpty().unwrap();
        let m = t.open("/dev/ptmx", OFlags::RDWR | OFlags::NOCTTY, 0).unwrap();
        let mut b = [0u8; 8];
        // No slave open yet: the master reads EIO, as on Linux.
        t.set_flags(m, OFlags::NONBLOCK).unwrap();
        let before = t.read(m, &mut b);
        let s = t.open("/dev/pts/1", OFlags::RDWR | OFlags::NOCTTY, 0).unwrap();
        t.write(s, b"up\n").unwrap();
        let out = read_until(t, m, b"up\r\n");
        (before, out, t.ttyname(s).unwrap(), t.fstat(s).unwrap().rdev)
    });
    assert_eq!(r.0, Err(Errno::EIO));
    assert_eq!(r.1, b"up\r\n");
    assert_eq!(r.2, "/dev/pts/1");
    assert_eq!(r.3, (136 << 8) | 1);
}
