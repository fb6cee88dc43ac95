//! The agentOS shell: a bash-compatible interpreter that runs as a native
//! program inside the kernel. `brush-parser` turns source into an AST
//! ([`parse`]); everything else — expansion ([`expand`]), execution
//! ([`exec`]), builtins ([`builtins`]) — is ours, and all I/O goes through
//! the process's [`Task`]: files, pipes, child processes, signals.
//!
//! Analogue: bash 5.2 (`bash -c`, `bash script`, commands on stdin, and
//! the interactive shell on a terminal: [`interactive`]). Subshells, pipeline members and substitutions run
//! as child processes holding a copy of the shell's state, since the
//! kernel has no `fork`.

#![forbid(unsafe_code)]

pub mod builtins;
pub mod exec;
pub mod expand;
pub mod interactive;
pub mod parse;
pub mod state;
pub mod vars;

mod assign;

use agentos_kernel::Task;
use agentos_kernel::exec::NativeRegistry;

use exec::SrcKind;
use state::{Ctl, Shell};

/// Register the shell as `sh` and `bash`.
pub fn register(reg: &mut NativeRegistry) {
    reg.register("sh", main);
    reg.register("bash", main);
}

/// What the command line asked for.
struct Invocation {
    command: Option<String>,
    script: Option<String>,
    args: Vec<String>,
    flags: Vec<(char, bool)>,
    long_opts: Vec<(String, bool)>,
    shopts: Vec<String>,
    /// `-i`.
    interactive: bool,
}

fn usage_error(t: &Task, name: &str, opt: &str) -> i32 {
    let _ = t.write_all(2, format!("{name}: {opt}: invalid option\n").as_bytes());
    2
}

fn parse_args(t: &Task, argv: &[String]) -> Result<Invocation, i32> {
    let name = argv.first().map(|s| s.as_str()).unwrap_or("bash");
    let mut inv = Invocation {
        command: None,
        script: None,
        args: Vec::new(),
        flags: Vec::new(),
        long_opts: Vec::new(),
        shopts: Vec::new(),
        interactive: false,
    };
    let mut want_c = false;
    let mut read_stdin = false;
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        if a == "--" || a == "-" {
            i += 1;
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            match long {
                "norc" | "noprofile" | "posix" | "login" | "noediting" => {}
                "version" => {
                    let _ = t.write_all(1, b"GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)\n");
                    return Err(0);
                }
                _ => return Err(usage_error(t, name, a)),
            }
            i += 1;
            continue;
        }
        let on = a.starts_with('-');
        if !(on || a.starts_with('+')) || a.len() < 2 {
            break;
        }
        for c in a[1..].chars() {
            match c {
                'c' => want_c = true,
                's' => read_stdin = true,
                'i' => inv.interactive = on,
                'l' | 'r' | 'p' => {}
                'o' | 'O' => {
                    i += 1;
                    let Some(v) = argv.get(i) else { return Err(usage_error(t, name, a)) };
                    if c == 'o' {
                        inv.long_opts.push((v.clone(), on));
                    } else {
                        inv.shopts.push(v.clone());
                    }
                }
                c => inv.flags.push((c, on)),
            }
        }
        i += 1;
    }
    let rest = &argv[i.min(argv.len())..];
    if want_c {
        let Some(cmd) = rest.first() else {
            let _ = t.write_all(2, format!("{name}: -c: option requires an argument\n").as_bytes());
            return Err(2);
        };
        inv.command = Some(cmd.clone());
        inv.args = rest[1..].to_vec();
    } else if !read_stdin && !rest.is_empty() {
        inv.script = Some(rest[0].clone());
        inv.args = rest[1..].to_vec();
    } else {
        inv.args = rest.to_vec();
    }
    Ok(inv)
}

/// The shell's entry point: `sh`/`bash` with bash's command line.
pub fn main(t: &mut Task) -> i32 {
    let argv = t.argv.clone();
    let inv = match parse_args(t, &argv) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let name = argv.first().cloned().unwrap_or_else(|| "bash".into());
    let mut sh = Shell::new(t, name.clone());
    for (c, on) in &inv.flags {
        if !builtins::set::set_flag(&mut sh, *c, *on) {
            return usage_error(t, &name, &format!("-{c}"));
        }
    }
    for (o, on) in &inv.long_opts {
        let args = vec!["set".to_string(), if *on { "-o" } else { "+o" }.to_string(), o.clone()];
        let _ = builtins::set::set(&mut sh, t, &args);
    }
    for o in &inv.shopts {
        let args = vec!["shopt".to_string(), "-s".to_string(), o.clone()];
        let _ = builtins::set::shopt(&mut sh, t, &args);
    }
    let text = if let Some(cmd) = inv.command {
        sh.is_c = true;
        if let Some(a0) = inv.args.first() {
            sh.arg0 = a0.clone();
            sh.src = sh.arg0.as_str().into();
        }
        sh.positional = inv.args.iter().skip(1).cloned().collect();
        cmd
    } else if let Some(script) = inv.script {
        match exec::command::read_file(t, &script) {
            Ok(text) => {
                sh.arg0 = script.clone();
                sh.src = script.as_str().into();
                sh.source_file = Some(script.clone());
                sh.positional = inv.args;
                text
            }
            Err(e) => {
                let _ = t.write_all(2, format!("{name}: {script}: {}\n", e.strerror()).as_bytes());
                return if e == agentos_kernel::Errno::ENOENT { 127 } else { 126 };
            }
        }
    } else if inv.interactive || (t.isatty(0) && t.isatty(2)) {
        // bash is interactive when asked, or when it reads commands from
        // a terminal and reports to one.
        sh.positional = inv.args;
        return interactive::run(&mut sh, t);
    } else {
        sh.positional = inv.args;
        let data = t.read_to_end(0).unwrap_or_default();
        String::from_utf8_lossy(&data).into_owned()
    };
    let res = sh.run_text(t, &text, SrcKind::Top);
    let res = match res {
        Err(Ctl::Abort(s)) => Ok(s),
        Err(Ctl::Return(s)) => Ok(s),
        r => r,
    };
    sh.finish(t, res)
}
