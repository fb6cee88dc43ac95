//! `find [-H|-L|-P] [PATH...] [EXPRESSION]`: walk directory trees and
//! evaluate an expression on every file.
//!
//! Analogue: GNU findutils 4.9 — messages (`find: 'x': No such file or
//! directory`), exit status 1 after any error, `-exec ... +` batching.
//! Traversal order is the directory order of our VFS, which is sorted by
//! name (GNU's is unordered). The expression parser is in [`parse`], the
//! `-printf`/`-ls` formatting in [`printf`].

pub mod parse;
mod printf;

use std::io::Write;

use agentos_kernel::abi::{FileType, Timespec};
use agentos_kernel::{Errno, Task};

use crate::util::fnmatch::{Flags, fnmatch};
use crate::util::users::Db;
use crate::util::walk::{self, Control, Entry, Follow, Visit};
use crate::util::{self, path};
use parse::{Expr, Parsed, Perm};

const NAME: &str = "find";

struct TaskEnv<'a> {
    task: &'a Task,
    db: &'a Db,
}

impl parse::Env for TaskEnv<'_> {
    fn stat_time(&self, path: &str, kind: char) -> Result<Timespec, String> {
        match self.task.stat(path) {
            Ok(s) => Ok(match kind {
                'a' => s.atime,
                'c' => s.ctime,
                _ => s.mtime,
            }),
            Err(e) => Err(format!("'{path}': {}", e.strerror())),
        }
    }
    fn uid(&self, name: &str) -> Option<u32> {
        self.db.user_by_name(name).map(|u| u.uid)
    }
    fn gid(&self, name: &str) -> Option<u32> {
        self.db.group_by_name(name).map(|g| g.gid)
    }
}

/// Per-run state while evaluating.
struct Run<'a, W: Write> {
    task: &'a Task,
    out: W,
    db: &'a Db,
    parsed: &'a Parsed,
    now: Timespec,
    status: i32,
    /// Pending `{} +` arguments per exec, with their directory (`-execdir`).
    batches: Vec<Vec<(String, String)>>,
    root: String,
    prune: bool,
    quit: bool,
}

pub fn main(task: &mut Task) -> i32 {
    let args = task.argv[1..].to_vec();
    let task: &Task = task;
    let mut follow = Follow::Never;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-H" => follow = Follow::Roots,
            "-L" => follow = Follow::Always,
            "-P" => follow = Follow::Never,
            "--" => {
                i += 1;
                break;
            }
            "--help" => return util::help(task, NAME, "[-H] [-L] [-P] [path...] [expression]"),
            "--version" => {
                util::out(task, b"find (GNU findutils) 4.9.0\n");
                return 0;
            }
            _ => break,
        }
        i += 1;
    }
    let start = i;
    while i < args.len() {
        let a = &args[i];
        if (a.starts_with('-') && a.len() > 1) || a == "!" || a == "(" {
            break;
        }
        i += 1;
    }
    let mut roots: Vec<String> = args[start..i].to_vec();
    if roots.is_empty() {
        roots.push(".".into());
    }
    let db = Db::load(task);
    let parsed = match parse::parse(&args[i..], &TaskEnv { task, db: &db }) {
        Ok(p) => p,
        Err(m) => {
            util::error(task, NAME, &m);
            return 1;
        }
    };
    if parsed.globals.follow {
        follow = Follow::Always;
    }
    let mut run = Run {
        task,
        out: task.stdout(),
        db: &db,
        parsed: &parsed,
        now: task.now(),
        status: 0,
        batches: parsed.execs.iter().map(|_| Vec::new()).collect(),
        root: String::new(),
        prune: false,
        quit: false,
    };
    let opts = walk::Options {
        follow,
        max_depth: parsed.globals.max_depth.unwrap_or(usize::MAX),
        post_order: parsed.globals.depth_first,
    };
    for root in &roots {
        if run.quit {
            break;
        }
        if root.is_empty() {
            util::error(task, NAME, "'': No such file or directory");
            run.status = 1;
            continue;
        }
        run.root = root.clone();
        walk::walk(task, root, &opts, &mut |_, v| run.visit(v));
    }
    for k in 0..run.batches.len() {
        run.flush_batch(k);
    }
    let status = run.status;
    util::finish(task, NAME, &mut run.out, status)
}

impl<W: Write> Run<'_, W> {
    fn visit(&mut self, v: Visit<'_>) -> Control {
        if self.quit {
            return Control::Stop;
        }
        match v {
            Visit::Error { path, errno, .. } => {
                let _ = self.out.flush();
                let msg = if errno == Errno::ELOOP {
                    format!("File system loop detected; '{path}' is part of the same file system loop as an ancestor.")
                } else {
                    format!("{}: {}", util::quote(path), errno.strerror())
                };
                util::error(self.task, NAME, &msg);
                self.status = 1;
                Control::Continue
            }
            Visit::Entry(e) => {
                let g = &self.parsed.globals;
                // With -depth, directories are judged after their contents.
                let judge = if g.depth_first && e.stat.is_dir() { e.post } else { !e.post };
                if judge && e.depth >= g.min_depth {
                    self.prune = false;
                    let parsed = self.parsed;
                    let r = self.eval(&parsed.expr, e);
                    if !parsed.has_action && r {
                        self.print_path(e, b'\n');
                    }
                    if self.quit {
                        return Control::Stop;
                    }
                    if self.prune && !g.depth_first {
                        return Control::Skip;
                    }
                }
                Control::Continue
            }
        }
    }

    fn eval(&mut self, x: &Expr, e: &Entry) -> bool {
        let st = &e.stat;
        match x {
            Expr::And(a, b) => self.eval(a, e) && !self.quit && self.eval(b, e),
            Expr::Or(a, b) => self.eval(a, e) || (!self.quit && self.eval(b, e)),
            Expr::Comma(a, b) => {
                self.eval(a, e);
                !self.quit && self.eval(b, e)
            }
            Expr::Not(a) => !self.eval(a, e),
            Expr::True => true,
            Expr::False => false,
            Expr::Name { pat, icase } => {
                let base = if e.depth == 0 { path::basename(&e.path) } else { e.name() };
                fnmatch(pat.as_bytes(), base.as_bytes(), Flags { casefold: *icase, ..Flags::default() })
            }
            Expr::Path { pat, icase } => {
                fnmatch(pat.as_bytes(), e.path.as_bytes(), Flags { casefold: *icase, ..Flags::default() })
            }
            Expr::LName { pat, icase } => {
                st.is_symlink()
                    && self.task.readlink(&e.path).is_ok_and(|t| {
                        fnmatch(pat.as_bytes(), t.as_bytes(), Flags { casefold: *icase, ..Flags::default() })
                    })
            }
            Expr::Regex(re) => re.is_match(e.path.as_bytes()),
            Expr::Type(types) => types.contains(&type_char(st.file_type())),
            Expr::XType(types) => {
                let t = if st.is_symlink() {
                    self.task.stat(&e.path).map(|s| s.file_type()).unwrap_or(FileType::Symlink)
                } else {
                    self.task.lstat(&e.path).map(|s| s.file_type()).unwrap_or(st.file_type())
                };
                types.contains(&type_char(t))
            }
            Expr::Size { cmp, unit } => cmp.test(st.size.div_ceil(*unit)),
            Expr::Time { kind, unit, cmp } => {
                let t = match kind {
                    'a' => st.atime,
                    'c' => st.ctime,
                    _ => st.mtime,
                };
                let age_ns = (self.now.sec - t.sec) as i128 * 1_000_000_000 + (self.now.nsec as i128 - t.nsec as i128);
                let unit_ns = *unit as i128 * 1_000_000_000;
                // Whole days, rounded down; minutes, rounded up (as GNU).
                let units =
                    if *unit == 60 { (age_ns + unit_ns - 1).div_euclid(unit_ns) } else { age_ns.div_euclid(unit_ns) };
                match cmp {
                    parse::Cmp::Gt(n) => units > *n as i128,
                    parse::Cmp::Lt(n) => units < *n as i128,
                    parse::Cmp::Eq(n) => units == *n as i128,
                }
            }
            Expr::Newer(kind, t) => {
                let mine = match kind {
                    'a' => st.atime,
                    'c' => st.ctime,
                    _ => st.mtime,
                };
                (mine.sec, mine.nsec) > (t.sec, t.nsec)
            }
            Expr::Perm(p) => {
                let m = st.mode & 0o7777;
                match *p {
                    Perm::Exact(b) => m == b,
                    Perm::All(b) => m & b == b,
                    Perm::Any(b) => b == 0 || m & b != 0,
                }
            }
            Expr::User(u) => st.uid == *u,
            Expr::Group(g) => st.gid == *g,
            Expr::Uid(c) => c.test(st.uid as u64),
            Expr::Gid(c) => c.test(st.gid as u64),
            Expr::Links(c) => c.test(st.nlink),
            Expr::Inum(c) => c.test(st.ino),
            Expr::Empty => {
                if st.is_dir() {
                    self.task.readdir(&e.path).is_ok_and(|v| v.is_empty())
                } else {
                    st.is_file() && st.size == 0
                }
            }
            Expr::Access(m) => self.task.access(&e.path, *m).is_ok(),
            Expr::NoUser => self.db.user(st.uid).is_none(),
            Expr::NoGroup => self.db.group(st.gid).is_none(),
            Expr::Prune => {
                self.prune = true;
                true
            }
            Expr::Quit => {
                self.quit = true;
                true
            }
            Expr::Print { nul } => {
                self.print_path(e, if *nul { 0 } else { b'\n' });
                true
            }
            Expr::Printf(fmt) => {
                let s = printf::format(self.task, self.db, fmt, e, &self.root);
                let _ = self.out.write_all(&s);
                true
            }
            Expr::Ls => {
                let s = printf::ls_line(self.task, self.db, e, self.now);
                let _ = self.out.write_all(&s);
                true
            }
            Expr::Delete => self.delete(e),
            Expr::Exec(k) => self.exec(*k, e),
        }
    }

    fn delete(&mut self, e: &Entry) -> bool {
        if e.path == "." {
            return true;
        }
        let r = if e.stat.is_dir() { self.task.rmdir(&e.path) } else { self.task.unlink(&e.path) };
        match r {
            Ok(()) => true,
            Err(err) => {
                let _ = self.out.flush();
                util::error(self.task, NAME, &format!("cannot delete {}: {}", util::quote(&e.path), err.strerror()));
                self.status = 1;
                false
            }
        }
    }

    /// Run exec `k` for `e`: now (`;`), or later in a batch (`+`).
    fn exec(&mut self, k: usize, e: &Entry) -> bool {
        let ex = &self.parsed.execs[k];
        let (dir, name) = if ex.in_dir {
            let dir = if e.depth == 0 {
                path::dirname(&e.path).to_string()
            } else {
                e.path[..e.name_at].trim_end_matches('/').to_string()
            };
            let dir = if dir.is_empty() { "/".to_string() } else { dir };
            let base = if e.depth == 0 { path::basename(&e.path) } else { e.name() };
            (dir, format!("./{base}"))
        } else {
            (String::new(), e.path.clone())
        };
        if ex.batch {
            if self.batches[k].first().is_some_and(|(d, _)| *d != dir) || self.batches[k].len() >= 4096 {
                self.flush_batch(k);
            }
            self.batches[k].push((dir, name));
            return true;
        }
        let argv: Vec<String> = ex.argv.iter().map(|a| a.replace("{}", &name)).collect();
        let code = self.spawn(&argv, &dir);
        code == 0
    }

    fn flush_batch(&mut self, k: usize) {
        let items = std::mem::take(&mut self.batches[k]);
        let Some((dir, _)) = items.first() else { return };
        let dir = dir.clone();
        let mut argv = self.parsed.execs[k].argv.clone();
        argv.extend(items.into_iter().map(|(_, n)| n));
        if self.spawn(&argv, &dir) != 0 {
            self.status = 1;
        }
    }

    /// Run a command with find's own standard descriptors; its status.
    fn spawn(&mut self, argv: &[String], dir: &str) -> i32 {
        let _ = self.out.flush();
        let cwd = (!dir.is_empty()).then_some(dir);
        match crate::xargs::run_command(self.task, argv, cwd, None) {
            Ok(code) => code,
            Err(e) => {
                util::error(self.task, NAME, &format!("{}: {}", util::quote(&argv[0]), e.strerror()));
                self.status = 1;
                127
            }
        }
    }
}

fn type_char(t: FileType) -> char {
    match t {
        FileType::Directory => 'd',
        FileType::Symlink => 'l',
        FileType::CharDevice => 'c',
        FileType::BlockDevice => 'b',
        FileType::Fifo => 'p',
        FileType::Socket => 's',
        _ => 'f',
    }
}

impl<W: Write> Run<'_, W> {
    fn print_path(&mut self, e: &Entry, end: u8) {
        let _ = self.out.write_all(e.path.as_bytes());
        let _ = self.out.write_all(&[end]);
    }
}
