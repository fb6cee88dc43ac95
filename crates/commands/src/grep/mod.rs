//! `grep`, `egrep`, `fgrep`: print lines that match patterns.
//!
//! Analogue: GNU grep 3.8 — its options, output format (`file:line:text`,
//! `-` for context lines, `--` between context groups), the message
//! `grep: f: binary file matches` on standard error, and exit statuses
//! (0 a line was selected, 1 none, 2 trouble). Patterns are translated by
//! [`crate::util::posix_regex`]; the search itself is in [`search`].

pub(crate) mod search;

use std::io::Write;

use agentos_kernel::Task;
use agentos_kernel::abi::FileType;

use crate::util::fnmatch::{Flags, fnmatch};
use crate::util::posix_regex::{self, Options as ReOptions, Regex, Syntax};
use crate::util::walk::{self, Control, Follow, Visit};
use crate::util::{self, Arg, Spec, opts, path};

use search::{Searcher, Shared};

const NAME: &str = "grep";

const BINARY_FILES: char = '\u{100}';
const INCLUDE: char = '\u{101}';
const EXCLUDE: char = '\u{102}';
const EXCLUDE_DIR: char = '\u{103}';
const COLOR: char = '\u{104}';
const LABEL: char = '\u{105}';
const LINE_BUFFERED: char = '\u{106}';
const GROUP_SEP: char = '\u{107}';
const NO_GROUP_SEP: char = '\u{108}';
const HELP: char = '\u{109}';
const NO_ICASE: char = '\u{10a}';
const EXCLUDE_FROM: char = '\u{10b}';

const LONG: &[(&str, Arg, char)] = &[
    ("extended-regexp", Arg::No, 'E'),
    ("fixed-strings", Arg::No, 'F'),
    ("basic-regexp", Arg::No, 'G'),
    ("perl-regexp", Arg::No, 'P'),
    ("regexp", Arg::Req, 'e'),
    ("file", Arg::Req, 'f'),
    ("ignore-case", Arg::No, 'i'),
    ("no-ignore-case", Arg::No, NO_ICASE),
    ("invert-match", Arg::No, 'v'),
    ("word-regexp", Arg::No, 'w'),
    ("line-regexp", Arg::No, 'x'),
    ("count", Arg::No, 'c'),
    ("files-with-matches", Arg::No, 'l'),
    ("files-without-match", Arg::No, 'L'),
    ("line-number", Arg::No, 'n'),
    ("no-filename", Arg::No, 'h'),
    ("with-filename", Arg::No, 'H'),
    ("only-matching", Arg::No, 'o'),
    ("quiet", Arg::No, 'q'),
    ("silent", Arg::No, 'q'),
    ("no-messages", Arg::No, 's'),
    ("recursive", Arg::No, 'r'),
    ("dereference-recursive", Arg::No, 'R'),
    ("after-context", Arg::Req, 'A'),
    ("before-context", Arg::Req, 'B'),
    ("context", Arg::Req, 'C'),
    ("max-count", Arg::Req, 'm'),
    ("null-data", Arg::No, 'z'),
    ("null", Arg::No, 'Z'),
    ("byte-offset", Arg::No, 'b'),
    ("text", Arg::No, 'a'),
    ("binary-files", Arg::Req, BINARY_FILES),
    ("include", Arg::Req, INCLUDE),
    ("exclude", Arg::Req, EXCLUDE),
    ("exclude-dir", Arg::Req, EXCLUDE_DIR),
    ("exclude-from", Arg::Req, EXCLUDE_FROM),
    ("color", Arg::Opt, COLOR),
    ("colour", Arg::Opt, COLOR),
    ("label", Arg::Req, LABEL),
    ("line-buffered", Arg::No, LINE_BUFFERED),
    ("group-separator", Arg::Req, GROUP_SEP),
    ("no-group-separator", Arg::No, NO_GROUP_SEP),
    ("initial-tab", Arg::No, 'T'),
    ("directories", Arg::Req, 'd'),
    ("devices", Arg::Req, 'D'),
    ("binary", Arg::No, 'U'),
    ("help", Arg::No, HELP),
    ("version", Arg::No, 'V'),
];

/// What to do with binary files (`--binary-files`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Binary {
    /// Say that the file matches, without printing lines.
    Report,
    Text,
    WithoutMatch,
}

/// Everything the options decide.
#[derive(Clone)]
pub(crate) struct Config {
    pub invert: bool,
    pub word: bool,
    pub count: bool,
    pub files_with: bool,
    pub files_without: bool,
    pub line_number: bool,
    pub byte_offset: bool,
    pub with_name: bool,
    pub only: bool,
    pub quiet: bool,
    pub max_count: Option<u64>,
    pub after: usize,
    pub before: usize,
    /// A context option was given (even `-A0`): groups get separators.
    pub context: bool,
    pub color: bool,
    pub eol: u8,
    pub null: bool,
    pub binary: Binary,
    pub initial_tab: bool,
    pub group_sep: Option<Vec<u8>>,
    pub utf8: bool,
    pub line_buffered: bool,
    /// `rg`'s wording for a binary match, on standard output.
    pub rg_binary: bool,
}

impl Config {
    /// The defaults every option starts from (grep's and rg's alike).
    pub(crate) fn new(utf8: bool, rg_binary: bool) -> Config {
        Config {
            invert: false,
            word: false,
            count: false,
            files_with: false,
            files_without: false,
            line_number: false,
            byte_offset: false,
            with_name: false,
            only: false,
            quiet: false,
            max_count: None,
            after: 0,
            before: 0,
            context: false,
            color: false,
            eol: b'\n',
            null: false,
            binary: Binary::Report,
            initial_tab: false,
            group_sep: Some(b"--".to_vec()),
            utf8,
            line_buffered: false,
            rg_binary,
        }
    }
}

struct Walk {
    recursive: Option<Follow>,
    skip_dirs: bool,
    skip_devices: bool,
    include: Vec<String>,
    exclude: Vec<String>,
    exclude_dir: Vec<String>,
    no_messages: bool,
    label: String,
}

pub fn main(task: &mut Task) -> i32 {
    let syntax = match crate::util::path::basename(&task.argv[0]) {
        "egrep" => Syntax::Extended,
        "fgrep" => Syntax::Fixed,
        _ => Syntax::Basic,
    };
    run(task, syntax)
}

/// `-NUM` is `--context=NUM`.
fn expand_context_digits(args: &[String]) -> Vec<String> {
    let mut v = Vec::with_capacity(args.len());
    let mut done = false;
    for a in args {
        if a == "--" {
            done = true;
        }
        if !done && a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit()) {
            v.push(format!("-C{}", &a[1..]));
        } else {
            v.push(a.clone());
        }
    }
    v
}

fn context_arg(task: &Task, v: &str) -> Result<usize, i32> {
    v.parse::<u64>().map(|n| n.min(usize::MAX as u64) as usize).map_err(|_| {
        util::error(task, NAME, &format!("{v}: invalid context length argument"));
        2
    })
}

fn run(task: &mut Task, mut syntax: Syntax) -> i32 {
    let args = expand_context_digits(&task.argv[1..]);
    let p = match opts::parse(&Spec::new("EFGPe:f:iyvwxclLnhHoqsrRA:B:C:m:zZbaITd:D:UV", LONG), &args) {
        Ok(p) => p,
        Err(m) => {
            util::error(task, NAME, &m);
            let _ = task.write_all(2, b"Usage: grep [OPTION]... PATTERNS [FILE]...\n");
            util::try_help(task, NAME);
            return 2;
        }
    };
    if p.has(HELP) {
        return util::help(task, NAME, "[OPTION]... PATTERNS [FILE]...");
    }
    if p.has('V') {
        util::out(task, b"grep (GNU grep) 3.8\n");
        return 0;
    }
    let utf8 = posix_regex::utf8_locale(task);
    let mut c = Config::new(utf8, false);
    let mut w = Walk {
        recursive: None,
        skip_dirs: false,
        skip_devices: false,
        include: vec![],
        exclude: vec![],
        exclude_dir: vec![],
        no_messages: false,
        label: "(standard input)".into(),
    };
    let (mut icase, mut line) = (false, false);
    let mut names: Option<bool> = None;
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    let mut have_patterns = false;
    let (mut after, mut before) = (None, None);
    let mut context = None;
    for (o, v) in &p.opts {
        let v = v.as_deref().unwrap_or("");
        match *o {
            'E' => syntax = Syntax::Extended,
            'F' => syntax = Syntax::Fixed,
            'G' => syntax = Syntax::Basic,
            'P' => syntax = Syntax::Perl,
            'e' => {
                have_patterns = true;
                patterns.extend(v.as_bytes().split(|&b| b == b'\n').map(|s| s.to_vec()));
            }
            'f' => {
                have_patterns = true;
                match util::input::read_file(task, v) {
                    Ok(data) => {
                        let (recs, _) = util::input::split_records(&data, b'\n');
                        patterns.extend(recs);
                    }
                    Err(e) => {
                        util::error_file(task, NAME, v, e);
                        return 2;
                    }
                }
            }
            'i' | 'y' => icase = true,
            NO_ICASE => icase = false,
            'v' => c.invert = true,
            'w' => c.word = true,
            'x' => line = true,
            'c' => c.count = true,
            'l' => c.files_with = true,
            'L' => c.files_without = true,
            'n' => c.line_number = true,
            'h' => names = Some(false),
            'H' => names = Some(true),
            'o' => c.only = true,
            'q' => c.quiet = true,
            's' => w.no_messages = true,
            'r' => w.recursive = Some(Follow::Roots),
            'R' => w.recursive = Some(Follow::Always),
            'A' | 'B' | 'C' => {
                let n = match context_arg(task, v) {
                    Ok(n) => n,
                    Err(s) => return s,
                };
                match *o {
                    'A' => after = Some(n),
                    'B' => before = Some(n),
                    _ => context = Some(n),
                }
            }
            'm' => match v.parse::<i64>() {
                Ok(n) => c.max_count = (n >= 0).then_some(n as u64),
                Err(_) => {
                    util::error(task, NAME, "invalid max count");
                    return 2;
                }
            },
            'z' => c.eol = 0,
            'Z' => c.null = true,
            'b' => c.byte_offset = true,
            'a' => c.binary = Binary::Text,
            'I' => c.binary = Binary::WithoutMatch,
            BINARY_FILES => {
                c.binary = match v {
                    "binary" => Binary::Report,
                    "text" => Binary::Text,
                    "without-match" => Binary::WithoutMatch,
                    _ => {
                        util::error(task, NAME, "unknown binary-files type");
                        return 2;
                    }
                }
            }
            INCLUDE => w.include.push(v.into()),
            EXCLUDE => w.exclude.push(v.into()),
            EXCLUDE_DIR => w.exclude_dir.push(v.into()),
            EXCLUDE_FROM => match util::input::read_file(task, v) {
                Ok(d) => w.exclude.extend(String::from_utf8_lossy(&d).lines().map(String::from)),
                Err(e) => {
                    util::error_file(task, NAME, v, e);
                    return 2;
                }
            },
            COLOR => {
                c.color = match v {
                    "" | "always" | "yes" | "force" => true,
                    "never" | "no" | "none" => false,
                    "auto" | "tty" | "if-tty" => task.isatty(1) && task.getenv("TERM").is_some_and(|t| t != "dumb"),
                    _ => {
                        util::error(task, NAME, &format!("invalid argument '{v}' for '--color'"));
                        return 2;
                    }
                }
            }
            LABEL => w.label = v.into(),
            LINE_BUFFERED => c.line_buffered = true,
            GROUP_SEP => c.group_sep = Some(v.as_bytes().to_vec()),
            NO_GROUP_SEP => c.group_sep = None,
            'T' => c.initial_tab = true,
            'd' => match v {
                "read" => w.skip_dirs = false,
                "skip" => w.skip_dirs = true,
                "recurse" => w.recursive = Some(Follow::Roots),
                _ => {
                    util::error(task, NAME, "invalid argument for --directories");
                    return 2;
                }
            },
            'D' => w.skip_devices = v == "skip",
            _ => {}
        }
    }
    c.context = after.is_some() || before.is_some() || context.is_some();
    c.after = after.or(context).unwrap_or(0);
    c.before = before.or(context).unwrap_or(0);
    let mut operands = p.operands.clone();
    if !have_patterns {
        if operands.is_empty() {
            let _ = task.write_all(2, b"Usage: grep [OPTION]... PATTERNS [FILE]...\n");
            util::try_help(task, NAME);
            return 2;
        }
        let first = operands.remove(0);
        patterns.extend(first.as_bytes().split(|&b| b == b'\n').map(|s| s.to_vec()));
    }
    let re = match compile(&patterns, syntax, icase, line, &c) {
        Ok(r) => r,
        Err(m) => {
            util::error(task, NAME, &m);
            return 2;
        }
    };
    for warn in &re.warnings {
        util::error(task, NAME, &format!("warning: {warn}"));
    }
    // `-r` without operands searches `.`, naming files without `./`.
    let implicit_dot = operands.is_empty() && w.recursive.is_some();
    if operands.is_empty() {
        operands.push(if implicit_dot { ".".into() } else { "-".into() });
    }
    c.with_name = names.unwrap_or(operands.len() > 1 || w.recursive.is_some());
    if c.files_with || c.files_without || c.quiet {
        c.only = false;
    }
    let task: &Task = task;
    let mut out = task.stdout();
    let mut shared = Shared::default();
    let mut status_err = false;
    for name in &operands {
        if shared.quit {
            break;
        }
        let ok = search_operand(task, &c, &w, &re, &mut out, &mut shared, name, implicit_dot);
        status_err |= !ok;
    }
    let status = if shared.quit && c.quiet {
        0
    } else if status_err {
        2
    } else if shared.matched {
        0
    } else {
        1
    };
    util::finish(task, NAME, &mut out, status)
}

fn compile(patterns: &[Vec<u8>], syntax: Syntax, icase: bool, line: bool, c: &Config) -> Result<Regex, String> {
    let o = ReOptions { icase, utf8: c.utf8, multi_line: true, line_terminator: c.eol, ..ReOptions::new(syntax) };
    let refs: Vec<&[u8]> = patterns.iter().map(|p| p.as_slice()).collect();
    posix_regex::compile_many(&refs, &o, line)
}

fn excluded(globs: &[String], path: &str) -> bool {
    let base = path::basename(path);
    globs.iter().any(|g| {
        fnmatch(g.as_bytes(), base.as_bytes(), Flags::default())
            || fnmatch(g.as_bytes(), path.as_bytes(), Flags::default())
    })
}

fn file_skipped(w: &Walk, path: &str) -> bool {
    if excluded(&w.exclude, path) {
        return true;
    }
    !w.include.is_empty() && !excluded(&w.include, path)
}

/// Search one operand (a file, `-`, or a directory to recurse into).
/// Returns false on trouble.
#[allow(clippy::too_many_arguments)]
fn search_operand(
    task: &Task,
    c: &Config,
    w: &Walk,
    re: &Regex,
    out: &mut impl Write,
    shared: &mut Shared,
    name: &str,
    implicit_dot: bool,
) -> bool {
    if name == "-" {
        let mut s = Searcher::new(task, c, re, w.label.as_bytes());
        return s.search_fd(0, out, shared).is_ok();
    }
    let report = |path: &str, e: agentos_kernel::Errno| {
        if !w.no_messages {
            util::error_file(task, NAME, path, e);
        }
    };
    let st = match task.stat(name) {
        Ok(s) => s,
        Err(e) => {
            // A dangling link given by name.
            report(name, e);
            return false;
        }
    };
    if !st.is_dir() {
        if file_skipped(w, name) {
            return true;
        }
        return search_path(task, c, re, out, shared, name, name, &report);
    }
    let Some(follow) = w.recursive else {
        if w.skip_dirs {
            return true;
        }
        report(name, agentos_kernel::Errno::EISDIR);
        return false;
    };
    if !implicit_dot && excluded(&w.exclude_dir, name) {
        return true;
    }
    let mut ok = true;
    let opts = walk::Options { follow, ..walk::Options::default() };
    walk::walk(task, name, &opts, &mut |task, v| {
        if shared.quit {
            return Control::Stop;
        }
        match v {
            Visit::Error { path, errno, .. } => {
                report(path, errno);
                ok = false;
                Control::Continue
            }
            Visit::Entry(e) => {
                if e.depth == 0 {
                    return Control::Continue;
                }
                let ft = e.stat.file_type();
                if e.stat.is_dir() {
                    return if excluded(&w.exclude_dir, &e.path) { Control::Skip } else { Control::Continue };
                }
                // `-r` skips links met on the way; devices are skipped when recursing.
                if ft == FileType::Symlink
                    || matches!(ft, FileType::CharDevice | FileType::BlockDevice | FileType::Fifo | FileType::Socket)
                {
                    return Control::Continue;
                }
                if file_skipped(w, &e.path) {
                    return Control::Continue;
                }
                let shown = if implicit_dot { e.path.strip_prefix("./").unwrap_or(&e.path) } else { &e.path };
                ok &= search_path(task, c, re, out, shared, &e.path, shown, &report);
                Control::Continue
            }
        }
    });
    ok
}

#[allow(clippy::too_many_arguments)]
fn search_path(
    task: &Task,
    c: &Config,
    re: &Regex,
    out: &mut impl Write,
    shared: &mut Shared,
    path: &str,
    shown: &str,
    report: &dyn Fn(&str, agentos_kernel::Errno),
) -> bool {
    let fd = match task.open(path, agentos_kernel::abi::OFlags::RDONLY, 0) {
        Ok(fd) => fd,
        Err(e) => {
            report(path, e);
            return false;
        }
    };
    let mut s = Searcher::new(task, c, re, shown.as_bytes());
    let r = s.search_fd(fd, out, shared);
    let _ = task.close(fd);
    match r {
        Ok(()) => true,
        Err(e) => {
            let _ = out.flush();
            report(path, e);
            false
        }
    }
}
