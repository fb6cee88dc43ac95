//! Integration tests of the `node` command, through the public `agentos`
//! API: the Node-compat conformance suite (`conformance/node`, compared
//! with the host's real `node`), real npm packages, limits and signals,
//! and the network modules reached through `vm.fetch`.

mod conformance;
mod egress;
mod engine;
mod net;
mod npm;

use agentos::{AgentOs, AgentOsOptions, ExecOptions, ExecResult};

/// Boot a VM.
pub fn vm() -> AgentOs {
    AgentOs::create_sync(AgentOsOptions::default()).expect("VM boots")
}

/// Run a shell command line in `vm` and wait for it.
pub fn exec(vm: &AgentOs, cmd: &str, opts: ExecOptions) -> ExecResult {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(vm.exec(cmd, opts)).expect("exec runs")
}

/// Write `src` to `path` in the VM and run `node path`.
pub fn run_js(vm: &AgentOs, path: &str, src: &str) -> ExecResult {
    vm.write_file_sync(path, src.as_bytes()).expect("write script");
    // A hung script must fail its case, never hang the suite.
    exec(
        vm,
        &format!("node {path}"),
        ExecOptions { timeout: Some(std::time::Duration::from_secs(30)), ..Default::default() },
    )
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
