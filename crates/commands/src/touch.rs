//! `touch [-acm] [-d DATE|-t STAMP|-r FILE] FILE...`: update timestamps,
//! creating missing files unless `-c`.

use agentos_kernel::abi::{OFlags, TimeSet, Timespec};
use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Spec, opts, time};

const NAME: &str = "touch";

const LONG: &[(&str, Arg, char)] = &[
    ("no-create", Arg::No, 'c'),
    ("date", Arg::Req, 'd'),
    ("reference", Arg::Req, 'r'),
    ("time", Arg::Req, '\u{1}'),
    ("no-dereference", Arg::No, 'h'),
    ("help", Arg::No, 'H'),
];

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("acd:fhmr:t:", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... FILE...");
    }
    let mut only_a = p.has('a');
    let mut only_m = p.has('m');
    match p.last('\u{1}') {
        Some("atime") | Some("access") | Some("use") => only_a = true,
        Some("mtime") | Some("modify") => only_m = true,
        _ => {}
    }
    let (set_a, set_m) = if only_a || only_m { (only_a, only_m) } else { (true, true) };
    let now = task.now();
    let mut times: Option<(Timespec, Timespec)> = None;
    if let Some(r) = p.last('r') {
        match task.stat(r) {
            Ok(st) => times = Some((st.atime, st.mtime)),
            Err(e) => {
                util::error(task, NAME, &format!("failed to get attributes of {}: {}", util::quote(r), e.strerror()));
                return 1;
            }
        }
    }
    if let Some(d) = p.last('d') {
        match time::parse_date(d, now) {
            Some(t) => times = Some((t, t)),
            None => {
                util::error(task, NAME, &format!("invalid date format {}", util::quote(d)));
                return 1;
            }
        }
    }
    if let Some(t) = p.last('t') {
        match time::parse_touch_stamp(t, now) {
            Some(t) => times = Some((t, t)),
            None => {
                util::error(task, NAME, &format!("invalid date format {}", util::quote(t)));
                return 1;
            }
        }
    }
    if p.operands.is_empty() {
        return util::usage_error(task, NAME, "missing file operand", 1);
    }
    let follow = !p.has('h');
    let (a, m) = match times {
        Some((a, m)) => (TimeSet::At(a), TimeSet::At(m)),
        None => (TimeSet::Now, TimeSet::Now),
    };
    let a = if set_a { a } else { TimeSet::Omit };
    let m = if set_m { m } else { TimeSet::Omit };
    let mut status = 0;
    for f in &p.operands {
        if f == "-" {
            continue;
        }
        let r = match task.utimens(f, a, m, follow) {
            Err(Errno::ENOENT) if !p.has('c') && follow => {
                match task.open(f, OFlags::WRONLY | OFlags::CREAT | OFlags::NONBLOCK | OFlags::NOCTTY, 0o666) {
                    Ok(fd) => {
                        let _ = task.close(fd);
                        if times.is_some() { task.utimens(f, a, m, follow) } else { Ok(()) }
                    }
                    Err(e) => Err(e),
                }
            }
            Err(Errno::ENOENT) if p.has('c') => Ok(()),
            r => r,
        };
        if let Err(e) = r {
            util::error(task, NAME, &format!("cannot touch {}: {}", util::quote(f), e.strerror()));
            status = 1;
        }
    }
    status
}
