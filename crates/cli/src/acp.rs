//! `agentos acp`: speak the Agent Client Protocol on our own stdin/stdout
//! and relay it to an agent running inside a fresh VM, so any ACP client
//! (an editor) gets a sandboxed agent.
//!
//! ```text
//! agentos acp [--agent ID=ADAPTER]... [--mount GUEST=HOST[:ro|:rw]]...
//!             [--env KEY=VALUE]... [--cwd DIR] AGENT_ID
//! agentos acp [--agent ID=ADAPTER]... --list
//! ```
//!
//! The relay is byte for byte: the client's messages go to the adapter's
//! stdin, the adapter's stdout comes back, and its stderr goes to ours. The
//! client therefore answers the agent's own requests (`fs/*`,
//! `terminal/*`, permissions) itself; mount the project with `--mount` at
//! the path the client uses so both sides see the same files. We exit with
//! the adapter's exit status once it exits (it sees end of file on stdin
//! when the client closes ours).

use std::io::{Read, Write};
use std::process::ExitCode;

use agentos::{AgentDescriptor, AgentOs, AgentOsOptions, MountConfig, SpawnOptions};

/// Parsed `agentos acp` arguments.
pub(crate) struct AcpArgs {
    agents: Vec<AgentDescriptor>,
    mounts: Vec<MountConfig>,
    env: Vec<(String, String)>,
    cwd: Option<String>,
    list: bool,
    agent: Option<String>,
}

pub(crate) fn parse(args: &[String]) -> Result<AcpArgs, String> {
    let mut out =
        AcpArgs { agents: Vec::new(), mounts: Vec::new(), env: Vec::new(), cwd: None, list: false, agent: None };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a, None),
        };
        let mut take = || -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            i += 1;
            args.get(i).cloned().ok_or_else(|| format!("option '{name}' requires a value"))
        };
        match name {
            "--list" => out.list = true,
            "--agent" => {
                let spec = take()?;
                let (id, adapter) = spec
                    .split_once('=')
                    .filter(|(id, a)| !id.is_empty() && !a.is_empty())
                    .ok_or_else(|| format!("--agent expects ID=ADAPTER, got '{spec}'"))?;
                out.agents.push(AgentDescriptor::new(id, adapter));
            }
            "--mount" => out.mounts.push(crate::parse_mount(&take()?)?),
            "--env" => {
                let kv = take()?;
                let (k, v) = kv
                    .split_once('=')
                    .filter(|(k, _)| !k.is_empty())
                    .ok_or_else(|| format!("--env expects KEY=VALUE, got '{kv}'"))?;
                out.env.push((k.to_string(), v.to_string()));
            }
            "--cwd" => out.cwd = Some(take()?),
            s if s.starts_with("--") => return Err(format!("unknown option '{s}'")),
            id if out.agent.is_none() => out.agent = Some(id.to_string()),
            extra => return Err(format!("acp: unexpected argument '{extra}'")),
        }
        i += 1;
    }
    if !out.list && out.agent.is_none() {
        return Err("acp: missing AGENT_ID (or --list)".to_string());
    }
    Ok(out)
}

pub(crate) fn run(a: AcpArgs) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_time().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("agentos: cannot start runtime: {e}");
            return ExitCode::from(1);
        }
    };
    rt.block_on(async move {
        let options = AgentOsOptions { agents: a.agents, mounts: a.mounts, ..Default::default() };
        let vm = match AgentOs::create(options).await {
            Ok(vm) => vm,
            Err(e) => {
                eprintln!("agentos: {e}");
                return ExitCode::from(1);
            }
        };
        let code = relay(&vm, a.list, a.agent, a.env, a.cwd).await;
        vm.dispose_sync();
        code
    })
}

async fn relay(
    vm: &AgentOs,
    list: bool,
    agent: Option<String>,
    env: Vec<(String, String)>,
    cwd: Option<String>,
) -> ExitCode {
    let agents = vm.list_agents();
    if list {
        let mut out = std::io::stdout().lock();
        for a in &agents {
            let state = if a.installed { "installed" } else { "missing" };
            let _ = writeln!(out, "{}\t{}\t{state}", a.id, a.acp_adapter);
        }
        return ExitCode::SUCCESS;
    }
    let id = agent.unwrap_or_default();
    let Some(agent) = agents.into_iter().find(|a| a.id == id) else {
        eprintln!("agentos: {}", agentos::Error::UnknownAgent(id));
        return ExitCode::from(1);
    };
    let options = SpawnOptions { env, cwd, on_stdout: Some(crate::to_stdout()), on_stderr: Some(crate::to_stderr()) };
    let pid = match vm.spawn("node", &[agent.entry.as_str()], options) {
        Ok(pid) => pid,
        Err(e) => {
            eprintln!("agentos: {e}");
            return ExitCode::from(1);
        }
    };
    // Host stdin is read on a thread of its own: a blocking read must not
    // hold up the runtime that serves the guest.
    let input = vm.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 64 * 1024];
        let mut stdin = std::io::stdin().lock();
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if input.write_process_stdin(pid, &buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = input.close_process_stdin(pid);
    });
    match vm.wait_process(pid).await {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("agentos: {e}");
            ExitCode::from(1)
        }
    }
}
