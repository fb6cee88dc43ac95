//! `rm [-dfirRv] FILE...`: remove files and (with `-r`) directory trees.
//! Refuses `.`, `..` and, recursively, `/`, like GNU rm. `-i` prompts on
//! standard error and reads the answer from standard input.

use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Input, Spec, opts, path};

const NAME: &str = "rm";

const LONG: &[(&str, Arg, char)] = &[
    ("force", Arg::No, 'f'),
    ("interactive", Arg::Opt, '\u{1}'),
    ("recursive", Arg::No, 'r'),
    ("dir", Arg::No, 'd'),
    ("verbose", Arg::No, 'v'),
    ("preserve-root", Arg::Opt, '\u{2}'),
    ("no-preserve-root", Arg::No, '\u{3}'),
    ("one-file-system", Arg::No, '\u{4}'),
    ("help", Arg::No, 'H'),
];

struct Rm<'a> {
    task: &'a Task,
    force: bool,
    interactive: bool,
    recursive: bool,
    dir: bool,
    verbose: bool,
    status: i32,
}

fn file_kind(st: &agentos_kernel::abi::Stat) -> &'static str {
    use agentos_kernel::abi::FileType as F;
    match st.file_type() {
        F::Directory => "directory",
        F::Symlink => "symbolic link",
        F::Regular if st.size == 0 => "regular empty file",
        F::Regular => "regular file",
        F::Fifo => "fifo",
        F::CharDevice => "character special file",
        F::BlockDevice => "block special file",
        F::Socket => "socket",
    }
}

impl Rm<'_> {
    fn ask(&self, question: &str) -> bool {
        let _ = self.task.write_all(2, format!("{NAME}: {question}? ").as_bytes());
        let mut input = Input::fd(self.task, 0);
        match input.line() {
            Ok(Some(l)) => matches!(l.first(), Some(b'y') | Some(b'Y')),
            _ => false,
        }
    }

    fn fail(&mut self, p: &str, e: Errno) {
        util::error(self.task, NAME, &format!("cannot remove {}: {}", util::quote(p), e.strerror()));
        self.status = 1;
    }

    fn remove(&mut self, p: &str) {
        let st = match self.task.lstat(p) {
            Ok(st) => st,
            Err(Errno::ENOENT) if self.force => return,
            Err(e) => return self.fail(p, e),
        };
        if st.is_dir() {
            if !self.recursive {
                if self.dir {
                    if self.interactive && !self.ask(&format!("remove directory {}", util::quote(p))) {
                        return;
                    }
                    match self.task.rmdir(p) {
                        Ok(()) => self.removed(p, true),
                        Err(e) => self.fail(p, e),
                    }
                } else {
                    self.fail(p, Errno::EISDIR);
                }
                return;
            }
            if self.interactive && !self.ask(&format!("descend into directory {}", util::quote(p))) {
                return;
            }
            let entries = match self.task.readdir(p) {
                Ok(v) => v,
                Err(e) => {
                    // An unreadable but empty directory can still go.
                    if self.task.rmdir(p).is_ok() {
                        self.removed(p, true);
                    } else {
                        self.fail(p, e);
                    }
                    return;
                }
            };
            for e in entries {
                self.remove(&path::join(p, &e.name));
            }
            if self.interactive && !self.ask(&format!("remove directory {}", util::quote(p))) {
                return;
            }
            match self.task.rmdir(p) {
                Ok(()) => self.removed(p, true),
                // A child failed: its error was reported already.
                Err(Errno::ENOTEMPTY) if self.status != 0 => {}
                Err(e) => self.fail(p, e),
            }
            return;
        }
        if self.interactive && !self.ask(&format!("remove {} {}", file_kind(&st), util::quote(p))) {
            return;
        }
        match self.task.unlink(p) {
            Ok(()) => self.removed(p, false),
            Err(Errno::ENOENT) if self.force => {}
            Err(e) => self.fail(p, e),
        }
    }

    fn removed(&self, p: &str, dir: bool) {
        if self.verbose {
            let what = if dir { "removed directory" } else { "removed" };
            util::out(self.task, format!("{what} {}\n", util::quote(p)).as_bytes());
        }
    }
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("dfiIrRv", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let mut rm = Rm { task, force: false, interactive: false, recursive: false, dir: false, verbose: false, status: 0 };
    let mut preserve_root = true;
    for (c, v) in &p.opts {
        match c {
            'f' => {
                rm.force = true;
                rm.interactive = false;
            }
            'i' => {
                rm.interactive = true;
                rm.force = false;
            }
            '\u{1}' => {
                rm.interactive = !matches!(v.as_deref(), Some("never") | Some("no") | Some("none") | Some("once"));
            }
            'r' | 'R' => rm.recursive = true,
            'd' => rm.dir = true,
            'v' => rm.verbose = true,
            '\u{3}' => preserve_root = false,
            _ => {}
        }
    }
    if p.operands.is_empty() {
        if rm.force {
            return 0;
        }
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    for f in &p.operands {
        let base = path::basename(f);
        if base == "." || base == ".." {
            util::error(task, NAME, &format!("refusing to remove '.' or '..' directory: skipping {}", util::quote(f)));
            rm.status = 1;
            continue;
        }
        if rm.recursive && preserve_root && !f.is_empty() && f.trim_start_matches('/').is_empty() {
            util::error(task, NAME, &format!("it is dangerous to operate recursively on {}", util::quote("/")));
            util::error(task, NAME, "use --no-preserve-root to override this failsafe");
            rm.status = 1;
            continue;
        }
        rm.remove(f);
    }
    rm.status
}
