//! `cp [OPTION]... SOURCE... DEST`: copy files and (with `-r`) directory
//! trees, with GNU's `-a -p -P -L -f -n -i -u -v -l -s -T -t`. The copy
//! engine is shared with `mv`, which falls back to it across filesystems.

use agentos_kernel::abi::{OFlags, Stat, TimeSet};
use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Input, Spec, opts, path};

const LONG: &[(&str, Arg, char)] = &[
    ("archive", Arg::No, 'a'),
    ("recursive", Arg::No, 'r'),
    ("force", Arg::No, 'f'),
    ("interactive", Arg::No, 'i'),
    ("no-clobber", Arg::No, 'n'),
    ("verbose", Arg::No, 'v'),
    ("no-target-directory", Arg::No, 'T'),
    ("target-directory", Arg::Req, 't'),
    ("no-dereference", Arg::No, 'P'),
    ("dereference", Arg::No, 'L'),
    ("link", Arg::No, 'l'),
    ("symbolic-link", Arg::No, 's'),
    ("update", Arg::Opt, 'u'),
    ("preserve", Arg::Opt, '\u{1}'),
    ("no-preserve", Arg::Req, '\u{2}'),
    ("parents", Arg::No, '\u{3}'),
    ("remove-destination", Arg::No, '\u{4}'),
    ("help", Arg::No, '\u{10}'),
];

/// How to copy.
#[derive(Clone, Debug, Default)]
pub struct Copier {
    pub name: &'static str,
    pub recursive: bool,
    /// Follow symlinks found while copying (`-L`).
    pub deref: bool,
    /// Follow symlinks named on the command line (`-H`, or the default
    /// without `-r`).
    pub deref_args: bool,
    pub preserve_mode: bool,
    pub preserve_times: bool,
    pub preserve_owner: bool,
    pub force: bool,
    pub no_clobber: bool,
    pub interactive: bool,
    pub update: bool,
    pub verbose: bool,
    pub hard_link: bool,
    pub symlink: bool,
    pub remove_dest: bool,
    /// Used by `mv`: diagnostics say "cannot move".
    pub for_mv: bool,
}

impl Copier {
    fn err(&self, task: &Task, msg: &str) {
        util::error(task, self.name, msg);
    }

    fn ask(&self, task: &Task, q: &str) -> bool {
        let _ = task.write_all(2, format!("{}: {q}? ", self.name).as_bytes());
        matches!(Input::fd(task, 0).line(), Ok(Some(l)) if matches!(l.first(), Some(b'y') | Some(b'Y')))
    }

    /// Copy `src` to `dst`. Returns false after reporting an error.
    pub fn copy(&self, task: &Task, src: &str, dst: &str, top: bool) -> bool {
        let follow = self.deref || (top && self.deref_args);
        let st = match if follow { task.stat(src) } else { task.lstat(src) } {
            Ok(s) => s,
            Err(e) => {
                self.err(task, &format!("cannot stat {}: {}", util::quote(src), e.strerror()));
                return false;
            }
        };
        let dst_st = task.lstat(dst).ok();
        if let Some(d) = &dst_st {
            let dfollow = task.stat(dst).ok();
            let same = dfollow.as_ref().is_some_and(|x| x.dev == st.dev && x.ino == st.ino)
                || (d.dev == st.dev && d.ino == st.ino);
            if same {
                self.err(task, &format!("{} and {} are the same file", util::quote(src), util::quote(dst)));
                return false;
            }
        }
        if st.is_dir() {
            if !self.recursive {
                self.err(task, &format!("-r not specified; omitting directory {}", util::quote(src)));
                return false;
            }
            return self.copy_dir(task, src, dst, &st, dst_st.as_ref());
        }
        if let Some(d) = &dst_st {
            if d.is_dir() && !(d.is_symlink()) {
                self.err(task, &format!("cannot overwrite directory {} with non-directory", util::quote(dst)));
                return false;
            }
            if self.no_clobber {
                return true;
            }
            if self.update && d.mtime >= st.mtime {
                return true;
            }
            if self.interactive && !self.ask(task, &format!("overwrite {}", util::quote(dst))) {
                return true;
            }
        }
        let r = if self.hard_link {
            if dst_st.is_some() {
                let _ = task.unlink(dst);
            }
            task.link(src, dst)
        } else if self.symlink {
            if dst_st.is_some() && (self.force || self.remove_dest) {
                let _ = task.unlink(dst);
            }
            task.symlink(src, dst)
        } else if st.is_symlink() {
            let target = match task.readlink(src) {
                Ok(t) => t,
                Err(e) => {
                    self.err(task, &format!("cannot read symbolic link {}: {}", util::quote(src), e.strerror()));
                    return false;
                }
            };
            if dst_st.is_some() {
                let _ = task.unlink(dst);
            }
            match task.symlink(&target, dst) {
                Ok(()) => Ok(()),
                Err(e) => {
                    self.err(task, &format!("cannot create symbolic link {}: {}", util::quote(dst), e.strerror()));
                    return false;
                }
            }
        } else {
            if self.remove_dest && dst_st.is_some() {
                let _ = task.unlink(dst);
            }
            return self.copy_file(task, src, dst, &st, dst_st.is_some() && !self.remove_dest);
        };
        match r {
            Ok(()) => {
                self.say(task, src, dst);
                true
            }
            Err(e) => {
                let what = if self.hard_link { "cannot create hard link" } else { "cannot create symbolic link" };
                self.err(task, &format!("{what} {} to {}: {}", util::quote(dst), util::quote(src), e.strerror()));
                false
            }
        }
    }

    fn say(&self, task: &Task, src: &str, dst: &str) {
        if self.verbose {
            let prefix = if self.for_mv { "renamed " } else { "" };
            util::out(task, format!("{prefix}{} -> {}\n", util::quote(src), util::quote(dst)).as_bytes());
        }
    }

    fn copy_file(&self, task: &Task, src: &str, dst: &str, st: &Stat, existed: bool) -> bool {
        let mut input = match Input::open(task, src) {
            Ok(i) => i,
            Err(e) => {
                self.err(task, &format!("cannot open {} for reading: {}", util::quote(src), e.strerror()));
                return false;
            }
        };
        let flags = OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC;
        let out = match task.open(dst, flags, st.perm() & 0o777) {
            Ok(fd) => Ok(fd),
            Err(Errno::EACCES) if self.force && existed => {
                let _ = task.unlink(dst);
                task.open(dst, flags, st.perm() & 0o777)
            }
            Err(e) => Err(e),
        };
        let out = match out {
            Ok(fd) => fd,
            Err(e) => {
                self.err(task, &format!("cannot create regular file {}: {}", util::quote(dst), e.strerror()));
                return false;
            }
        };
        let mut ok = true;
        loop {
            match input.chunk() {
                Ok([]) => break,
                Ok(c) => {
                    if let Err(e) = task.write_all(out, c) {
                        self.err(task, &format!("error writing {}: {}", util::quote(dst), e.strerror()));
                        ok = false;
                        break;
                    }
                }
                Err(e) => {
                    self.err(task, &format!("error reading {}: {}", util::quote(src), e.strerror()));
                    ok = false;
                    break;
                }
            }
        }
        let _ = task.close(out);
        if ok {
            self.preserve(task, dst, st);
            self.say(task, src, dst);
        }
        ok
    }

    fn preserve(&self, task: &Task, dst: &str, st: &Stat) {
        if self.preserve_owner {
            let _ = task.chown(dst, Some(st.uid), Some(st.gid), false);
        }
        if self.preserve_mode {
            let _ = task.chmod(dst, st.perm());
        }
        if self.preserve_times {
            let _ = task.utimens(dst, TimeSet::At(st.atime), TimeSet::At(st.mtime), true);
        }
    }

    fn copy_dir(&self, task: &Task, src: &str, dst: &str, st: &Stat, dst_st: Option<&Stat>) -> bool {
        // Refuse to copy a directory into itself.
        if let (Ok(s), Ok(d)) = (task.realpath(src), task.realpath(path::dirname(dst))) {
            let d = path::join(&d, path::basename(dst));
            if d == s || d.starts_with(&format!("{s}/")) {
                let verb = if self.for_mv { "move" } else { "copy a directory," };
                let msg = if self.for_mv {
                    format!("cannot {verb} {} to a subdirectory of itself, {}", util::quote(src), util::quote(dst))
                } else {
                    format!("cannot {verb} {}, into itself, {}", util::quote(src), util::quote(dst))
                };
                self.err(task, &msg);
                return false;
            }
        }
        let mut created = false;
        match dst_st {
            Some(d) if !d.is_dir() => {
                self.err(
                    task,
                    &format!("cannot overwrite non-directory {} with directory {}", util::quote(dst), util::quote(src)),
                );
                return false;
            }
            Some(_) => {}
            None => {
                if let Err(e) = task.mkdir(dst, st.perm() | 0o700) {
                    self.err(task, &format!("cannot create directory {}: {}", util::quote(dst), e.strerror()));
                    return false;
                }
                created = true;
                self.say(task, src, dst);
            }
        }
        let entries = match task.readdir(src) {
            Ok(v) => v,
            Err(e) => {
                self.err(task, &format!("cannot access {}: {}", util::quote(src), e.strerror()));
                return false;
            }
        };
        let mut ok = true;
        for e in entries {
            ok &= self.copy(task, &path::join(src, &e.name), &path::join(dst, &e.name), false);
        }
        if created {
            let mode = if self.preserve_mode { st.perm() } else { st.perm() & !task.get_umask() };
            let _ = task.chmod(dst, mode);
        }
        if self.preserve_times || self.preserve_owner {
            let c = Copier { preserve_mode: false, ..self.clone() };
            c.preserve(task, dst, st);
        }
        ok
    }
}

/// Split operands into sources and a destination, GNU style. Returns
/// (sources, target, target_is_dir) or reports and returns `None`.
pub fn targets(
    task: &Task,
    name: &str,
    operands: &[String],
    target_dir: Option<&str>,
    no_target_dir: bool,
) -> Option<(Vec<String>, String, bool)> {
    if let Some(t) = target_dir {
        if operands.is_empty() {
            util::usage_error(task, name, "missing file operand", 1);
            return None;
        }
        if !path::is_dir(task, t) {
            let e = task.stat(t).err().unwrap_or(Errno::ENOTDIR);
            util::error(task, name, &format!("target directory {}: {}", util::quote(t), e.strerror()));
            return None;
        }
        return Some((operands.to_vec(), t.to_string(), true));
    }
    match operands.len() {
        0 => {
            util::usage_error(task, name, "missing file operand", 1);
            None
        }
        1 => {
            util::usage_error(
                task,
                name,
                &format!("missing destination file operand after {}", util::quote(&operands[0])),
                1,
            );
            None
        }
        n => {
            let dst = operands[n - 1].clone();
            let srcs = operands[..n - 1].to_vec();
            if no_target_dir {
                if n > 2 {
                    util::usage_error(task, name, &format!("extra operand {}", util::quote(&operands[2])), 1);
                    return None;
                }
                return Some((srcs, dst, false));
            }
            let is_dir = path::is_dir(task, &dst);
            if n > 2 && !is_dir {
                let e = task.stat(&dst).err().unwrap_or(Errno::ENOTDIR);
                let msg = format!("target {}: {}", util::quote(&dst), e.strerror());
                util::error(task, name, &msg);
                return None;
            }
            Some((srcs, dst, is_dir))
        }
    }
}

pub fn main(task: &mut Task) -> i32 {
    const NAME: &str = "cp";
    let p = match opts::parse(&Spec::new("abdfHiLlnPprRst:TuvZ", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('\u{10}') {
        return util::help(task, NAME, "[OPTION]... [-T] SOURCE DEST");
    }
    let mut c = Copier { name: NAME, deref_args: true, ..Default::default() };
    let mut explicit_deref = false;
    for (o, v) in &p.opts {
        match o {
            'a' => {
                c.recursive = true;
                c.deref = false;
                c.deref_args = false;
                explicit_deref = true;
                c.preserve_mode = true;
                c.preserve_times = true;
                c.preserve_owner = true;
            }
            'r' | 'R' => c.recursive = true,
            'd' | 'P' => {
                c.deref = false;
                c.deref_args = false;
                explicit_deref = true;
            }
            'L' => {
                c.deref = true;
                explicit_deref = true;
            }
            'H' => {
                c.deref_args = true;
                explicit_deref = true;
            }
            'p' => {
                c.preserve_mode = true;
                c.preserve_times = true;
                c.preserve_owner = true;
            }
            '\u{1}' => {
                let list = v.as_deref().unwrap_or("mode,ownership,timestamps");
                for item in list.split(',') {
                    match item {
                        "mode" => c.preserve_mode = true,
                        "timestamps" => c.preserve_times = true,
                        "ownership" => c.preserve_owner = true,
                        "all" => {
                            c.preserve_mode = true;
                            c.preserve_times = true;
                            c.preserve_owner = true;
                        }
                        _ => {}
                    }
                }
            }
            '\u{2}' => {
                for item in v.as_deref().unwrap_or("").split(',') {
                    match item {
                        "mode" => c.preserve_mode = false,
                        "timestamps" => c.preserve_times = false,
                        "ownership" => c.preserve_owner = false,
                        "all" => {
                            c.preserve_mode = false;
                            c.preserve_times = false;
                            c.preserve_owner = false;
                        }
                        _ => {}
                    }
                }
            }
            'f' => c.force = true,
            'i' => {
                c.interactive = true;
                c.no_clobber = false;
            }
            'n' => {
                c.no_clobber = true;
                c.interactive = false;
            }
            'u' => c.update = true,
            'v' => c.verbose = true,
            'l' => c.hard_link = true,
            's' => c.symlink = true,
            '\u{4}' => c.remove_dest = true,
            _ => {}
        }
    }
    if c.recursive && !explicit_deref {
        // GNU: -R without -L/-H copies symlinks as symlinks.
        c.deref_args = false;
    }
    let Some((srcs, dst, into_dir)) = targets(task, NAME, &p.operands, p.last('t'), p.has('T')) else {
        return 1;
    };
    let mut status = 0;
    let parents = p.has('\u{3}');
    if parents && !into_dir {
        util::error(task, NAME, "with --parents, the destination must be a directory");
        util::try_help(task, NAME);
        return 1;
    }
    for s in &srcs {
        let d = if parents {
            // --parents: recreate the source's path under the target.
            let d = path::join(&dst, s.trim_start_matches('/'));
            let _ = task.mkdir_all(path::dirname(&d), 0o777);
            d
        } else if into_dir {
            path::join(&dst, path::basename(s))
        } else {
            dst.clone()
        };
        if !c.copy(task, s, &d, true) {
            status = 1;
        }
    }
    status
}
