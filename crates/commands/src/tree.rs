//! `tree [-adfL N -I PATTERN --noreport] [DIR...]`: a directory listing as
//! a tree, like tree 2.1: entries sorted by name (byte order), hidden ones
//! only with `-a`, symlinks shown as `name -> target` and not descended,
//! and a report counting the listed directories (the roots included) and
//! files.

use std::io::Write;

use agentos_kernel::Task;

use crate::util::fnmatch::{Flags, fnmatch};
use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "tree";

struct Config {
    /// Box-drawing lines in a UTF-8 locale, ASCII art otherwise (as tree).
    utf8: bool,
    all: bool,
    dirs_only: bool,
    full_path: bool,
    max_level: Option<usize>,
    ignore: Vec<String>,
}

#[derive(Default)]
struct Counts {
    dirs: usize,
    files: usize,
}

pub fn main(task: &mut Task) -> i32 {
    const LONG: &[(&str, Arg, char)] = &[("noreport", Arg::No, 'R'), ("help", Arg::No, 'H')];
    let p = match opts::parse(&Spec::new("adfL:I:", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 2),
    };
    if p.has('H') {
        return util::help(task, NAME, "[-adf] [-L level] [-I pattern] [--noreport] [directory ...]");
    }
    let max_level = match p.last('L') {
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                util::error(task, NAME, "Invalid level, must be greater than 0.");
                return 2;
            }
        },
        None => None,
    };
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"].iter().find_map(|k| task.getenv(k).filter(|v| !v.is_empty()));
    let utf8 = locale.is_some_and(|l| l.to_ascii_lowercase().replace('-', "").contains("utf8"));
    let cfg = Config {
        utf8,
        all: p.has('a'),
        dirs_only: p.has('d'),
        full_path: p.has('f'),
        max_level,
        ignore: p.all('I').iter().flat_map(|s| s.split('|')).map(String::from).collect(),
    };
    let roots = if p.operands.is_empty() { vec![".".to_string()] } else { p.operands.clone() };
    let task: &Task = task;
    let mut w = task.stdout();
    let mut counts = Counts::default();
    let mut status = 0;
    for root in &roots {
        match task.stat(root) {
            Ok(st) if st.is_dir() => {
                let _ = writeln!(w, "{root}");
                // tree 2.1 counts a root directory only if it lists anything.
                if walk(task, &cfg, &mut w, root, "", 1, &mut counts) > 0 {
                    counts.dirs += 1;
                }
            }
            Ok(_) => {
                counts.files += 1;
                let _ = writeln!(w, "{root}  [error opening dir]");
                status = 2;
            }
            Err(_) => {
                let _ = writeln!(w, "{root}  [error opening dir]");
                status = 2;
            }
        }
    }
    if !p.has('R') {
        let d = if counts.dirs == 1 { "directory" } else { "directories" };
        if cfg.dirs_only {
            let _ = write!(w, "\n{} {d}\n", counts.dirs);
        } else {
            let f = if counts.files == 1 { "file" } else { "files" };
            let _ = write!(w, "\n{} {d}, {} {f}\n", counts.dirs, counts.files);
        }
    }
    util::finish(task, NAME, &mut w, status)
}

/// List `dir`'s entries below `prefix`; returns how many were listed.
fn walk(
    task: &Task,
    cfg: &Config,
    w: &mut impl Write,
    dir: &str,
    prefix: &str,
    level: usize,
    counts: &mut Counts,
) -> usize {
    let Ok(entries) = task.readdir(dir) else { return 0 };
    let mut shown = Vec::new();
    for e in entries {
        if !cfg.all && e.name.starts_with('.') {
            continue;
        }
        if cfg.ignore.iter().any(|pat| fnmatch(pat.as_bytes(), e.name.as_bytes(), Flags::default())) {
            continue;
        }
        let path = format!("{}/{}", dir.trim_end_matches('/'), e.name);
        let link = task.lstat(&path).map(|s| s.is_symlink()).unwrap_or(false);
        let is_dir = task.stat(&path).map(|s| s.is_dir()).unwrap_or(false);
        if cfg.dirs_only && !is_dir {
            continue;
        }
        shown.push((e.name, path, link, is_dir));
    }
    shown.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let listed = shown.len();
    let last_index = listed.saturating_sub(1);
    let (tee, corner, bar) =
        if cfg.utf8 { ("├── ", "└── ", "│\u{a0}\u{a0} ") } else { ("|-- ", "`-- ", "|   ") };
    for (i, (name, path, link, is_dir)) in shown.into_iter().enumerate() {
        let last = i == last_index;
        let branch = if last { corner } else { tee };
        let label = if cfg.full_path { path.clone() } else { name };
        let _ = write!(w, "{prefix}{branch}{label}");
        if link {
            let target = task.readlink(&path).unwrap_or_default();
            let _ = write!(w, " -> {target}");
        }
        let _ = writeln!(w);
        if is_dir {
            counts.dirs += 1;
        } else {
            counts.files += 1;
        }
        if is_dir && !link && cfg.max_level.is_none_or(|m| level < m) {
            let next = format!("{prefix}{}", if last { "    " } else { bar });
            walk(task, cfg, w, &path, &next, level + 1, counts);
        }
    }
    listed
}
