//! Builtins that steer execution: `exit`, `return`, `break`, `continue`,
//! `eval`, `source`/`.`, `exec`, `command`, `builtin`, `type`, `trap`.

use agentos_kernel::Task;
use agentos_kernel::abi::{Errno, SigAction, Signal};

use super::{is_keyword, lookup, out, parse_num};
use crate::exec::SrcKind;
use crate::exec::command::read_file;
use crate::state::{Ctl, ERR_TRAP, Res, Shell};

pub fn exit(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let code = match argv.get(1) {
        Some(a) => match a.trim().parse::<i64>() {
            Ok(n) => (n & 0xff) as i32,
            Err(_) => {
                sh.error(t, &format!("exit: {a}: numeric argument required"));
                2
            }
        },
        None => sh.status,
    };
    Err(Ctl::Exit(code))
}

pub fn return_(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    if sh.funcnames.is_empty() && sh.source_depth == 0 {
        sh.error(t, "return: can only `return' from a function or sourced script");
        return Ok(2);
    }
    let code = match argv.get(1) {
        Some(a) => match parse_num(sh, t, "return", a) {
            Some(n) => (n & 0xff) as i32,
            None => 2,
        },
        None => sh.status,
    };
    Err(Ctl::Return(code))
}

fn loop_ctl(sh: &mut Shell, t: &mut Task, argv: &[String], name: &str) -> Result<u32, i32> {
    let n = match argv.get(1) {
        Some(a) => match parse_num(sh, t, name, a) {
            Some(n) if n >= 1 => n as u32,
            Some(n) => {
                sh.error(t, &format!("{name}: {n}: loop count out of range"));
                return Err(1);
            }
            None => return Err(1),
        },
        None => 1,
    };
    if sh.loop_depth == 0 {
        sh.error(t, &format!("{name}: only meaningful in a `for', `while', or `until' loop"));
        return Err(0);
    }
    Ok(n.min(sh.loop_depth))
}

pub fn break_(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    match loop_ctl(sh, t, argv, "break") {
        Ok(n) => Err(Ctl::Break(n)),
        Err(s) => Ok(s),
    }
}

pub fn continue_(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    match loop_ctl(sh, t, argv, "continue") {
        Ok(n) => Err(Ctl::Continue(n)),
        Err(s) => Ok(s),
    }
}

pub fn eval(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let text = argv[1..].join(" ");
    if text.trim().is_empty() {
        return Ok(0);
    }
    sh.run_text(t, &text, SrcKind::Eval)
}

pub fn source(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let Some(file) = argv.get(1) else {
        sh.error(t, &format!("{}: filename argument required", argv[0]));
        return Ok(2);
    };
    let path = if file.contains('/') {
        file.clone()
    } else {
        sh.find_program(t, file).filter(|p| t.stat(p).is_ok()).unwrap_or_else(|| file.clone())
    };
    let text = match read_file(t, &path) {
        Ok(s) => s,
        Err(e) => {
            sh.error(t, &format!("{file}: {}", e.strerror()));
            return Ok(1);
        }
    };
    let saved_pos = (argv.len() > 2).then(|| std::mem::replace(&mut sh.positional, argv[2..].to_vec()));
    sh.source_depth += 1;
    let saved_base = std::mem::replace(&mut sh.line_base, 0);
    let saved_file = sh.source_file.replace(path.clone());
    let r = sh.run_text(t, &text, SrcKind::Source);
    sh.source_file = saved_file;
    sh.line_base = saved_base;
    sh.source_depth -= 1;
    if let Some(p) = saved_pos {
        sh.positional = p;
    }
    match r {
        Err(Ctl::Return(s)) => Ok(s),
        r => r,
    }
}

pub fn exec(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut args = &argv[1..];
    if args.first().map(|s| s.as_str()) == Some("--") {
        args = &args[1..];
    }
    let Some(name) = args.first() else { return Ok(0) };
    let Some(path) = sh.find_program(t, name) else {
        if let Some(b) = lookup(name) {
            let status = b(sh, t, args)?;
            return Err(Ctl::Exit(status));
        }
        sh.error(t, &format!("exec: {name}: not found"));
        return Err(Ctl::Exit(127));
    };
    let env = sh.vars.environ();
    let e = t.exec(&path, args.to_vec(), env);
    if e == Errno::ENOEXEC
        && let Ok(text) = read_file(t, &path)
    {
        sh.reset_for_script(&path, args[1..].to_vec());
        let r = sh.run_text(t, &text, SrcKind::Top);
        let status = match r {
            Ok(s) | Err(Ctl::Exit(s)) => s,
            _ => 1,
        };
        return Err(Ctl::Exit(status));
    }
    let status = sh.exec_error(t, &format!("exec: {name}"), &path, e);
    Err(Ctl::Exit(status))
}

/// How `type`/`command -v` sees a name.
enum Kind {
    Alias(String),
    Keyword,
    Function,
    Builtin,
    File(String),
}

fn classify(sh: &Shell, t: &Task, name: &str, functions: bool) -> Option<Kind> {
    if let Some(a) = sh.aliases.get(name) {
        return Some(Kind::Alias(a.clone()));
    }
    if is_keyword(name) {
        return Some(Kind::Keyword);
    }
    if functions && sh.funcs.contains_key(name) {
        return Some(Kind::Function);
    }
    if lookup(name).is_some() {
        return Some(Kind::Builtin);
    }
    sh.find_program(t, name).filter(|p| t.stat(p).is_ok_and(|s| s.is_file())).map(Kind::File)
}

pub fn command(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut i = 1;
    let mut verbose = None;
    while let Some(a) = argv.get(i) {
        match a.as_str() {
            "-v" => verbose = Some(false),
            "-V" => verbose = Some(true),
            "-p" => {}
            "--" => {
                i += 1;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    let Some(name) = argv.get(i) else { return Ok(0) };
    match verbose {
        Some(long) => {
            let mut status = 0;
            let mut text = String::new();
            for n in &argv[i..] {
                match classify(sh, t, n, true) {
                    Some(k) if long => text.push_str(&describe(sh, n, &k)),
                    Some(Kind::Alias(a)) => text.push_str(&format!("alias {n}='{a}'\n")),
                    Some(Kind::File(p)) => text.push_str(&format!("{p}\n")),
                    Some(_) => text.push_str(&format!("{n}\n")),
                    None => {
                        if long {
                            sh.error(t, &format!("command: {n}: not found"));
                        }
                        status = 1;
                    }
                }
            }
            let w = out(sh, t, "command", text.as_bytes());
            Ok(if w != 0 { w } else { status })
        }
        None => {
            let _ = name;
            sh.run_argv(t, argv[i..].to_vec(), &[], &[], None, true)
        }
    }
}

pub fn builtin(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let Some(name) = argv.get(1) else { return Ok(0) };
    match lookup(name) {
        Some(b) => b(sh, t, &argv[1..]),
        None => {
            sh.error(t, &format!("builtin: {name}: not a shell builtin"));
            Ok(1)
        }
    }
}

fn describe(sh: &Shell, name: &str, k: &Kind) -> String {
    match k {
        Kind::Alias(a) => format!("{name} is aliased to `{a}'\n"),
        Kind::Keyword => format!("{name} is a shell keyword\n"),
        Kind::Function => {
            let body = sh.funcs.get(name).map(|f| f.body.to_string()).unwrap_or_default();
            format!("{name} is a function\n{name} () \n{body}\n")
        }
        Kind::Builtin => format!("{name} is a shell builtin\n"),
        Kind::File(p) => format!("{name} is {p}\n"),
    }
}

pub fn type_(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut terse = false;
    let mut path_only = false;
    let mut status = 0;
    let mut text = String::new();
    for a in &argv[1..] {
        match a.as_str() {
            "-t" => terse = true,
            "-p" | "-P" => path_only = true,
            "-a" | "-f" => {}
            n => match classify(sh, t, n, true) {
                Some(k) if terse => text.push_str(match k {
                    Kind::Alias(_) => "alias\n",
                    Kind::Keyword => "keyword\n",
                    Kind::Function => "function\n",
                    Kind::Builtin => "builtin\n",
                    Kind::File(_) => "file\n",
                }),
                Some(Kind::File(p)) if path_only => text.push_str(&format!("{p}\n")),
                Some(_) if path_only => {}
                Some(k) => text.push_str(&describe(sh, n, &k)),
                None => {
                    if !terse && !path_only {
                        sh.error(t, &format!("type: {n}: not found"));
                    }
                    status = 1;
                }
            },
        }
    }
    let w = out(sh, t, "type", text.as_bytes());
    Ok(if w != 0 { w } else { status })
}

/// The trap table key for a signal spec (`EXIT`, `ERR`, `INT`, `2`, ...).
fn trap_key(spec: &str) -> Option<i32> {
    match spec.to_ascii_uppercase().as_str() {
        "EXIT" | "0" => Some(0),
        "ERR" => Some(ERR_TRAP),
        "DEBUG" | "RETURN" => Some(-2),
        s => Signal::parse(s).map(|sig| sig.0),
    }
}

fn trap_name(key: i32) -> String {
    match key {
        0 => "EXIT".into(),
        ERR_TRAP => "ERR".into(),
        k => Signal(k).name().map(str::to_string).unwrap_or_else(|| k.to_string()),
    }
}

pub fn trap(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut args = &argv[1..];
    let print = args.first().map(|s| s.as_str()) == Some("-p");
    if print || args.is_empty() {
        if print {
            args = &args[1..];
        }
        let keys: Vec<i32> = if args.is_empty() {
            sh.traps.keys().copied().collect()
        } else {
            args.iter().filter_map(|a| trap_key(a)).collect()
        };
        let mut text = String::new();
        for k in keys {
            if let Some(cmd) = sh.traps.get(&k) {
                text.push_str(&format!("trap -- {} {}\n", crate::expand::param::quote(cmd), trap_name(k)));
            }
        }
        return Ok(out(sh, t, "trap", text.as_bytes()));
    }
    if args.first().map(|s| s.as_str()) == Some("-l") {
        let names: Vec<String> = Signal::all().iter().map(|s| format!("{}) {}", s.0, s.name().unwrap_or(""))).collect();
        return Ok(out(sh, t, "trap", format!("{}\n", names.join(" ")).as_bytes()));
    }
    if args.first().map(|s| s.as_str()) == Some("--") {
        args = &args[1..];
    }
    let (action, specs) = if args.len() == 1 || trap_key(&args[0]).is_some_and(|_| args[0].parse::<u32>().is_ok()) {
        ("-", args)
    } else {
        (args[0].as_str(), &args[1..])
    };
    let mut status = 0;
    for spec in specs {
        let Some(key) = trap_key(spec) else {
            sh.error(t, &format!("trap: {spec}: invalid signal specification"));
            status = 1;
            continue;
        };
        let disposition = match action {
            "-" => {
                sh.traps.remove(&key);
                SigAction::Default
            }
            "" => {
                sh.traps.insert(key, String::new());
                SigAction::Ignore
            }
            cmd => {
                sh.traps.insert(key, cmd.to_string());
                SigAction::Catch
            }
        };
        if key > 0 {
            let _ = t.sigaction(Signal(key), disposition);
        }
    }
    Ok(status)
}
