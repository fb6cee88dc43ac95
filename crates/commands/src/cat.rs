//! `cat [-AbeEnstTuv] [FILE]...`: concatenate files (`-` is standard
//! input). Numbering and blank-squeezing state carries across files, as in
//! GNU cat.

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "cat";

const LONG: &[(&str, Arg, char)] = &[
    ("show-all", Arg::No, 'A'),
    ("number-nonblank", Arg::No, 'b'),
    ("show-ends", Arg::No, 'E'),
    ("number", Arg::No, 'n'),
    ("squeeze-blank", Arg::No, 's'),
    ("show-tabs", Arg::No, 'T'),
    ("show-nonprinting", Arg::No, 'v'),
    ("help", Arg::No, 'H'),
    ("version", Arg::No, 'V'),
];

#[derive(Default)]
struct Flags {
    number: bool,
    nonblank: bool,
    ends: bool,
    squeeze: bool,
    tabs: bool,
    nonprinting: bool,
}

/// Render one byte as `cat -v` shows it.
pub fn show_nonprinting(b: u8, tabs: bool, out: &mut Vec<u8>) {
    let (meta, c) = if b >= 128 { (true, b - 128) } else { (false, b) };
    if meta {
        out.extend_from_slice(b"M-");
    }
    match c {
        b'\t' if !meta && !tabs => out.push(b'\t'),
        b'\n' if !meta => out.push(b'\n'),
        0..=31 => {
            out.push(b'^');
            out.push(c + 64);
        }
        127 => out.extend_from_slice(b"^?"),
        c => out.push(c),
    }
}

struct State {
    line_no: u64,
    blank_run: u32,
}

fn cat_lines(f: &Flags, input: &mut Input<'_>, st: &mut State, w: &mut impl Write) -> agentos_kernel::KResult<()> {
    let mut line = Vec::new();
    let mut out = Vec::new();
    loop {
        line.clear();
        if !input.read_until(b'\n', &mut line)? {
            return Ok(());
        }
        let blank = line == b"\n";
        if blank {
            st.blank_run += 1;
            if f.squeeze && st.blank_run > 1 {
                continue;
            }
        } else {
            st.blank_run = 0;
        }
        out.clear();
        if (f.number && !f.nonblank) || (f.nonblank && !blank) {
            st.line_no += 1;
            out.extend_from_slice(format!("{:>6}\t", st.line_no).as_bytes());
        }
        let body = line.strip_suffix(b"\n").unwrap_or(&line);
        for &b in body {
            if f.nonprinting {
                show_nonprinting(b, f.tabs, &mut out);
            } else if f.tabs && b == b'\t' {
                out.extend_from_slice(b"^I");
            } else {
                out.push(b);
            }
        }
        if line.ends_with(b"\n") {
            if f.ends {
                out.push(b'$');
            }
            out.push(b'\n');
        }
        w.write_all(&out).map_err(|e| util::io_errno(&e))?;
    }
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("AbeEnstTuv", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let mut f = Flags::default();
    for (c, _) in &p.opts {
        match c {
            'A' => {
                f.nonprinting = true;
                f.ends = true;
                f.tabs = true;
            }
            'b' => f.nonblank = true,
            'e' => {
                f.nonprinting = true;
                f.ends = true;
            }
            'E' => f.ends = true,
            'n' => f.number = true,
            's' => f.squeeze = true,
            't' => {
                f.nonprinting = true;
                f.tabs = true;
            }
            'T' => f.tabs = true,
            'v' => f.nonprinting = true,
            _ => {}
        }
    }
    let plain = !(f.number || f.nonblank || f.ends || f.squeeze || f.tabs || f.nonprinting);
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let task: &Task = task;
    let mut w = task.stdout();
    let mut status = 0;
    let mut st = State { line_no: 0, blank_run: 0 };
    for name in &files {
        let mut input = match Input::open(task, name) {
            Ok(i) => i,
            Err(e) => {
                util::error_file(task, NAME, name, e);
                status = 1;
                continue;
            }
        };
        let r = if plain {
            loop {
                match input.chunk() {
                    Ok([]) => break Ok(()),
                    Ok(c) => {
                        if let Err(e) = w.write_all(c) {
                            break Err(util::io_errno(&e));
                        }
                    }
                    Err(e) => break Err(e),
                }
            }
        } else {
            cat_lines(&f, &mut input, &mut st, &mut w)
        };
        if let Err(e) = r {
            let _ = w.flush();
            util::error_file(task, NAME, name, e);
            status = 1;
        }
    }
    util::finish(task, NAME, &mut w, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonprinting() {
        let mut v = Vec::new();
        for b in [1u8, 127, 128, b'x', b'\t', 0xff, 0x9b] {
            show_nonprinting(b, false, &mut v);
        }
        assert_eq!(v, b"^A^?M-^@x\tM-^?M-^[");
    }
}
