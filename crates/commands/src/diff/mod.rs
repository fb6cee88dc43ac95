//! `diff [OPTION]... FILE1 FILE2`: compare files line by line, like GNU
//! diffutils 3.8: normal, unified (`-u`, `-U N`) and context (`-c`,
//! `-C N`) output, `-q`, `-s`, `-r` with `Only in …` lines, `-N`, the
//! whitespace and case options (`-i -w -b -B -Z --strip-trailing-cr`),
//! `--label`, `-a`, `-x`. Exit status 0 if the inputs are the same, 1 if
//! they differ, 2 on trouble.

pub mod engine;
pub mod format;

use agentos_kernel::abi::Timespec;
use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Spec, opts};
use engine::Compare;
use format::Style;

const NAME: &str = "diff";

const LONG: &[(&str, Arg, char)] = &[
    ("text", Arg::No, 'a'),
    ("ignore-space-change", Arg::No, 'b'),
    ("ignore-blank-lines", Arg::No, 'B'),
    ("context", Arg::Opt, '\u{1}'),
    ("minimal", Arg::No, 'd'),
    ("ignore-case", Arg::No, 'i'),
    ("label", Arg::Req, 'L'),
    ("new-file", Arg::No, 'N'),
    ("brief", Arg::No, 'q'),
    ("recursive", Arg::No, 'r'),
    ("report-identical-files", Arg::No, 's'),
    ("unified", Arg::Opt, '\u{2}'),
    ("ignore-all-space", Arg::No, 'w'),
    ("exclude", Arg::Req, 'x'),
    ("ignore-trailing-space", Arg::No, 'Z'),
    ("strip-trailing-cr", Arg::No, '\u{3}'),
    ("normal", Arg::No, '\u{4}'),
    ("color", Arg::Opt, '\u{5}'),
    ("unidirectional-new-file", Arg::No, 'P'),
    ("help", Arg::No, 'H'),
    ("version", Arg::No, 'v'),
];

struct Opts {
    style: Style,
    cmp: Compare,
    brief: bool,
    recursive: bool,
    new_file: bool,
    report_same: bool,
    text: bool,
    labels: Vec<String>,
    exclude: Vec<String>,
    /// The options as given, for the `diff -r a/x b/x` lines.
    switches: String,
}

/// One side of a comparison: its name, content and modification time.
struct Side {
    name: String,
    data: Vec<u8>,
    mtime: Timespec,
}

fn parse_context(s: Option<&str>, default: usize) -> Result<usize, String> {
    match s {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| format!("invalid context length {}", util::quote(v))),
    }
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let spec = Spec::new("abBcC:diL:NPqrsuU:wx:Z", LONG);
    let p = match opts::parse(&spec, &args) {
        Ok(p) => p,
        Err(e) => return usage(task, &e),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... FILES");
    }
    if p.has('v') {
        util::out(task, b"diff (GNU diffutils) 3.8\n");
        return 0;
    }
    let mut o = Opts {
        style: Style::Normal,
        cmp: Compare::default(),
        brief: false,
        recursive: false,
        new_file: false,
        report_same: false,
        text: false,
        labels: Vec::new(),
        exclude: Vec::new(),
        switches: String::new(),
    };
    for (c, v) in &p.opts {
        match c {
            'a' => o.text = true,
            'b' => o.cmp.ignore_space_change = true,
            'Z' => o.cmp.ignore_trailing_space = true,
            'B' => o.cmp.ignore_blank_lines = true,
            'c' => o.style = Style::Context(3),
            'C' | '\u{1}' | 'U' | '\u{2}' => match parse_context(v.as_deref(), 3) {
                Ok(n) if matches!(c, 'C' | '\u{1}') => o.style = Style::Context(n),
                Ok(n) => o.style = Style::Unified(n),
                Err(e) => return usage(task, &e),
            },
            'u' => o.style = Style::Unified(3),
            '\u{4}' => o.style = Style::Normal,
            'i' => o.cmp.ignore_case = true,
            'w' => o.cmp.ignore_all_space = true,
            '\u{3}' => o.cmp.strip_trailing_cr = true,
            'L' => o.labels.push(v.clone().unwrap_or_default()),
            'N' | 'P' => o.new_file = true,
            'q' => o.brief = true,
            'r' => o.recursive = true,
            's' => o.report_same = true,
            'x' => o.exclude.push(v.clone().unwrap_or_default()),
            _ => {}
        }
    }
    if o.labels.len() > 2 {
        return usage(task, "too many file label options");
    }
    let operands = &p.operands;
    o.switches = args
        .iter()
        .take_while(|a| *a != "--")
        .filter(|a| !operands.contains(a))
        .map(|a| util::shell_quote(a, false, false))
        .collect::<Vec<_>>()
        .join(" ");
    match operands.len() {
        0 => return usage(task, "missing operand after 'diff'"),
        1 => return usage(task, &format!("missing operand after {}", util::quote(&operands[0]))),
        2 => {}
        _ => return usage(task, &format!("extra operand {}", util::quote(&operands[2]))),
    }
    let mut out = Vec::new();
    let st = top(task, &o, &operands[0], &operands[1], &mut out);
    util::out(task, &out);
    st
}

/// diff prefixes its usage hint with its name too.
fn usage(task: &Task, msg: &str) -> i32 {
    util::error(task, NAME, msg);
    util::error(task, NAME, "Try 'diff --help' for more information.");
    2
}

fn is_dir(task: &Task, p: &str) -> bool {
    p != "-" && task.stat(p).is_ok_and(|s| s.is_dir())
}

/// Compare the two operands: files, directories, or a file and the
/// file of the same name in a directory.
fn top(task: &Task, o: &Opts, a: &str, b: &str, out: &mut Vec<u8>) -> i32 {
    let (da, db) = (is_dir(task, a), is_dir(task, b));
    if da && db {
        return dirs(task, o, a, b, out);
    }
    let a = if da { util::path::join(a, util::path::basename(b)) } else { a.to_string() };
    let b = if db { util::path::join(b, util::path::basename(&a)) } else { b.to_string() };
    files(task, o, &a, &b, false, out)
}

fn read_side(task: &Task, path: &str, missing_ok: bool) -> Result<Side, Errno> {
    if path == "-" {
        let data = util::input::read_file(task, "-")?;
        return Ok(Side { name: "-".into(), data, mtime: task.now() });
    }
    match task.stat(path) {
        Ok(st) => {
            let data = util::input::read_file(task, path)?;
            Ok(Side { name: path.into(), data, mtime: st.mtime })
        }
        Err(Errno::ENOENT) if missing_ok => {
            Ok(Side { name: path.into(), data: Vec::new(), mtime: Timespec { sec: 0, nsec: 0 } })
        }
        Err(e) => Err(e),
    }
}

/// Compare two files; `in_dir` adds the `diff -r a/x b/x` line.
fn files(task: &Task, o: &Opts, a: &str, b: &str, in_dir: bool, out: &mut Vec<u8>) -> i32 {
    // With -N a missing file is empty, but only if the other one exists.
    let exists = |p: &str| p == "-" || task.stat(p).is_ok();
    let (sa, sb) = match (read_side(task, a, o.new_file && exists(b)), read_side(task, b, o.new_file && exists(a))) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(e), _) => return trouble(task, out, a, e),
        (_, Err(e)) => return trouble(task, out, b, e),
    };
    let binary = !o.text && (sa.data.contains(&0) || sb.data.contains(&0));
    if binary {
        if sa.data == sb.data {
            return same(task, o, a, b, out);
        }
        let msg = if o.brief { "Files {a} and {b} differ\n" } else { "Binary files {a} and {b} differ\n" };
        out.extend_from_slice(msg.replace("{a}", a).replace("{b}", b).as_bytes());
        return 1;
    }
    let (la, lb) = (engine::lines(&sa.data), engine::lines(&sb.data));
    let changes = engine::diff(&la, &lb, &o.cmp);
    if changes.is_empty() {
        return same(task, o, a, b, out);
    }
    if o.brief {
        out.extend_from_slice(format!("Files {a} and {b} differ\n").as_bytes());
        return 1;
    }
    if in_dir {
        let sw = if o.switches.is_empty() { String::new() } else { format!("{} ", o.switches) };
        out.extend_from_slice(format!("diff {sw}{a} {b}\n").as_bytes());
    }
    // The context format keeps the traditional ctime-style date.
    let fmt = if matches!(o.style, Style::Context(_)) { "%a %b %e %H:%M:%S %Y" } else { "%Y-%m-%d %H:%M:%S.%N %z" };
    let label = |i: usize, s: &Side| match o.labels.get(i) {
        Some(l) => l.clone(),
        None => format!("{}\t{}", s.name, util::time::strftime(fmt, s.mtime)),
    };
    match o.style {
        Style::Normal => format::normal(out, &la, &lb, &changes),
        Style::Unified(n) => {
            out.extend_from_slice(format!("--- {}\n+++ {}\n", label(0, &sa), label(1, &sb)).as_bytes());
            format::unified(out, &la, &lb, &changes, n);
        }
        Style::Context(n) => {
            out.extend_from_slice(format!("*** {}\n--- {}\n", label(0, &sa), label(1, &sb)).as_bytes());
            format::context(out, &la, &lb, &changes, n);
        }
    }
    1
}

fn same(_task: &Task, o: &Opts, a: &str, b: &str, out: &mut Vec<u8>) -> i32 {
    if o.report_same {
        out.extend_from_slice(format!("Files {a} and {b} are identical\n").as_bytes());
    }
    0
}

/// Report a file error; standard output so far is flushed first so the
/// two streams interleave as GNU's do.
fn trouble(task: &Task, out: &mut Vec<u8>, path: &str, e: Errno) -> i32 {
    util::out(task, out);
    out.clear();
    util::error(task, NAME, &format!("{path}: {}", e.strerror()));
    2
}

fn excluded(o: &Opts, name: &str) -> bool {
    o.exclude.iter().any(|pat| glob_match(pat.as_bytes(), name.as_bytes()))
}

/// A shell wildcard match (`*`, `?`, `[...]`) for `-x`.
fn glob_match(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|i| glob_match(&p[1..], &s[i..])),
        Some(b'?') => !s.is_empty() && glob_match(&p[1..], &s[1..]),
        Some(b'[') => {
            let Some(end) = p.iter().skip(2).position(|&c| c == b']').map(|e| e + 2) else {
                return s.first() == Some(&b'[') && glob_match(&p[1..], &s[1..]);
            };
            let Some(&c) = s.first() else { return false };
            let set = &p[1..end];
            let (neg, set) = match set.first() {
                Some(b'!' | b'^') => (true, &set[1..]),
                _ => (false, set),
            };
            let mut hit = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == b'-' {
                    hit |= set[i] <= c && c <= set[i + 2];
                    i += 3;
                } else {
                    hit |= set[i] == c;
                    i += 1;
                }
            }
            hit != neg && glob_match(&p[end + 1..], &s[1..])
        }
        Some(&c) => s.first() == Some(&c) && glob_match(&p[1..], &s[1..]),
    }
}

fn kind_name(task: &Task, p: &str) -> &'static str {
    match task.stat(p) {
        Ok(s) if s.is_dir() => "directory",
        Ok(s) if s.is_file() && s.size == 0 => "regular empty file",
        Ok(s) if s.is_file() => "regular file",
        Ok(_) => "special file",
        Err(_) => "nonexistent file",
    }
}

/// Compare two directories entry by entry.
fn dirs(task: &Task, o: &Opts, a: &str, b: &str, out: &mut Vec<u8>) -> i32 {
    let list = |p: &str| -> Result<Vec<String>, Errno> {
        match task.readdir(p) {
            Ok(v) => Ok(v.into_iter().map(|e| e.name).filter(|n| !excluded(o, n)).collect()),
            Err(Errno::ENOENT) if o.new_file => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    };
    let (ea, eb) = match (list(a), list(b)) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(e), _) => return trouble(task, out, a, e),
        (_, Err(e)) => return trouble(task, out, b, e),
    };
    let mut names: Vec<&String> = ea.iter().chain(eb.iter()).collect();
    names.sort_by(|x, y| x.as_bytes().cmp(y.as_bytes()));
    names.dedup();
    let mut status = 0;
    for n in names {
        let (pa, pb) = (util::path::join(a, n), util::path::join(b, n));
        let (ina, inb) = (ea.contains(n), eb.contains(n));
        let st = if ina && inb {
            let (da, db) = (is_dir(task, &pa), is_dir(task, &pb));
            match (da, db) {
                (true, true) if o.recursive => dirs(task, o, &pa, &pb, out),
                (true, true) => {
                    out.extend_from_slice(format!("Common subdirectories: {pa} and {pb}\n").as_bytes());
                    0
                }
                (false, false) => files(task, o, &pa, &pb, true, out),
                _ => {
                    let msg = format!(
                        "File {pa} is a {} while file {pb} is a {}\n",
                        kind_name(task, &pa),
                        kind_name(task, &pb)
                    );
                    out.extend_from_slice(msg.as_bytes());
                    1
                }
            }
        } else if o.new_file {
            let d = if ina { is_dir(task, &pa) } else { is_dir(task, &pb) };
            if d && o.recursive {
                dirs(task, o, &pa, &pb, out)
            } else if d {
                let (dir, _) = if ina { (a, &pa) } else { (b, &pb) };
                out.extend_from_slice(format!("Only in {dir}: {n}\n").as_bytes());
                1
            } else {
                files(task, o, &pa, &pb, true, out)
            }
        } else {
            let dir = if ina { a } else { b };
            out.extend_from_slice(format!("Only in {dir}: {n}\n").as_bytes());
            1
        };
        status = status.max(st);
    }
    status
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn exclude_globs() {
        assert!(glob_match(b"*.o", b"x.o"));
        assert!(!glob_match(b"*.o", b"x.c"));
        assert!(glob_match(b"[ab]?", b"bz"));
        assert!(!glob_match(b"[!ab]?", b"bz"));
    }
}
