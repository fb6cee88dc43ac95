//! `expand [-i] [-t LIST] [FILE]...` and `unexpand [-a] [-t LIST]
//! [FILE]...`: convert tabs to spaces and back.

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts};

/// Tab stops: a single width, or an explicit ascending list (the last
/// width repeats after a `/N` or `+N` suffix is not supported).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stops(Vec<usize>);

impl Stops {
    pub fn parse(s: &str) -> Result<Stops, String> {
        let mut v = Vec::new();
        for part in s.split([',', ' ']).filter(|x| !x.is_empty()) {
            let n: usize =
                part.parse().map_err(|_| format!("tab size contains invalid character(s): {}", util::quote(part)))?;
            if n == 0 {
                return Err("tab size cannot be 0".into());
            }
            if let Some(&last) = v.last()
                && n <= last
            {
                return Err("tab sizes must be ascending".into());
            }
            v.push(n);
        }
        if v.is_empty() {
            v.push(8);
        }
        Ok(Stops(v))
    }

    /// The next tab stop after column `col`, if any.
    pub fn next(&self, col: usize) -> Option<usize> {
        if self.0.len() == 1 {
            let w = self.0[0];
            return Some((col / w + 1) * w);
        }
        self.0.iter().copied().find(|&s| s > col)
    }
}

pub fn expand_line(line: &[u8], stops: &Stops, initial: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut col = 0;
    let mut leading = true;
    for &c in line {
        match c {
            b'\t' if !initial || leading => {
                let next = stops.next(col).unwrap_or(col + 1);
                out.extend(std::iter::repeat_n(b' ', next - col));
                col = next;
            }
            8 => {
                out.push(c);
                col = col.saturating_sub(1);
            }
            _ => {
                if c != b' ' && c != b'\t' {
                    leading = false;
                }
                out.push(c);
                col += 1;
            }
        }
    }
    out
}

pub fn unexpand_line(line: &[u8], stops: &Stops, all: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut col = 0;
    let mut pending: Vec<u8> = Vec::new();
    let mut pending_start = 0;
    let mut leading = true;
    for &c in line {
        if (c == b' ' || c == b'\t') && (all || leading) {
            if pending.is_empty() {
                pending_start = col;
            }
            let next = if c == b'\t' { stops.next(col).unwrap_or(col + 1) } else { col + 1 };
            pending.push(c);
            col = next;
            if stops.next(pending_start).is_some_and(|s| s == col) || c == b'\t' {
                if pending.len() > 1 || c == b'\t' {
                    out.push(b'\t');
                } else {
                    out.push(b' ');
                }
                pending.clear();
            }
            continue;
        }
        out.append(&mut pending);
        leading = false;
        out.push(c);
        col = if c == 8 { col.saturating_sub(1) } else { col + 1 };
    }
    out.append(&mut pending);
    out
}

fn run(task: &mut Task, name: &str, unexpand: bool) -> i32 {
    const LONG: &[(&str, Arg, char)] = &[
        ("tabs", Arg::Req, 't'),
        ("initial", Arg::No, 'i'),
        ("all", Arg::No, 'a'),
        ("first-only", Arg::No, 'f'),
        ("help", Arg::No, 'H'),
    ];
    let mut args = task.argv[1..].to_vec();
    for a in args.iter_mut() {
        if a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit() || b == b',') {
            *a = format!("-t{}", &a[1..]);
        }
    }
    let short = if unexpand { "at:" } else { "it:" };
    let p = match opts::parse(&Spec::new(short, LONG), &args) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, name, &m, 1),
    };
    if p.has('H') {
        return util::help(task, name, "[OPTION]... [FILE]...");
    }
    let stops = match Stops::parse(&p.all('t').join(",")) {
        Ok(s) => s,
        Err(m) => {
            util::error(task, name, &m);
            return 1;
        }
    };
    let all = p.has('a') || (p.has('t') && !p.has('f'));
    let task: &Task = task;
    let mut w = task.stdout();
    let insensitive = p.has('i');
    util::input::for_each_line(task, name, &p.operands, &mut w, |w, body, nl| {
        let out = if unexpand { unexpand_line(body, &stops, all) } else { expand_line(body, &stops, insensitive) };
        let _ = w.write_all(&out);
        if nl {
            let _ = w.write_all(b"\n");
        }
    })
}

pub fn main(task: &mut Task) -> i32 {
    run(task, "expand", false)
}

pub fn unexpand_main(task: &mut Task) -> i32 {
    run(task, "unexpand", true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs() {
        let s8 = Stops::parse("").unwrap();
        let s4 = Stops::parse("4").unwrap();
        assert_eq!(expand_line(b"a\tb\tc", &s8, false), b"a       b       c");
        assert_eq!(expand_line(b"a\tb", &s4, false), b"a   b");
        assert_eq!(expand_line(b"\tx", &Stops::parse("2").unwrap(), false), b"  x");
        assert_eq!(unexpand_line(b"        x", &s8, false), b"\tx");
        assert_eq!(unexpand_line(b"a       b", &s8, true), b"a\tb");
        assert_eq!(unexpand_line(b"a       b", &s8, false), b"a       b");
        assert_eq!(unexpand_line(b"abcdefg b", &s8, true), b"abcdefg b");
        assert_eq!(Stops::parse("3,2"), Err("tab sizes must be ascending".into()));
    }
}
