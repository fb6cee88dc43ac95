//! `agentos shell [--cwd DIR] [--env KEY=VALUE]...`: attach the host
//! terminal to an interactive shell in a fresh VM.
//!
//! The host terminal goes into raw mode (restored on exit and on panic);
//! keystrokes are written to the shell's pseudo-terminal and its output
//! bytes to stdout unchanged (they already carry `\r\n`). Window-size
//! changes are forwarded (`resize_shell`, SIGWINCH in the VM): the size is
//! polled every 100 ms, which needs no signal handler. `agentos` exits
//! with the shell's status. When stdin is not a terminal, the piped text
//! runs as a script with the VM's `bash`.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use agentos::{AgentOs, AgentOsOptions, ExecOptions, OpenShellOptions};
use rustix::termios::{OptionalActions, Termios, tcgetattr, tcgetwinsize, tcsetattr};

/// The host terminal's modes before raw mode, for the panic hook.
static SAVED: Mutex<Option<Termios>> = Mutex::new(None);

/// Restores the host terminal when dropped.
struct RawMode;

impl RawMode {
    fn enter() -> Option<RawMode> {
        let stdin = std::io::stdin();
        let saved = tcgetattr(&stdin).ok()?;
        let mut raw = saved.clone();
        raw.make_raw();
        tcsetattr(&stdin, OptionalActions::Now, &raw).ok()?;
        if let Ok(mut s) = SAVED.lock() {
            *s = Some(saved);
        }
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            prev(info);
        }));
        Some(RawMode)
    }
}

fn restore() {
    if let Ok(mut s) = SAVED.lock()
        && let Some(t) = s.take()
    {
        let _ = tcsetattr(std::io::stdin(), OptionalActions::Now, &t);
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        restore();
    }
}

/// What `agentos shell` was asked for.
pub struct ShellArgs {
    cwd: Option<String>,
    env: Vec<(String, String)>,
}

/// Parse `shell`'s options.
pub fn parse(args: &[String]) -> Result<ShellArgs, String> {
    let mut out = ShellArgs { cwd: None, env: Vec::new() };
    let mut i = 0;
    while i < args.len() {
        let (name, inline) = match args[i].split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (args[i].clone(), None),
        };
        let mut value = || -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            i += 1;
            args.get(i).cloned().ok_or_else(|| format!("option '{name}' requires a value"))
        };
        match name.as_str() {
            "--cwd" => out.cwd = Some(value()?),
            "--env" => {
                let kv = value()?;
                match kv.split_once('=') {
                    Some((k, v)) if !k.is_empty() => out.env.push((k.to_string(), v.to_string())),
                    _ => return Err(format!("--env expects KEY=VALUE, got '{kv}'")),
                }
            }
            other => return Err(format!("shell: unknown argument '{other}'")),
        }
        i += 1;
    }
    Ok(out)
}

fn size() -> Option<(u16, u16)> {
    let ws = tcgetwinsize(std::io::stdout()).or_else(|_| tcgetwinsize(std::io::stdin())).ok()?;
    (ws.ws_col > 0 && ws.ws_row > 0).then_some((ws.ws_col, ws.ws_row))
}

/// Run `agentos shell`.
pub fn run(a: ShellArgs) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_current_thread().enable_time().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("agentos: cannot start runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let vm = match AgentOs::create_sync(AgentOsOptions { cwd: a.cwd.clone(), ..Default::default() }) {
        Ok(vm) => vm,
        Err(e) => {
            eprintln!("agentos: {e}");
            return ExitCode::from(1);
        }
    };
    let code = if std::io::stdin().is_terminal() { attach(&rt, &vm, a) } else { script(&rt, &vm, a) };
    vm.dispose_sync();
    ExitCode::from(code.clamp(0, 255) as u8)
}

/// Piped stdin: run it as a script.
fn script(rt: &tokio::runtime::Runtime, vm: &AgentOs, a: ShellArgs) -> i32 {
    let mut text = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut text) {
        eprintln!("agentos: reading stdin: {e}");
        return 1;
    }
    let opts = ExecOptions {
        env: a.env,
        cwd: a.cwd,
        stdin: Some(text),
        on_stdout: Some(crate::to_stdout()),
        on_stderr: Some(crate::to_stderr()),
        ..Default::default()
    };
    match rt.block_on(vm.exec("bash", opts)) {
        Ok(r) => r.exit_code,
        Err(e) => {
            eprintln!("agentos: {e}");
            1
        }
    }
}

/// A terminal: raw mode, keystrokes in, bytes out, resizes forwarded.
fn attach(rt: &tokio::runtime::Runtime, vm: &AgentOs, a: ShellArgs) -> i32 {
    let (cols, rows) = size().unzip();
    let opts = OpenShellOptions { env: a.env, cwd: a.cwd, cols, rows, ..Default::default() };
    let id = match vm.open_shell(opts) {
        Ok(id) => id,
        Err(e) => {
            eprintln!("agentos: {e}");
            return 1;
        }
    };
    let raw = RawMode::enter();
    let unsub = vm.on_shell_data(&id, crate::to_stdout());
    // Keystrokes: a host thread blocked on stdin (it ends with the process).
    let (kvm, kid) = (vm.clone(), id.clone());
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut stdin = std::io::stdin().lock();
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if kvm.write_shell(&kid, &buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
    });
    // Window size: polled, forwarded on change.
    let (rvm, rid) = (vm.clone(), id.clone());
    std::thread::spawn(move || {
        let mut last = size();
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let now = size();
            if now != last {
                if let Some((c, r)) = now
                    && rvm.resize_shell(&rid, c, r).is_err()
                {
                    break;
                }
                last = now;
            }
        }
    });
    let code = rt.block_on(vm.wait_shell(&id)).unwrap_or(1);
    if let Ok(unsub) = unsub {
        unsub();
    }
    drop(raw);
    code
}
