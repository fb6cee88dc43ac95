//! `ln [-s] [-f] [-n] [-T] [-v] [-r] TARGET... [LINK|DIR]`: make hard or
//! symbolic links.

use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Spec, opts, path};

const NAME: &str = "ln";

const LONG: &[(&str, Arg, char)] = &[
    ("symbolic", Arg::No, 's'),
    ("force", Arg::No, 'f'),
    ("no-dereference", Arg::No, 'n'),
    ("no-target-directory", Arg::No, 'T'),
    ("target-directory", Arg::Req, 't'),
    ("verbose", Arg::No, 'v'),
    ("relative", Arg::No, 'r'),
    ("interactive", Arg::No, 'i'),
    ("logical", Arg::No, 'L'),
    ("physical", Arg::No, 'P'),
    ("help", Arg::No, 'H'),
];

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("sfnTt:vriLPb", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [-T] TARGET LINK_NAME");
    }
    let (sym, force, noderef, verbose, relative) = (p.has('s'), p.has('f'), p.has('n'), p.has('v'), p.has('r'));
    let ops = &p.operands;
    // Pairs of (target, link name).
    let pairs: Vec<(String, String)> = if let Some(dir) = p.last('t') {
        ops.iter().map(|t| (t.clone(), path::join(dir, path::basename(t)))).collect()
    } else {
        match ops.len() {
            0 => return util::usage_error(task, NAME, "missing file operand", 1),
            1 => vec![(ops[0].clone(), path::basename(&ops[0]).to_string())],
            n => {
                let dst = &ops[n - 1];
                let dst_is_dir = !p.has('T')
                    && if noderef {
                        task.lstat(dst).map(|s| s.is_dir()).unwrap_or(false)
                    } else {
                        path::is_dir(task, dst)
                    };
                if n > 2 && !dst_is_dir {
                    if p.has('T') {
                        return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(&ops[2])), 1);
                    }
                    let e = task.stat(dst).err().unwrap_or(Errno::ENOTDIR);
                    util::error(task, NAME, &format!("target {}: {}", util::quote(dst), e.strerror()));
                    return 1;
                }
                if dst_is_dir {
                    ops[..n - 1].iter().map(|t| (t.clone(), path::join(dst, path::basename(t)))).collect()
                } else {
                    vec![(ops[0].clone(), dst.clone())]
                }
            }
        }
    };
    let mut status = 0;
    for (target, link) in pairs {
        if !sym && let Err(e) = task.lstat(&target) {
            util::error(task, NAME, &format!("failed to access {}: {}", util::quote(&target), e.strerror()));
            status = 1;
            continue;
        }
        let target_text = if sym && relative {
            let abs_t = path::canonicalize(task, &target, path::Canon::Missing).unwrap_or(target.clone());
            let dir = path::canonicalize(task, path::dirname(&link), path::Canon::Missing).unwrap_or_default();
            path::relative(&dir, &abs_t)
        } else {
            target.clone()
        };
        if force && let Ok(st) = task.lstat(&link) {
            if st.is_dir() {
                util::error(task, NAME, &format!("{}: cannot overwrite directory", util::quote(&link)));
                status = 1;
                continue;
            }
            if !sym
                && let (Ok(a), Ok(b)) = (task.lstat(&target), Ok::<_, Errno>(st.clone()))
                && a.ino == b.ino
                && a.dev == b.dev
            {
                util::error(
                    task,
                    NAME,
                    &format!("{} and {} are the same file", util::quote(&target), util::quote(&link)),
                );
                status = 1;
                continue;
            }
            let _ = task.unlink(&link);
        }
        let r = if sym { task.symlink(&target_text, &link) } else { task.link(&target, &link) };
        match r {
            Ok(()) => {
                if verbose {
                    let arrow = if sym { "->" } else { "=>" };
                    util::out(
                        task,
                        format!("{} {arrow} {}\n", util::quote(&link), util::quote(&target_text)).as_bytes(),
                    );
                }
            }
            Err(e) => {
                let msg = if sym {
                    format!("failed to create symbolic link {}: {}", util::quote(&link), e.strerror())
                } else if e == Errno::EEXIST {
                    format!("failed to create hard link {}: {}", util::quote(&link), e.strerror())
                } else {
                    format!(
                        "failed to create hard link {} => {}: {}",
                        util::quote(&link),
                        util::quote(&target),
                        e.strerror()
                    )
                };
                util::error(task, NAME, &msg);
                status = 1;
            }
        }
    }
    status
}
