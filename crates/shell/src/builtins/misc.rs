//! Assorted builtins: `cd`, `pwd`, `alias`, `unalias`, `wait`, `kill`,
//! `getopts`, `let`, `umask`.

use agentos_kernel::Task;
use agentos_kernel::abi::{Errno, Signal};
use agentos_kernel::task::WaitTarget;

use super::out;
use crate::state::{Ctl, Res, Shell};

/// Lexically resolve `.` and `..` in an absolute path.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

pub fn cd(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut args: Vec<&str> = argv[1..].iter().map(|s| s.as_str()).collect();
    let mut physical = false;
    while let Some(a) = args.first() {
        match *a {
            "-P" => physical = true,
            "-L" => physical = false,
            "--" => {
                args.remove(0);
                break;
            }
            _ => break,
        }
        args.remove(0);
    }
    if args.len() > 1 {
        sh.error(t, "cd: too many arguments");
        return Ok(1);
    }
    let mut print = false;
    let target = match args.first() {
        None => match sh.vars.get_str("HOME") {
            Some(h) => h.to_string(),
            None => {
                sh.error(t, "cd: HOME not set");
                return Ok(1);
            }
        },
        Some(&"-") => match sh.vars.get_str("OLDPWD") {
            Some(o) => {
                print = true;
                o.to_string()
            }
            None => {
                sh.error(t, "cd: OLDPWD not set");
                return Ok(1);
            }
        },
        Some(d) => d.to_string(),
    };
    let old = sh.vars.get_str("PWD").map(str::to_string).unwrap_or_else(|| t.getcwd());
    let logical = if target.starts_with('/') { normalize(&target) } else { normalize(&format!("{old}/{target}")) };
    let r = if physical { t.chdir(&target) } else { t.chdir(&logical).or_else(|_| t.chdir(&target)) };
    if let Err(e) = r {
        sh.error(t, &format!("cd: {target}: {}", e.strerror()));
        return Ok(1);
    }
    let new = if physical || t.realpath(&logical).ok() != Some(t.getcwd()) && t.stat(&logical).is_err() {
        t.getcwd()
    } else {
        logical
    };
    sh.assign_ref(t, "OLDPWD", None, &old).ok();
    sh.assign_ref(t, "PWD", None, &new).ok();
    if print {
        return Ok(out(sh, t, "cd", format!("{new}\n").as_bytes()));
    }
    Ok(0)
}

fn print_dirs(sh: &Shell, t: &Task) -> i32 {
    let home = sh.vars.get_str("HOME").unwrap_or("");
    let tilde = |d: &str| match d.strip_prefix(home) {
        Some(rest) if !home.is_empty() && (rest.is_empty() || rest.starts_with('/')) => format!("~{rest}"),
        _ => d.to_string(),
    };
    let mut all = vec![tilde(sh.vars.get_str("PWD").unwrap_or_default())];
    all.extend(sh.dir_stack.iter().rev().map(|d| tilde(d)));
    out(sh, t, "dirs", format!("{}\n", all.join(" ")).as_bytes())
}

pub fn dirs(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    if argv.iter().any(|a| a == "-c") {
        sh.dir_stack.clear();
        return Ok(0);
    }
    Ok(print_dirs(sh, t))
}

pub fn pushd(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let old = sh.vars.get_str("PWD").map(str::to_string).unwrap_or_else(|| t.getcwd());
    let target = match argv.get(1) {
        Some(d) => d.clone(),
        None => match sh.dir_stack.pop() {
            Some(d) => d,
            None => {
                sh.error(t, "pushd: no other directory");
                return Ok(1);
            }
        },
    };
    let status = cd(sh, t, &["cd".to_string(), target])?;
    if status != 0 {
        return Ok(status);
    }
    sh.dir_stack.push(old);
    Ok(print_dirs(sh, t))
}

pub fn popd(sh: &mut Shell, t: &mut Task, _argv: &[String]) -> Res {
    let Some(dir) = sh.dir_stack.pop() else {
        sh.error(t, "popd: directory stack empty");
        return Ok(1);
    };
    let status = cd(sh, t, &["cd".to_string(), dir])?;
    if status != 0 {
        return Ok(status);
    }
    Ok(print_dirs(sh, t))
}

pub fn pwd(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let physical = argv.iter().any(|a| a == "-P");
    let cwd = t.getcwd();
    let p = match sh.vars.get_str("PWD") {
        Some(p) if !physical && t.realpath(p).ok().as_deref() == Some(cwd.as_str()) => p.to_string(),
        _ => cwd,
    };
    Ok(out(sh, t, "pwd", format!("{p}\n").as_bytes()))
}

pub fn alias(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let q = |v: &str| format!("'{}'", v.replace('\'', "'\\''"));
    let mut text = String::new();
    let mut status = 0;
    if argv.len() == 1 || argv[1] == "-p" {
        for (k, v) in &sh.aliases {
            text.push_str(&format!("alias {k}={}\n", q(v)));
        }
    }
    for a in argv[1..].iter().filter(|a| *a != "-p") {
        match a.split_once('=') {
            Some((k, v)) => {
                sh.aliases.insert(k.to_string(), v.to_string());
            }
            None => match sh.aliases.get(a) {
                Some(v) => text.push_str(&format!("alias {a}={}\n", q(v))),
                None => {
                    sh.error(t, &format!("alias: {a}: not found"));
                    status = 1;
                }
            },
        }
    }
    let w = out(sh, t, "alias", text.as_bytes());
    Ok(if w != 0 { w } else { status })
}

pub fn unalias(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut status = 0;
    for a in &argv[1..] {
        if a == "-a" {
            sh.aliases.clear();
        } else if sh.aliases.remove(a).is_none() {
            sh.error(t, &format!("unalias: {a}: not found"));
            status = 1;
        }
    }
    Ok(status)
}

pub fn wait(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let pids: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    if pids.is_empty() {
        if argv.iter().any(|a| a == "-n") {
            return match t.waitpid(WaitTarget::Any, false) {
                Ok(Some((pid, st))) => {
                    sh.jobs.retain(|p| *p != pid);
                    Ok(st.code())
                }
                _ => Ok(127),
            };
        }
        for pid in sh.jobs.clone() {
            sh.wait_child(t, pid);
        }
        sh.jobs.clear();
        return Ok(0);
    }
    let mut status = 0;
    for p in pids {
        let pid = match job_pid(sh, p) {
            Some(pid) => pid,
            None => {
                sh.error(t, &format!("wait: `{p}': not a pid or valid job spec"));
                status = 2;
                continue;
            }
        };
        match t.waitpid(WaitTarget::Pid(pid), false) {
            Ok(Some((_, st))) => {
                sh.jobs.retain(|j| *j != pid);
                status = st.code();
            }
            _ => {
                sh.error(t, &format!("wait: pid {pid} is not a child of this shell"));
                status = 127;
            }
        }
    }
    Ok(status)
}

/// A pid or `%n` job spec.
fn job_pid(sh: &Shell, spec: &str) -> Option<i32> {
    if let Some(n) = spec.strip_prefix('%') {
        let idx: usize = match n {
            "" | "%" | "+" => sh.jobs.len(),
            "-" => sh.jobs.len().saturating_sub(1),
            n => n.parse().ok()?,
        };
        return idx.checked_sub(1).and_then(|i| sh.jobs.get(i)).copied();
    }
    spec.parse().ok()
}

pub fn kill(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut sig = Signal::SIGTERM.0;
    let mut i = 1;
    if argv.get(1).map(|s| s.as_str()) == Some("-l") {
        let names: Vec<&str> = Signal::all().iter().filter_map(|s| s.name()).map(|n| &n[3..]).collect();
        return Ok(out(sh, t, "kill", format!("{}\n", names.join(" ")).as_bytes()));
    }
    if let Some(a) = argv.get(1) {
        if a == "-s" || a == "-n" {
            let spec = argv.get(2).cloned().unwrap_or_default();
            match Signal::parse(&spec) {
                Some(s) => sig = s.0,
                None => {
                    sh.error(t, &format!("kill: {spec}: invalid signal specification"));
                    return Ok(1);
                }
            }
            i = 3;
        } else if let Some(spec) = a.strip_prefix('-')
            && !spec.is_empty()
        {
            match Signal::parse(spec).map(|s| s.0).or_else(|| (spec == "0").then_some(0)) {
                Some(s) => sig = s,
                None => {
                    sh.error(t, &format!("kill: {spec}: invalid signal specification"));
                    return Ok(1);
                }
            }
            i = 2;
        }
    }
    if i >= argv.len() {
        sh.error_plain(
            t,
            "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]",
        );
        return Ok(2);
    }
    let mut status = 0;
    for a in &argv[i..] {
        let Some(pid) = job_pid(sh, a) else {
            if a.starts_with('%') {
                sh.error(t, &format!("kill: {a}: no such job"));
            } else {
                sh.error(t, &format!("kill: {a}: arguments must be process or job IDs"));
            }
            status = 1;
            continue;
        };
        if let Err(e) = t.kill(pid, sig) {
            let e = if e == Errno::ESRCH { "No such process" } else { e.strerror() };
            sh.error(t, &format!("kill: ({pid}) - {e}"));
            status = 1;
        }
    }
    Ok(status)
}

pub fn getopts(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    if argv.len() < 3 {
        sh.error(t, "getopts: usage: getopts optstring name [arg ...]");
        return Ok(2);
    }
    let (spec, var) = (&argv[1], &argv[2]);
    let args: Vec<String> = if argv.len() > 3 { argv[3..].to_vec() } else { sh.positional.clone() };
    let silent = spec.starts_with(':');
    let mut optind: usize = sh.vars.get_str("OPTIND").and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    if optind == 1 && sh.getopts_pos > 0 && sh.getopts_last != 1 {
        sh.getopts_pos = 0;
    }
    let set =
        |sh: &mut Shell, t: &mut Task, name: &str, v: &str| sh.assign_ref(t, name, None, v).map_err(|_| Ctl::Abort(1));
    let finish = |sh: &mut Shell, t: &mut Task, optind: usize| -> Result<(), Ctl> {
        sh.getopts_last = optind;
        set(sh, t, "OPTIND", &optind.to_string())
    };
    if sh.getopts_pos == 0 {
        let Some(arg) = args.get(optind - 1) else {
            set(sh, t, var, "?")?;
            finish(sh, t, optind)?;
            return Ok(1);
        };
        if arg == "--" {
            set(sh, t, var, "?")?;
            finish(sh, t, optind + 1)?;
            return Ok(1);
        }
        if !arg.starts_with('-') || arg == "-" {
            set(sh, t, var, "?")?;
            finish(sh, t, optind)?;
            return Ok(1);
        }
        sh.getopts_pos = 1;
    }
    let arg: Vec<char> = args.get(optind - 1).map(|a| a.chars().collect()).unwrap_or_default();
    let c = arg.get(sh.getopts_pos).copied().unwrap_or('?');
    sh.getopts_pos += 1;
    let at_end = sh.getopts_pos >= arg.len();
    if at_end {
        optind += 1;
        sh.getopts_pos = 0;
    }
    let pos = spec.chars().position(|x| x == c && c != ':');
    let Some(pos) = pos else {
        if silent {
            set(sh, t, "OPTARG", &c.to_string())?;
        } else {
            sh.error_plain(t, &format!("illegal option -- {c}"));
            sh.vars.unset("OPTARG");
        }
        set(sh, t, var, "?")?;
        finish(sh, t, optind)?;
        return Ok(0);
    };
    if spec.chars().nth(pos + 1) == Some(':') {
        if !at_end {
            let rest: String = arg[sh.getopts_pos..].iter().collect();
            set(sh, t, "OPTARG", &rest)?;
            optind += 1;
            sh.getopts_pos = 0;
        } else if let Some(next) = args.get(optind - 1) {
            set(sh, t, "OPTARG", next)?;
            optind += 1;
        } else {
            if silent {
                set(sh, t, var, ":")?;
                set(sh, t, "OPTARG", &c.to_string())?;
            } else {
                sh.error_plain(t, &format!("option requires an argument -- {c}"));
                set(sh, t, var, "?")?;
                sh.vars.unset("OPTARG");
            }
            finish(sh, t, optind)?;
            return Ok(0);
        }
    } else {
        sh.vars.unset("OPTARG");
    }
    set(sh, t, var, &c.to_string())?;
    finish(sh, t, optind)?;
    Ok(0)
}

pub fn let_(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    if argv.len() < 2 {
        sh.error(t, "let: expression expected");
        return Ok(1);
    }
    let mut last = 0;
    for a in &argv[1..] {
        match sh.arith_cmd(t, a, "let") {
            Some(v) => last = v,
            None => return Ok(1),
        }
    }
    Ok(if last != 0 { 0 } else { 1 })
}

pub fn umask(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    match argv.get(1) {
        None => {
            let m = t.get_umask();
            Ok(out(sh, t, "umask", format!("{m:04o}\n").as_bytes()))
        }
        Some(a) => match u32::from_str_radix(a, 8) {
            Ok(m) => {
                t.umask(m);
                Ok(0)
            }
            Err(_) => {
                sh.error(t, &format!("umask: {a}: octal number out of range"));
                Ok(1)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn paths() {
        assert_eq!(normalize("/a/b/../c/./d"), "/a/c/d");
        assert_eq!(normalize("/.."), "/");
    }
}
