//! Time `sh -c "echo hello"` (and a small loop) inside one booted VM:
//! how long the shell takes to start, parse and run a builtin.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use agentos_kernel::abi::{Cred, OFlags};
use agentos_kernel::clock::{ManualClock, SeededEntropy};
use agentos_kernel::exec::NativeRegistry;
use agentos_kernel::file::{OpenFile, OutputChannel};
use agentos_kernel::task::WaitTarget;
use agentos_kernel::{Kernel, KernelConfig, SpawnOptions};

// A host-side benchmark: it measures with the host's clock.
#[allow(clippy::disallowed_methods)]
fn main() {
    let mut reg = NativeRegistry::new();
    agentos_commands::register(&mut reg);
    agentos_shell::register(&mut reg);
    let clock = Arc::new(ManualClock::default());
    let root = agentos_kernel::rootfs::build_base(clock.clone(), &reg, "agentos").expect("rootfs");
    let cfg = KernelConfig {
        root: Arc::new(root),
        clock,
        entropy: Arc::new(SeededEntropy::new(1)),
        limits: Default::default(),
        hostname: "agentos".into(),
        natives: Arc::new(reg),
        binfmts: vec![],
    };
    let user = Cred::user(1000, 1000);
    let kernel = Kernel::new(cfg, user).expect("kernel");
    for (label, script, n) in [
        ("baseline: /bin/true (no shell)", "", 2000u32),
        ("sh -c 'echo hello'", "echo hello", 2000u32),
        ("10k-iteration arithmetic loop", "i=0; while [ $i -lt 10000 ]; do i=$((i+1)); done", 3),
        ("100 external commands", "for i in $(seq 100); do true; /bin/true; done", 3),
        ("100 command substitutions", "for i in $(seq 100); do x=$(echo $i); done", 3),
    ] {
        let (tx, rx) = mpsc::channel();
        let script = script.to_string();
        let opts = SpawnOptions { argv: vec!["bench".into()], ..Default::default() };
        kernel
            .spawn_fn(
                None,
                opts,
                user,
                Box::new(move |t| {
                    let sink = Arc::new(|_: &[u8]| {});
                    let out = OpenFile::stream(OutputChannel::new(sink), OFlags::WRONLY);
                    let start = Instant::now();
                    for _ in 0..n {
                        let opts = SpawnOptions {
                            argv: vec!["sh".into(), "-c".into(), script.clone()],
                            env: vec![("PATH".into(), "/usr/bin:/bin".into())],
                            cwd: None,
                            fds: vec![(1, out.clone()), (2, out.clone())],
                            ..Default::default()
                        };
                        let prog = if script.is_empty() { "/bin/true" } else { "/bin/sh" };
                        if let Ok(pid) = t.spawn(prog, opts) {
                            let _ = t.waitpid(WaitTarget::Pid(pid), false);
                        }
                    }
                    let _ = tx.send(start.elapsed() / n);
                    0
                }),
            )
            .expect("spawn");
        let per = rx.recv().expect("result");
        println!("{label}: {per:?} per run");
    }
    kernel.shutdown();
}
