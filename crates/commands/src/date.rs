//! `date [-u] [-d STRING] [-r FILE] [-I[FMT]] [-R] [+FORMAT]`: print the
//! VM's time (`task.now()`). Every `TZ` is treated as UTC: the VM has no
//! time-zone database, and the suites run with `TZ=UTC`.

use agentos_kernel::Task;
use agentos_kernel::abi::Timespec;

use crate::util::{self, Arg, Spec, opts, time};

const NAME: &str = "date";

const LONG: &[(&str, Arg, char)] = &[
    ("date", Arg::Req, 'd'),
    ("utc", Arg::No, 'u'),
    ("universal", Arg::No, 'u'),
    ("reference", Arg::Req, 'r'),
    ("iso-8601", Arg::Opt, 'I'),
    ("rfc-email", Arg::No, 'R'),
    ("rfc-3339", Arg::Req, '\u{1}'),
    ("set", Arg::Req, 's'),
    ("help", Arg::No, 'H'),
];

/// The `-I` formats.
pub fn iso_format(spec: Option<&str>) -> Option<&'static str> {
    Some(match spec.unwrap_or("date") {
        "date" | "d" => "%Y-%m-%d",
        "hours" | "h" => "%Y-%m-%dT%H%:z",
        "minutes" | "m" => "%Y-%m-%dT%H:%M%:z",
        "seconds" | "s" => "%Y-%m-%dT%H:%M:%S%:z",
        "ns" | "n" => "%Y-%m-%dT%H:%M:%S,%N%:z",
        _ => return None,
    })
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("d:ur:I::Rs:", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [+FORMAT]");
    }
    if p.has('s') {
        util::error(task, NAME, "cannot set date: Operation not permitted");
        return 1;
    }
    let now = task.now();
    let mut t: Timespec = now;
    if let Some(d) = p.last('d') {
        match time::parse_date(d, now) {
            Some(x) => t = x,
            None => {
                util::error(task, NAME, &format!("invalid date {}", util::quote(d)));
                return 1;
            }
        }
    }
    if let Some(r) = p.last('r') {
        match task.stat(r) {
            Ok(st) => t = st.mtime,
            Err(e) => {
                util::error_file(task, NAME, r, e);
                return 1;
            }
        }
    }
    let mut fmt = "%a %b %e %H:%M:%S %Z %Y".to_string();
    if p.has('I') {
        match iso_format(p.last('I')) {
            Some(f) => fmt = f.into(),
            None => {
                util::error(
                    task,
                    NAME,
                    &format!("invalid argument {} for '--iso-8601'", util::quote(p.last('I').unwrap_or(""))),
                );
                return 1;
            }
        }
    }
    if p.has('R') {
        fmt = "%a, %d %b %Y %H:%M:%S %z".into();
    }
    if let Some(r) = p.last('\u{1}') {
        fmt = match r {
            "date" => "%Y-%m-%d",
            "seconds" => "%Y-%m-%d %H:%M:%S%:z",
            "ns" => "%Y-%m-%d %H:%M:%S.%N%:z",
            _ => {
                util::error(task, NAME, &format!("invalid argument {} for '--rfc-3339'", util::quote(r)));
                return 1;
            }
        }
        .into();
    }
    for o in &p.operands {
        match o.strip_prefix('+') {
            Some(f) => fmt = f.to_string(),
            None => {
                util::error(task, NAME, &format!("invalid date {}", util::quote(o)));
                return 1;
            }
        }
    }
    if p.operands.len() > 1 {
        return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(&p.operands[1])), 1);
    }
    util::out(task, format!("{}\n", time::strftime(&fmt, t)).as_bytes());
    0
}
