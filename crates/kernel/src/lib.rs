//! The agentOS kernel: a user-space Linux-like kernel that lives inside the
//! host process. It owns a VM's filesystem tree, processes, descriptors,
//! pipes and signals, and knows nothing about the programs it runs beyond
//! the [`exec::Binfmt`] handlers and native programs registered with it.
//!
//! Analogue: gVisor's Sentry. Layout: [`abi`] (vocabulary), [`fs`]
//! (backends), [`vfs`] (mounts and paths), [`file`] (open files, pipes,
//! devices), [`process`] (process table), [`task`] (the system-call
//! surface), [`kernel`] (one VM), [`rootfs`] (the default root image).

#![forbid(unsafe_code)]

pub mod abi;
pub mod clock;
pub mod exec;
pub mod file;
pub mod fs;
pub mod kernel;
mod mounts;
pub mod net;
pub mod policy;
pub mod pool;
pub mod process;
pub mod rootfs;
pub mod task;
pub mod vfs;
pub mod wait;

pub use abi::{Errno, KResult};
pub use kernel::{Kernel, KernelConfig, Limits, Pgroup, SpawnOptions};
pub use task::{Task, WaitOptions, WaitTarget};
