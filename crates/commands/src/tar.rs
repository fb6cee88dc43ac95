//! `tar -c|-x|-t [-f ARCHIVE] [-v] [-z|-j] [-C DIR] [FILE]...`: create,
//! extract and list archives like GNU tar 1.34 — old-style option
//! clusters (`tar czf a.tgz dir`), GNU (default) and ustar formats, GNU
//! long names, symlinks and hard links, modes and mtimes restored,
//! `--strip-components`, `--exclude`, `-O`, `-p`, `--format`, and
//! compression detected on reading. Archives are padded to 10240-byte
//! records as GNU's are.

use std::io::Read;

use agentos_kernel::abi::{FileType, OFlags, TimeSet, Timespec};
use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "tar";

const LONG: &[(&str, Arg, char)] = &[
    ("create", Arg::No, 'c'),
    ("extract", Arg::No, 'x'),
    ("get", Arg::No, 'x'),
    ("list", Arg::No, 't'),
    ("file", Arg::Req, 'f'),
    ("verbose", Arg::No, 'v'),
    ("gzip", Arg::No, 'z'),
    ("gunzip", Arg::No, 'z'),
    ("bzip2", Arg::No, 'j'),
    ("xz", Arg::No, 'J'),
    ("directory", Arg::Req, 'C'),
    ("strip-components", Arg::Req, '\u{1}'),
    ("exclude", Arg::Req, '\u{2}'),
    ("to-stdout", Arg::No, 'O'),
    ("preserve-permissions", Arg::No, 'p'),
    ("same-permissions", Arg::No, 'p'),
    ("format", Arg::Req, 'H'),
    ("touch", Arg::No, 'm'),
    ("keep-old-files", Arg::No, 'k'),
    ("auto-compress", Arg::No, 'a'),
    ("no-same-owner", Arg::No, '\u{3}'),
    ("same-owner", Arg::No, '\u{4}'),
    ("owner", Arg::Req, '\u{5}'),
    ("group", Arg::Req, '\u{6}'),
    ("mtime", Arg::Req, '\u{7}'),
    ("sort", Arg::Req, '\u{8}'),
    ("numeric-owner", Arg::No, '\u{9}'),
    ("help", Arg::No, '\u{b}'),
    ("version", Arg::No, '\u{c}'),
];

/// Short options taking an argument (for old-style clusters).
const SHORT: &str = "cxtf:vzjJC:OpH:mkaT:X:b:";

#[derive(Default)]
struct Opts {
    mode: Option<char>,
    file: Option<String>,
    verbose: u32,
    compress: Option<char>,
    strip: usize,
    exclude: Vec<String>,
    to_stdout: bool,
    preserve: bool,
    ustar: bool,
    touch: bool,
    keep_old: bool,
    owner: Option<String>,
    group: Option<String>,
    numeric: bool,
}

/// Expand an old-style first argument (`czvf x.tgz`) into `-c -z -v -f x.tgz`.
fn expand_old_style(args: &[String]) -> Vec<String> {
    let Some(first) = args.first() else { return Vec::new() };
    if first.starts_with('-') {
        return args.to_vec();
    }
    let mut out = Vec::new();
    let mut rest = args[1..].iter();
    let mut tail = Vec::new();
    for c in first.chars() {
        out.push(format!("-{c}"));
        if SHORT.contains(&format!("{c}:"))
            && let Some(v) = rest.next()
        {
            out.push(v.clone());
        }
    }
    tail.extend(rest.cloned());
    out.extend(tail);
    out
}

fn fail(task: &Task, msg: &str) -> i32 {
    util::error(task, NAME, msg);
    2
}

pub fn main(task: &mut Task) -> i32 {
    let args = expand_old_style(&task.argv[1..]);
    let p = match opts::parse(&Spec::new(SHORT, LONG), &args) {
        Ok(p) => p,
        Err(e) => return util::usage_error(task, NAME, &e, 2),
    };
    if p.has('\u{b}') {
        return util::help(task, NAME, "[OPTION...] [FILE]...");
    }
    if p.has('\u{c}') {
        util::out(task, b"tar (GNU tar) 1.34\n");
        return 0;
    }
    let mut o = Opts::default();
    for (c, v) in &p.opts {
        let v = v.clone().unwrap_or_default();
        match c {
            'c' | 'x' | 't' => {
                if o.mode.is_some_and(|m| m != *c) {
                    util::error(
                        task,
                        NAME,
                        "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
                    );
                    util::try_help(task, NAME);
                    return 2;
                }
                o.mode = Some(*c)
            }
            'f' => o.file = Some(v),
            'v' => o.verbose += 1,
            'z' | 'j' | 'J' => o.compress = Some(*c),
            'C' => {}
            '\u{1}' => match v.parse() {
                Ok(n) => o.strip = n,
                Err(_) => return fail(task, &format!("Invalid number of elements: {}", util::quote(&v))),
            },
            '\u{2}' => o.exclude.push(v),
            'O' => o.to_stdout = true,
            'p' => o.preserve = true,
            'H' => match v.as_str() {
                "gnu" | "oldgnu" => o.ustar = false,
                "ustar" | "posix" | "pax" | "v7" => o.ustar = true,
                _ => return fail(task, &format!("{}: Invalid archive format", util::quote(&v))),
            },
            'm' => o.touch = true,
            'k' => o.keep_old = true,
            '\u{5}' => o.owner = Some(v),
            '\u{6}' => o.group = Some(v),
            '\u{9}' => o.numeric = true,
            _ => {}
        }
    }
    let Some(mode) = o.mode else {
        util::error(task, NAME, "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
        let _ = task.write_all(2, b"Try 'tar --help' or 'tar --usage' for more information.\n");
        return 2;
    };
    // -C applies to the operands that follow it; for simplicity (and the
    // common case) the last -C applies to all of them.
    let dir = p.last('C').map(str::to_string);
    let status = match mode {
        'c' => create(task, &o, dir.as_deref(), &p.operands),
        _ => read_archive(task, &o, mode, dir.as_deref(), &p.operands),
    };
    if status == 2 {
        util::error(task, NAME, "Exiting with failure status due to previous errors");
    }
    status
}

// ---- creating ----

struct Creator<'a> {
    task: &'a Task,
    o: &'a Opts,
    builder: tar::Builder<Vec<u8>>,
    users: util::users::Db,
    status: i32,
    /// (dev, ino) of files with several links already archived.
    links: Vec<((u64, u64), String)>,
    verbose_fd: i32,
}

fn excluded(pats: &[String], path: &str) -> bool {
    let base = util::path::basename(path);
    pats.iter().any(|p| glob(p.as_bytes(), path.as_bytes()) || glob(p.as_bytes(), base.as_bytes()))
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|i| glob(&p[1..], &s[i..])),
        Some(b'?') => !s.is_empty() && glob(&p[1..], &s[1..]),
        Some(&c) => s.first() == Some(&c) && glob(&p[1..], &s[1..]),
    }
}

impl Creator<'_> {
    fn header(&self, st: &agentos_kernel::abi::Stat) -> tar::Header {
        let mut h = if self.o.ustar { tar::Header::new_ustar() } else { tar::Header::new_gnu() };
        h.set_mode(st.mode & 0o7777);
        h.set_mtime(st.mtime.sec.max(0) as u64);
        // --owner/--group take a name, a number, or NAME:NUMBER.
        let (uid, uname) = match &self.o.owner {
            None => (st.uid, self.users.user_name(st.uid)),
            Some(o) => owner_spec(
                o,
                st.uid,
                |n| self.users.user_by_name(n).map(|u| u.uid),
                |u| self.users.user(u).map(|x| x.name.clone()),
            ),
        };
        let (gid, gname) = match &self.o.group {
            None => (st.gid, self.users.group_name(st.gid)),
            Some(g) => owner_spec(
                g,
                st.gid,
                |n| self.users.group_by_name(n).map(|x| x.gid),
                |i| self.users.group(i).map(|x| x.name.clone()),
            ),
        };
        h.set_uid(uid as u64);
        h.set_gid(gid as u64);
        if !self.o.numeric {
            let _ = h.set_username(&uname);
            let _ = h.set_groupname(&gname);
        }
        h
    }

    fn err(&mut self, msg: &str) {
        util::error(self.task, NAME, msg);
        self.status = 2;
    }

    fn add(&mut self, path: &str) {
        let st = match self.task.lstat(path) {
            Ok(s) => s,
            Err(e) => return self.err(&format!("{path}: Cannot stat: {}", e.strerror())),
        };
        if excluded(&self.o.exclude, path) {
            return;
        }
        let mut name = path.trim_start_matches('/').to_string();
        if name.is_empty() {
            name = ".".into();
        }
        let mut h = self.header(&st);
        let shown = if st.is_dir() && !name.ends_with('/') { format!("{name}/") } else { name.clone() };
        if self.o.verbose > 0 {
            let _ = self.task.write_all(self.verbose_fd, format!("{shown}\n").as_bytes());
        }
        let r = match st.file_type() {
            FileType::Directory => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_size(0);
                self.builder.append_data(&mut h, &shown, std::io::empty())
            }
            FileType::Symlink => {
                let target = match self.task.readlink(path) {
                    Ok(t) => t,
                    Err(e) => return self.err(&format!("{path}: Cannot readlink: {}", e.strerror())),
                };
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                self.builder.append_link(&mut h, &name, &target)
            }
            FileType::Regular => {
                let key = (st.dev, st.ino);
                if st.nlink > 1
                    && let Some((_, first)) = self.links.iter().find(|(k, _)| *k == key)
                {
                    let first = first.clone();
                    h.set_entry_type(tar::EntryType::Link);
                    h.set_size(0);
                    self.builder.append_link(&mut h, &name, &first)
                } else {
                    if st.nlink > 1 {
                        self.links.push((key, name.clone()));
                    }
                    let data = match util::input::read_file(self.task, path) {
                        Ok(d) => d,
                        Err(e) => return self.err(&format!("{path}: Cannot open: {}", e.strerror())),
                    };
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_size(data.len() as u64);
                    self.builder.append_data(&mut h, &name, data.as_slice())
                }
            }
            _ => {
                return self.err(&format!("{path}: socket ignored"));
            }
        };
        if let Err(e) = r {
            let msg = e.to_string();
            if msg.contains("too long") || msg.contains("path") {
                return self.err(&format!("{path}: file name is too long (max 256); not dumped"));
            }
            return self.err(&format!("{path}: {msg}"));
        }
        if st.is_dir() {
            match self.task.readdir(path) {
                Ok(entries) => {
                    for e in entries {
                        let child = if path.ends_with('/') {
                            format!("{path}{}", e.name)
                        } else {
                            format!("{path}/{}", e.name)
                        };
                        self.add(&child);
                    }
                }
                Err(e) => self.err(&format!("{path}: Cannot open: {}", e.strerror())),
            }
        }
    }
}

/// Resolve an `--owner`/`--group` value to an id and a name.
fn owner_spec(
    spec: &str,
    default: u32,
    by_name: impl Fn(&str) -> Option<u32>,
    by_id: impl Fn(u32) -> Option<String>,
) -> (u32, String) {
    if let Some((n, i)) = spec.split_once(':')
        && let Ok(i) = i.parse()
    {
        return (i, n.to_string());
    }
    match spec.parse::<u32>() {
        Ok(i) => (i, by_id(i).unwrap_or_default()),
        Err(_) => (by_name(spec).unwrap_or(default), spec.to_string()),
    }
}

fn create(task: &Task, o: &Opts, dir: Option<&str>, operands: &[String]) -> i32 {
    if operands.is_empty() {
        util::error(task, NAME, "Cowardly refusing to create an empty archive");
        util::try_help(task, NAME);
        return 2;
    }
    let to_stdout = o.file.as_deref().is_none_or(|f| f == "-");
    // The archive path is relative to where tar started, not to -C.
    let archive_path = o.file.as_ref().map(|f| util::path::absolute(task, f));
    let cwd = task.getcwd();
    if let Some(d) = dir
        && let Err(e) = task.chdir(d)
    {
        return fail(task, &format!("{d}: Cannot open: {}", e.strerror()));
    }
    let mut c = Creator {
        task,
        o,
        builder: tar::Builder::new(Vec::new()),
        users: util::users::Db::load(task),
        status: 0,
        links: Vec::new(),
        verbose_fd: if to_stdout { 2 } else { 1 },
    };
    c.builder.mode(tar::HeaderMode::Complete);
    let mut warned = false;
    for f in operands {
        if f.starts_with('/') && !warned {
            util::error(task, NAME, "Removing leading `/' from member names");
            warned = true;
        }
        c.add(f);
    }
    let status = c.status;
    let mut data = c.builder.into_inner().unwrap_or_default();
    let rec = 10240;
    data.resize(data.len().div_ceil(rec).max(1) * rec, 0);
    let data = match o.compress {
        Some('z') => crate::gzip::compress(&data, 6, None, 0),
        Some('j') => {
            let mut enc = bzip2::read::BzEncoder::new(data.as_slice(), bzip2::Compression::new(9));
            let mut v = Vec::new();
            let _ = enc.read_to_end(&mut v);
            v
        }
        Some(_) => return fail(task, "xz compression is not supported"),
        None => data,
    };
    let _ = task.chdir(&cwd);
    match archive_path.filter(|_| !to_stdout) {
        None => util::out(task, &data),
        Some(path) => {
            if let Err(e) = write_new(task, &path, &data, 0o666) {
                return fail(task, &format!("{}: Cannot open: {}", o.file.as_deref().unwrap_or(""), e.strerror()));
            }
        }
    }
    status
}

fn write_new(task: &Task, path: &str, data: &[u8], mode: u32) -> Result<(), Errno> {
    let fd = task.open(path, OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC, mode)?;
    let r = task.write_all(fd, data);
    let _ = task.close(fd);
    r
}

// ---- reading ----

fn decompress(task: &Task, data: Vec<u8>) -> Result<Vec<u8>, i32> {
    if data.starts_with(&[0x1f, 0x8b]) {
        return crate::gzip::decompress(&data).map_err(|_| {
            util::error(task, NAME, "Child returned status 1");
            2
        });
    }
    if data.starts_with(b"BZh") {
        let mut v = Vec::new();
        return match bzip2::read::MultiBzDecoder::new(data.as_slice()).read_to_end(&mut v) {
            Ok(_) => Ok(v),
            Err(_) => Err(fail(task, "bzip2: data integrity (CRC) error in data")),
        };
    }
    if data.starts_with(&[0xfd, b'7', b'z', b'X', b'Z']) {
        return Err(fail(task, "xz compression is not supported"));
    }
    Ok(data)
}

fn list_line(h: &tar::Header, name: &str, width: &mut usize) -> String {
    let mode = h.mode().unwrap_or(0);
    let kind = match h.entry_type() {
        tar::EntryType::Directory => 0o040000,
        tar::EntryType::Symlink => 0o120000,
        tar::EntryType::Char => 0o020000,
        tar::EntryType::Block => 0o060000,
        tar::EntryType::Fifo => 0o010000,
        _ => 0o100000,
    };
    let mut ms = util::mode_string(kind | mode);
    if h.entry_type() == tar::EntryType::Link {
        ms.replace_range(0..1, "h");
    }
    let user = h.username().ok().flatten().filter(|s| !s.is_empty()).map(str::to_string);
    let group = h.groupname().ok().flatten().filter(|s| !s.is_empty()).map(str::to_string);
    let user = user.unwrap_or_else(|| h.uid().unwrap_or(0).to_string());
    let group = group.unwrap_or_else(|| h.gid().unwrap_or(0).to_string());
    let size = h.size().unwrap_or(0).to_string();
    let pad = user.len() + 1 + group.len() + 1 + size.len();
    if pad > *width {
        *width = pad;
    }
    let t = Timespec { sec: h.mtime().unwrap_or(0) as i64, nsec: 0 };
    let date = util::time::strftime("%Y-%m-%d %H:%M", t);
    format!("{ms} {user}/{group} {:>w$} {date} {name}", size, w = *width - pad + size.len())
}

fn strip_path(name: &str, n: usize) -> Option<String> {
    if n == 0 {
        return Some(name.to_string());
    }
    let parts: Vec<&str> = name.split('/').filter(|s| !s.is_empty()).collect();
    if parts.len() <= n {
        return None;
    }
    let mut s = parts[n..].join("/");
    if name.ends_with('/') {
        s.push('/');
    }
    Some(s)
}

fn read_archive(task: &Task, o: &Opts, mode: char, dir: Option<&str>, operands: &[String]) -> i32 {
    let path = o.file.clone().unwrap_or_else(|| "-".into());
    let raw = match util::input::read_file(task, &path) {
        Ok(d) => d,
        Err(e) => return fail(task, &format!("{path}: Cannot open: {}", e.strerror())),
    };
    let data = match decompress(task, raw) {
        Ok(d) => d,
        Err(s) => return s,
    };
    if data.len() >= 512 && data[..512].iter().all(|b| *b == 0) {
        return 0;
    }
    if !data.is_empty() && (data.len() < 512 || tar::Header::from_byte_slice(&data[..512]).cksum().is_err()) {
        return fail(task, "This does not look like a tar archive");
    }
    if let Some(d) = dir
        && let Err(e) = task.chdir(d)
    {
        return fail(task, &format!("{d}: Cannot open: {}", e.strerror()));
    }
    let mut archive = tar::Archive::new(data.as_slice());
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => return fail(task, &e.to_string()),
    };
    let mut status = 0;
    let mut width = 19;
    let mut matched = vec![false; operands.len()];
    let umask = task.get_umask();
    let mut dir_times: Vec<(String, u64)> = Vec::new();
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                util::error(task, NAME, &format!("{e}"));
                status = 2;
                break;
            }
        };
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let link = entry.link_name_bytes().map(|l| String::from_utf8_lossy(&l).into_owned());
        if !operands.is_empty() {
            let hit = operands.iter().position(|op| {
                let op = op.trim_end_matches('/');
                name.trim_end_matches('/') == op || name.starts_with(&format!("{op}/"))
            });
            match hit {
                Some(i) => matched[i] = true,
                None => continue,
            }
        }
        if excluded(&o.exclude, name.trim_end_matches('/')) {
            continue;
        }
        let Some(target) = strip_path(&name, o.strip) else { continue };
        let header = entry.header().clone();
        let kind = header.entry_type();
        if o.verbose > 0 || mode == 't' {
            let mut line = if o.verbose > 0 && mode == 't' || o.verbose > 1 {
                list_line(&header, &name, &mut width)
            } else {
                name.clone()
            };
            if o.verbose > 0 && (mode == 't' || o.verbose > 1) {
                match (kind, &link) {
                    (tar::EntryType::Symlink, Some(l)) => line.push_str(&format!(" -> {l}")),
                    (tar::EntryType::Link, Some(l)) => line.push_str(&format!(" link to {l}")),
                    _ => {}
                }
            }
            let fd = if o.to_stdout { 2 } else { 1 };
            let _ = task.write_all(fd, format!("{line}\n").as_bytes());
        }
        if mode == 't' {
            continue;
        }
        let mut body = Vec::new();
        if let Err(e) = entry.read_to_end(&mut body) {
            util::error(task, NAME, &e.to_string());
            status = 2;
            break;
        }
        if o.to_stdout {
            if kind.is_file() {
                util::out(task, &body);
            }
            continue;
        }
        let target = target.trim_start_matches('/').to_string();
        if target.is_empty() || target == "." || target == "./" {
            continue;
        }
        let perm = header.mode().unwrap_or(0o644) & 0o7777;
        let perm = if o.preserve { perm } else { perm & !umask };
        let mtime = header.mtime().unwrap_or(0);
        let parent = util::path::dirname(target.trim_end_matches('/'));
        if parent != "." {
            let _ = task.mkdir_all(parent, 0o777);
        }
        let t = target.trim_end_matches('/');
        let r: Result<(), Errno> = match kind {
            tar::EntryType::Directory => {
                let r = match task.mkdir(t, 0o700) {
                    Err(Errno::EEXIST) if task.stat(t).is_ok_and(|s| s.is_dir()) => Ok(()),
                    r => r,
                };
                let _ = task.chmod(t, perm);
                dir_times.push((t.to_string(), mtime));
                r
            }
            tar::EntryType::Symlink => {
                let _ = if o.keep_old { Ok(()) } else { task.unlink(t) };
                task.symlink(link.as_deref().unwrap_or(""), t)
            }
            tar::EntryType::Link => {
                let l = link.as_deref().and_then(|l| strip_path(l, o.strip)).unwrap_or_default();
                let _ = task.unlink(t);
                task.link(&l, t)
            }
            _ => {
                if o.keep_old && task.lstat(t).is_ok() {
                    util::error(task, NAME, &format!("{t}: Cannot open: File exists"));
                    status = 2;
                    continue;
                }
                if task.lstat(t).is_ok_and(|s| !s.is_dir()) {
                    let _ = task.unlink(t);
                }
                write_new(task, t, &body, 0o600).and_then(|_| task.chmod(t, perm))
            }
        };
        if let Err(e) = r {
            util::error(task, NAME, &format!("{t}: Cannot open: {}", e.strerror()));
            status = 2;
            continue;
        }
        if !o.touch && kind != tar::EntryType::Symlink && kind != tar::EntryType::Directory {
            let ts = TimeSet::At(Timespec { sec: mtime as i64, nsec: 0 });
            let _ = task.utimens(t, TimeSet::Now, ts, true);
        }
    }
    // Directories get their times last, after their contents are written.
    if !o.touch {
        for (d, m) in dir_times.iter().rev() {
            let _ = task.utimens(d, TimeSet::Now, TimeSet::At(Timespec { sec: *m as i64, nsec: 0 }), true);
        }
    }
    for (i, op) in operands.iter().enumerate() {
        if !matched[i] {
            util::error(task, NAME, &format!("{op}: Not found in archive"));
            status = 2;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_style_and_strip() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(expand_old_style(&v(&["czf", "a.tgz", "d"])), v(&["-c", "-z", "-f", "a.tgz", "d"]));
        assert_eq!(expand_old_style(&v(&["-tf", "a"])), v(&["-tf", "a"]));
        assert_eq!(strip_path("a/b/c", 1).as_deref(), Some("b/c"));
        assert_eq!(strip_path("a/", 1), None);
        assert_eq!(strip_path("a/b/", 1).as_deref(), Some("b/"));
        assert!(glob(b"*.o", b"x.o"));
    }
}
