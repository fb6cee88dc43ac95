//! Booting a test kernel and running code as one of its processes. Shared
//! by path with `crates/host/tests` so every backend's tests use the same
//! harness.

use std::sync::Arc;
use std::sync::mpsc::channel;

use agentos_kernel::abi::Cred;
use agentos_kernel::clock::{ManualClock, SeededEntropy};
use agentos_kernel::exec::NativeRegistry;
use agentos_kernel::rootfs::build_base;
use agentos_kernel::{Kernel, KernelConfig, Limits, Pgroup, SpawnOptions, Task};

pub const USER: Cred = Cred::user(1000, 1000);

/// A kernel on a manual clock with `reg`'s native programs in /usr/bin.
pub fn boot(reg: NativeRegistry, limits: Limits) -> Kernel {
    let clock = Arc::new(ManualClock::default());
    let root = build_base(clock.clone(), &reg, "testhost").unwrap();
    Kernel::new(
        KernelConfig {
            root: Arc::new(root),
            clock,
            entropy: Arc::new(SeededEntropy::new(7)),
            limits,
            hostname: "testhost".into(),
            natives: Arc::new(reg),
            binfmts: vec![],
        },
        USER,
    )
    .unwrap()
}

/// Run `f` in a process of the VM user whose program is named `argv0`
/// (no permission override, cwd /home/user) and return its result.
pub fn run_as<R: Send + 'static>(k: &Kernel, argv0: &str, f: impl FnOnce(&mut Task) -> R + Send + 'static) -> R {
    let (tx, rx) = channel();
    let opts = SpawnOptions {
        argv: vec![argv0.into()],
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

/// [`run_as`] with an ordinary program name.
pub fn as_user<R: Send + 'static>(k: &Kernel, f: impl FnOnce(&mut Task) -> R + Send + 'static) -> R {
    run_as(k, "test", f)
}
