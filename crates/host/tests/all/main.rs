//! Host-edge integration tests: the host-directory and SQLite backends run
//! the kernel's filesystem conformance suite, and the host-directory mount
//! is attacked with the classic escapes.

// The kernel's conformance suite, shared by path so every backend runs the
// very same cases.
#[path = "../../../kernel/tests/all/conformance.rs"]
mod conformance;
mod hostfs;
mod net;
mod s3;
mod sqlite;

// The kernel tests' harness (booting a kernel, running as the VM user),
// shared by path like the suite.
#[path = "../../../kernel/tests/all/harness.rs"]
mod harness;

use agentos_kernel::exec::NativeRegistry;
use agentos_kernel::{Kernel, Limits};

pub use harness::{USER, as_user};

pub fn kernel() -> Kernel {
    harness::boot(NativeRegistry::new(), Limits::default())
}
