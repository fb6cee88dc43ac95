//! `paste [-s] [-d LIST] [FILE]...`: merge lines of files side by side
//! (or each file onto one line with `-s`), cycling through the delimiter
//! list.

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "paste";

const LONG: &[(&str, Arg, char)] = &[
    ("delimiters", Arg::Req, 'd'),
    ("serial", Arg::No, 's'),
    ("zero-terminated", Arg::No, 'z'),
    ("help", Arg::No, 'H'),
];

/// The delimiter list with escapes; an empty entry (`\0`) means none.
pub fn delimiters(s: &str) -> Vec<Vec<u8>> {
    let b = s.as_bytes();
    let mut v = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            v.push(match b[i + 1] {
                b'n' => vec![b'\n'],
                b't' => vec![b'\t'],
                b'\\' => vec![b'\\'],
                b'0' => vec![],
                c => vec![c],
            });
            i += 2;
        } else {
            v.push(vec![b[i]]);
            i += 1;
        }
    }
    v
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("d:sz", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let delims = match p.last('d') {
        Some(d) => delimiters(d),
        None => vec![vec![b'\t']],
    };
    let delims = if delims.is_empty() { vec![vec![]] } else { delims };
    let eol = if p.has('z') { 0 } else { b'\n' };
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let task: &Task = task;
    // Read every input; `-` repeated shares standard input line by line.
    let mut stdin_lines: Option<std::collections::VecDeque<Vec<u8>>> = None;
    let mut contents: Vec<Option<std::collections::VecDeque<Vec<u8>>>> = Vec::new();
    for f in &files {
        if f == "-" {
            if stdin_lines.is_none() {
                let d = Input::fd(task, 0).read_all().unwrap_or_default();
                stdin_lines = Some(util::input::split_records(&d, eol).0.into());
            }
            contents.push(None);
            continue;
        }
        match Input::open(task, f).and_then(|mut i| i.read_all()) {
            Ok(d) => contents.push(Some(util::input::split_records(&d, eol).0.into())),
            Err(e) => {
                util::error_file(task, NAME, f, e);
                return 1;
            }
        }
    }
    let mut out = Vec::new();
    if p.has('s') {
        for c in contents.iter_mut() {
            let lines: Vec<Vec<u8>> = match c {
                Some(q) => q.drain(..).collect(),
                None => stdin_lines.as_mut().map(|q| q.drain(..).collect()).unwrap_or_default(),
            };
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(&delims[(i - 1) % delims.len()]);
                }
                out.extend_from_slice(l);
            }
            out.push(eol);
        }
    } else {
        loop {
            let mut any = false;
            let mut row = Vec::new();
            for (i, c) in contents.iter_mut().enumerate() {
                let line = match c {
                    Some(q) => q.pop_front(),
                    None => stdin_lines.as_mut().and_then(|q| q.pop_front()),
                };
                if line.is_some() {
                    any = true;
                }
                if i > 0 {
                    row.extend_from_slice(&delims[(i - 1) % delims.len()]);
                }
                row.extend_from_slice(&line.unwrap_or_default());
            }
            if !any {
                break;
            }
            out.extend_from_slice(&row);
            out.push(eol);
        }
    }
    let mut w = task.stdout();
    let _ = w.write_all(&out);
    util::finish(task, NAME, &mut w, 0)
}
