//! `mv [-finTuv] [-t DIR] SOURCE... DEST`: rename files, falling back to
//! copy-and-remove when the rename crosses filesystems (`EXDEV`).

use agentos_kernel::{Errno, Task};

use crate::cp::{Copier, targets};
use crate::util::{self, Arg, Input, Spec, opts, path};

const NAME: &str = "mv";

const LONG: &[(&str, Arg, char)] = &[
    ("force", Arg::No, 'f'),
    ("interactive", Arg::No, 'i'),
    ("no-clobber", Arg::No, 'n'),
    ("verbose", Arg::No, 'v'),
    ("no-target-directory", Arg::No, 'T'),
    ("target-directory", Arg::Req, 't'),
    ("update", Arg::Opt, 'u'),
    ("help", Arg::No, 'H'),
];

fn remove_tree(task: &Task, p: &str) -> Result<(), Errno> {
    let st = task.lstat(p)?;
    if st.is_dir() {
        for e in task.readdir(p)? {
            remove_tree(task, &path::join(p, &e.name))?;
        }
        task.rmdir(p)
    } else {
        task.unlink(p)
    }
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("bfinSt:TuvZ", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [-T] SOURCE DEST");
    }
    let (mut interactive, mut no_clobber) = (false, false);
    for (c, _) in &p.opts {
        match c {
            'i' => (interactive, no_clobber) = (true, false),
            'n' => (interactive, no_clobber) = (false, true),
            'f' => (interactive, no_clobber) = (false, false),
            _ => {}
        }
    }
    let verbose = p.has('v');
    let update = p.has('u');
    let Some((srcs, dst, into_dir)) = targets(task, NAME, &p.operands, p.last('t'), p.has('T')) else {
        return 1;
    };
    let mut status = 0;
    for s in &srcs {
        let d = if into_dir { path::join(&dst, path::basename(s)) } else { dst.clone() };
        let st = match task.lstat(s) {
            Ok(st) => st,
            Err(e) => {
                util::error(task, NAME, &format!("cannot stat {}: {}", util::quote(s), e.strerror()));
                status = 1;
                continue;
            }
        };
        if let Ok(dst_st) = task.lstat(&d) {
            if dst_st.dev == st.dev && dst_st.ino == st.ino {
                util::error(task, NAME, &format!("{} and {} are the same file", util::quote(s), util::quote(&d)));
                status = 1;
                continue;
            }
            if no_clobber {
                continue;
            }
            if update && dst_st.mtime >= st.mtime {
                continue;
            }
            if interactive {
                let _ = task.write_all(2, format!("{NAME}: overwrite {}? ", util::quote(&d)).as_bytes());
                let yes =
                    matches!(Input::fd(task, 0).line(), Ok(Some(l)) if matches!(l.first(), Some(b'y') | Some(b'Y')));
                if !yes {
                    continue;
                }
            }
            if dst_st.is_dir() && !st.is_dir() {
                util::error(task, NAME, &format!("cannot overwrite directory {} with non-directory", util::quote(&d)));
                status = 1;
                continue;
            }
            if !dst_st.is_dir() && st.is_dir() {
                util::error(
                    task,
                    NAME,
                    &format!("cannot overwrite non-directory {} with directory {}", util::quote(&d), util::quote(s)),
                );
                status = 1;
                continue;
            }
        }
        match task.rename(s, &d) {
            Ok(()) => {
                if verbose {
                    util::out(task, format!("renamed {} -> {}\n", util::quote(s), util::quote(&d)).as_bytes());
                }
            }
            Err(Errno::EXDEV) => {
                let c = Copier {
                    name: NAME,
                    recursive: true,
                    preserve_mode: true,
                    preserve_times: true,
                    preserve_owner: true,
                    force: true,
                    verbose,
                    for_mv: true,
                    ..Default::default()
                };
                if task.lstat(&d).is_ok_and(|x| x.is_dir()) && st.is_dir() {
                    let _ = remove_tree(task, &d);
                }
                if !c.copy(task, s, &d, true) {
                    status = 1;
                    continue;
                }
                if let Err(e) = remove_tree(task, s) {
                    util::error(task, NAME, &format!("cannot remove {}: {}", util::quote(s), e.strerror()));
                    status = 1;
                }
            }
            Err(Errno::EINVAL) if st.is_dir() => {
                util::error(
                    task,
                    NAME,
                    &format!("cannot move {} to a subdirectory of itself, {}", util::quote(s), util::quote(&d)),
                );
                status = 1;
            }
            Err(e) => {
                util::error(
                    task,
                    NAME,
                    &format!("cannot move {} to {}: {}", util::quote(s), util::quote(&d), e.strerror()),
                );
                status = 1;
            }
        }
    }
    status
}
