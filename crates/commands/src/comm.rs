//! `comm [-123] [--output-delimiter=STR] FILE1 FILE2`: compare two sorted
//! files line by line, in three columns.

use std::cmp::Ordering;
use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "comm";

const LONG: &[(&str, Arg, char)] = &[
    ("output-delimiter", Arg::Req, 'd'),
    ("check-order", Arg::No, 'c'),
    ("nocheck-order", Arg::No, 'n'),
    ("total", Arg::No, 't'),
    ("zero-terminated", Arg::No, 'z'),
    ("help", Arg::No, 'H'),
];

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("123z", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... FILE1 FILE2");
    }
    match p.operands.len() {
        0 => return util::usage_error(task, NAME, "missing operand", 1),
        1 => {
            return util::usage_error(task, NAME, &format!("missing operand after {}", util::quote(&p.operands[0])), 1);
        }
        2 => {}
        _ => return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(&p.operands[2])), 1),
    }
    let eol = if p.has('z') { 0 } else { b'\n' };
    let mut data = Vec::new();
    for f in &p.operands {
        match Input::open(task, f).and_then(|mut i| i.read_all()) {
            Ok(d) => data.push(util::input::split_records(&d, eol).0),
            Err(e) => {
                util::error_file(task, NAME, f, e);
                return 1;
            }
        }
    }
    let show = [!p.has('1'), !p.has('2'), !p.has('3')];
    let delim = p.last('d').unwrap_or("\t").as_bytes().to_vec();
    let delim = if delim.is_empty() { vec![0] } else { delim };
    let task: &Task = task;
    let mut w = task.stdout();
    let (a, b) = (&data[0], &data[1]);
    let (mut i, mut j) = (0, 0);
    let mut totals = [0u64; 3];
    let mut emit = |w: &mut dyn Write, col: usize, line: &[u8]| {
        totals[col] += 1;
        if !show[col] {
            return;
        }
        let indent = show[..col].iter().filter(|x| **x).count();
        for _ in 0..indent {
            let _ = w.write_all(&delim);
        }
        let _ = w.write_all(line);
        let _ = w.write_all(&[eol]);
    };
    while i < a.len() || j < b.len() {
        let ord = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match ord {
            Ordering::Less => {
                emit(&mut w, 0, &a[i]);
                i += 1;
            }
            Ordering::Greater => {
                emit(&mut w, 1, &b[j]);
                j += 1;
            }
            Ordering::Equal => {
                emit(&mut w, 2, &a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    if p.has('t') {
        let d = String::from_utf8_lossy(&delim).into_owned();
        let _ = writeln!(w, "{}{d}{}{d}{}{d}total", totals[0], totals[1], totals[2]);
    }
    util::finish(task, NAME, &mut w, 0)
}
