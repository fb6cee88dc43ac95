//! JavaScript programs in agentOS: the `node` command, a QuickJS runtime
//! with Node-compatible modules implemented over the kernel.
//!
//! Each guest JS process is its own QuickJS runtime and context, living on
//! the process's thread and reaching the world only through its [`Task`].
//! The kernel never names this crate: [`register`] adds `node` to the
//! native-program registry, and `#!/usr/bin/env node` scripts reach it
//! through the kernel's shebang handling and `env`.
//!
//! Layout: [`cli`] (the `node` command line), [`engine`] (runtime setup,
//! limits, the event loop's Rust half, uncaught-error reporting),
//! [`modules`] (the ES-module resolver and loader), [`ops`] (the system
//! calls JS glue may make; errno→Node-error translation lives in
//! [`ops::error`]), [`builtins`] (the JS sources of Node's modules),
//! `cache_unsafe` and `bytes_unsafe` (the only `unsafe`: bytecode and
//! typed-array bytes).
//!
//! Analogue: Deno's `ext/node`, LLRT.

#![deny(unsafe_code)]

pub mod builtins;
#[allow(unsafe_code)]
mod bytes_unsafe;
#[allow(unsafe_code)]
pub mod cache_unsafe;
pub mod cli;
pub mod engine;
pub mod modules;
pub mod ops;

use agentos_kernel::Task;
use agentos_kernel::exec::NativeRegistry;

/// Register the `node` program.
pub fn register(reg: &mut NativeRegistry) {
    reg.register("node", node_main);
}

/// The `node` command's entry point.
pub fn node_main(task: &mut Task) -> i32 {
    engine::main(task)
}
