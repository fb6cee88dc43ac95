//! `truncate [-c] [-o] -s [+-<>/%]SIZE | -r FILE FILE...`: shrink or
//! extend files.

use agentos_kernel::abi::OFlags;
use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Spec, opts, size};

const NAME: &str = "truncate";

const LONG: &[(&str, Arg, char)] = &[
    ("no-create", Arg::No, 'c'),
    ("io-blocks", Arg::No, 'o'),
    ("reference", Arg::Req, 'r'),
    ("size", Arg::Req, 's'),
    ("help", Arg::No, 'H'),
];

/// A size adjustment: `(operator, amount)`.
pub fn parse_adjust(s: &str) -> Option<(char, u64)> {
    let (op, rest) = match s.chars().next()? {
        c @ ('+' | '-' | '<' | '>' | '/' | '%') => (c, &s[1..]),
        _ => ('=', s),
    };
    Some((op, size::parse_size(rest)?))
}

pub fn apply(op: char, n: u64, cur: u64) -> Option<u64> {
    Some(match op {
        '+' => cur.checked_add(n)?,
        '-' => cur.saturating_sub(n),
        '<' => cur.min(n),
        '>' => cur.max(n),
        '/' => {
            if n == 0 {
                return None;
            }
            cur / n * n
        }
        '%' => {
            if n == 0 {
                return None;
            }
            cur.div_ceil(n) * n
        }
        _ => n,
    })
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("cor:s:", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "OPTION... FILE...");
    }
    let adjust = match p.last('s') {
        Some(s) => match parse_adjust(s) {
            Some(a) => Some(a),
            None => {
                util::error(task, NAME, &format!("Invalid number: {}", util::quote(s)));
                return 1;
            }
        },
        None => None,
    };
    let reference = match p.last('r') {
        Some(r) => match task.stat(r) {
            Ok(st) => Some(st.size),
            Err(e) => {
                util::error(task, NAME, &format!("cannot stat {}: {}", util::quote(r), e.strerror()));
                return 1;
            }
        },
        None => None,
    };
    if adjust.is_none() && reference.is_none() {
        return util::usage_error(task, NAME, "you must specify either '--size' or '--reference'", 1);
    }
    if p.operands.is_empty() {
        return util::usage_error(task, NAME, "missing file operand", 1);
    }
    let mut status = 0;
    for f in &p.operands {
        let cur = match task.stat(f) {
            Ok(st) => st.size,
            Err(Errno::ENOENT) if p.has('c') => continue,
            Err(Errno::ENOENT) => match task.open(f, OFlags::WRONLY | OFlags::CREAT, 0o666) {
                Ok(fd) => {
                    let _ = task.close(fd);
                    0
                }
                Err(e) => {
                    util::error(task, NAME, &format!("cannot open {} for writing: {}", util::quote(f), e.strerror()));
                    status = 1;
                    continue;
                }
            },
            Err(e) => {
                util::error(task, NAME, &format!("cannot open {} for writing: {}", util::quote(f), e.strerror()));
                status = 1;
                continue;
            }
        };
        let base = reference.unwrap_or(cur);
        let new = match adjust {
            Some((op, n)) => apply(op, n, if reference.is_some() && op != '=' { base } else { cur }),
            None => Some(base),
        };
        let Some(new) = new else {
            util::error(task, NAME, "division by zero");
            return 1;
        };
        if let Err(e) = task.truncate(f, new) {
            util::error(task, NAME, &format!("failed to truncate {} at {new} bytes: {}", util::quote(f), e.strerror()));
            status = 1;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjustments() {
        assert_eq!(parse_adjust("10"), Some(('=', 10)));
        assert_eq!(parse_adjust("+5K"), Some(('+', 5120)));
        assert_eq!(apply('-', 3, 15), Some(12));
        assert_eq!(apply('-', 30, 15), Some(0));
        assert_eq!(apply('%', 4, 5), Some(8));
        assert_eq!(apply('/', 4, 5), Some(4));
        assert_eq!(apply('<', 4, 5), Some(4));
        assert_eq!(parse_adjust("x"), None);
    }
}
