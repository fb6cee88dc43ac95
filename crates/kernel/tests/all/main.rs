//! Kernel integration tests: every errno path of the system calls, process
//! lifecycle, pipes and signals, checked through real tasks.

mod conformance;
mod fs_errno;
mod harness;
mod mounts;
mod net;
mod overlay;
mod policy;
mod procs;
mod tiers;
mod tty;

use std::sync::mpsc::channel;

use agentos_kernel::abi::WaitStatus;
use agentos_kernel::exec::NativeRegistry;
use agentos_kernel::{Kernel, Limits, Task};

pub use harness::{USER, as_user};

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
    let mut reg = NativeRegistry::new();
    reg.register("true", prog_true);
    reg.register("spin", prog_spin);
    reg.register("cat", prog_cat);
    harness::boot(reg, limits)
}

pub fn kernel() -> Kernel {
    kernel_with(Limits::default())
}

/// Wait for `pid` to exit and return its status.
/// The exit status of `pid`, once it ends. Call it before whatever ends
/// the process: one nobody waits for is reaped as it ends, so a hook
/// registered afterwards could find it gone (ESRCH).
pub fn watch(k: &Kernel, pid: i32) -> std::sync::mpsc::Receiver<WaitStatus> {
    let (tx, rx) = channel();
    k.on_exit(
        pid,
        Box::new(move |s| {
            let _ = tx.send(s);
        }),
    )
    .unwrap();
    rx
}

/// SIGKILL `pid` and wait for its end.
pub fn kill_wait(k: &Kernel, pid: i32) -> WaitStatus {
    let done = watch(k, pid);
    k.kill(None, pid, 9).unwrap();
    done.recv_timeout(std::time::Duration::from_secs(10)).unwrap()
}
