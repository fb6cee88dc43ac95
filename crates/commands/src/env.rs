//! `env [-i] [-u NAME]... [-C DIR] [NAME=VALUE]... [COMMAND [ARG]...]`:
//! print the environment or run a command in a modified one (PATH search
//! then `execve`). Also `printenv [NAME]...`.

use agentos_kernel::abi::X_OK;
use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Spec, opts};

const LONG: &[(&str, Arg, char)] = &[
    ("ignore-environment", Arg::No, 'i'),
    ("unset", Arg::Req, 'u'),
    ("chdir", Arg::Req, 'C'),
    ("null", Arg::No, '0'),
    ("split-string", Arg::Req, 'S'),
    ("help", Arg::No, 'H'),
];

/// Find `cmd` on `PATH` as `execvp` does; names with a slash are used as
/// they are.
pub fn lookup(task: &Task, cmd: &str, path: Option<&str>) -> Result<String, Errno> {
    if cmd.contains('/') {
        return Ok(cmd.to_string());
    }
    let path = path.unwrap_or(agentos_kernel::rootfs::DEFAULT_PATH);
    let mut denied = false;
    for dir in path.split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        let cand = util::path::join(dir, cmd);
        match task.stat(&cand) {
            Ok(st) if st.is_file() => {
                if task.access(&cand, X_OK).is_ok() {
                    return Ok(cand);
                }
                denied = true;
            }
            _ => {}
        }
    }
    Err(if denied { Errno::EACCES } else { Errno::ENOENT })
}

/// Report a failed exec the way env, timeout, nice and xargs do, and
/// return 126 or 127.
pub fn exec_failed(task: &Task, name: &str, cmd: &str, e: Errno) -> i32 {
    util::error(task, name, &format!("{}: {}", util::quote(cmd), e.strerror()));
    if e == Errno::ENOENT { 127 } else { 126 }
}

pub fn main(task: &mut Task) -> i32 {
    const NAME: &str = "env";
    let mut spec = Spec::new("iu:C:0S:", LONG);
    spec.stop_at_operand = true;
    // A lone "-" means -i.
    let args: Vec<String> =
        task.argv[1..].iter().map(|a| if a == "-" { "-i".to_string() } else { a.clone() }).collect();
    let p = match opts::parse(&spec, &args) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 125),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]");
    }
    let mut env: Vec<(String, String)> = if p.has('i') { Vec::new() } else { task.env.clone() };
    for u in p.all('u') {
        env.retain(|(k, _)| k != u);
    }
    let mut ops = p.operands.clone();
    if let Some(s) = p.last('S') {
        let mut split: Vec<String> = s.split_whitespace().map(String::from).collect();
        split.extend(ops);
        ops = split;
    }
    let mut i = 0;
    while i < ops.len() {
        match ops[i].split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                env.retain(|(x, _)| x != k);
                env.push((k.to_string(), v.to_string()));
                i += 1;
            }
            _ => break,
        }
    }
    let cmd = &ops[i..];
    if let Some(dir) = p.last('C') {
        if cmd.is_empty() {
            return util::usage_error(task, NAME, "must specify command with --chdir (-C)", 125);
        }
        if let Err(e) = task.chdir(dir) {
            util::error(task, NAME, &format!("cannot change directory to {}: {}", util::quote(dir), e.strerror()));
            return 125;
        }
    }
    if cmd.is_empty() {
        let term = if p.has('0') { '\0' } else { '\n' };
        let mut out = String::new();
        for (k, v) in &env {
            out.push_str(&format!("{k}={v}{term}"));
        }
        util::out(task, out.as_bytes());
        return 0;
    }
    let path_var = env.iter().rev().find(|(k, _)| k == "PATH").map(|(_, v)| v.clone());
    let exe = match lookup(task, &cmd[0], path_var.as_deref()) {
        Ok(p) => p,
        Err(e) => return exec_failed(task, NAME, &cmd[0], e),
    };
    let e = task.exec(&exe, cmd.to_vec(), env);
    exec_failed(task, NAME, &cmd[0], e)
}

/// `printenv [-0] [NAME]...`: exit 1 if any NAME is unset.
pub fn printenv_main(task: &mut Task) -> i32 {
    const NAME: &str = "printenv";
    const PLONG: &[(&str, Arg, char)] = &[("null", Arg::No, '0'), ("help", Arg::No, 'H')];
    let p = match opts::parse(&Spec::new("0", PLONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 2),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [VARIABLE]...");
    }
    let term = if p.has('0') { '\0' } else { '\n' };
    let mut out = String::new();
    let mut status = 0;
    if p.operands.is_empty() {
        for (k, v) in &task.env {
            out.push_str(&format!("{k}={v}{term}"));
        }
    } else {
        for name in &p.operands {
            match task.getenv(name) {
                Some(v) if !name.contains('=') => out.push_str(&format!("{v}{term}")),
                _ => status = 1,
            }
        }
    }
    util::out(task, out.as_bytes());
    status
}
