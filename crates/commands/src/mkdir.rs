//! `mkdir [-pv] [-m MODE] DIRECTORY...`: make directories. With `-p`,
//! missing parents are made (`u+wx` on top of the umask) and existing
//! directories are fine.

use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Spec, mode, opts};

const NAME: &str = "mkdir";

const LONG: &[(&str, Arg, char)] = &[
    ("mode", Arg::Req, 'm'),
    ("parents", Arg::No, 'p'),
    ("verbose", Arg::No, 'v'),
    ("context", Arg::Opt, 'Z'),
    ("help", Arg::No, 'H'),
];

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("m:pvZ", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... DIRECTORY...");
    }
    if p.operands.is_empty() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    let umask = task.get_umask();
    let explicit = match p.last('m') {
        Some(m) => match mode::apply(m, 0o777, true, umask) {
            Some(v) => Some(v),
            None => {
                util::error(task, NAME, &format!("invalid mode {}", util::quote(m)));
                return 1;
            }
        },
        None => None,
    };
    let parents = p.has('p');
    let verbose = p.has('v');
    let mut status = 0;
    for d in &p.operands {
        let say = |what: &str| {
            if verbose {
                util::out(task, format!("{NAME}: created directory {}\n", util::quote(what)).as_bytes());
            }
        };
        if parents {
            // Create each missing ancestor, reporting each one.
            let mut prefix = String::new();
            let comps: Vec<&str> = d.split('/').collect();
            let mut failed = false;
            for (i, c) in comps.iter().enumerate() {
                if i > 0 {
                    prefix.push('/');
                }
                prefix.push_str(c);
                if c.is_empty() || *c == "." || *c == ".." {
                    continue;
                }
                let last = comps[i + 1..].iter().all(|c| c.is_empty());
                let m = if last { 0o777 } else { 0o777 & !umask | 0o300 };
                match task.mkdir(&prefix, m) {
                    Ok(()) => {
                        if !last && umask & 0o300 != 0 {
                            let _ = task.chmod(&prefix, m);
                        }
                        say(&prefix);
                        if last && let Some(em) = explicit {
                            let _ = task.chmod(&prefix, em);
                        }
                    }
                    Err(Errno::EEXIST) if util::path::is_dir(task, &prefix) => {}
                    Err(e) => {
                        let e = if e == Errno::EEXIST { Errno::ENOTDIR } else { e };
                        let target = if last { d.as_str() } else { prefix.as_str() };
                        util::error(
                            task,
                            NAME,
                            &format!("cannot create directory {}: {}", util::quote(target), e.strerror()),
                        );
                        failed = true;
                        break;
                    }
                }
                if last {
                    break;
                }
            }
            if failed {
                status = 1;
            }
            continue;
        }
        match task.mkdir(d, 0o777) {
            Ok(()) => {
                say(d);
                if let Some(m) = explicit {
                    let _ = task.chmod(d, m);
                }
            }
            Err(e) => {
                util::error(task, NAME, &format!("cannot create directory {}: {}", util::quote(d), e.strerror()));
                status = 1;
            }
        }
    }
    status
}
