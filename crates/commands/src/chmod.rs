//! `chmod [-Rcfv] MODE[,MODE]... FILE...` and `--reference=RFILE`: change
//! permission bits, octal or symbolic.

use agentos_kernel::Task;

use crate::util::{self, mode, path};

const NAME: &str = "chmod";

struct Opts {
    recursive: bool,
    verbose: bool,
    changes: bool,
    quiet: bool,
}

fn looks_like_mode(a: &str) -> bool {
    a.len() > 1 && a.starts_with(['-', '+', '=']) && a[1..].chars().all(|c| "rwxXstugoa,+-=01234567".contains(c))
}

fn apply(task: &Task, o: &Opts, spec: &str, f: &str, reference: Option<u32>, top: bool) -> i32 {
    let st = match if top { task.stat(f) } else { task.lstat(f) } {
        Ok(st) => st,
        Err(e) => {
            if !o.quiet {
                util::error(task, NAME, &format!("cannot access {}: {}", util::quote(f), e.strerror()));
            }
            return 1;
        }
    };
    if st.is_symlink() {
        // Symlinks met during -R are skipped, as GNU does.
        return 0;
    }
    let old = st.perm();
    let new = match reference {
        Some(m) => m,
        None => match mode::apply(spec, old, st.is_dir(), task.get_umask()) {
            Some(m) => m,
            None => {
                util::error(task, NAME, &format!("invalid mode: {}", util::quote(spec)));
                util::try_help(task, NAME);
                return 1;
            }
        },
    };
    let mut status = 0;
    match task.chmod(f, new) {
        Ok(()) => {
            if o.verbose || (o.changes && old != new) {
                let msg = if old == new {
                    format!(
                        "mode of {} retained as {:04o} ({})\n",
                        util::quote(f),
                        new,
                        &util::mode_string(new | (st.mode & !0o7777))[1..]
                    )
                } else {
                    format!(
                        "mode of {} changed from {:04o} ({}) to {:04o} ({})\n",
                        util::quote(f),
                        old,
                        &util::mode_string(st.mode)[1..],
                        new,
                        &util::mode_string(new | (st.mode & !0o7777))[1..]
                    )
                };
                util::out(task, msg.as_bytes());
            }
        }
        Err(e) => {
            if !o.quiet {
                util::error(task, NAME, &format!("changing permissions of {}: {}", util::quote(f), e.strerror()));
            }
            status = 1;
        }
    }
    if o.recursive && st.is_dir() {
        match task.readdir(f) {
            Ok(entries) => {
                for e in entries {
                    status |= apply(task, o, spec, &path::join(f, &e.name), reference, false);
                }
            }
            Err(e) => {
                util::error(task, NAME, &format!("cannot read directory {}: {}", util::quote(f), e.strerror()));
                status = 1;
            }
        }
    }
    status
}

pub fn main(task: &mut Task) -> i32 {
    let mut o = Opts { recursive: false, verbose: false, changes: false, quiet: false };
    let mut spec: Option<String> = None;
    let mut reference: Option<String> = None;
    let mut files = Vec::new();
    let mut only_operands = false;
    let args = task.argv[1..].to_vec();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if only_operands || a == "-" || !a.starts_with('-') {
            if spec.is_none() && reference.is_none() {
                spec = Some(a.clone());
            } else {
                files.push(a.clone());
            }
            continue;
        }
        if a == "--" {
            only_operands = true;
            continue;
        }
        if looks_like_mode(a) && spec.is_none() && reference.is_none() {
            spec = Some(a.clone());
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match name {
                "recursive" => o.recursive = true,
                "verbose" => o.verbose = true,
                "changes" => o.changes = true,
                "silent" | "quiet" => o.quiet = true,
                "reference" => {
                    reference = val.or_else(|| {
                        i += 1;
                        args.get(i - 1).cloned()
                    })
                }
                "help" => return util::help(task, NAME, "[OPTION]... MODE[,MODE]... FILE..."),
                "no-preserve-root" | "preserve-root" => {}
                _ => return util::usage_error(task, NAME, &format!("unrecognized option '{a}'"), 1),
            }
            continue;
        }
        for c in a[1..].chars() {
            match c {
                'R' => o.recursive = true,
                'v' => o.verbose = true,
                'c' => o.changes = true,
                'f' => o.quiet = true,
                _ => return util::usage_error(task, NAME, &format!("invalid option -- '{c}'"), 1),
            }
        }
    }
    let ref_mode = match &reference {
        Some(r) => match task.stat(r) {
            Ok(st) => Some(st.perm()),
            Err(e) => {
                util::error(task, NAME, &format!("failed to get attributes of {}: {}", util::quote(r), e.strerror()));
                return 1;
            }
        },
        None => None,
    };
    let spec = spec.unwrap_or_default();
    if spec.is_empty() && ref_mode.is_none() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    if files.is_empty() {
        return util::usage_error(task, NAME, &format!("missing operand after {}", util::quote(&spec)), 1);
    }
    if ref_mode.is_none() && mode::apply(&spec, 0, false, 0).is_none() {
        util::error(task, NAME, &format!("invalid mode: {}", util::quote(&spec)));
        util::try_help(task, NAME);
        return 1;
    }
    let mut status = 0;
    for f in &files {
        status |= apply(task, &o, &spec, f, ref_mode, true);
    }
    status
}
