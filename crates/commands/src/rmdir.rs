//! `rmdir [-pv] [--ignore-fail-on-non-empty] DIRECTORY...`: remove empty
//! directories; `-p` also removes each parent named in the path.

use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "rmdir";

const LONG: &[(&str, Arg, char)] = &[
    ("parents", Arg::No, 'p'),
    ("verbose", Arg::No, 'v'),
    ("ignore-fail-on-non-empty", Arg::No, 'i'),
    ("help", Arg::No, 'H'),
];

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("pv", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... DIRECTORY...");
    }
    if p.operands.is_empty() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    let ignore = p.has('i');
    let mut status = 0;
    for d in &p.operands {
        let mut cur = d.trim_end_matches('/').to_string();
        if cur.is_empty() {
            cur = d.clone();
        }
        let mut first = true;
        loop {
            if p.has('v') {
                util::out(task, format!("{NAME}: removing directory, {}\n", util::quote(&cur)).as_bytes());
            }
            match task.rmdir(&cur) {
                Ok(()) => {}
                Err(e) => {
                    if !(ignore && (e == Errno::ENOTEMPTY || e == Errno::EEXIST)) {
                        let what = if first { "" } else { "directory " };
                        let msg = format!("failed to remove {what}{}: {}", util::quote(&cur), e.strerror());
                        util::error(task, NAME, &msg);
                        status = 1;
                    }
                    break;
                }
            }
            if !p.has('p') {
                break;
            }
            first = false;
            match cur.rfind('/') {
                Some(i) if i > 0 => cur = cur[..i].trim_end_matches('/').to_string(),
                _ => break,
            }
            if cur.is_empty() {
                break;
            }
        }
    }
    status
}
