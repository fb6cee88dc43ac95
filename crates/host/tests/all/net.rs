//! Outbound TCP through [`HostNet`]: guest sockets that reach a real
//! server on the host's loopback (allowed by an exact IP pattern and a
//! pinned name), with the kernel's stream semantics: half-close, EOF,
//! non-blocking reads, readiness, backpressure; and every refusal.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::mpsc::channel;

use agentos_host::HostNet;
use agentos_kernel::Errno::*;
use agentos_kernel::Kernel;
use agentos_kernel::abi::OFlags;
use agentos_kernel::file::poll;
use agentos_kernel::net::{AllowEntry, Egress, SockType};
use agentos_kernel::policy::{DomainPolicy, Mode, Policy, Rule};

use super::{as_user, kernel};

/// A kernel whose egress allows `allow`, with `pinned.test` → 127.0.0.1
/// and `evil.test` → 127.0.0.1 answered without DNS.
fn kernel_allowing(allow: &[String]) -> Kernel {
    let k = kernel();
    let host = HostNet::new()
        .with_override("pinned.test", vec!["127.0.0.1".parse().unwrap()])
        .with_override("evil.test", vec!["127.0.0.1".parse().unwrap()]);
    let allow = allow.iter().map(|p| AllowEntry::parse(p).unwrap()).collect();
    k.net.set_egress(Egress::new(allow, Arc::new(host))).unwrap();
    k
}

#[test]
fn a_guest_stream_reaches_a_host_server_with_half_close() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut c, _) = l.accept().unwrap();
        let mut got = Vec::new();
        c.read_to_end(&mut got).unwrap();
        c.write_all(b"echo:").unwrap();
        c.write_all(&got).unwrap();
    });
    let k = kernel_allowing(&[format!("pinned.test:{port}"), format!("127.0.0.1:{port}")]);
    let r = as_user(&k, move |t| {
        let fd = t.socket(SockType::Stream, OFlags::NONBLOCK).unwrap();
        let to = t.connect_name(fd, "pinned.test", port).unwrap();
        let peer = t.getpeername(fd).unwrap();
        let early = t.read(fd, &mut [0u8; 8]);
        t.write_all(fd, b"hello").unwrap();
        t.shutdown(fd, false, true).unwrap();
        // Wait (blocking) for the answer, then EOF.
        let f = t.file(fd).unwrap();
        let s = f.stream_ref().unwrap().clone();
        let mut out = Vec::new();
        loop {
            let mut b = [0u8; 64];
            match t.block_on(&[&s], None, || s.try_read(&mut b)) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&b[..n]),
                Err(e) => panic!("{e:?}"),
            }
        }
        (to == peer, peer.port() == port, early, String::from_utf8(out).unwrap(), s.poll() & poll::IN != 0)
    });
    server.join().unwrap();
    assert_eq!(r, (true, true, Err(EAGAIN), "echo:hello".to_string(), true));
}

#[test]
fn backpressure_holds_writes_until_the_remote_reads() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let (go_tx, go_rx) = channel::<()>();
    let server = std::thread::spawn(move || {
        let (mut c, _) = l.accept().unwrap();
        go_rx.recv().unwrap();
        let mut got = Vec::new();
        c.read_to_end(&mut got).unwrap();
        got.len()
    });
    let k = kernel_allowing(&[format!("pinned.test:{port}"), format!("127.0.0.1:{port}")]);
    let written = as_user(&k, move |t| {
        let fd = t.socket(SockType::Stream, OFlags::NONBLOCK).unwrap();
        t.connect_name(fd, "pinned.test", port).unwrap();
        let f = t.file(fd).unwrap();
        let s = f.stream_ref().unwrap().clone();
        let chunk = vec![7u8; 64 * 1024];
        let mut total = 0usize;
        // Fill the kernel buffer, the relay and the host's TCP buffers
        // until the socket says "full"; a stalled writer must see EAGAIN.
        let mut stalls = 0;
        while stalls < 50 {
            match s.try_write(&chunk) {
                Ok(n) => {
                    total += n;
                    stalls = 0;
                }
                Err(EAGAIN) => {
                    stalls += 1;
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(e) => panic!("{e:?}"),
            }
        }
        let full = s.poll() & poll::OUT == 0;
        go_tx.send(()).unwrap();
        t.close(fd).unwrap();
        (total, full)
    });
    let received = server.join().unwrap();
    assert!(written.1, "a full socket is not writable");
    assert!(written.0 >= agentos_kernel::net::SOCKET_BUFFER, "{}", written.0);
    // Everything accepted before the close arrives, byte for byte.
    assert_eq!(received, written.0);
}

#[test]
fn refusals() {
    // A free port: bound, then released.
    let free = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let k = kernel_allowing(&[
        format!("pinned.test:{free}"),
        format!("127.0.0.1:{free}"),
        "evil.test:*".to_string(),
        "nowhere.invalid:*".to_string(),
    ]);
    let r = as_user(&k, move |t| {
        let c = || t.socket(SockType::Stream, OFlags(0)).unwrap();
        (
            t.connect_name(c(), "pinned.test", free).map(|_| ()),
            // Allowed by name, but it resolves to loopback: SSRF.
            t.connect_name(c(), "evil.test", 80).map(|_| ()),
            // A lookup (no port yet) keeps the loopback answer, which an
            // IP pattern allows for one port: connecting is still judged
            // per port, as just above.
            t.getaddrinfo("evil.test"),
            t.connect_name(c(), "other.test", 80).map(|_| ()),
            t.connect(c(), "10.0.0.1:80".parse::<SocketAddr>().unwrap()),
            t.getaddrinfo("nowhere.invalid"),
            t.getaddrinfo("pinned.test"),
        )
    });
    assert_eq!(
        r,
        (
            Err(ECONNREFUSED),
            Err(EACCES),
            Ok(vec!["127.0.0.1".parse().unwrap()]),
            Err(EACCES),
            Err(EACCES),
            Err(ENOENT),
            Ok(vec!["127.0.0.1".parse().unwrap()]),
        )
    );
    let e = k.net.egress().unwrap().denials();
    assert_eq!(e, (3, Some("EACCES: permission denied, connect 'tcp://10.0.0.1:80'".to_string())));
}

#[test]
fn the_permission_policy_is_checked_too() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let k = kernel_allowing(&[format!("pinned.test:{port}"), format!("127.0.0.1:{port}")]);
    let policy = Policy {
        fs: DomainPolicy::allow_all(),
        child_process: DomainPolicy::allow_all(),
        env: DomainPolicy::allow_all(),
        network: DomainPolicy {
            default: Mode::Deny,
            rules: vec![Rule::new(Mode::Allow, &["connect"], &["tcp://127.0.0.1:*"])],
        },
        tool: DomainPolicy::allow_all(),
    };
    k.vfs.set_policy(policy).unwrap();
    let r = as_user(&k, move |t| {
        let fd = t.socket(SockType::Stream, OFlags(0)).unwrap();
        t.connect_name(fd, "pinned.test", port).map(|_| ())
    });
    assert_eq!(r, Err(EACCES));
    let g = k.vfs.guard().unwrap();
    assert_eq!(
        (g.denials(), g.last_denial()),
        (1, Some(format!("EACCES: permission denied, connect 'tcp://pinned.test:{port}'")))
    );
    drop(l);
}

#[test]
fn background_connects_report_through_poll_and_connect_finish() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let k = kernel_allowing(&[format!("pinned.test:{port}"), format!("127.0.0.1:{port}"), "evil.test:*".into()]);
    let r = as_user(&k, move |t| {
        let wait = |fd| {
            let f = t.file(fd).unwrap();
            let s = f.stream_ref().unwrap().clone();
            t.block_on(&[&s], None, || if s.poll() & poll::OUT != 0 { Ok(s.poll()) } else { Err(EAGAIN) }).unwrap()
        };
        let ok = t.socket(SockType::Stream, OFlags::NONBLOCK).unwrap();
        t.connect_name_start(ok, "pinned.test", port, None).unwrap();
        let ok_poll = wait(ok) & poll::ERR;
        let ok_done = t.connect_finish(ok).unwrap().map(|r| r.map(|a| a.port() == port));
        let bad = t.socket(SockType::Stream, OFlags::NONBLOCK).unwrap();
        t.connect_name_start(bad, "evil.test", 80, None).unwrap();
        let bad_poll = wait(bad) & poll::ERR;
        let bad_done = t.connect_finish(bad).unwrap();
        let local = t.socket(SockType::Stream, OFlags::NONBLOCK).unwrap();
        let local_start = t.connect_name_start(local, "127.0.0.1", port, None);
        (ok_poll, ok_done, bad_poll, bad_done, local_start)
    });
    assert_eq!(
        r,
        (0, Some(Ok(true)), poll::ERR, Some(Err(agentos_kernel::net::ConnectError::Sys(EACCES))), Err(EOPNOTSUPP))
    );
    drop(l);
}
