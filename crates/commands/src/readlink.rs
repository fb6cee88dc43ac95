//! `readlink [-f|-e|-m] [-n] [-z] FILE...` and `realpath [-e|-m] [-s]
//! [--relative-to=DIR] [--relative-base=DIR] FILE...`.

use agentos_kernel::Task;

use crate::util::{
    self, Arg, Spec, opts,
    path::{self, Canon},
};

pub fn main(task: &mut Task) -> i32 {
    const NAME: &str = "readlink";
    const LONG: &[(&str, Arg, char)] = &[
        ("canonicalize", Arg::No, 'f'),
        ("canonicalize-existing", Arg::No, 'e'),
        ("canonicalize-missing", Arg::No, 'm'),
        ("no-newline", Arg::No, 'n'),
        ("quiet", Arg::No, 'q'),
        ("silent", Arg::No, 's'),
        ("verbose", Arg::No, 'v'),
        ("zero", Arg::No, 'z'),
        ("help", Arg::No, 'H'),
    ];
    let p = match opts::parse(&Spec::new("femnqsvz", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... FILE...");
    }
    if p.operands.is_empty() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    let mode = p.opts.iter().rev().find_map(|(c, _)| match c {
        'f' => Some(Canon::AllButLast),
        'e' => Some(Canon::Existing),
        'm' => Some(Canon::Missing),
        _ => None,
    });
    let verbose = p.opts.iter().rev().find_map(|(c, _)| match c {
        'v' => Some(true),
        'q' | 's' => Some(false),
        _ => None,
    }) == Some(true);
    let mut no_newline = p.has('n');
    if no_newline && p.operands.len() > 1 {
        util::error(task, NAME, "ignoring --no-newline with multiple arguments");
        no_newline = false;
    }
    let term = if p.has('z') {
        "\0"
    } else if no_newline {
        ""
    } else {
        "\n"
    };
    let mut status = 0;
    let mut out = String::new();
    for f in &p.operands {
        let r = match mode {
            Some(m) => path::canonicalize(task, f, m),
            None => task.readlink(f),
        };
        match r {
            Ok(s) => {
                out.push_str(&s);
                out.push_str(term);
            }
            Err(e) => {
                if verbose {
                    util::error_file(task, NAME, f, e);
                }
                status = 1;
            }
        }
    }
    util::out(task, out.as_bytes());
    status
}

pub fn realpath_main(task: &mut Task) -> i32 {
    const NAME: &str = "realpath";
    const LONG: &[(&str, Arg, char)] = &[
        ("canonicalize-existing", Arg::No, 'e'),
        ("canonicalize-missing", Arg::No, 'm'),
        ("logical", Arg::No, 'L'),
        ("physical", Arg::No, 'P'),
        ("quiet", Arg::No, 'q'),
        ("relative-to", Arg::Req, '\u{1}'),
        ("relative-base", Arg::Req, '\u{2}'),
        ("strip", Arg::No, 's'),
        ("no-symlinks", Arg::No, 's'),
        ("zero", Arg::No, 'z'),
        ("help", Arg::No, 'H'),
    ];
    let p = match opts::parse(&Spec::new("emLPqsz", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... FILE...");
    }
    if p.operands.is_empty() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    let mode = if p.has('e') {
        Canon::Existing
    } else if p.has('m') {
        Canon::Missing
    } else {
        Canon::AllButLast
    };
    let strip = p.has('s');
    let resolve = |f: &str, m: Canon| -> Result<String, agentos_kernel::Errno> {
        if strip {
            let abs = util::path::absolute(task, f);
            let norm = agentos_kernel::vfs::normalize(&abs);
            if m == Canon::Existing {
                task.lstat(&norm)?;
            }
            Ok(norm)
        } else {
            path::canonicalize(task, f, m)
        }
    };
    let rel_to = match p.last('\u{1}').map(|d| resolve(d, mode)) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            util::error_file(task, NAME, p.last('\u{1}').unwrap_or(""), e);
            return 1;
        }
    };
    let rel_base = match p.last('\u{2}').map(|d| resolve(d, mode)) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            util::error_file(task, NAME, p.last('\u{2}').unwrap_or(""), e);
            return 1;
        }
    };
    let term = if p.has('z') { "\0" } else { "\n" };
    let mut status = 0;
    let mut out = String::new();
    for f in &p.operands {
        match resolve(f, mode) {
            Ok(r) => {
                let within = |base: &str, x: &str| base == "/" || x == base || x.starts_with(&format!("{base}/"));
                let shown = match (&rel_to, &rel_base) {
                    (Some(to), Some(base)) if within(base, &r) && within(base, to) => path::relative(to, &r),
                    (Some(_), Some(_)) => r,
                    (Some(to), None) => path::relative(to, &r),
                    (None, Some(base)) if within(base, &r) => path::relative(base, &r),
                    _ => r,
                };
                out.push_str(&shown);
                out.push_str(term);
            }
            Err(e) => {
                util::out(task, out.as_bytes());
                out.clear();
                if !p.has('q') {
                    util::error_file(task, NAME, f, e);
                }
                status = 1;
            }
        }
    }
    util::out(task, out.as_bytes());
    status
}
