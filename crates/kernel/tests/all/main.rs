//! Kernel integration tests: every errno path of the system calls, process
//! lifecycle, pipes and signals, checked through real tasks.

mod conformance;
mod fs_errno;
mod mounts;
mod net;
mod overlay;
mod policy;
mod procs;
mod tiers;
mod tty;

use std::sync::Arc;
use std::sync::mpsc::channel;

use agentos_kernel::abi::{Cred, WaitStatus};
use agentos_kernel::clock::{ManualClock, SeededEntropy};
use agentos_kernel::exec::NativeRegistry;
use agentos_kernel::rootfs::build_base;
use agentos_kernel::{Kernel, KernelConfig, Limits, Pgroup, SpawnOptions, Task};

pub const USER: Cred = Cred::user(1000, 1000);

fn prog_true(_t: &mut Task) -> i32 {
    0
}

fn prog_spin(t: &mut Task) -> i32 {
    loop {
        let _ = t.check_signals(false);
    }
}

fn prog_cat(t: &mut Task) -> i32 {
    let mut buf = [0u8; 4096];
    loop {
        match t.read(0, &mut buf) {
            Ok(0) => return 0,
            Ok(n) => {
                if t.write_all(1, &buf[..n]).is_err() {
                    return 1;
                }
            }
            Err(_) => return 1,
        }
    }
}

pub fn kernel_with(limits: Limits) -> Kernel {
    let clock = Arc::new(ManualClock::default());
    let mut reg = NativeRegistry::new();
    reg.register("true", prog_true);
    reg.register("spin", prog_spin);
    reg.register("cat", prog_cat);
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

pub fn kernel() -> Kernel {
    kernel_with(Limits::default())
}

/// Run `f` in a process of the VM user (no permission override) with cwd
/// /home/user and return its result.
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

/// Wait for `pid` to exit and return its status.
pub fn wait(k: &Kernel, pid: i32) -> WaitStatus {
    let (tx, rx) = channel();
    k.on_exit(
        pid,
        Box::new(move |s| {
            let _ = tx.send(s);
        }),
    )
    .unwrap();
    rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap()
}
