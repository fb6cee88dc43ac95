//! WebAssembly programs in agentOS: a runtime that registers with the
//! kernel as the driver for `\0asm` files ([`binfmt`]), so the shell, the
//! API and other guests run `.wasm` commands like any other program. The
//! kernel and shell never name this crate.
//!
//! Layout: [`engine`] (the shared wasmtime engine and module caches),
//! [`cache_unsafe`] (the on-disk module cache, the crate's only `unsafe`),
//! [`program`] (running a module as a process), [`ctx`] (per-process
//! state), [`mem`] (bounds-checked guest memory), [`p1`]
//! (`wasi_snapshot_preview1` over the kernel) and [`host`] (the agentOS
//! host ABI: `host_process`, `host_user`, `host_fs`).
//!
//! Analogue: wasmtime's `crates/wasi` + Linux `binfmt_misc`.

#![deny(unsafe_code)]

pub mod cache_unsafe;
pub mod ctx;
pub mod engine;
pub mod host;
pub mod mem;
pub mod p1;
pub mod program;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use agentos_kernel::exec::Binfmt;

pub use engine::configure;

/// Process-wide settings of the WebAssembly runtime (see [`configure`]).
#[derive(Clone, Debug)]
pub struct WasmConfig {
    /// Most bytes of linear memory one guest process may have. Default
    /// 512 MiB. Growth is also charged to the VM's memory budget.
    pub memory_limit: usize,
    /// CPU time after which a guest is stopped with `SIGXCPU`. Default
    /// none: runaway guests are stopped by signals (`exec` timeouts, kill).
    pub cpu_limit: Option<Duration>,
    /// Where compiled modules are kept between runs of the host process.
    /// Default none (memory cache only).
    pub cache_dir: Option<PathBuf>,
}

impl Default for WasmConfig {
    fn default() -> Self {
        WasmConfig { memory_limit: 512 << 20, cpu_limit: None, cache_dir: None }
    }
}

/// The handler to register with a kernel (`KernelConfig::binfmts`).
pub fn binfmt() -> Arc<dyn Binfmt> {
    Arc::new(program::WasmBinfmt)
}
