//! agentOS: an operating system for AI agents that runs inside your
//! process, as a library.
//!
//! Each [`AgentOs`] is a VM with a user-space kernel of its own: a
//! Linux-like filesystem, processes, pipes and signals, a bash-compatible
//! shell and the usual commands. Guests are isolated from the host and from
//! each other; a call into the VM is a function call, not IPC.
//!
//! ```
//! use agentos::{AgentOs, AgentOsOptions, ExecOptions};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> agentos::Result<()> {
//! let vm = AgentOs::create(AgentOsOptions::default()).await?;
//!
//! // Run a command
//! let result = vm.exec("echo hello", ExecOptions::default()).await?;
//! assert_eq!(result.stdout, b"hello\n");
//!
//! // Files
//! vm.write_file("/home/user/hello.txt", "Hello, world!").await?;
//! let content = vm.read_file("/home/user/hello.txt").await?;
//! assert_eq!(content, b"Hello, world!");
//!
//! vm.dispose().await?;
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cron;
mod error;
mod fetch;
mod fs;
mod mounts;
mod natives;
mod process;
mod session;
mod shell;
mod software;
mod toolkit;
mod vm;

pub use agentos_kernel::abi::{Errno, Signal, Stat};
pub use agentos_kernel::clock::{Clock, ManualClock};
pub use agentos_kernel::policy::{DomainPolicy, Mode as PermissionMode, Policy, Rule};
/// Process-wide WebAssembly settings (memory and CPU limits, the on-disk
/// module cache); [`configure_wasm`] before the first VM runs a program.
pub use agentos_wasm::{WasmConfig, configure as configure_wasm};
pub use cron::{
    BoxFuture, CronAction, CronCallback, CronEvent, CronEventHandler, CronJob, CronJobInfo, CronJobOptions,
    CronSessionOptions, Overlap,
};
pub use error::{Error, Result};
pub use fetch::DEFAULT_FETCH_TIMEOUT;
pub use fs::{DirEntryInfo, EntryType, MkdirOptions, ReadResult, ReaddirOptions, RemoveOptions, WriteResult};
pub use http;
pub use mounts::{MountBackend, MountConfig, RootConfig};
pub use process::{
    ExecOptions, ExecResult, OutputCallback, ProcessInfo, ProcessTreeNode, SpawnOptions, SpawnedProcessInfo,
};
pub use session::{
    AgentDescriptor, AgentEnvFn, AgentListing, CreateSessionOptions, PermissionHandler, PermissionOption,
    PermissionReply, PermissionRequest, PromptInput, PromptResult, SequencedEvent, SessionEventHandler, SessionId,
    SessionInfo, SessionTimeouts, SoftwareContext,
};
pub use shell::{OpenShellOptions, ShellId};
pub use software::{BIN_DIR, COMMANDS_ROOT, Software, Tier, TierList, Tiers};
pub use toolkit::{DEFAULT_TOOL_TIMEOUT, Flag, FlagType, ItemType, MAX_TOOL_DESCRIPTION, Tool, ToolHandler, ToolKit};
pub use vm::{AgentOs, AgentOsOptions, VmLimits};
