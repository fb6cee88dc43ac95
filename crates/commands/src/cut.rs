//! `cut -b LIST | -c LIST | -f LIST [-d DELIM] [-s] [--complement]
//! [--output-delimiter=STR] [FILE]...`: select parts of lines. Characters
//! are bytes in the C locale.

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "cut";

const LONG: &[(&str, Arg, char)] = &[
    ("bytes", Arg::Req, 'b'),
    ("characters", Arg::Req, 'c'),
    ("fields", Arg::Req, 'f'),
    ("delimiter", Arg::Req, 'd'),
    ("only-delimited", Arg::No, 's'),
    ("complement", Arg::No, '\u{1}'),
    ("output-delimiter", Arg::Req, '\u{2}'),
    ("zero-terminated", Arg::No, 'z'),
    ("help", Arg::No, 'H'),
];

/// A list of 1-based inclusive ranges (`usize::MAX` = open end).
pub fn parse_list(s: &str, fields: bool) -> Result<Vec<(usize, usize)>, String> {
    let what = if fields { "fields" } else { "byte/character positions" };
    let mut v = Vec::new();
    for part in s.split([',', ' ']) {
        if part.is_empty() {
            return Err(format!("invalid {} list", if fields { "field" } else { "byte/character" })
                .replace("invalid byte/character list", "invalid byte/character position list"));
        }
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (part, None),
        };
        let parse = |x: &str| -> Result<usize, String> {
            x.parse::<usize>().map_err(|_| {
                if fields {
                    format!("invalid field value {}", util::quote(part))
                } else {
                    format!("invalid byte/character position {}", util::quote(part))
                }
            })
        };
        let lo = if a.is_empty() { 1 } else { parse(a)? };
        let hi = match b {
            None => lo,
            Some("") => usize::MAX,
            Some(b) => parse(b)?,
        };
        if a.is_empty() && b == Some("") {
            return Err("invalid range with no endpoint: -".into());
        }
        if lo == 0 || hi == 0 {
            return Err(format!("{what} are numbered from 1"));
        }
        if hi < lo {
            return Err("invalid decreasing range".into());
        }
        v.push((lo, hi));
    }
    v.sort();
    Ok(v)
}

fn selected(list: &[(usize, usize)], i: usize, complement: bool) -> bool {
    list.iter().any(|&(lo, hi)| i >= lo && i <= hi) != complement
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("b:c:f:d:snz", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "OPTION... [FILE]...");
    }
    let kinds: Vec<char> = p.opts.iter().map(|(c, _)| *c).filter(|c| matches!(c, 'b' | 'c' | 'f')).collect();
    if kinds.is_empty() {
        return util::usage_error(task, NAME, "you must specify a list of bytes, characters, or fields", 1);
    }
    if kinds.iter().any(|k| *k != kinds[0]) {
        return util::usage_error(task, NAME, "only one list may be specified", 1);
    }
    let kind = kinds[0];
    let fields = kind == 'f';
    let list = match parse_list(p.last(kind).unwrap_or(""), fields) {
        Ok(l) => l,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    let delim = match p.last('d') {
        Some(d) if d.len() == 1 => d.as_bytes()[0],
        Some("") => 0,
        Some(_) => return util::usage_error(task, NAME, "the delimiter must be a single character", 1),
        None => b'\t',
    };
    if !fields && (p.has('d') || p.has('s')) {
        let m = if p.has('d') {
            "an input delimiter may be specified only when operating on fields"
        } else {
            "suppressing non-delimited lines makes sense\n\tonly when operating on fields"
        };
        return util::usage_error(task, NAME, m, 1);
    }
    let complement = p.has('\u{1}');
    let only_delim = p.has('s');
    let out_delim: Option<Vec<u8>> = p.last('\u{2}').map(|s| s.as_bytes().to_vec());
    let eol = if p.has('z') { 0 } else { b'\n' };
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let task: &Task = task;
    let mut w = task.stdout();
    let mut status = 0;
    for f in &files {
        let mut input = match Input::open(task, f) {
            Ok(i) => i,
            Err(e) => {
                let _ = w.flush();
                util::error_file(task, NAME, f, e);
                status = 1;
                continue;
            }
        };
        let mut line = Vec::new();
        loop {
            line.clear();
            match input.read_until(eol, &mut line) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let _ = w.flush();
                    util::error_file(task, NAME, f, e);
                    status = 1;
                    break;
                }
            }
            if line.last() == Some(&eol) {
                line.pop();
            }
            let mut out = Vec::with_capacity(line.len());
            if fields {
                if !line.contains(&delim) {
                    if !only_delim {
                        out.extend_from_slice(&line);
                        out.push(eol);
                    }
                    let _ = w.write_all(&out);
                    continue;
                }
                let od = out_delim.clone().unwrap_or_else(|| vec![delim]);
                let mut first = true;
                for (i, field) in line.split(|&b| b == delim).enumerate() {
                    if selected(&list, i + 1, complement) {
                        if !first {
                            out.extend_from_slice(&od);
                        }
                        out.extend_from_slice(field);
                        first = false;
                    }
                }
            } else {
                let mut prev_sel = false;
                let mut any = false;
                for (i, &b) in line.iter().enumerate() {
                    let sel = selected(&list, i + 1, complement);
                    if sel {
                        if let Some(od) = &out_delim
                            && any
                            && !prev_sel
                        {
                            out.extend_from_slice(od);
                        }
                        out.push(b);
                        any = true;
                    }
                    prev_sel = sel;
                }
            }
            out.push(eol);
            let _ = w.write_all(&out);
        }
    }
    util::finish(task, NAME, &mut w, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert_eq!(parse_list("2", true), Ok(vec![(2, 2)]));
        assert_eq!(parse_list("1,3", true), Ok(vec![(1, 1), (3, 3)]));
        assert_eq!(parse_list("2-", true), Ok(vec![(2, usize::MAX)]));
        assert_eq!(parse_list("-2", true), Ok(vec![(1, 2)]));
        assert_eq!(parse_list("0", true), Err("fields are numbered from 1".into()));
        assert_eq!(parse_list("3-1", false), Err("invalid decreasing range".into()));
        assert!(selected(&[(2, 3)], 2, false));
        assert!(selected(&[(2, 3)], 1, true));
    }
}
