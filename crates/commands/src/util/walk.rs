//! Recursive directory traversal through the [`Task`], depth first, each
//! directory's entries in the order the kernel lists them (sorted by name
//! in our VFS) — what `find`, `grep -r`, `rg`, `du` and `chmod -R` need.
//!
//! Analogue: gnulib's `fts(3)` as GNU find uses it (`FTS_PHYSICAL`,
//! `FTS_COMFOLLOW` for `-H`, `FTS_LOGICAL` for `-L`). The walker never
//! prints: problems are handed to the callback as [`Visit::Error`] so each
//! command words them its own way (`find: 'x': Permission denied`).

use agentos_kernel::abi::Stat;
use agentos_kernel::{Errno, Task};

use super::path::join;

/// Which symbolic links the walk follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Follow {
    /// Never (`find -P`, `grep -r` below its operands).
    #[default]
    Never,
    /// Only the starting points (`find -H`, `grep -r` operands).
    Roots,
    /// Always (`find -L`, `grep -R`).
    Always,
}

/// How to walk.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub follow: Follow,
    /// Don't descend below this depth (the root is depth 0).
    pub max_depth: usize,
    /// Also report each directory after its contents ([`Entry::post`]).
    pub post_order: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { follow: Follow::Never, max_depth: usize::MAX, post_order: false }
    }
}

/// A file met on the walk.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The path as the user would write it: the root, then `/name`s.
    pub path: String,
    /// Offset in `path` of the last component (0 for a root).
    pub name_at: usize,
    pub depth: usize,
    /// `lstat` of the file, or `stat` where the link is followed.
    pub stat: Stat,
    /// Whether `stat` comes from following a symbolic link.
    pub followed: bool,
    /// A directory reported after its contents (only with `post_order`).
    pub post: bool,
}

impl Entry {
    /// The last component (the root as given, for a root).
    pub fn name(&self) -> &str {
        &self.path[self.name_at..]
    }
}

/// What the callback sees.
pub enum Visit<'a> {
    Entry(&'a Entry),
    /// `path` could not be examined or listed (`ENOENT`, `EACCES`), or
    /// following a link there would loop (`ELOOP`).
    Error {
        path: &'a str,
        errno: Errno,
        depth: usize,
    },
}

/// What the callback wants next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Continue,
    /// Don't descend into this directory (`-prune`); ignored otherwise.
    Skip,
    /// End the whole walk (`-quit`).
    Stop,
}

/// Walk the tree at `root`, calling `f` for every file. Returns false if
/// the callback stopped the walk.
pub fn walk(task: &Task, root: &str, opts: &Options, f: &mut dyn FnMut(&Task, Visit<'_>) -> Control) -> bool {
    let follow_root = opts.follow != Follow::Never;
    let stat = match lstat_follow(task, root, follow_root) {
        Ok(s) => s,
        Err(errno) => return f(task, Visit::Error { path: root, errno, depth: 0 }) != Control::Stop,
    };
    let entry = Entry { path: root.to_string(), name_at: 0, depth: 0, stat: stat.0, followed: stat.1, post: false };
    let mut ancestors = Vec::new();
    visit(task, entry, opts, &mut ancestors, f)
}

/// `lstat`, or `stat` when `follow` and the file is a link (falling back to
/// the link itself when it dangles, as fts does).
fn lstat_follow(task: &Task, path: &str, follow: bool) -> Result<(Stat, bool), Errno> {
    let st = task.lstat(path)?;
    if follow && st.is_symlink() {
        return match task.stat(path) {
            Ok(s) => Ok((s, true)),
            Err(Errno::ENOENT) => Ok((st, false)),
            Err(e) => Err(e),
        };
    }
    Ok((st, false))
}

fn visit(
    task: &Task,
    entry: Entry,
    opts: &Options,
    ancestors: &mut Vec<(u64, u64)>,
    f: &mut dyn FnMut(&Task, Visit<'_>) -> Control,
) -> bool {
    let is_dir = entry.stat.is_dir();
    if is_dir && entry.followed && ancestors.contains(&(entry.stat.dev, entry.stat.ino)) {
        return f(task, Visit::Error { path: &entry.path, errno: Errno::ELOOP, depth: entry.depth }) != Control::Stop;
    }
    match f(task, Visit::Entry(&entry)) {
        Control::Stop => return false,
        Control::Skip => return true,
        Control::Continue => {}
    }
    if !is_dir || entry.depth >= opts.max_depth {
        if is_dir && opts.post_order {
            return f(task, Visit::Entry(&Entry { post: true, ..entry })) != Control::Stop;
        }
        return true;
    }
    let names = match task.readdir(&entry.path) {
        Ok(v) => v,
        Err(errno) => {
            if f(task, Visit::Error { path: &entry.path, errno, depth: entry.depth }) == Control::Stop {
                return false;
            }
            Vec::new()
        }
    };
    ancestors.push((entry.stat.dev, entry.stat.ino));
    let follow = opts.follow == Follow::Always;
    for d in names {
        if task.check_signals(false).is_err() {
            return false;
        }
        let path = join(&entry.path, &d.name);
        let name_at = path.len() - d.name.len();
        let child = match lstat_follow(task, &path, follow) {
            Ok((stat, followed)) => Entry { path, name_at, depth: entry.depth + 1, stat, followed, post: false },
            Err(errno) => {
                if f(task, Visit::Error { path: &path, errno, depth: entry.depth + 1 }) == Control::Stop {
                    return false;
                }
                continue;
            }
        };
        if !visit(task, child, opts, ancestors, f) {
            return false;
        }
    }
    ancestors.pop();
    if opts.post_order {
        return f(task, Visit::Entry(&Entry { post: true, ..entry })) != Control::Stop;
    }
    true
}
