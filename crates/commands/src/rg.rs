//! `rg PATTERN [PATH...]`: ripgrep-style recursive search.
//!
//! Analogue: ripgrep 14 with non-terminal output (no color, no headings,
//! no line numbers unless `-n`; `path:` prefixes when searching more than
//! one file). Recursive by default; skips hidden files, binary files and
//! whatever `.gitignore` (inside a git repository), `.ignore` and
//! `.rgignore` exclude. Patterns use the `regex` crate's syntax, as rg
//! does. The line search and output are grep's ([`crate::grep::search`]).

use std::io::Write;

use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;
use regex::Regex;

use crate::grep::search::{Searcher, Shared};
use crate::grep::{Binary, Config};
use crate::util::posix_regex::{self, Options as ReOptions, Syntax};
use crate::util::walk::{self, Control, Follow, Visit};
use crate::util::{self, Arg, Spec, opts, path};

const NAME: &str = "rg";

const TYPES: &[(&str, &[&str])] = &[
    ("c", &["*.c", "*.h", "*.H"]),
    ("cpp", &["*.C", "*.cc", "*.cpp", "*.cxx", "*.h", "*.hh", "*.hpp", "*.hxx"]),
    ("css", &["*.css", "*.scss"]),
    ("go", &["*.go"]),
    ("html", &["*.htm", "*.html"]),
    ("java", &["*.java"]),
    ("js", &["*.cjs", "*.js", "*.jsx", "*.mjs", "*.vue"]),
    ("json", &["*.json", "*.jsonl", "*.sarif"]),
    ("markdown", &["*.markdown", "*.md", "*.mdown", "*.mdwn", "*.mdx", "*.mkd", "*.mkdn", "*.ron"]),
    ("md", &["*.markdown", "*.md", "*.mdown", "*.mdwn", "*.mdx", "*.mkd", "*.mkdn", "*.ron"]),
    ("py", &["*.py", "*.pyi"]),
    ("rust", &["*.rs"]),
    ("sh", &["*.bash", "*.sh", "*.zsh", ".bashrc", ".profile"]),
    ("toml", &["*.toml", "Cargo.lock"]),
    ("ts", &["*.cts", "*.mts", "*.ts", "*.tsx"]),
    ("txt", &["*.txt"]),
    ("yaml", &["*.yaml", "*.yml"]),
];

const LONG: &[(&str, Arg, char)] = &[
    ("regexp", Arg::Req, 'e'),
    ("file", Arg::Req, 'f'),
    ("ignore-case", Arg::No, 'i'),
    ("case-sensitive", Arg::No, 's'),
    ("smart-case", Arg::No, 'S'),
    ("word-regexp", Arg::No, 'w'),
    ("line-regexp", Arg::No, 'x'),
    ("fixed-strings", Arg::No, 'F'),
    ("invert-match", Arg::No, 'v'),
    ("line-number", Arg::No, 'n'),
    ("no-line-number", Arg::No, 'N'),
    ("with-filename", Arg::No, 'H'),
    ("no-filename", Arg::No, 'I'),
    ("files-with-matches", Arg::No, 'l'),
    ("files-without-match", Arg::No, '\u{100}'),
    ("count", Arg::No, 'c'),
    ("only-matching", Arg::No, 'o'),
    ("quiet", Arg::No, 'q'),
    ("glob", Arg::Req, 'g'),
    ("iglob", Arg::Req, '\u{101}'),
    ("type", Arg::Req, 't'),
    ("type-not", Arg::Req, 'T'),
    ("files", Arg::No, '\u{102}'),
    ("hidden", Arg::No, '.'),
    ("no-ignore", Arg::No, '\u{103}'),
    ("unrestricted", Arg::No, 'u'),
    ("follow", Arg::No, 'L'),
    ("max-depth", Arg::Req, 'd'),
    ("max-count", Arg::Req, 'm'),
    ("after-context", Arg::Req, 'A'),
    ("before-context", Arg::Req, 'B'),
    ("context", Arg::Req, 'C'),
    ("text", Arg::No, 'a'),
    ("null", Arg::No, '0'),
    ("color", Arg::Req, '\u{104}'),
    ("sort", Arg::Req, '\u{105}'),
    ("type-list", Arg::No, '\u{106}'),
    ("no-messages", Arg::No, '\u{107}'),
    ("help", Arg::No, 'h'),
    ("version", Arg::No, 'V'),
];

/// One ignore rule: a glob compiled to a regex over slash paths.
struct Rule {
    re: Regex,
    negate: bool,
    dir_only: bool,
    /// Matched against the path relative to `base` (else the base name).
    anchored: bool,
}

/// Rules from one ignore file, relative to its directory.
struct RuleSet {
    base: String,
    rules: Vec<Rule>,
}

/// A gitignore-style glob as a regex: `*` and `?` stay within a
/// component, `**` spans them.
fn glob_regex(g: &str, icase: bool) -> Option<Regex> {
    let mut re = String::from(if icase { "(?i)^" } else { "^" });
    let b = g.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'*' if b.get(i + 1) == Some(&b'*') => {
                let at_start = i == 0 || b[i - 1] == b'/';
                if at_start && b.get(i + 2) == Some(&b'/') {
                    re.push_str("(?:.*/)?");
                    i += 3;
                    continue;
                }
                re.push_str(".*");
                i += 2;
                continue;
            }
            b'*' => re.push_str("[^/]*"),
            b'?' => re.push_str("[^/]"),
            b'[' => {
                let end = b[i + 1..].iter().skip(1).position(|&x| x == b']').map(|k| i + 2 + k);
                match end {
                    Some(e) => {
                        let body = &g[i + 1..e];
                        let body = body.strip_prefix('!').map(|r| format!("^{r}")).unwrap_or(body.to_string());
                        re.push('[');
                        re.push_str(&body.replace('\\', "\\\\").replace('[', "\\["));
                        re.push(']');
                        i = e + 1;
                        continue;
                    }
                    None => re.push_str("\\["),
                }
            }
            b'\\' if i + 1 < b.len() => {
                i += 1;
                re.push_str(&regex::escape(&(b[i] as char).to_string()));
            }
            _ => re.push_str(&regex::escape(&g[i..i + 1])),
        }
        i += 1;
    }
    re.push('$');
    Regex::new(&re).ok()
}

fn parse_rule(line: &str, icase: bool) -> Option<Rule> {
    let line = line.trim_end_matches(['\r']);
    let line = line.trim_end_matches(' ');
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (negate, body) = match line.strip_prefix('!') {
        Some(r) => (true, r),
        None => (false, line.strip_prefix('\\').unwrap_or(line)),
    };
    let dir_only = body.ends_with('/');
    let body = body.trim_end_matches('/');
    let anchored = body.contains('/');
    let body = body.strip_prefix('/').unwrap_or(body);
    Some(Rule { re: glob_regex(body, icase)?, negate, dir_only, anchored })
}

impl RuleSet {
    fn load(task: &Task, dir: &str, files: &[&str]) -> Option<RuleSet> {
        let mut rules = Vec::new();
        for f in files {
            if let Ok(d) = util::input::read_file(task, &path::join(dir, f)) {
                rules.extend(String::from_utf8_lossy(&d).lines().filter_map(|l| parse_rule(l, false)));
            }
        }
        (!rules.is_empty()).then(|| RuleSet { base: dir.to_string(), rules })
    }

    /// `Some(true)` ignored, `Some(false)` whitelisted, `None` no rule.
    fn matched(&self, path: &str, is_dir: bool) -> Option<bool> {
        let rel = path.strip_prefix(&self.base)?.trim_start_matches('/');
        let base = path::basename(path);
        self.rules.iter().rev().find_map(|r| {
            if r.dir_only && !is_dir {
                return None;
            }
            let hit = if r.anchored { r.re.is_match(rel) } else { r.re.is_match(base) || r.re.is_match(rel) };
            hit.then_some(!r.negate)
        })
    }
}

struct Filters {
    hidden: bool,
    no_ignore: bool,
    /// `-g` globs as one rule set (whitelist semantics).
    globs: Vec<Rule>,
    types: Vec<Regex>,
    types_not: Vec<Regex>,
}

impl Filters {
    fn glob_verdict(&self, rel: &str, is_dir: bool) -> Option<bool> {
        let base = path::basename(rel);
        for r in self.globs.iter().rev() {
            let hit = if r.anchored { r.re.is_match(rel) } else { r.re.is_match(base) || r.re.is_match(rel) };
            if hit {
                // A plain -g glob includes; `!glob` excludes.
                return Some(!r.negate);
            }
        }
        if is_dir || self.globs.iter().all(|r| r.negate) { None } else { Some(false) }
    }

    fn type_ok(&self, name: &str) -> bool {
        if self.types_not.iter().any(|r| r.is_match(name)) {
            return false;
        }
        self.types.is_empty() || self.types.iter().any(|r| r.is_match(name))
    }
}

fn in_git_repo(task: &Task, dir: &str) -> bool {
    let mut d = util::path::absolute(task, dir);
    loop {
        if task.stat(&path::join(&d, ".git")).is_ok() {
            return true;
        }
        if d == "/" || d.is_empty() {
            return false;
        }
        d = path::dirname(&d).to_string();
    }
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("e:f:isSwxFvnNHIlcoqg:t:T:uLd:m:A:B:C:a0hV.", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => {
            util::error(task, NAME, &m);
            return 2;
        }
    };
    if p.has('h') {
        return util::help(task, NAME, "[OPTIONS] PATTERN [PATH ...]");
    }
    if p.has('V') {
        util::out(task, b"ripgrep 14.1.0\n");
        return 0;
    }
    if p.has('\u{106}') {
        let mut s = String::new();
        for (name, globs) in TYPES {
            s.push_str(&format!("{name}: {}\n", globs.join(", ")));
        }
        util::out(task, s.as_bytes());
        return 0;
    }
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    let mut have = false;
    let (mut icase, mut smart, mut fixed, mut line, mut list_files) = (false, false, false, false, false);
    let mut names: Option<bool> = None;
    let mut line_numbers = false;
    let mut f = Filters { hidden: false, no_ignore: false, globs: vec![], types: vec![], types_not: vec![] };
    let (mut max_depth, mut follow, mut no_messages) = (usize::MAX, Follow::Never, false);
    let mut c = Config::new(true, true);
    let mut unrestricted = 0;
    let (mut after, mut before, mut context) = (None, None, None);
    for (o, v) in &p.opts {
        let v = v.as_deref().unwrap_or("");
        let num = |v: &str| v.parse::<usize>().ok();
        match *o {
            'e' => {
                have = true;
                patterns.push(v.as_bytes().to_vec());
            }
            'f' => {
                have = true;
                match util::input::read_file(task, v) {
                    Ok(d) => patterns.extend(util::input::split_records(&d, b'\n').0),
                    Err(e) => {
                        util::error_file(task, NAME, v, e);
                        return 2;
                    }
                }
            }
            'i' => (icase, smart) = (true, false),
            's' => (icase, smart) = (false, false),
            'S' => (icase, smart) = (false, true),
            'w' => c.word = true,
            'x' => line = true,
            'F' => fixed = true,
            'v' => c.invert = true,
            'n' => line_numbers = true,
            'N' => line_numbers = false,
            'H' => names = Some(true),
            'I' => names = Some(false),
            'l' => c.files_with = true,
            '\u{100}' => c.files_without = true,
            'c' => c.count = true,
            'o' => c.only = true,
            'q' => c.quiet = true,
            'g' | '\u{101}' => {
                if let Some(r) = parse_rule(v, *o != 'g') {
                    f.globs.push(r);
                }
            }
            't' | 'T' => {
                let Some((_, globs)) = TYPES.iter().find(|(n, _)| *n == v) else {
                    util::error(task, NAME, &format!("unrecognized file type: {v}"));
                    return 2;
                };
                let target = if *o == 't' { &mut f.types } else { &mut f.types_not };
                target.extend(globs.iter().filter_map(|g| glob_regex(g, false)));
            }
            '\u{102}' => list_files = true,
            '.' => f.hidden = true,
            '\u{103}' => f.no_ignore = true,
            'u' => {
                unrestricted += 1;
                f.no_ignore = true;
                if unrestricted >= 2 {
                    f.hidden = true;
                }
                if unrestricted >= 3 {
                    c.binary = Binary::Text;
                }
            }
            'L' => follow = Follow::Always,
            'd' => max_depth = num(v).unwrap_or(usize::MAX),
            'm' => c.max_count = v.parse().ok(),
            'A' => after = num(v),
            'B' => before = num(v),
            'C' => context = num(v),
            'a' => c.binary = Binary::Text,
            '0' => c.null = true,
            '\u{107}' => no_messages = true,
            _ => {}
        }
    }
    c.context = after.is_some() || before.is_some() || context.is_some();
    c.after = after.or(context).unwrap_or(0);
    c.before = before.or(context).unwrap_or(0);
    let mut operands = p.operands.clone();
    if !have && !list_files {
        if operands.is_empty() {
            util::error(task, NAME, "ripgrep requires at least one pattern to execute a search");
            return 2;
        }
        patterns.push(operands.remove(0).into_bytes());
    }
    if smart && !patterns.iter().any(|p| p.iter().any(|b| b.is_ascii_uppercase())) {
        icase = true;
    }
    let syntax = if fixed { Syntax::Fixed } else { Syntax::Perl };
    let o = ReOptions { icase, utf8: true, multi_line: true, ..ReOptions::new(syntax) };
    let refs: Vec<&[u8]> = patterns.iter().map(|p| p.as_slice()).collect();
    let re = match posix_regex::compile_many(&refs, &o, line) {
        Ok(r) => r,
        Err(m) => {
            util::error(task, NAME, &format!("regex parse error:\n{m}"));
            return 2;
        }
    };
    let implicit = operands.is_empty();
    if implicit {
        operands.push(".".into());
    }
    let single_file = operands.len() == 1 && !util::path::is_dir(task, &operands[0]);
    c.with_name = names.unwrap_or(!single_file);
    c.line_number = line_numbers;
    let task: &Task = task;
    let mut out = task.stdout();
    let mut shared = Shared::default();
    let mut errors = false;
    for root in &operands {
        if shared.quit {
            break;
        }
        let report = |p: &str, e: agentos_kernel::Errno| {
            if !no_messages {
                util::error(task, NAME, &format!("{p}: {} (os error {})", e.strerror(), e.raw()));
            }
        };
        if root == "-" {
            let mut s = Searcher::new(task, &c, &re, b"<stdin>");
            errors |= s.search_fd(0, &mut out, &mut shared).is_err();
            continue;
        }
        let git = !f.no_ignore && in_git_repo(task, root);
        let mut stack: Vec<(usize, RuleSet)> = Vec::new();
        let opts = walk::Options { follow, max_depth, post_order: true };
        walk::walk(task, root, &opts, &mut |task, v| {
            if shared.quit {
                return Control::Stop;
            }
            let e = match v {
                Visit::Error { path, errno, .. } => {
                    report(path, errno);
                    errors = true;
                    return Control::Continue;
                }
                Visit::Entry(e) => e,
            };
            let is_dir = e.stat.is_dir();
            if e.post {
                while stack.last().is_some_and(|(d, _)| *d >= e.depth) {
                    stack.pop();
                }
                return Control::Continue;
            }
            let shown = if implicit { e.path.strip_prefix("./").unwrap_or(&e.path) } else { &e.path };
            if e.depth > 0 {
                if !f.hidden && e.name().starts_with('.') {
                    return Control::Skip;
                }
                if !f.no_ignore {
                    let verdict = stack.iter().rev().find_map(|(_, rs)| rs.matched(&e.path, is_dir));
                    if verdict == Some(true) {
                        return Control::Skip;
                    }
                }
                let rel = e.path[root.len()..].trim_start_matches('/');
                if f.glob_verdict(rel, is_dir) == Some(false) {
                    return Control::Skip;
                }
            }
            if is_dir {
                if !f.no_ignore {
                    let files: &[&str] =
                        if git { &[".gitignore", ".ignore", ".rgignore"] } else { &[".ignore", ".rgignore"] };
                    if let Some(rs) = RuleSet::load(task, &e.path, files) {
                        stack.push((e.depth, rs));
                    }
                }
                return Control::Continue;
            }
            if !e.stat.is_file() {
                return Control::Continue;
            }
            if e.depth > 0 && !f.type_ok(e.name()) {
                return Control::Continue;
            }
            if list_files {
                let _ = out.write_all(shown.as_bytes());
                let _ = out.write_all(if c.null { b"\0" } else { b"\n" });
                shared.matched = true;
                return Control::Continue;
            }
            // Binary files met while recursing are skipped quietly.
            let cfg;
            let cref = if e.depth > 0 && c.binary == Binary::Report {
                cfg = Config { binary: Binary::WithoutMatch, ..c.clone() };
                &cfg
            } else {
                &c
            };
            match task.open(&e.path, OFlags::RDONLY, 0) {
                Ok(fd) => {
                    let mut s = Searcher::new(task, cref, &re, shown.as_bytes());
                    if let Err(err) = s.search_fd(fd, &mut out, &mut shared) {
                        report(shown, err);
                        errors = true;
                    }
                    let _ = task.close(fd);
                }
                Err(err) => {
                    report(shown, err);
                    errors = true;
                }
            }
            Control::Continue
        });
    }
    let status = if shared.matched {
        0
    } else if errors {
        2
    } else {
        1
    };
    util::finish(task, NAME, &mut out, status)
}
