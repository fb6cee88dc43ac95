//! `du [-sachbkmxL] [-d N] [--apparent-size] [FILE]...`: disk usage,
//! in 1K blocks by default, counting each hard-linked inode once.

use std::collections::HashSet;

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts, path, size};

const NAME: &str = "du";

const LONG: &[(&str, Arg, char)] = &[
    ("all", Arg::No, 'a'),
    ("apparent-size", Arg::No, 'A'),
    ("bytes", Arg::No, 'b'),
    ("total", Arg::No, 'c'),
    ("max-depth", Arg::Req, 'd'),
    ("human-readable", Arg::No, 'h'),
    ("si", Arg::No, '\u{1}'),
    ("summarize", Arg::No, 's'),
    ("one-file-system", Arg::No, 'x'),
    ("dereference", Arg::No, 'L'),
    ("block-size", Arg::Req, 'B'),
    ("null", Arg::No, '0'),
    ("inodes", Arg::No, '\u{2}'),
    ("help", Arg::No, 'H'),
];

struct Du<'a> {
    task: &'a Task,
    apparent: bool,
    all: bool,
    max_depth: Option<usize>,
    deref: bool,
    seen: HashSet<(u64, u64)>,
    out: String,
    status: i32,
    fmt: Box<dyn Fn(u64) -> String + 'a>,
    term: char,
}

impl Du<'_> {
    fn walk(&mut self, p: &str, depth: usize, top: bool) -> u64 {
        let st = match if self.deref || top { self.task.stat(p) } else { self.task.lstat(p) } {
            Ok(s) => s,
            Err(e) => {
                util::error(self.task, NAME, &format!("cannot access {}: {}", util::quote(p), e.strerror()));
                self.status = 1;
                return 0;
            }
        };
        if !self.seen.insert((st.dev, st.ino)) {
            return 0;
        }
        let mut total = if self.apparent { st.size } else { st.blocks * 512 };
        if st.is_dir() {
            match self.task.readdir(p) {
                Ok(entries) => {
                    for e in entries {
                        total += self.walk(&path::join(p, &e.name), depth + 1, false);
                    }
                }
                Err(e) => {
                    util::error(
                        self.task,
                        NAME,
                        &format!("cannot read directory {}: {}", util::quote(p), e.strerror()),
                    );
                    self.status = 1;
                }
            }
        }
        let show = self.max_depth.is_none_or(|m| depth <= m) && (st.is_dir() || self.all || top);
        if show {
            let line = format!("{}\t{p}{}", (self.fmt)(total), self.term);
            self.out.push_str(&line);
        }
        total
    }
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("abcd:hsxLkmB:0lSP", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let mut block: u64 = 1024;
    let mut human: Option<u64> = None;
    let mut apparent = p.has('A');
    for (c, v) in &p.opts {
        match c {
            'b' => {
                block = 1;
                apparent = true;
            }
            'k' => block = 1024,
            'm' => block = 1 << 20,
            'h' => human = Some(1024),
            '\u{1}' => human = Some(1000),
            'B' => {
                block = v
                    .as_deref()
                    .and_then(size::parse_size)
                    .or_else(|| v.as_deref().and_then(|s| size::parse_size(&format!("1{s}"))))
                    .unwrap_or(1024)
            }
            _ => {}
        }
    }
    let max_depth = if p.has('s') { Some(0) } else { p.last('d').and_then(|d| d.parse().ok()) };
    if p.has('s') && p.has('a') {
        return util::usage_error(task, NAME, "cannot both summarize and show all entries", 1);
    }
    let fmt: Box<dyn Fn(u64) -> String> = match human {
        Some(b) => Box::new(move |n| size::human(n, b)),
        None => Box::new(move |n| n.div_ceil(block).to_string()),
    };
    let files = if p.operands.is_empty() { vec![".".to_string()] } else { p.operands.clone() };
    let mut du = Du {
        task,
        apparent,
        all: p.has('a'),
        max_depth,
        deref: p.has('L'),
        seen: HashSet::new(),
        out: String::new(),
        status: 0,
        fmt,
        term: if p.has('0') { '\0' } else { '\n' },
    };
    let mut grand = 0;
    for f in &files {
        grand += du.walk(f, 0, true);
    }
    if p.has('c') {
        let line = format!("{}\ttotal{}", (du.fmt)(grand), du.term);
        du.out.push_str(&line);
    }
    util::out(task, du.out.as_bytes());
    du.status
}
