//! Path-name and trivial commands: `basename`, `dirname`, `pwd`, `yes`,
//! `nproc`, `hostname`, `whoami`.

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts, path};

pub fn basename_main(task: &mut Task) -> i32 {
    const NAME: &str = "basename";
    const LONG: &[(&str, Arg, char)] =
        &[("multiple", Arg::No, 'a'), ("suffix", Arg::Req, 's'), ("zero", Arg::No, 'z'), ("help", Arg::No, 'H')];
    let p = match opts::parse(&Spec::new("as:z", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "NAME [SUFFIX]");
    }
    if p.operands.is_empty() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    let multiple = p.has('a') || p.has('s');
    let (names, suffix): (Vec<String>, Option<String>) = if multiple {
        (p.operands.clone(), p.last('s').map(String::from))
    } else {
        if p.operands.len() > 2 {
            return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(&p.operands[2])), 1);
        }
        (vec![p.operands[0].clone()], p.operands.get(1).cloned())
    };
    let term = if p.has('z') { '\0' } else { '\n' };
    let mut out = String::new();
    for n in names {
        let mut b = path::basename(&n).to_string();
        if let Some(s) = &suffix
            && b.len() > s.len()
            && b.ends_with(s.as_str())
        {
            b.truncate(b.len() - s.len());
        }
        out.push_str(&b);
        out.push(term);
    }
    util::out(task, out.as_bytes());
    0
}

pub fn dirname_main(task: &mut Task) -> i32 {
    const NAME: &str = "dirname";
    const LONG: &[(&str, Arg, char)] = &[("zero", Arg::No, 'z'), ("help", Arg::No, 'H')];
    let p = match opts::parse(&Spec::new("z", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION] NAME...");
    }
    if p.operands.is_empty() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    let term = if p.has('z') { '\0' } else { '\n' };
    let out: String = p.operands.iter().map(|n| format!("{}{term}", path::dirname(n))).collect();
    util::out(task, out.as_bytes());
    0
}

pub fn pwd_main(task: &mut Task) -> i32 {
    const NAME: &str = "pwd";
    const LONG: &[(&str, Arg, char)] = &[("logical", Arg::No, 'L'), ("physical", Arg::No, 'P'), ("help", Arg::No, 'H')];
    let p = match opts::parse(&Spec::new("LP", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]...");
    }
    let physical = task.getcwd();
    // -L: $PWD if it is absolute, has no . or .. and names the same dir.
    let logical = p.opts.last().is_some_and(|(c, _)| *c == 'L');
    let mut out = physical.clone();
    if logical
        && let Some(pwd) = task.getenv("PWD")
        && pwd.starts_with('/')
        && !pwd.split('/').any(|c| c == "." || c == "..")
        && let (Ok(a), Ok(b)) = (task.stat(pwd), task.stat(&physical))
        && a.dev == b.dev
        && a.ino == b.ino
    {
        out = pwd.to_string();
    }
    util::out(task, format!("{out}\n").as_bytes());
    0
}

pub fn yes_main(task: &mut Task) -> i32 {
    let args = &task.argv[1..];
    if args.len() == 1 && args[0] == "--help" {
        return util::help(task, "yes", "[STRING]...");
    }
    let args: Vec<&String> = args.iter().filter(|a| *a != "--").collect();
    let line =
        if args.is_empty() { "y".to_string() } else { args.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ") };
    let mut block = Vec::with_capacity(8192);
    while block.len() < 8192 {
        block.extend_from_slice(line.as_bytes());
        block.push(b'\n');
    }
    loop {
        // A closed pipe ends us with SIGPIPE (or EPIPE when ignored).
        if task.write_all(1, &block).is_err() {
            return 1;
        }
    }
}

pub fn nproc_main(task: &mut Task) -> i32 {
    let _ = &task.argv;
    util::out(task, b"1\n");
    0
}

pub fn hostname_main(task: &mut Task) -> i32 {
    if task.argv.len() > 1 && !task.argv[1].starts_with('-') {
        util::error(task, "hostname", "you must be root to change the host name");
        return 1;
    }
    let h = task.hostname().to_string();
    let out = if task.argv.iter().any(|a| a == "-s" || a == "--short") {
        h.split('.').next().unwrap_or("").to_string()
    } else {
        h
    };
    util::out(task, format!("{out}\n").as_bytes());
    0
}
