//! The permission policy at the kernel's choke point: filesystem, network,
//! spawn and environment checks for a guest task, with exact errnos.

use std::net::SocketAddr;

use agentos_kernel::Errno::*;
use agentos_kernel::abi::OFlags;
use agentos_kernel::net::SockType;
use agentos_kernel::policy::{DomainPolicy, Mode, Policy, Rule};

use super::{as_user, kernel};

#[test]
fn fs_network_and_spawn_rules_for_a_guest() {
    let k = kernel();
    k.vfs
        .set_policy(Policy {
            fs: DomainPolicy {
                default: Mode::Allow,
                rules: vec![
                    Rule::new(Mode::Deny, &["write", "create_dir", "rm", "rename"], &["/home/user/ro/**"]),
                    Rule::new(Mode::Deny, &["readdir", "stat"], &["/root"]),
                ],
            },
            network: DomainPolicy {
                default: Mode::Deny,
                rules: vec![Rule::new(Mode::Allow, &["listen", "connect"], &["tcp://*:8080"])],
            },
            child_process: DomainPolicy {
                default: Mode::Allow,
                rules: vec![Rule::new(Mode::Deny, &["spawn"], &["/usr/bin/spin"])],
            },
            env: DomainPolicy::allow_all(),
            tool: DomainPolicy::default(),
        })
        .unwrap();
    assert_eq!(k.vfs.set_policy(Policy::default()), Err(EBUSY));
    let host = k.host_task().unwrap();
    host.mkdir("/home/user/ro", 0o755).unwrap();
    let r = as_user(&k, |t| {
        let addr = |s: &str| s.parse::<SocketAddr>().unwrap();
        let s1 = t.socket(SockType::Stream, OFlags(0)).unwrap();
        t.bind(s1, addr("0.0.0.0:8080")).unwrap();
        let s2 = t.socket(SockType::Stream, OFlags(0)).unwrap();
        t.bind(s2, addr("0.0.0.0:9090")).unwrap();
        let c = t.socket(SockType::Stream, OFlags(0)).unwrap();
        vec![
            t.mkdir("/home/user/ro/d", 0o755),
            t.open("/home/user/ro/f", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644).map(|_| ()),
            t.mkdir("/home/user/rw", 0o755),
            t.rename("/home/user/rw", "/home/user/ro/rw"),
            t.stat("/root").map(|_| ()),
            t.readdir("/root").map(|_| ()),
            t.listen(s1, 8),
            t.listen(s2, 8),
            t.connect(c, addr("127.0.0.1:9090")),
            t.kernel().spawn(Some(t), "/usr/bin/spin", Default::default(), super::USER).map(|_| ()),
        ]
    });
    assert_eq!(
        r,
        vec![
            Err(EACCES),
            Err(EACCES),
            Ok(()),
            Err(EACCES),
            Err(EACCES),
            Err(EACCES),
            Ok(()),
            Err(EACCES),
            Err(EACCES),
            Err(EACCES)
        ]
    );
    // Seven denials: `readdir /root` already fails on its mode bits (0700 root).
    assert_eq!(k.vfs.guard().unwrap().denials(), 7);
    assert_eq!(
        k.vfs.guard().unwrap().last_denial().as_deref(),
        Some("EACCES: permission denied, spawn '/usr/bin/spin'")
    );
}

#[test]
fn tool_rules_match_toolkit_and_tool_globs() {
    let tool = DomainPolicy {
        default: Mode::Deny,
        rules: vec![
            Rule::new(Mode::Allow, &["invoke"], &["math:*"]),
            Rule::new(Mode::Deny, &["invoke"], &["math:div*"]),
            Rule::new(Mode::Allow, &["*"], &["web:fetch"]),
            Rule::new(Mode::Allow, &["read"], &["files:*"]),
        ],
    };
    let cases = [
        ("invoke", "math:add", Mode::Allow),
        ("invoke", "math:divide", Mode::Deny),
        ("invoke", "math:", Mode::Allow),
        ("invoke", "mathx:add", Mode::Deny),
        ("invoke", "web:fetch", Mode::Allow),
        ("invoke", "web:fetch-all", Mode::Deny),
        ("invoke", "files:ls", Mode::Deny),
        ("invoke", "other:x", Mode::Deny),
    ];
    for (op, subject, want) in cases {
        assert_eq!(tool.evaluate(op, subject), want, "{op} {subject}");
    }
}

#[test]
fn tool_invocations_pass_the_choke_point() {
    // No policy: a VM is free inside itself.
    let k = kernel();
    assert_eq!(as_user(&k, |t| t.permit_tool("math", "add")), Ok(()));
    // A policy without `tool` rules denies every tool.
    let k = kernel();
    k.vfs.set_policy(Policy { fs: DomainPolicy::allow_all(), ..Default::default() }).unwrap();
    assert_eq!(as_user(&k, |t| t.permit_tool("math", "add")), Err(EACCES));
    let k = kernel();
    k.vfs
        .set_policy(Policy {
            fs: DomainPolicy::allow_all(),
            child_process: DomainPolicy::allow_all(),
            tool: DomainPolicy { default: Mode::Deny, rules: vec![Rule::new(Mode::Allow, &["invoke"], &["math:*"])] },
            ..Default::default()
        })
        .unwrap();
    let r = as_user(&k, |t| [t.permit_tool("math", "add"), t.permit_tool("web", "fetch")]);
    assert_eq!(r, [Ok(()), Err(EACCES)]);
    let g = k.vfs.guard().unwrap();
    assert_eq!((g.denials(), g.last_denial().as_deref()), (1, Some("EACCES: permission denied, invoke 'web:fetch'")));
}
