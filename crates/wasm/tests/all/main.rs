//! Integration tests: C programs compiled to `wasm32-wasi` during the test
//! run, installed into a VM booted through the public `agentos` API and
//! run with `exec`, asserting exact output and exit status.

// The test harness compiles guests with the host's clang and caches them
// on the host's disk; guest code never may.
#![allow(clippy::disallowed_methods)]

mod guests;
mod limits;
mod mounts;
mod net;
mod programs;

use agentos::{AgentOs, AgentOsOptions, ExecOptions, ExecResult};

/// A VM with the named guests installed as `/usr/local/bin/<name>`.
pub async fn vm_with(names: &[&str]) -> AgentOs {
    let vm = AgentOs::create(AgentOsOptions::default()).await.unwrap();
    for name in names {
        install(&vm, name, &guests::wasm(name)).await;
    }
    vm
}

/// Write `bytes` to `/usr/local/bin/<name>` and make it executable.
pub async fn install(vm: &AgentOs, name: &str, bytes: &[u8]) {
    let path = format!("/usr/local/bin/{name}");
    vm.write_file(&path, bytes).await.unwrap();
    vm.kernel().host_task().unwrap().chmod(&path, 0o755).unwrap();
}

/// Run a command line with default options.
pub async fn run(vm: &AgentOs, cmd: &str) -> ExecResult {
    vm.exec(cmd, ExecOptions::default()).await.unwrap()
}

/// `(exit code, stdout, stderr)` of a result, for exact assertions.
pub fn out(r: &ExecResult) -> (i32, String, String) {
    (r.exit_code, r.stdout_str(), r.stderr_str())
}
