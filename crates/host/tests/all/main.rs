//! Host-edge integration tests: the host-directory and SQLite backends run
//! the kernel's filesystem conformance suite, and the host-directory mount
//! is attacked with the classic escapes.

// The kernel's conformance suite, shared by path so every backend runs the
// very same cases.
#[path = "../../../kernel/tests/all/conformance.rs"]
mod conformance;
mod hostfs;
mod s3;
mod sqlite;

use std::sync::Arc;
use std::sync::mpsc::channel;

use agentos_kernel::abi::Cred;
use agentos_kernel::clock::{ManualClock, SeededEntropy};
use agentos_kernel::exec::NativeRegistry;
use agentos_kernel::rootfs::build_base;
use agentos_kernel::{Kernel, KernelConfig, Limits, Pgroup, SpawnOptions, Task};

pub const USER: Cred = Cred::user(1000, 1000);

pub fn kernel() -> Kernel {
    let clock = Arc::new(ManualClock::default());
    let reg = NativeRegistry::new();
    let root = build_base(clock.clone(), &reg, "testhost").unwrap();
    Kernel::new(
        KernelConfig {
            root: Arc::new(root),
            clock,
            entropy: Arc::new(SeededEntropy::new(7)),
            limits: Limits::default(),
            hostname: "testhost".into(),
            natives: Arc::new(reg),
            binfmts: vec![],
        },
        USER,
    )
    .unwrap()
}

/// Run `f` in a process of the VM user (no permission override).
pub fn as_user<R: Send + 'static>(k: &Kernel, f: impl FnOnce(&mut Task) -> R + Send + 'static) -> R {
    let (tx, rx) = channel();
    let opts = SpawnOptions {
        argv: vec!["test".into()],
        cwd: Some("/home/user".into()),
        pgroup: Pgroup::New,
        ..Default::default()
    };
    k.spawn_fn(
        None,
        opts,
        USER,
        Box::new(move |t| {
            let _ = tx.send(f(t));
            0
        }),
    )
    .unwrap();
    rx.recv().unwrap()
}
