//! Host tools: Rust functions of the embedder that guest programs call as
//! commands (the reference's toolkits; an MCP server's tools, as a CLI).
//!
//! Each [`ToolKit`] of [`AgentOsOptions::toolkits`](crate::AgentOsOptions)
//! becomes the command `/opt/agentos/bin/agentos-<toolkit>` (on `PATH`),
//! and `/opt/agentos/bin/agentos` lists them (`agentos list-tools
//! [TOOLKIT]`). Inside the VM:
//!
//! ```text
//! agentos-math add --a 1 --b 2          → {"ok":true,"result":3}
//! agentos-math add --json '{"a":1,"b":2}'
//! agentos-math add --help
//! ```
//!
//! The command files hold a magic line and the toolkit's name; a binary
//! format handler registered with this VM's kernel (not a native program:
//! natives are plain functions shared by every VM, and a toolkit's handlers
//! belong to one VM) turns them into a program that parses the flags
//! (`cli.rs`), passes the kernel's `tool invoke` check on `toolkit:tool`
//! ([`Task::permit_tool`](agentos_kernel::Task::permit_tool): tier `full`
//! only, then the policy), and calls the handler on a host thread of its
//! own, with a timeout and a panic guard.

mod cli;

use std::sync::Arc;
use std::time::Duration;

use agentos_kernel::Kernel;
use agentos_kernel::Task;
use agentos_kernel::abi::{KResult, OFlags};
use agentos_kernel::exec::{Binfmt, FnProgram, Program};
use agentos_kernel::vfs::Resolved;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::software::{BIN_DIR, write_exec};

/// A tool's handler: the input object in, a result or an error message out.
/// Runs on a host thread of its own; a panic becomes an error.
pub type ToolHandler = Arc<dyn Fn(Value) -> std::result::Result<Value, String> + Send + Sync>;

/// How long a handler may run unless its [`Tool::timeout`] says otherwise.
pub const DEFAULT_TOOL_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest tool description, in characters.
pub const MAX_TOOL_DESCRIPTION: usize = 200;

/// First line of a toolkit command's file (then the toolkit's name, or
/// nothing for the `agentos` lister, and `\n`).
const MAGIC: &[u8] = b"\x7fAGENTOS-TOOLKIT\n";

/// The type of one element of an array flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemType {
    /// Any text.
    String,
    /// A JSON number.
    Number,
    /// A whole number (`i64`).
    Integer,
    /// `true` or `false`.
    Boolean,
}

/// The type of a flag's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagType {
    /// Any text: `--name value`.
    String,
    /// A JSON number: `--n 1.5`.
    Number,
    /// A whole number: `--n 3`.
    Integer,
    /// `--name` for true, `--no-name` for false.
    Boolean,
    /// Any JSON value: `--cfg '{"a":1}'`.
    Json,
    /// A list: the flag repeated, one element each time.
    Array(ItemType),
}

/// One flag of a tool's input: a field of the input object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The field and flag name (`--<name>`): lowercase letters, digits, `-`.
    pub name: String,
    /// Its type.
    pub kind: FlagType,
    /// Whether the input must have it.
    pub required: bool,
    /// One line for `--help`.
    pub description: String,
}

impl Flag {
    /// An optional flag.
    pub fn new(name: &str, kind: FlagType, description: &str) -> Flag {
        Flag { name: name.into(), kind, required: false, description: description.into() }
    }

    /// The same flag, required.
    pub fn required(mut self) -> Flag {
        self.required = true;
        self
    }
}

/// A host function guests can call.
#[derive(Clone)]
pub struct Tool {
    /// The tool's name within its toolkit: lowercase letters, digits, `-`.
    pub name: String,
    /// What it does, at most [`MAX_TOOL_DESCRIPTION`] characters.
    pub description: String,
    /// Its input, as flags.
    pub flags: Vec<Flag>,
    /// How long the handler may run (default [`DEFAULT_TOOL_TIMEOUT`]).
    pub timeout: Duration,
    /// The function.
    pub handler: ToolHandler,
}

impl Tool {
    /// A tool without flags (add them with [`Tool::flag`]).
    pub fn new(
        name: &str,
        description: &str,
        handler: impl Fn(Value) -> std::result::Result<Value, String> + Send + Sync + 'static,
    ) -> Tool {
        Tool {
            name: name.into(),
            description: description.into(),
            flags: Vec::new(),
            timeout: DEFAULT_TOOL_TIMEOUT,
            handler: Arc::new(handler),
        }
    }

    /// Add a flag.
    pub fn flag(mut self, flag: Flag) -> Tool {
        self.flags.push(flag);
        self
    }

    /// Set the handler's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Tool {
        self.timeout = timeout;
        self
    }
}

impl std::fmt::Debug for Tool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tool")
            .field("name", &self.name)
            .field("description", &self.description)
            .field("flags", &self.flags)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// A named group of tools: the command `agentos-<name>` in the VM.
#[derive(Clone, Debug)]
pub struct ToolKit {
    /// Lowercase letters, digits, `-`.
    pub name: String,
    /// One line for `agentos list-tools`.
    pub description: String,
    /// Its tools.
    pub tools: Vec<Tool>,
}

impl ToolKit {
    /// A toolkit.
    pub fn new(name: &str, description: &str, tools: Vec<Tool>) -> ToolKit {
        ToolKit { name: name.into(), description: description.into(), tools }
    }
}

fn invalid(name: &str, reason: impl Into<String>) -> Error {
    Error::InvalidToolkit { name: name.to_string(), reason: reason.into() }
}

/// Whether `name` is a toolkit, tool or flag name: 1–64 of lowercase
/// letters, digits and `-`, not starting with `-`.
fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && !name.starts_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Flags every tool has (`--json`, `--json-file`, `--help`).
const RESERVED_FLAGS: [&str; 3] = ["json", "json-file", "help"];

/// Check names, duplicates, descriptions and timeouts (before booting).
pub(crate) fn validate(toolkits: &[ToolKit]) -> Result<()> {
    for (i, kit) in toolkits.iter().enumerate() {
        let k = &kit.name;
        if !valid_name(k) {
            return Err(invalid(k, "a toolkit name is 1-64 lowercase letters, digits and '-', not starting with '-'"));
        }
        if toolkits[..i].iter().any(|o| o.name == *k) {
            return Err(invalid(k, "declared twice"));
        }
        if kit.tools.is_empty() {
            return Err(invalid(k, "it has no tools"));
        }
        for (j, tool) in kit.tools.iter().enumerate() {
            let t = &tool.name;
            if !valid_name(t) {
                return Err(invalid(
                    k,
                    format!("tool '{t}': a tool name is 1-64 lowercase letters, digits and '-', not starting with '-'"),
                ));
            }
            if kit.tools[..j].iter().any(|o| o.name == *t) {
                return Err(invalid(k, format!("tool '{t}' declared twice")));
            }
            let len = tool.description.chars().count();
            if len == 0 || len > MAX_TOOL_DESCRIPTION {
                return Err(invalid(
                    k,
                    format!("tool '{t}': the description must be 1-{MAX_TOOL_DESCRIPTION} characters (it has {len})"),
                ));
            }
            if tool.timeout.is_zero() {
                return Err(invalid(k, format!("tool '{t}': the timeout must be more than zero")));
            }
            for (n, flag) in tool.flags.iter().enumerate() {
                let f = &flag.name;
                if !valid_name(f) || RESERVED_FLAGS.contains(&f.as_str()) || f.starts_with("no-") {
                    return Err(invalid(
                        k,
                        format!(
                            "tool '{t}': invalid flag name '{f}' (lowercase letters, digits and '-'; \
                             not json, json-file, help or no-*)"
                        ),
                    ));
                }
                if tool.flags[..n].iter().any(|o| o.name == *f) {
                    return Err(invalid(k, format!("tool '{t}': flag '{f}' declared twice")));
                }
            }
        }
    }
    Ok(())
}

fn file_content(name: &str) -> Vec<u8> {
    let mut v = MAGIC.to_vec();
    v.extend_from_slice(name.as_bytes());
    v.push(b'\n');
    v
}

/// The binary format handlers that run this VM's toolkit commands (none
/// without toolkits).
pub(crate) fn binfmts(toolkits: &[ToolKit]) -> Vec<Arc<dyn Binfmt>> {
    if toolkits.is_empty() {
        return Vec::new();
    }
    let kits: Arc<[ToolKit]> = toolkits.into();
    let mut out: Vec<Arc<dyn Binfmt>> =
        vec![Arc::new(Command { header: file_content(""), kit: None, kits: kits.clone() })];
    for i in 0..kits.len() {
        out.push(Arc::new(Command { header: file_content(&kits[i].name), kit: Some(i), kits: kits.clone() }));
    }
    out
}

/// Write `agentos` and `agentos-<toolkit>` into `/opt/agentos/bin` (at
/// boot, before the policy applies). Returns whether there were any (then
/// the directory goes on `PATH`).
pub(crate) fn install(kernel: &Kernel, toolkits: &[ToolKit]) -> Result<bool> {
    let host = kernel.host_task().map_err(|errno| Error::Sys { errno, syscall: "boot" })?;
    remove_stale(&host, toolkits);
    if toolkits.is_empty() {
        return Ok(false);
    }
    host.mkdir_all(BIN_DIR, 0o755).map_err(Error::fs("mkdir", BIN_DIR))?;
    write_exec(&host, &format!("{BIN_DIR}/agentos"), &file_content(""))?;
    for kit in toolkits {
        write_exec(&host, &format!("{BIN_DIR}/agentos-{}", kit.name), &file_content(&kit.name))?;
    }
    Ok(true)
}

/// A persistent root keeps the toolkit commands of earlier runs: remove
/// those of toolkits this VM does not have (files we wrote: they start with
/// the magic), so they are "not found" rather than unrunnable.
fn remove_stale(host: &Task, toolkits: &[ToolKit]) {
    let Ok(entries) = host.readdir(BIN_DIR) else { return };
    for e in entries {
        let current = e.name == "agentos" && !toolkits.is_empty()
            || e.name.strip_prefix("agentos-").is_some_and(|k| toolkits.iter().any(|t| t.name == k));
        if !e.name.starts_with("agentos") || current {
            continue;
        }
        let path = format!("{BIN_DIR}/{}", e.name);
        let Ok(fd) = host.open(&path, OFlags::RDONLY, 0) else { continue };
        let mut head = [0u8; MAGIC.len()];
        let n = host.read(fd, &mut head).unwrap_or(0);
        let _ = host.close(fd);
        if head[..n] == *MAGIC {
            let _ = host.unlink(&path);
        }
    }
}

/// The handler for one command file: the lister (`kit: None`) or a
/// toolkit.
struct Command {
    header: Vec<u8>,
    kit: Option<usize>,
    kits: Arc<[ToolKit]>,
}

impl Binfmt for Command {
    fn matches(&self, header: &[u8]) -> bool {
        header == self.header
    }

    fn load(&self, _task: &Task, _exe: &Resolved) -> KResult<Box<dyn Program>> {
        let (kit, kits) = (self.kit, self.kits.clone());
        Ok(Box::new(FnProgram(Box::new(move |task| match kit {
            Some(i) => cli::run_toolkit(task, &kits[i]),
            None => cli::run_lister(task, &kits),
        }))))
    }
}
