//! `agentos`: boot a VM and run a command in it.
//!
//! ```text
//! agentos exec [--cwd DIR] [--env KEY=VALUE]... [--timeout MS]
//!               [--persist FILE.sqlite] [--mount GUEST=HOST[:ro|:rw]]...
//!               [--commands DIR]... [--tier NAME=TIER]... [--node-modules DIR]
//!               [--tool PKG=CMD]... [--allow-net HOST:PORT]... [--tls-root FILE]...
//!               [--] COMMAND
//! ```
//! The guest's stdout and stderr are written byte for byte to the host's,
//! and `agentos` exits with the guest's exit status. Host stdin is forwarded
//! when it is not a terminal.

mod acp;
mod shell;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use agentos::{
    AgentOs, AgentOsOptions, ExecOptions, MountBackend, MountConfig, RootConfig, Software, Tier, TierList, Tiers,
};

const USAGE: &str = "\
agentos: an operating system for AI agents, in your process

Usage:
  agentos exec [OPTIONS] [--] COMMAND   Boot a fresh VM and run COMMAND with its sh -c
  agentos shell [--cwd DIR] [--env KEY=VALUE]...
                                        An interactive shell in a fresh VM (a piped
                                        stdin runs as a script)
  agentos acp [OPTIONS] AGENT_ID        Speak ACP on stdin/stdout, relayed to the agent
                                        AGENT_ID running inside a fresh VM
  agentos acp [--agent ID=ADAPTER]... --list
                                        List the registered agents
  agentos --help | --version

Options for exec:
  --cwd DIR          Working directory inside the VM (default /home/user)
  --env KEY=VALUE    Set an environment variable (repeatable)
  --timeout MS       Kill the command after MS milliseconds (exit status 137)
  --persist FILE     Keep the VM's root filesystem in this SQLite file: a later
                     run with the same FILE sees this run's files
  --mount GUEST=HOST[:ro|:rw]
                     Mount the host directory HOST at GUEST (read-only unless
                     :rw); symlinks in it never lead out of it (repeatable)
  --mount GUEST=s3://BUCKET[/PREFIX]
                     Mount an S3 prefix at GUEST (AWS_ACCESS_KEY_ID,
                     AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL)
  --commands DIR     A package of WebAssembly commands: every file of the host
                     directory DIR starting with \0asm becomes a command, first
                     on PATH (repeatable; the first DIR wins a name clash).
                     DIR may also be a packed package (.aospkg) or an npm
                     package directory holding dist/package.aospkg, such as
                     node_modules/@agentos-software/coreutils
  --tier NAME=TIER   Run command NAME of --commands with TIER: full (default),
                     read-write, read-only or isolated (repeatable)
  --node-modules DIR A host node_modules directory, projected read-only at
                     /usr/local/lib/node_modules
  --tool PKG=CMD     Make CMD run the bin of package PKG of --node-modules
                     (repeatable)
  --allow-net HOST:PORT
                     Let guests connect out to HOST:PORT (globs: *.example.com:443,
                     api.example.com:*, 10.0.0.0/8:*; host.agentos.internal:PORT
                     is the host's own loopback). Default: no outbound network
                     (repeatable)
  --tls-root FILE    Trust the PEM root certificates in the host file FILE for
                     guests' TLS clients, besides Mozilla's (repeatable)

Compiled WebAssembly modules are cached in $AGENTOS_CACHE_DIR/wasm (default
~/.cache/agentos/wasm; AGENTOS_CACHE_DIR= turns the cache off).

Options for acp:
  --agent ID=ADAPTER Register an agent: ADAPTER is its ACP adapter, a .js path
                     in the VM or an npm package name (repeatable)
  --mount, --env, --cwd  As for exec
";

struct ExecArgs {
    cwd: Option<String>,
    env: Vec<(String, String)>,
    timeout: Option<Duration>,
    persist: Option<std::path::PathBuf>,
    mounts: Vec<MountConfig>,
    commands: Vec<std::path::PathBuf>,
    tiers: Vec<(String, Tier)>,
    node_modules: Option<std::path::PathBuf>,
    tools: Vec<(String, String)>,
    allow_net: Vec<String>,
    tls_roots: Vec<Vec<u8>>,
    command: String,
}

impl ExecArgs {
    /// The software the flags describe.
    fn software(&self) -> Result<Vec<Software>, String> {
        let mut out = Vec::new();
        for (i, dir) in self.commands.iter().enumerate() {
            let mut permissions = Tiers::default();
            for (name, tier) in &self.tiers {
                let list = match tier {
                    Tier::Full => &mut permissions.full,
                    Tier::ReadWrite => &mut permissions.read_write,
                    Tier::ReadOnly => &mut permissions.read_only,
                    Tier::Isolated => &mut permissions.isolated,
                };
                if let TierList::List(v) = list {
                    v.push(name.clone());
                }
            }
            // A packed package: the file itself, or an npm package directory
            // of the registry (`dist/package.aospkg`).
            let packed = [dir.clone(), dir.join("dist/package.aospkg")].into_iter().find(|p| p.is_file());
            out.push(match packed {
                Some(path) => Software::WasmPackage { path: absolute(&path), permissions },
                None => Software::WasmCommands {
                    name: format!("--commands #{}", i + 1),
                    command_dir: absolute(dir),
                    aliases: Vec::new(),
                    permissions,
                },
            });
        }
        if !self.tools.is_empty() {
            let Some(nm) = &self.node_modules else { return Err("--tool needs --node-modules DIR".to_string()) };
            let nm = absolute(nm);
            out.push(Software::Tool {
                name: "--tool".to_string(),
                package_dir: nm.parent().map(|p| p.to_path_buf()).unwrap_or(nm.clone()),
                requires: self.tools.iter().map(|(p, _)| p.clone()).collect(),
                bins: self.tools.iter().map(|(p, c)| (c.clone(), p.clone())).collect(),
            });
        }
        Ok(out)
    }
}

/// `dir` made absolute against the current directory.
fn absolute(dir: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// `GUEST=HOST[:ro|:rw]` as a host-directory mount (read-only by default).
fn parse_mount(spec: &str) -> Result<MountConfig, String> {
    let (guest, host) = spec.split_once('=').ok_or_else(|| format!("--mount expects GUEST=HOST, got '{spec}'"))?;
    if !guest.starts_with('/') || host.is_empty() {
        return Err(format!("--mount expects an absolute GUEST path and a HOST directory, got '{spec}'"));
    }
    if let Some(rest) = host.strip_prefix("s3://") {
        // Credentials, region and endpoint from the usual AWS_* variables.
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!("--mount expects s3://BUCKET[/PREFIX], got '{host}'"));
        }
        let backend = MountBackend::S3 { bucket: bucket.into(), prefix: prefix.into(), endpoint: None, region: None };
        return Ok(MountConfig { path: guest.to_string(), backend });
    }
    let (host, read_only) = match host.rsplit_once(':') {
        Some((h, "ro")) => (h, true),
        Some((h, "rw")) => (h, false),
        _ => (host, true),
    };
    let backend = MountBackend::HostDir { host_path: host.into(), read_only };
    Ok(MountConfig { path: guest.to_string(), backend })
}

fn parse_exec(args: &[String]) -> Result<ExecArgs, String> {
    let mut out = ExecArgs {
        cwd: None,
        env: Vec::new(),
        timeout: None,
        persist: None,
        mounts: Vec::new(),
        commands: Vec::new(),
        tiers: Vec::new(),
        node_modules: None,
        tools: Vec::new(),
        allow_net: Vec::new(),
        tls_roots: Vec::new(),
        command: String::new(),
    };
    let mut i = 0;
    let mut rest: Vec<String> = Vec::new();
    while i < args.len() {
        let a = &args[i];
        let value = |i: usize, name: &str| -> Result<String, String> {
            args.get(i + 1).cloned().ok_or_else(|| format!("option '{name}' requires a value"))
        };
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let take = |i: &mut usize| -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => {
                    let v = value(*i, name)?;
                    *i += 1;
                    Ok(v)
                }
            }
        };
        match name {
            "--" => {
                rest.extend(args[i + 1..].iter().cloned());
                break;
            }
            "--cwd" => out.cwd = Some(take(&mut i)?),
            "--env" => {
                let kv = take(&mut i)?;
                let (k, v) = kv.split_once('=').ok_or_else(|| format!("--env expects KEY=VALUE, got '{kv}'"))?;
                if k.is_empty() {
                    return Err(format!("--env expects KEY=VALUE, got '{kv}'"));
                }
                out.env.push((k.to_string(), v.to_string()));
            }
            "--timeout" => {
                let v = take(&mut i)?;
                let ms: u64 = v.parse().map_err(|_| format!("invalid --timeout '{v}': expected milliseconds"))?;
                out.timeout = Some(Duration::from_millis(ms));
            }
            "--persist" => out.persist = Some(take(&mut i)?.into()),
            "--mount" => out.mounts.push(parse_mount(&take(&mut i)?)?),
            "--commands" => out.commands.push(take(&mut i)?.into()),
            "--tier" => {
                let v = take(&mut i)?;
                let tier = v.split_once('=').and_then(|(n, t)| Some((n, Tier::parse(t)?)));
                let Some((n, t)) = tier.filter(|(n, _)| !n.is_empty()) else {
                    return Err(format!(
                        "--tier expects NAME=TIER with TIER full, read-write, read-only or isolated, got '{v}'"
                    ));
                };
                out.tiers.push((n.to_string(), t));
            }
            "--node-modules" => {
                let dir: std::path::PathBuf = take(&mut i)?.into();
                out.mounts.push(MountConfig {
                    path: "/usr/local/lib/node_modules".to_string(),
                    backend: MountBackend::HostDir { host_path: absolute(&dir), read_only: true },
                });
                out.node_modules = Some(dir);
            }
            "--tool" => {
                let v = take(&mut i)?;
                match v.split_once('=') {
                    Some((p, c)) if !p.is_empty() && !c.is_empty() => out.tools.push((p.to_string(), c.to_string())),
                    _ => return Err(format!("--tool expects PKG=CMD, got '{v}'")),
                }
            }
            "--allow-net" => out.allow_net.push(take(&mut i)?),
            "--tls-root" => {
                let f = take(&mut i)?;
                out.tls_roots.push(std::fs::read(&f).map_err(|e| format!("--tls-root {f}: {e}"))?);
            }
            s if s.starts_with("--") && rest.is_empty() => return Err(format!("unknown option '{s}'")),
            _ => {
                rest.extend(args[i..].iter().cloned());
                break;
            }
        }
        i += 1;
    }
    if rest.is_empty() {
        return Err("exec: missing COMMAND".to_string());
    }
    out.command = rest.join(" ");
    Ok(out)
}

/// Where the CLI keeps compiled WebAssembly modules between runs:
/// `$AGENTOS_CACHE_DIR/wasm`, else `$XDG_CACHE_HOME/agentos/wasm`, else
/// `~/.cache/agentos/wasm`; `AGENTOS_CACHE_DIR=` (empty) turns it off.
fn wasm_cache_dir() -> Option<std::path::PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(std::path::PathBuf::from);
    if let Some(v) = std::env::var_os("AGENTOS_CACHE_DIR") {
        return (!v.is_empty()).then(|| std::path::PathBuf::from(v).join("wasm"));
    }
    let base = env("XDG_CACHE_HOME").or_else(|| env("HOME").map(|h| h.join(".cache")))?;
    Some(base.join("agentos").join("wasm"))
}

/// Guest output copied to the CLI's standard output, flushed per chunk
/// (a prompt without a newline must show).
fn to_stdout() -> agentos::OutputCallback {
    Arc::new(|d: &[u8]| {
        let mut o = std::io::stdout().lock();
        let _ = o.write_all(d);
        let _ = o.flush();
    })
}

/// Guest output copied to the CLI's standard error.
fn to_stderr() -> agentos::OutputCallback {
    Arc::new(|d: &[u8]| {
        let _ = std::io::stderr().lock().write_all(d);
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    agentos::configure_wasm(agentos::WasmConfig { cache_dir: wasm_cache_dir(), ..Default::default() });
    match args.first().map(String::as_str) {
        None | Some("-h") | Some("--help") | Some("help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V") | Some("--version") => {
            println!("agentos {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("shell") => match shell::parse(&args[1..]) {
            Ok(a) => shell::run(a),
            Err(e) => {
                eprintln!("agentos: {e}\nTry 'agentos --help' for more information.");
                ExitCode::from(2)
            }
        },
        Some("acp") => match acp::parse(&args[1..]) {
            Ok(a) => acp::run(a),
            Err(e) => {
                eprintln!("agentos: {e}\nTry 'agentos --help' for more information.");
                ExitCode::from(2)
            }
        },
        Some("exec") => match parse_exec(&args[1..]) {
            Ok(a) => run_exec(a),
            Err(e) => {
                eprintln!("agentos: {e}\nTry 'agentos --help' for more information.");
                ExitCode::from(2)
            }
        },
        Some(other) => {
            eprintln!("agentos: unknown command '{other}'\nTry 'agentos --help' for more information.");
            ExitCode::from(2)
        }
    }
}

fn run_exec(a: ExecArgs) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_current_thread().enable_time().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("agentos: cannot start runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let software = match a.software() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("agentos: {e}");
            return ExitCode::from(2);
        }
    };
    rt.block_on(async move {
        let options = AgentOsOptions {
            software,
            cwd: a.cwd.clone(),
            root: a.persist.clone().map(RootConfig::Sqlite),
            mounts: a.mounts.clone(),
            allow_net: a.allow_net.clone(),
            tls_roots: a.tls_roots.clone(),
            ..Default::default()
        };
        let vm = match AgentOs::create(options).await {
            Ok(vm) => vm,
            Err(e) => {
                eprintln!("agentos: {e}");
                return ExitCode::from(1);
            }
        };
        let stdin = if std::io::stdin().is_terminal() {
            None
        } else {
            let mut buf = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
                eprintln!("agentos: reading stdin: {e}");
                return ExitCode::from(1);
            }
            Some(buf)
        };
        let opts = ExecOptions {
            env: a.env,
            cwd: a.cwd,
            stdin,
            timeout: a.timeout,
            on_stdout: Some(to_stdout()),
            on_stderr: Some(to_stderr()),
        };
        let r = vm.exec(&a.command, opts).await;
        vm.dispose_sync();
        match r {
            Ok(r) => ExitCode::from(r.exit_code.clamp(0, 255) as u8),
            Err(e) => {
                eprintln!("agentos: {e}");
                ExitCode::from(1)
            }
        }
    })
}
