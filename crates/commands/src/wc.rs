//! `wc [-clmwL] [FILE]...`: count lines, words, bytes (characters are
//! bytes in the C locale), and the longest line, with GNU's column widths:
//! wide enough for the total size of the regular files, at least 7 when an
//! input is not a regular file, and 1 for a single count of a single input.

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "wc";

const LONG: &[(&str, Arg, char)] = &[
    ("bytes", Arg::No, 'c'),
    ("chars", Arg::No, 'm'),
    ("lines", Arg::No, 'l'),
    ("words", Arg::No, 'w'),
    ("max-line-length", Arg::No, 'L'),
    ("total", Arg::Req, '\u{1}'),
    ("files0-from", Arg::Req, '\u{2}'),
    ("help", Arg::No, 'H'),
];

/// Counts of one input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub lines: u64,
    pub words: u64,
    pub bytes: u64,
    pub max_line: u64,
}

/// Incremental counter, fed chunk by chunk.
#[derive(Default)]
pub struct Counter {
    pub c: Counts,
    in_word: bool,
    col: u64,
}

impl Counter {
    pub fn feed(&mut self, data: &[u8]) {
        self.c.bytes += data.len() as u64;
        for &b in data {
            match b {
                b'\n' => {
                    self.c.lines += 1;
                    self.c.max_line = self.c.max_line.max(self.col);
                    self.col = 0;
                }
                b'\t' => self.col = (self.col / 8 + 1) * 8,
                b'\r' | 0x0c => self.col = 0,
                b if (32..127).contains(&b) => self.col += 1,
                _ => {}
            }
            let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
            if space {
                self.in_word = false;
            } else if !self.in_word {
                self.in_word = true;
                self.c.words += 1;
            }
        }
    }

    pub fn finish(mut self) -> Counts {
        self.c.max_line = self.c.max_line.max(self.col);
        self.c
    }
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("cmlwL", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let (mut lines, mut words, mut bytes, mut chars, maxl) =
        (p.has('l'), p.has('w'), p.has('c'), p.has('m'), p.has('L'));
    if !(lines || words || bytes || chars || maxl) {
        (lines, words, bytes) = (true, true, true);
    }
    if bytes && chars {
        // In the C locale they are the same number; GNU prints both.
        chars = true;
    }
    let nfields = [lines, words, chars, bytes, maxl].iter().filter(|x| **x).count();
    let implicit = p.operands.is_empty();
    let files = if implicit { vec!["-".to_string()] } else { p.operands.clone() };
    let total_mode = p.last('\u{1}').unwrap_or("auto").to_string();
    // Column width, as GNU computes it before reading.
    let width = if files.len() == 1 && nfields == 1 {
        1
    } else {
        let mut min = 1;
        let mut total = 0u64;
        let mut first_failed = false;
        for (i, f) in files.iter().enumerate() {
            let st = if f == "-" { task.fstat(0) } else { task.stat(f) };
            match st {
                Ok(st) if st.is_file() => total += st.size,
                Ok(_) => min = 7,
                Err(_) => first_failed |= i == 0,
            }
        }
        if first_failed { 1 } else { total.to_string().len().max(min) }
    };
    let task: &Task = task;
    let mut w = task.stdout();
    let mut status = 0;
    let mut sum = Counts::default();
    let print = |w: &mut dyn Write, c: &Counts, name: Option<&str>| {
        let mut fields = Vec::new();
        if lines {
            fields.push(c.lines);
        }
        if words {
            fields.push(c.words);
        }
        if chars {
            fields.push(c.bytes);
        }
        if bytes {
            fields.push(c.bytes);
        }
        if maxl {
            fields.push(c.max_line);
        }
        let mut s: Vec<String> = fields.iter().map(|v| format!("{v:>width$}")).collect();
        if let Some(n) = name {
            s.push(n.to_string());
        }
        let _ = writeln!(w, "{}", s.join(" "));
    };
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
        let mut counter = Counter::default();
        let mut failed = false;
        loop {
            match input.chunk() {
                Ok([]) => break,
                Ok(c) => counter.feed(c),
                Err(e) => {
                    let _ = w.flush();
                    util::error_file(task, NAME, f, e);
                    status = 1;
                    failed = true;
                    break;
                }
            }
        }
        let c = counter.finish();
        let _ = failed;
        sum.lines += c.lines;
        sum.words += c.words;
        sum.bytes += c.bytes;
        sum.max_line = sum.max_line.max(c.max_line);
        if total_mode != "only" {
            print(&mut w, &c, if implicit { None } else { Some(f) });
        }
    }
    let show_total = match total_mode.as_str() {
        "always" | "only" => true,
        "never" => false,
        _ => files.len() > 1,
    };
    if show_total {
        print(&mut w, &sum, if total_mode == "only" { None } else { Some("total") });
    }
    util::finish(task, NAME, &mut w, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting() {
        let mut c = Counter::default();
        c.feed(b"hello world\nsecond ");
        c.feed(b"line here\n");
        assert_eq!(c.finish(), Counts { lines: 2, words: 5, bytes: 29, max_line: 16 });
        let mut c = Counter::default();
        c.feed(b"x\ty\n");
        assert_eq!(c.finish().max_line, 9);
        let mut c = Counter::default();
        c.feed(b"a b c");
        assert_eq!(c.finish(), Counts { lines: 0, words: 3, bytes: 5, max_line: 5 });
    }
}
