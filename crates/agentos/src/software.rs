//! Software descriptors: what [`AgentOsOptions::software`](crate::AgentOsOptions)
//! installs into a VM at boot (the reference's `defineSoftware`).
//!
//! - [`Software::WasmCommands`]: each `command_dir` is mounted read-only at
//!   `/opt/agentos/commands/<index>`; every file in it that starts with the
//!   `\0asm` magic is a command (a trailing `.wasm` is dropped from its
//!   name), linked from `/opt/agentos/bin/<name>`, which comes first on the
//!   VM's `PATH`. So a package command shadows a built-in native command
//!   of the same name, and between packages the first declared wins. Each
//!   command runs with its permission [`Tier`], enforced by the kernel by
//!   the command's executable path (an alias shares its target's file and
//!   so its tier).
//! - [`Software::WasmPackage`]: a packed package (`.aospkg`, what the
//!   registry's `@agentos-software/*` npm packages ship) is mounted
//!   read-only at `/opt/agentos/commands/<index>` straight from the
//!   package file, and the commands its header lists are linked the same
//!   way, with the same tiers and precedence.
//! - [`Software::Tool`] and [`Software::Agent`]: each `requires` package is
//!   found from `package_dir` upward (`node_modules/<pkg>`, npm's flat
//!   layout) and mounted read-only at `/usr/local/lib/node_modules/<pkg>`
//!   (not the reference's `/root/node_modules`: `/root` is `0700 root` and
//!   guests run as `user`). A tool's `bins` become `/opt/agentos/bin/<cmd>`
//!   shims (`exec node <bin entry> "$@"`); an agent is registered like an
//!   [`AgentDescriptor`] in [`AgentOsOptions::agents`](crate::AgentOsOptions)
//!   (which, being later, win over software agents of the same id).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use agentos_host::{HostDirOptions, HostFs, Package, PackageFs};
use agentos_kernel::Kernel;
use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;
use agentos_kernel::rootfs::USER_UID;

pub use agentos_kernel::policy::Tier;

use crate::error::{Error, Result};
use crate::session::{AgentDescriptor, NODE_MODULES, bin_entry};

/// Where command packages are mounted (`<COMMANDS_ROOT>/<index>`).
pub const COMMANDS_ROOT: &str = "/opt/agentos/commands";
/// The directory of software commands, first on the VM's `PATH`.
pub const BIN_DIR: &str = "/opt/agentos/bin";

/// Which commands of a package a tier applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TierList {
    /// These commands.
    List(Vec<String>),
    /// Every command not named in some tier's list.
    All,
}

impl Default for TierList {
    fn default() -> Self {
        TierList::List(Vec::new())
    }
}

/// Permission tiers of a WASM command package's commands. A command named
/// in a list gets that tier (checked `full`, `read_write`, `read_only`,
/// `isolated`, first match wins); otherwise the first tier that is
/// [`TierList::All`]; otherwise `full`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tiers {
    /// Everything.
    pub full: TierList,
    /// The filesystem (writes, unlink and rename included), no programs, no
    /// network.
    pub read_write: TierList,
    /// Reading the filesystem only.
    pub read_only: TierList,
    /// No filesystem beyond `/dev/null`, `/dev/zero`, `/dev/urandom`.
    pub isolated: TierList,
}

impl Tiers {
    /// The tier of command `name`.
    pub fn tier_of(&self, name: &str) -> Tier {
        let lists = [
            (&self.full, Tier::Full),
            (&self.read_write, Tier::ReadWrite),
            (&self.read_only, Tier::ReadOnly),
            (&self.isolated, Tier::Isolated),
        ];
        for (l, t) in lists {
            if matches!(l, TierList::List(v) if v.iter().any(|n| n == name)) {
                return t;
            }
        }
        lists.iter().find(|(l, _)| **l == TierList::All).map(|(_, t)| *t).unwrap_or(Tier::Full)
    }

    fn named(&self) -> impl Iterator<Item = &String> {
        [&self.full, &self.read_write, &self.read_only, &self.isolated].into_iter().flat_map(|l| match l {
            TierList::List(v) => v.iter(),
            TierList::All => [].iter(),
        })
    }
}

/// A software descriptor, installed at boot from
/// [`AgentOsOptions::software`](crate::AgentOsOptions::software): WASM
/// commands on `PATH` (`/opt/agentos/bin`, ahead of the native commands)
/// with kernel-enforced [`Tier`]s, npm tools and agents projected at
/// `/usr/local/lib/node_modules/<pkg>`. The README's "Software" section has
/// the details.
#[derive(Clone, Debug)]
pub enum Software {
    /// Compiled WebAssembly commands.
    WasmCommands {
        /// The package name (for errors).
        name: String,
        /// The host directory of command binaries.
        command_dir: PathBuf,
        /// `(alias, target command)` pairs.
        aliases: Vec<(String, String)>,
        /// Permission tiers by command.
        permissions: Tiers,
    },
    /// A packed WebAssembly command package (`.aospkg`): the
    /// `dist/package.aospkg` file of the agentOS registry's npm packages
    /// (`@agentos-software/coreutils`, …). Its files are mounted read-only
    /// from the package itself (loaded once per host process, shared by
    /// every VM) and each command it lists goes on `PATH`, like
    /// [`Software::WasmCommands`].
    WasmPackage {
        /// The package file on the host.
        path: PathBuf,
        /// Permission tiers by command.
        permissions: Tiers,
    },
    /// Commands provided by npm packages.
    Tool {
        /// The package name (for errors).
        name: String,
        /// The host directory `requires` are resolved from (upward).
        package_dir: PathBuf,
        /// npm packages made visible in the VM.
        requires: Vec<String>,
        /// `(command, package)`: the command runs the package's bin.
        bins: Vec<(String, String)>,
    },
    /// A coding agent for [`AgentOs::create_session`](crate::AgentOs::create_session).
    Agent {
        /// The package name (for errors).
        name: String,
        /// The host directory `requires` are resolved from (upward).
        package_dir: PathBuf,
        /// npm packages made visible in the VM; must include the adapter
        /// and `agent_package`.
        requires: Vec<String>,
        /// The npm package of the underlying agent SDK or CLI.
        agent_package: String,
        /// The agent: `acp_adapter` is an npm package name in `requires`.
        agent: AgentDescriptor,
    },
    /// Several descriptors (flattened).
    Meta(Vec<Software>),
}

impl Software {
    fn flatten<'a>(list: &'a [Software], out: &mut Vec<&'a Software>) {
        for s in list {
            match s {
                Software::Meta(inner) => Software::flatten(inner, out),
                s => out.push(s),
            }
        }
    }
}

fn invalid(name: &str, reason: impl Into<String>) -> Error {
    Error::InvalidSoftware { name: name.to_string(), reason: reason.into() }
}

/// What booting the software produced for the facade.
#[derive(Default)]
pub(crate) struct Installed {
    /// Agents to register (before the options' own).
    pub agents: Vec<AgentDescriptor>,
    /// Whether `/opt/agentos/bin` was made (and goes on `PATH`).
    pub bin_dir: bool,
}

/// Check descriptors that need nothing of the host (before booting).
pub(crate) fn validate(software: &[Software]) -> Result<()> {
    let mut flat = Vec::new();
    Software::flatten(software, &mut flat);
    for s in flat {
        match s {
            Software::WasmCommands { name, command_dir, aliases, .. } => {
                if !command_dir.is_absolute() {
                    return Err(invalid(name, format!("command_dir must be absolute: {}", command_dir.display())));
                }
                for (alias, _) in aliases {
                    check_command_name(name, alias)?;
                }
            }
            Software::WasmPackage { path, .. } => {
                if !path.is_absolute() {
                    let p = path.display().to_string();
                    return Err(invalid(&p, format!("package path must be absolute: {p}")));
                }
            }
            Software::Tool { name, bins, requires, .. } => {
                for (cmd, pkg) in bins {
                    check_command_name(name, cmd)?;
                    if !requires.contains(pkg) {
                        return Err(invalid(
                            name,
                            format!("bin '{cmd}' names package '{pkg}', which is not in requires"),
                        ));
                    }
                }
            }
            Software::Agent { name, requires, agent, agent_package, .. } => {
                if agent.id.is_empty() {
                    return Err(invalid(name, "agent id is empty"));
                }
                if !requires.contains(&agent.acp_adapter) {
                    let a = &agent.acp_adapter;
                    return Err(invalid(name, format!("acp_adapter '{a}' is not in requires")));
                }
                if !requires.contains(agent_package) {
                    return Err(invalid(name, format!("agent_package '{agent_package}' is not in requires")));
                }
            }
            Software::Meta(_) => {}
        }
    }
    Ok(())
}

fn check_command_name(pkg: &str, cmd: &str) -> Result<()> {
    if cmd.is_empty() || cmd.contains('/') || cmd == "." || cmd == ".." {
        return Err(invalid(pkg, format!("invalid command name '{cmd}'")));
    }
    Ok(())
}

/// Mount, link and register every descriptor. Runs at boot, before the
/// permission policy applies.
pub(crate) fn install(kernel: &Kernel, software: &[Software]) -> Result<Installed> {
    let mut flat = Vec::new();
    Software::flatten(software, &mut flat);
    let mut out = Installed::default();
    if flat.is_empty() {
        return Ok(out);
    }
    let host = kernel.host_task().map_err(|errno| Error::Sys { errno, syscall: "boot" })?;
    host.mkdir_all(BIN_DIR, 0o755).map_err(Error::fs("mkdir", BIN_DIR))?;
    out.bin_dir = true;
    let mut projected: Vec<String> = Vec::new();
    for (index, s) in flat.into_iter().enumerate() {
        match s {
            Software::WasmCommands { name, command_dir, aliases, permissions } => {
                let at = format!("{COMMANDS_ROOT}/{index}");
                let fs = HostFs::open(
                    command_dir,
                    HostDirOptions { read_only: true, uid: USER_UID, gid: USER_UID, exec_all: true },
                )
                .map_err(|e| {
                    let d = command_dir.display();
                    invalid(name, format!("command_dir {d}: {}", e.strerror().to_lowercase()))
                })?;
                kernel.mount(&at, Arc::new(fs), true).map_err(Error::fs("mount", &at))?;
                let mut commands = Vec::new();
                for e in host.readdir(&at).map_err(Error::fs("scandir", &at))? {
                    let path = format!("{at}/{}", e.name);
                    if is_wasm(&host, &path) {
                        commands.push((e.name.strip_suffix(".wasm").unwrap_or(&e.name).to_string(), path));
                    }
                }
                link_commands(kernel, &host, name, &commands, aliases, permissions)?;
            }
            Software::WasmPackage { path, permissions } => {
                let name = path.display().to_string();
                let pkg = Package::open(path).map_err(|e| invalid(&name, e.to_string()))?;
                let at = format!("{COMMANDS_ROOT}/{index}");
                kernel.mount(&at, Arc::new(PackageFs(pkg.clone())), true).map_err(Error::fs("mount", &at))?;
                let commands: Vec<_> =
                    pkg.commands().iter().map(|(c, rel)| (c.clone(), format!("{at}/{rel}"))).collect();
                link_commands(kernel, &host, &name, &commands, &[], permissions)?;
            }
            Software::Tool { name, package_dir, requires, bins } => {
                project(kernel, name, package_dir, requires, &mut projected)?;
                for (cmd, pkg) in bins {
                    let dir = format!("{NODE_MODULES}/{pkg}");
                    let manifest = read_all(&host, &format!("{dir}/package.json"));
                    let entry = format!("{dir}/{}", bin_entry(manifest.as_deref(), Some(cmd)));
                    let shim = format!("{BIN_DIR}/{cmd}");
                    if host.lstat(&shim).is_ok() {
                        continue;
                    }
                    let script = format!("#!/bin/sh\nexec node '{entry}' \"$@\"\n");
                    write_exec(&host, &shim, script.as_bytes())?;
                }
            }
            Software::Agent { name, package_dir, requires, agent, .. } => {
                project(kernel, name, package_dir, requires, &mut projected)?;
                out.agents.push(agent.clone());
            }
            Software::Meta(_) => {}
        }
    }
    Ok(out)
}

/// Give each `(command, file)` of package `name` its tier and a link on
/// `PATH`, then link the aliases to their targets' files.
fn link_commands(
    kernel: &Kernel,
    host: &Task,
    name: &str,
    commands: &[(String, String)],
    aliases: &[(String, String)],
    permissions: &Tiers,
) -> Result<()> {
    for n in permissions.named() {
        if !commands.iter().any(|(c, _)| c == n) && !aliases.iter().any(|(a, _)| a == n) {
            return Err(invalid(name, format!("permissions name unknown command '{n}'")));
        }
    }
    for (cmd, path) in commands {
        kernel.vfs.set_tier(path, permissions.tier_of(cmd));
        link(host, cmd, path)?;
    }
    for (alias, target) in aliases {
        let Some((_, path)) = commands.iter().find(|(c, _)| c == target) else {
            return Err(invalid(name, format!("alias '{alias}' names unknown command '{target}'")));
        };
        link(host, alias, path)?;
    }
    Ok(())
}

/// Mount each of `requires` found from `package_dir` upward.
fn project(kernel: &Kernel, name: &str, package_dir: &Path, requires: &[String], done: &mut Vec<String>) -> Result<()> {
    for pkg in requires {
        let at = format!("{NODE_MODULES}/{pkg}");
        if done.contains(pkg) || kernel.host_task().is_ok_and(|t| t.stat(&at).is_ok()) {
            // Already there (another descriptor, or a mount of the options).
            continue;
        }
        let opts = HostDirOptions { read_only: true, uid: USER_UID, gid: USER_UID, exec_all: false };
        let fs = package_dir
            .ancestors()
            .find_map(|d| HostFs::open(&d.join("node_modules").join(pkg), opts).ok())
            .ok_or_else(|| {
                let d = package_dir.display();
                invalid(name, format!("package '{pkg}' not found in node_modules from {d} upward"))
            })?;
        kernel.mount(&at, Arc::new(fs), true).map_err(Error::fs("mount", &at))?;
        done.push(pkg.clone());
    }
    Ok(())
}

/// Link `/opt/agentos/bin/<cmd>` to `target` unless an earlier package did.
fn link(host: &Task, cmd: &str, target: &str) -> Result<()> {
    let at = format!("{BIN_DIR}/{cmd}");
    if host.lstat(&at).is_ok() {
        return Ok(());
    }
    host.symlink(target, &at).map_err(Error::fs("symlink", &at))
}

fn is_wasm(host: &Task, path: &str) -> bool {
    let Ok(fd) = host.open(path, OFlags::RDONLY, 0) else { return false };
    let mut magic = [0u8; 4];
    let n = host.read(fd, &mut magic).unwrap_or(0);
    let _ = host.close(fd);
    n == 4 && magic == *b"\0asm"
}

fn read_all(host: &Task, path: &str) -> Option<Vec<u8>> {
    let fd = host.open(path, OFlags::RDONLY, 0).ok()?;
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match host.read(fd, &mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(_) => {
                let _ = host.close(fd);
                return None;
            }
        }
    }
    let _ = host.close(fd);
    Some(out)
}

/// Write an executable file (mode 0755) at `path`.
pub(crate) fn write_exec(host: &Task, path: &str, data: &[u8]) -> Result<()> {
    let flags = OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0 | OFlags::TRUNC.0);
    let fd = host.open(path, flags, 0o755).map_err(Error::fs("open", path))?;
    let r = host.write_all(fd, data).map_err(Error::fs("write", path));
    let _ = host.close(fd);
    r?;
    host.chmod(path, 0o755).map_err(Error::fs("chmod", path))
}
