//! Permission tiers: per program (by executable path), inherited by
//! children, enforced at the kernel's choke point with exact errnos.

use std::net::SocketAddr;
use std::sync::mpsc::channel;

use agentos_kernel::Errno::{self, *};
use agentos_kernel::abi::OFlags;
use agentos_kernel::net::SockType;
use agentos_kernel::policy::Tier;
use agentos_kernel::{Kernel, SpawnOptions, Task};

use super::{USER, kernel};

/// Run `f` as the program `/opt/tiered` (registered with `tier`).
fn as_tiered<R: Send + 'static>(k: &Kernel, tier: Tier, f: impl FnOnce(&mut Task) -> R + Send + 'static) -> R {
    k.vfs.set_tier("/opt/tiered", tier);
    super::harness::run_as(k, "/opt/tiered", f)
}

const OPS: [&str; 19] = [
    "open_read",
    "stat",
    "readdir",
    "open_write",
    "create",
    "mkdir",
    "unlink",
    "rename",
    "rmdir",
    "symlink",
    "link",
    "chmod",
    "truncate",
    "dev_null_write",
    "dev_urandom_read",
    "spawn",
    "connect",
    "child_create",
    "invoke_tool",
];

fn run_all(tier: Tier) -> Vec<(&'static str, Result<(), Errno>)> {
    let k = kernel();
    let host = k.host_task().unwrap();
    for f in ["/home/user/f", "/home/user/g", "/home/user/h"] {
        let fd = host.open(f, OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o666).unwrap();
        host.write_all(fd, b"data").unwrap();
        host.close(fd).unwrap();
    }
    host.mkdir("/home/user/e", 0o777).unwrap();
    host.chown("/home/user", Some(1000), Some(1000), true).unwrap();
    for p in ["/home/user/f", "/home/user/g", "/home/user/h", "/home/user/e"] {
        host.chown(p, Some(1000), Some(1000), true).unwrap();
    }
    let r = as_tiered(&k, tier, |t| {
        let wr = OFlags(OFlags::WRONLY.0);
        let rd = OFlags(OFlags::RDONLY.0);
        let c = t.socket(SockType::Stream, OFlags(0)).unwrap();
        let child = {
            let (tx, rx) = channel();
            t.spawn_fn(
                SpawnOptions { argv: vec!["child".into()], ..Default::default() },
                Box::new(move |c| {
                    let r = c.open("/home/user/child", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644).map(|_| ());
                    let _ = tx.send(r);
                    0
                }),
            )
            .unwrap();
            rx.recv().unwrap()
        };
        vec![
            t.open("/home/user/f", rd, 0).map(|_| ()),
            t.stat("/home/user/f").map(|_| ()),
            t.readdir("/home/user").map(|_| ()),
            t.open("/home/user/f", wr, 0).map(|_| ()),
            t.open("/home/user/new", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644).map(|_| ()),
            t.mkdir("/home/user/d", 0o755),
            t.unlink("/home/user/g"),
            t.rename("/home/user/h", "/home/user/h2"),
            t.rmdir("/home/user/e"),
            t.symlink("f", "/home/user/sl"),
            t.link("/home/user/f", "/home/user/hl"),
            t.chmod("/home/user/f", 0o600),
            t.truncate("/home/user/f", 1),
            t.open("/dev/null", wr, 0).map(|_| ()),
            t.open("/dev/urandom", rd, 0).map(|_| ()),
            t.kernel().spawn(Some(t), "/usr/bin/true", Default::default(), USER).map(|_| ()),
            t.connect(c, "127.0.0.1:9".parse::<SocketAddr>().unwrap()),
            child,
            t.permit_tool("math", "add"),
        ]
    });
    OPS.iter().copied().zip(r).collect()
}

fn expect(allowed: &[&str], refused_connect: Errno) -> Vec<(&'static str, Result<(), Errno>)> {
    OPS.iter()
        .map(|&op| {
            let r = if op == "connect" && allowed.contains(&op) {
                Err(refused_connect)
            } else if allowed.contains(&op) {
                Ok(())
            } else {
                Err(EACCES)
            };
            (op, r)
        })
        .collect()
}

#[test]
fn full_tier_allows_everything() {
    assert_eq!(run_all(Tier::Full), expect(&OPS, ECONNREFUSED));
}

#[test]
fn read_write_tier_has_the_filesystem_but_no_programs_or_network() {
    let allowed: Vec<&str> =
        OPS.iter().copied().filter(|o| !matches!(*o, "spawn" | "connect" | "invoke_tool")).collect();
    assert_eq!(run_all(Tier::ReadWrite), expect(&allowed, ECONNREFUSED));
}

#[test]
fn read_only_tier_refuses_every_write() {
    let allowed = ["open_read", "stat", "readdir", "dev_urandom_read"];
    assert_eq!(run_all(Tier::ReadOnly), expect(&allowed, ECONNREFUSED));
}

#[test]
fn isolated_tier_sees_only_dev_null_zero_urandom() {
    let allowed = ["dev_null_write", "dev_urandom_read"];
    assert_eq!(run_all(Tier::Isolated), expect(&allowed, ECONNREFUSED));
}

#[test]
fn tier_names_parse() {
    for t in [Tier::Full, Tier::ReadWrite, Tier::ReadOnly, Tier::Isolated] {
        assert_eq!(Tier::parse(t.name()), Some(t));
    }
    assert_eq!(Tier::parse("read-only"), Some(Tier::ReadOnly));
    assert_eq!(Tier::parse("root"), None);
}

#[test]
fn tier_is_set_from_the_table_at_spawn_and_at_exec() {
    let k = kernel();
    k.vfs.set_tier("/usr/bin/spin", Tier::ReadOnly);
    assert_eq!(k.vfs.tier_of("/usr/bin/spin"), Some(Tier::ReadOnly));
    assert_eq!(k.vfs.tier_of("/usr/bin/true"), None);
    let tier_of = |pid| k.process(pid).unwrap().state.lock().tier;
    // Spawned by the host.
    let opts = || SpawnOptions { argv: vec!["spin".into()], ..Default::default() };
    let pid = k.spawn(None, "/usr/bin/spin", opts(), USER).unwrap();
    assert_eq!(tier_of(pid), Tier::ReadOnly);
    super::kill_wait(&k, pid);
    // A full process that execs it takes its tier.
    let pid = k
        .spawn_fn(
            None,
            opts(),
            USER,
            Box::new(|t| {
                let e = t.exec("/usr/bin/spin", vec!["spin".into()], Vec::new());
                e as i32
            }),
        )
        .unwrap();
    let mut seen = tier_of(pid);
    for _ in 0..200 {
        if seen == Tier::ReadOnly {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        seen = tier_of(pid);
    }
    assert_eq!(seen, Tier::ReadOnly);
    super::kill_wait(&k, pid);
}
