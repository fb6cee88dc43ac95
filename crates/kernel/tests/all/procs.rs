//! Processes, pipes, signals and waiting.

use std::time::Duration;

use agentos_kernel::Errno::*;
use agentos_kernel::abi::{OFlags, SigAction, Signal, WaitStatus};
use agentos_kernel::task::WaitTarget;
use agentos_kernel::{Limits, Pgroup, SpawnOptions};

use super::{USER, as_user, kernel, kernel_with, watch};

fn argv(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn exec_errors_like_execve() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let o = |a: &[&str]| SpawnOptions { argv: argv(a), ..Default::default() };
        t.write_all(t.open("noexec", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644).unwrap(), b"data").unwrap();
        t.write_all(t.open("junk", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o755).unwrap(), b"\x01\x02junk")
            .unwrap();
        t.write_all(
            t.open("script", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o755).unwrap(),
            b"#!/usr/bin/true -x\n",
        )
        .unwrap();
        t.write_all(t.open("badinterp", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o755).unwrap(), b"#!/nope\n")
            .unwrap();
        let script = t.spawn("./script", o(&["./script"]));
        let status = script.map(|pid| t.waitpid(WaitTarget::Pid(pid), false).unwrap().unwrap().1);
        (
            t.spawn("/missing", o(&["x"])).map(|_| ()),
            t.spawn("/tmp", o(&["x"])).map(|_| ()),
            t.spawn("noexec", o(&["x"])).map(|_| ()),
            t.spawn("junk", o(&["x"])).map(|_| ()),
            t.spawn("badinterp", o(&["x"])).map(|_| ()),
            status,
            t.waitpid(WaitTarget::Any, false).map(|_| ()),
        )
    });
    assert_eq!(
        r,
        (Err(ENOENT), Err(EACCES), Err(EACCES), Err(ENOEXEC), Err(ENOENT), Ok(WaitStatus::Exited(0)), Err(ECHILD))
    );
}

#[test]
fn pipe_eof_epipe_and_sigpipe() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let (r, w) = t.pipe(OFlags(0)).unwrap();
        t.write_all(w, b"hello").unwrap();
        t.close(w).unwrap();
        let mut b = [0u8; 16];
        let n1 = t.read(r, &mut b).unwrap();
        let n2 = t.read(r, &mut b).unwrap();
        t.close(r).unwrap();
        // A child writing into a pipe nobody reads dies of SIGPIPE.
        let (r2, w2) = t.pipe(OFlags(0)).unwrap();
        t.close(r2).unwrap();
        let wf = t.file(w2).unwrap();
        let pid = t
            .spawn_fn(
                SpawnOptions { argv: argv(&["writer"]), fds: vec![(1, wf)], ..Default::default() },
                Box::new(|c| {
                    let _ = c.write(1, b"x");
                    0
                }),
            )
            .unwrap();
        let st = t.waitpid(WaitTarget::Pid(pid), false).unwrap().unwrap().1;
        // With SIGPIPE ignored the write fails with EPIPE instead.
        t.sigaction(Signal::SIGPIPE, SigAction::Ignore).unwrap();
        let epipe = t.write(w2, b"x");
        (n1, n2, st, epipe)
    });
    assert_eq!(r, (5, 0, WaitStatus::Signaled(Signal::SIGPIPE), Err(EPIPE)));
}

#[test]
fn pipeline_through_a_child() {
    let k = kernel();
    let out = as_user(&k, |t| {
        let (r1, w1) = t.pipe(OFlags(0)).unwrap();
        let (r2, w2) = t.pipe(OFlags(0)).unwrap();
        let pid = t
            .spawn(
                "/usr/bin/cat",
                SpawnOptions {
                    argv: argv(&["cat"]),
                    fds: vec![(0, t.file(r1).unwrap()), (1, t.file(w2).unwrap())],
                    ..Default::default()
                },
            )
            .unwrap();
        t.close(r1).unwrap();
        t.close(w2).unwrap();
        let big = vec![b'z'; 200_000];
        let writer = {
            let wf = t.file(w1).unwrap();
            t.spawn_fn(
                SpawnOptions { argv: argv(&["w"]), fds: vec![(1, wf)], ..Default::default() },
                Box::new(move |c| {
                    c.write_all(1, &big).unwrap();
                    0
                }),
            )
            .unwrap()
        };
        t.close(w1).unwrap();
        let data = t.read_to_end(r2).unwrap();
        let a = t.waitpid(WaitTarget::Pid(pid), false).unwrap().unwrap().1;
        let b = t.waitpid(WaitTarget::Pid(writer), false).unwrap().unwrap().1;
        (data.len(), a, b)
    });
    assert_eq!(out, (200_000, WaitStatus::Exited(0), WaitStatus::Exited(0)));
}

#[test]
fn kill_stops_a_spinning_program() {
    let k = kernel();
    let pid = k
        .spawn(
            None,
            "/usr/bin/spin",
            SpawnOptions { argv: argv(&["spin"]), pgroup: Pgroup::New, ..Default::default() },
            USER,
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let done = watch(&k, pid);
    k.kill(None, pid, Signal::SIGTERM.0).unwrap();
    assert_eq!(done.recv_timeout(Duration::from_secs(10)).unwrap(), WaitStatus::Signaled(Signal::SIGTERM));
    // Reaped by init: no zombie left.
    assert!(k.process(pid).is_none());
    assert_eq!(k.kill(None, pid, 0), Err(ESRCH));
}

#[test]
fn caught_signal_interrupts_sleep() {
    let k = kernel();
    let r = as_user(&k, |t| {
        t.sigaction(Signal::SIGUSR1, SigAction::Catch).unwrap();
        let me = t.pid();
        let kk = t.kernel().clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            kk.kill(None, me, Signal::SIGUSR1.0).unwrap();
        });
        let r = t.sleep(Duration::from_secs(10));
        (r, t.take_signals())
    });
    assert_eq!(r, (Err(EINTR), vec![Signal::SIGUSR1]));
}

#[test]
fn orphans_are_reparented_and_reaped() {
    let k = kernel();
    let grandchild = as_user(&k, |t| {
        let kk = t.kernel().clone();
        let gc = t
            .spawn_fn(
                SpawnOptions { argv: argv(&["gc"]), ..Default::default() },
                Box::new(|c| {
                    let _ = c.sleep(Duration::from_millis(50));
                    0
                }),
            )
            .unwrap();
        let _ = kk;
        gc
    });
    // The parent exited; the grandchild now belongs to init.
    std::thread::sleep(Duration::from_millis(10));
    if let Some(p) = k.process(grandchild) {
        assert_eq!(p.state.lock().ppid, 1);
    }
    std::thread::sleep(Duration::from_millis(150));
    assert!(k.process(grandchild).is_none());
    assert_eq!(k.processes().len(), 0);
}

#[test]
fn process_limit_gives_eagain() {
    let k = kernel_with(Limits { max_processes: 3, ..Default::default() });
    let r = as_user(&k, |t| {
        let mut results = Vec::new();
        for _ in 0..3 {
            results.push(
                t.spawn_fn(
                    SpawnOptions { argv: argv(&["s"]), ..Default::default() },
                    Box::new(|c| {
                        let _ = c.sleep(Duration::from_millis(100));
                        0
                    }),
                )
                .map(|_| ()),
            );
        }
        results
    });
    assert_eq!(r, vec![Ok(()), Ok(()), Err(EAGAIN)]);
}

#[test]
fn dup_dup2_cloexec_and_shared_offsets() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let fd = t.open("f", OFlags(OFlags::RDWR.0 | OFlags::CREAT.0), 0o644).unwrap();
        t.write_all(fd, b"abcdef").unwrap();
        let d = t.dup(fd).unwrap();
        t.lseek(fd, 2, agentos_kernel::abi::Whence::Set).unwrap();
        let mut b = [0u8; 2];
        t.read(d, &mut b).unwrap();
        let d2 = t.dup2(fd, 20).unwrap();
        let hi = t.dup_min(fd, 30, true).unwrap();
        (
            b,
            d2,
            hi,
            t.get_cloexec(hi),
            t.get_cloexec(d2),
            t.close(99),
            t.dup2(99, 3),
            t.read(t.open("/dev/null", OFlags::WRONLY, 0).unwrap(), &mut b),
        )
    });
    assert_eq!(r, (*b"cd", 20, 30, Ok(true), Ok(false), Err(EBADF), Err(EBADF), Err(EBADF)));
}

#[test]
fn vms_are_isolated() {
    let a = kernel();
    let b = kernel();
    let ha = a.host_task().unwrap();
    let hb = b.host_task().unwrap();
    let fd = ha.open("/tmp/only-in-a", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644).unwrap();
    ha.close(fd).unwrap();
    assert!(ha.stat("/tmp/only-in-a").is_ok());
    assert_eq!(hb.stat("/tmp/only-in-a").map(|_| ()), Err(ENOENT));
}
