//! `uniq [-cdDiuz] [-f N] [-s N] [-w N] [INPUT [OUTPUT]]`: collapse runs
//! of adjacent equal lines.

use std::io::Write;

use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "uniq";

const LONG: &[(&str, Arg, char)] = &[
    ("count", Arg::No, 'c'),
    ("repeated", Arg::No, 'd'),
    ("all-repeated", Arg::Opt, 'D'),
    ("ignore-case", Arg::No, 'i'),
    ("unique", Arg::No, 'u'),
    ("skip-fields", Arg::Req, 'f'),
    ("skip-chars", Arg::Req, 's'),
    ("check-chars", Arg::Req, 'w'),
    ("zero-terminated", Arg::No, 'z'),
    ("group", Arg::Opt, '\u{1}'),
    ("help", Arg::No, 'H'),
];

/// What part of a line is compared.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cmp {
    pub skip_fields: usize,
    pub skip_chars: usize,
    pub check: Option<usize>,
    pub fold: bool,
}

impl Cmp {
    pub fn key<'a>(&self, line: &'a [u8]) -> &'a [u8] {
        let mut p = 0;
        for _ in 0..self.skip_fields {
            while p < line.len() && (line[p] == b' ' || line[p] == b'\t') {
                p += 1;
            }
            while p < line.len() && line[p] != b' ' && line[p] != b'\t' {
                p += 1;
            }
        }
        p = (p + self.skip_chars).min(line.len());
        let end = match self.check {
            Some(w) => (p + w).min(line.len()),
            None => line.len(),
        };
        &line[p..end]
    }

    pub fn equal(&self, a: &[u8], b: &[u8]) -> bool {
        let (x, y) = (self.key(a), self.key(b));
        if self.fold { x.eq_ignore_ascii_case(y) } else { x == y }
    }
}

fn num(task: &Task, v: Option<&str>, what: &str) -> Result<usize, i32> {
    let s = v.unwrap_or("");
    s.parse::<usize>().map_err(|_| {
        util::error(task, NAME, &format!("{}: invalid number of {what}", s));
        1
    })
}

pub fn main(task: &mut Task) -> i32 {
    let args = task.argv[1..].to_vec();
    let p = match opts::parse(&Spec::new("cdD::iuf:s:w:z", LONG), &args) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [INPUT [OUTPUT]]");
    }
    let mut cmp = Cmp { fold: p.has('i'), ..Default::default() };
    for (c, v) in &p.opts {
        let r = match c {
            'f' => num(task, v.as_deref(), "fields to skip").map(|n| cmp.skip_fields = n),
            's' => num(task, v.as_deref(), "bytes to skip").map(|n| cmp.skip_chars = n),
            'w' => num(task, v.as_deref(), "bytes to compare").map(|n| cmp.check = Some(n)),
            _ => Ok(()),
        };
        if let Err(code) = r {
            return code;
        }
    }
    if p.operands.len() > 2 {
        return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(&p.operands[2])), 1);
    }
    let (count, dups, all_dups, uniques) = (p.has('c'), p.has('d'), p.has('D'), p.has('u'));
    let delim = if p.has('z') { 0 } else { b'\n' };
    let input_name = p.operands.first().cloned().unwrap_or_else(|| "-".into());
    let mut input = match Input::open(task, &input_name) {
        Ok(i) => i,
        Err(e) => {
            util::error_file(task, NAME, &input_name, e);
            return 1;
        }
    };
    let out_fd = match p.operands.get(1) {
        Some(o) if o != "-" => match task.open(o, OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC, 0o666) {
            Ok(fd) => fd,
            Err(e) => {
                util::error_file(task, NAME, o, e);
                return 1;
            }
        },
        _ => 1,
    };
    let task: &Task = task;
    let mut w = std::io::BufWriter::new(task.writer(out_fd));
    let mut group: Vec<Vec<u8>> = Vec::new();
    let flush = |group: &mut Vec<Vec<u8>>, w: &mut dyn Write| {
        if group.is_empty() {
            return;
        }
        let n = group.len();
        let show = (!dups && !uniques && !all_dups) || (dups && n > 1) || (all_dups && n > 1) || (uniques && n == 1);
        if show {
            let lines: &[Vec<u8>] = if all_dups { group } else { &group[..1] };
            for l in lines {
                if count {
                    let _ = write!(w, "{n:>7} ");
                }
                let _ = w.write_all(l);
                let _ = w.write_all(&[delim]);
            }
        }
        group.clear();
    };
    let mut status = 0;
    loop {
        let mut line = Vec::new();
        match input.read_until(delim, &mut line) {
            Ok(false) => break,
            Ok(true) => {}
            Err(_) => {
                // GNU names no cause here.
                util::error(task, NAME, &format!("error reading {}", util::quote(&input_name)));
                status = 1;
                break;
            }
        }
        if line.last() == Some(&delim) {
            line.pop();
        }
        if let Some(first) = group.first()
            && !cmp.equal(first, &line)
        {
            flush(&mut group, &mut w);
        }
        group.push(line);
    }
    flush(&mut group, &mut w);
    let r = util::finish(task, NAME, &mut w, status);
    drop(w);
    if out_fd != 1 {
        let _ = task.close(out_fd);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        let c = Cmp { skip_fields: 1, ..Default::default() };
        assert!(c.equal(b"1 x", b"2 x"));
        assert!(!c.equal(b"1 x", b"3 y"));
        let c = Cmp { skip_chars: 1, ..Default::default() };
        assert!(c.equal(b"ax", b"bx"));
        let c = Cmp { check: Some(2), fold: true, ..Default::default() };
        assert!(c.equal(b"ABc", b"abd"));
    }
}
