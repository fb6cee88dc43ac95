//! A host directory as a VM filesystem: the kernel's [`FileSystem`] over a
//! real directory of the machine, read-only unless asked otherwise.
//!
//! Analogue: a FUSE passthrough filesystem (libfuse `passthrough_ll`), or
//! gVisor's gofer. Like FUSE's low-level API the backend never sees a guest
//! path: the kernel walks paths itself, so `..`, symlinks and mount crossings
//! are resolved in the *VM's* namespace. A symlink on the host is reported as
//! a symlink; its target (absolute `/etc/passwd` or relative `../../x`) is
//! followed by the kernel inside the VM and can never name a host file.
//!
//! Every host path this module touches is relative to the mount's root
//! directory descriptor and opened with `openat2(RESOLVE_BENEATH |
//! RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS)`. The inode table maps each
//! host inode `(st_dev, st_ino)` to one of our [`Ino`] numbers and remembers
//! the relative path it was last seen at. Because the kernel resolves every
//! symlink itself, a recorded path never legitimately contains a symlink, so
//! refusing all symlinks during host resolution costs nothing and closes the
//! race where a directory is swapped for a symlink between two calls: the
//! host kernel refuses it atomically.
//!
//! Escape attempts: a host path that would leave the root (`EXDEV` from
//! `openat2`) or meets a symlink where a directory was (`ELOOP`) fails with
//! **`EACCES`**. A name that does not exist under the root fails with
//! `ENOENT`. Owners are mapped: every file appears owned by the mount's
//! `uid:gid` (like FUSE's `uid=`/`gid=` options); permission bits, sizes,
//! link counts and times are the host's. `chown` to another owner is `EPERM`;
//! device nodes cannot be created (`EPERM`). Names that are not UTF-8 are
//! left out of listings.
//!
//! The inode table only grows while names are looked up (there is no
//! `forget` in the kernel trait); entries are dropped when their file is
//! removed through the VM.
//!
//! Locking: one mutex around the inode table, never held across a host
//! system call that may block for long (reads and writes run unlocked).

use std::collections::HashMap;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::path::Path;
use std::sync::Arc;

use agentos_kernel::abi::{DirEntry, Errno, FileType, KResult, S_IPERM, Stat, TimeSet, Timespec};
use agentos_kernel::fs::{FileSystem, FsUsage, Ino, NewNode, SetAttr};
use parking_lot::Mutex;
use rustix::fs::{self as rfs, AtFlags, Mode, OFlags as HF, ResolveFlags};
use rustix::io::Errno as HostErrno;

/// How a host directory is mounted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostDirOptions {
    /// Refuse every change with `EROFS` (the default).
    pub read_only: bool,
    /// Owner every file appears to have inside the VM.
    pub uid: u32,
    /// Group every file appears to have inside the VM.
    pub gid: u32,
    /// Show every readable regular file as executable too (a directory of
    /// command binaries whose execute bits were lost, e.g. by npm).
    pub exec_all: bool,
}

impl Default for HostDirOptions {
    fn default() -> Self {
        HostDirOptions { read_only: true, uid: 1000, gid: 1000, exec_all: false }
    }
}

const ROOT: Ino = 1;

/// One known host inode.
struct Entry {
    /// Path relative to the root where it was last seen; `None` once
    /// removed through the VM (it may live on while open).
    rel: Option<String>,
    /// Host identity `(st_dev, st_ino)`.
    host: (u64, u64),
    /// Open file descriptions of it in the VM.
    open: u32,
    /// A data descriptor kept while it is open, so an unlinked open file
    /// stays readable; with whether it was opened for writing.
    fd: Option<(Arc<OwnedFd>, bool)>,
}

#[derive(Default)]
struct Table {
    by_ino: HashMap<Ino, Entry>,
    by_host: HashMap<(u64, u64), Ino>,
    next: Ino,
}

/// A host directory mounted into a VM.
pub struct HostFs {
    root: OwnedFd,
    table: Mutex<Table>,
    opts: HostDirOptions,
}

/// The resolution rules for every host path: stay beneath the root, never
/// follow a symlink (the kernel resolves symlinks in the VM namespace), no
/// `/proc` magic links.
fn resolve_flags() -> ResolveFlags {
    ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS | ResolveFlags::NO_SYMLINKS
}

/// A host errno as ours (same Linux numbers).
fn host_errno(e: HostErrno) -> Errno {
    Errno::from_raw(e.raw_os_error()).unwrap_or(Errno::EIO)
}

/// Errors of `openat2` resolution: an escape (`EXDEV`) or a symlink where
/// the table recorded a directory (`ELOOP`) is refused as `EACCES`.
fn resolve_errno(e: HostErrno) -> Errno {
    match e {
        HostErrno::XDEV | HostErrno::LOOP => Errno::EACCES,
        e => host_errno(e),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") }
}

fn split(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

/// Names come from the kernel's walker, which never passes these; refuse
/// them anyway so no caller can smuggle a path through a name.
fn check_name(name: &str) -> KResult<()> {
    if name.is_empty() || name == "." || name == ".." || name.contains('/') || name.contains('\0') {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

fn ts(sec: i64, nsec: u64) -> Timespec {
    Timespec { sec, nsec: nsec as u32 }
}

fn host_time(t: TimeSet) -> rfs::Timespec {
    match t {
        TimeSet::Omit => rfs::Timespec { tv_sec: 0, tv_nsec: rfs::UTIME_OMIT },
        TimeSet::Now => rfs::Timespec { tv_sec: 0, tv_nsec: rfs::UTIME_NOW },
        TimeSet::At(t) => rfs::Timespec { tv_sec: t.sec, tv_nsec: t.nsec.into() },
    }
}

impl HostFs {
    /// Mount the host directory `host_path`. Fails with `ENOTDIR` if it is
    /// not a directory, `ENOSYS` if the host kernel lacks `openat2` (Linux
    /// 5.6), and the host's errno otherwise.
    pub fn open(host_path: &Path, opts: HostDirOptions) -> KResult<HostFs> {
        let root = rfs::open(host_path, HF::PATH | HF::DIRECTORY | HF::CLOEXEC, Mode::empty()).map_err(host_errno)?;
        // Probe: refuse to run without the resolution guarantees.
        let probe = rfs::openat2(&root, ".", HF::PATH | HF::CLOEXEC, Mode::empty(), resolve_flags());
        let st = rfs::fstat(probe.map_err(host_errno)?).map_err(host_errno)?;
        let mut table = Table { next: ROOT + 1, ..Default::default() };
        let key = (st.st_dev, st.st_ino);
        table.by_ino.insert(ROOT, Entry { rel: Some(String::new()), host: key, open: 0, fd: None });
        table.by_host.insert(key, ROOT);
        Ok(HostFs { root, table: Mutex::new(table), opts })
    }

    /// Open `rel` beneath the root, never following symlinks.
    fn open_beneath(&self, rel: &str, flags: HF) -> KResult<OwnedFd> {
        let path = if rel.is_empty() { "." } else { rel };
        let mut tries = 0;
        loop {
            match rfs::openat2(&self.root, path, flags | HF::CLOEXEC | HF::NOFOLLOW, Mode::empty(), resolve_flags()) {
                // EAGAIN: a concurrent rename on the host; retry a little.
                Err(HostErrno::AGAIN) if tries < 16 => tries += 1,
                // A directory was expected and a symlink sits there: a swap
                // on the host. Refuse it like any other escape.
                Err(HostErrno::NOTDIR) if flags.contains(HF::DIRECTORY) && self.is_symlink(path) => {
                    return Err(Errno::EACCES);
                }
                r => return r.map_err(resolve_errno),
            }
        }
    }

    fn is_symlink(&self, path: &str) -> bool {
        let fd = rfs::openat2(&self.root, path, HF::PATH | HF::NOFOLLOW | HF::CLOEXEC, Mode::empty(), resolve_flags());
        fd.and_then(rfs::fstat).is_ok_and(|st| FileType::from_mode(st.st_mode) == Some(FileType::Symlink))
    }

    fn rel(&self, ino: Ino) -> KResult<String> {
        let t = self.table.lock();
        t.by_ino.get(&ino).and_then(|e| e.rel.clone()).ok_or(Errno::ENOENT)
    }

    /// The directory `dir` as an `O_PATH` descriptor, and its relative path.
    fn dir_fd(&self, dir: Ino) -> KResult<(OwnedFd, String)> {
        let rel = self.rel(dir)?;
        Ok((self.open_beneath(&rel, HF::PATH | HF::DIRECTORY)?, rel))
    }

    fn writable(&self) -> KResult<()> {
        if self.opts.read_only { Err(Errno::EROFS) } else { Ok(()) }
    }

    /// Record that host inode `st` lives at `rel`; its [`Ino`].
    fn intern(&self, rel: String, st: &rfs::Stat) -> Ino {
        let key = (st.st_dev, st.st_ino);
        let mut t = self.table.lock();
        if let Some(&ino) = t.by_host.get(&key) {
            if let Some(e) = t.by_ino.get_mut(&ino) {
                e.rel = Some(rel);
            }
            return ino;
        }
        let ino = t.next;
        t.next += 1;
        t.by_ino.insert(ino, Entry { rel: Some(rel), host: key, open: 0, fd: None });
        t.by_host.insert(key, ino);
        ino
    }

    /// Forget `ino` once nothing names it and nothing has it open.
    fn forget_if_unused(t: &mut Table, ino: Ino) {
        if ino == ROOT {
            return;
        }
        let gone = t.by_ino.get(&ino).is_some_and(|e| e.rel.is_none() && e.open == 0);
        if gone && let Some(e) = t.by_ino.remove(&ino) {
            t.by_host.remove(&e.host);
        }
    }

    /// The name `dir/name` was removed or replaced on the host.
    fn detach(&self, key: (u64, u64), rel: &str) {
        let mut t = self.table.lock();
        if let Some(&ino) = t.by_host.get(&key) {
            if let Some(e) = t.by_ino.get_mut(&ino)
                && e.rel.as_deref() == Some(rel)
            {
                e.rel = None;
            }
            Self::forget_if_unused(&mut t, ino);
        }
    }

    fn to_stat(&self, ino: Ino, st: &rfs::Stat) -> Stat {
        let mut mode = st.st_mode;
        let kind = FileType::from_mode(mode);
        if self.opts.exec_all && kind == Some(FileType::Regular) {
            mode |= (mode & 0o444) >> 2;
        }
        let is_dev = matches!(kind, Some(FileType::CharDevice | FileType::BlockDevice));
        Stat {
            dev: 0,
            ino,
            mode,
            nlink: st.st_nlink,
            uid: self.opts.uid,
            gid: self.opts.gid,
            rdev: if is_dev { st.st_rdev } else { 0 },
            size: st.st_size as u64,
            blksize: st.st_blksize as u32,
            blocks: st.st_blocks as u64,
            atime: ts(st.st_atime, st.st_atime_nsec),
            mtime: ts(st.st_mtime, st.st_mtime_nsec),
            ctime: ts(st.st_ctime, st.st_ctime_nsec),
            btime: ts(st.st_ctime, st.st_ctime_nsec),
        }
    }

    /// The host stat of `ino`, checking that its recorded path still names
    /// the same host inode (else `ENOENT`: it was replaced behind our back).
    fn host_stat(&self, ino: Ino) -> KResult<rfs::Stat> {
        let (rel, key, fd) = {
            let t = self.table.lock();
            let e = t.by_ino.get(&ino).ok_or(Errno::ENOENT)?;
            (e.rel.clone(), e.host, e.fd.as_ref().map(|(f, _)| f.clone()))
        };
        if let Some(fd) = fd {
            return rfs::fstat(&*fd).map_err(host_errno);
        }
        let rel = rel.ok_or(Errno::ENOENT)?;
        let st = rfs::fstat(self.open_beneath(&rel, HF::PATH)?).map_err(host_errno)?;
        if (st.st_dev, st.st_ino) != key {
            return Err(Errno::ENOENT);
        }
        Ok(st)
    }

    /// A descriptor for reading (or writing) the data of `ino`.
    fn data_fd(&self, ino: Ino, write: bool) -> KResult<Arc<OwnedFd>> {
        let rel = {
            let t = self.table.lock();
            let e = t.by_ino.get(&ino).ok_or(Errno::ENOENT)?;
            if let Some((fd, w)) = &e.fd
                && (*w || !write)
            {
                return Ok(fd.clone());
            }
            e.rel.clone().ok_or(Errno::ENOENT)?
        };
        let flags = if write { HF::WRONLY } else { HF::RDONLY };
        Ok(Arc::new(self.open_beneath(&rel, flags)?))
    }

    /// A real (not `O_PATH`) descriptor of a file or directory, for
    /// `fchmod`/`futimens`: read-only first, then write-only.
    fn attr_fd(&self, rel: &str) -> KResult<OwnedFd> {
        match self.open_beneath(rel, HF::RDONLY | HF::NONBLOCK) {
            Err(Errno::EACCES) => self.open_beneath(rel, HF::WRONLY | HF::NONBLOCK),
            r => r,
        }
    }

    /// `fchmod` by an `O_PATH` descriptor, when the file can't be opened
    /// for reading or writing (mode `000` as a non-root host user): through
    /// our own `/proc/self/fd` entry, which names exactly that inode.
    fn chmod_opath(&self, rel: &str, mode: u32) -> KResult<()> {
        let fd = self.open_beneath(rel, HF::PATH)?;
        let path = format!("/proc/self/fd/{}", fd.as_raw_fd());
        rfs::chmodat(rfs::CWD, path.as_str(), Mode::from_raw_mode(mode), AtFlags::empty()).map_err(host_errno)
    }
}

impl FileSystem for HostFs {
    fn fs_type(&self) -> &'static str {
        "hostfs"
    }

    fn root(&self) -> Ino {
        ROOT
    }

    fn lookup(&self, dir: Ino, name: &str) -> KResult<Ino> {
        check_name(name)?;
        let rel = join(&self.rel(dir)?, name);
        let st = rfs::fstat(self.open_beneath(&rel, HF::PATH)?).map_err(host_errno)?;
        Ok(self.intern(rel, &st))
    }

    fn getattr(&self, ino: Ino) -> KResult<Stat> {
        let st = self.host_stat(ino)?;
        Ok(self.to_stat(ino, &st))
    }

    fn setattr(&self, ino: Ino, attr: &SetAttr) -> KResult<Stat> {
        self.writable()?;
        let st = self.host_stat(ino)?;
        if attr.uid.is_some_and(|u| u != self.opts.uid) || attr.gid.is_some_and(|g| g != self.opts.gid) {
            return Err(Errno::EPERM);
        }
        let is_link = FileType::from_mode(st.st_mode) == Some(FileType::Symlink);
        let rel = self.rel(ino);
        if let Some(mode) = attr.mode {
            if is_link {
                return Err(Errno::EOPNOTSUPP);
            }
            let rel = rel.clone()?;
            match self.attr_fd(&rel) {
                Ok(fd) => rfs::fchmod(&fd, Mode::from_raw_mode(mode & S_IPERM)).map_err(host_errno)?,
                Err(Errno::EACCES) => self.chmod_opath(&rel, mode & S_IPERM)?,
                Err(e) => return Err(e),
            }
        }
        if let Some(size) = attr.size {
            let fd = self.data_fd(ino, true)?;
            rfs::ftruncate(&*fd, size).map_err(host_errno)?;
        }
        if attr.atime != TimeSet::Omit || attr.mtime != TimeSet::Omit {
            let times =
                rfs::Timestamps { last_access: host_time(attr.atime), last_modification: host_time(attr.mtime) };
            // By parent and name, never following: works for symlinks too.
            let rel = rel?;
            let (parent, name) = split(&rel);
            let pfd = self.open_beneath(parent, HF::PATH | HF::DIRECTORY)?;
            let name = if rel.is_empty() { "." } else { name };
            rfs::utimensat(&pfd, name, &times, AtFlags::SYMLINK_NOFOLLOW).map_err(host_errno)?;
        }
        self.getattr(ino)
    }

    fn readlink(&self, ino: Ino) -> KResult<String> {
        let (rel, key) = {
            let t = self.table.lock();
            let e = t.by_ino.get(&ino).ok_or(Errno::ENOENT)?;
            (e.rel.clone().ok_or(Errno::ENOENT)?, e.host)
        };
        // Read the very link we identified: by an `O_PATH` descriptor of
        // it, after checking it is still the same host inode (a name swapped
        // on the host since the lookup is `ENOENT`, not someone else's link).
        let fd = self.open_beneath(&rel, HF::PATH)?;
        let st = rfs::fstat(&fd).map_err(host_errno)?;
        if (st.st_dev, st.st_ino) != key {
            return Err(Errno::ENOENT);
        }
        if FileType::from_mode(st.st_mode) != Some(FileType::Symlink) {
            return Err(Errno::EINVAL);
        }
        let target = rfs::readlinkat(&fd, "", Vec::new()).map_err(host_errno)?;
        Ok(target.to_string_lossy().into_owned())
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> KResult<usize> {
        let fd = self.data_fd(ino, false)?;
        rustix::io::pread(&*fd, buf, offset).map_err(host_errno)
    }

    fn write(&self, ino: Ino, offset: u64, data: &[u8]) -> KResult<usize> {
        self.writable()?;
        let fd = self.data_fd(ino, true)?;
        let mut done = 0;
        while done < data.len() {
            match rustix::io::pwrite(&*fd, &data[done..], offset + done as u64) {
                Ok(0) => return Err(Errno::EIO),
                Ok(n) => done += n,
                Err(HostErrno::INTR) => {}
                Err(e) => return Err(host_errno(e)),
            }
        }
        Ok(done)
    }

    fn create(&self, dir: Ino, name: &str, node: &NewNode<'_>) -> KResult<Ino> {
        check_name(name)?;
        self.writable()?;
        let (pfd, prel) = self.dir_fd(dir)?;
        let perm = Mode::from_raw_mode(node.perm & S_IPERM);
        let rel = join(&prel, name);
        let mut created = None;
        match node.kind {
            FileType::Regular => {
                let fd = rfs::openat(&pfd, name, HF::CREATE | HF::EXCL | HF::RDWR | HF::NOFOLLOW | HF::CLOEXEC, perm)
                    .map_err(host_errno)?;
                // Exact bits, whatever the host process's umask.
                rfs::fchmod(&fd, perm).map_err(host_errno)?;
                created = Some(fd);
            }
            FileType::Directory => {
                rfs::mkdirat(&pfd, name, perm).map_err(host_errno)?;
                if let Ok(fd) = self.attr_fd(&rel) {
                    rfs::fchmod(&fd, perm).map_err(host_errno)?;
                }
            }
            FileType::Symlink => rfs::symlinkat(node.target, &pfd, name).map_err(host_errno)?,
            FileType::Fifo => rfs::mknodat(&pfd, name, rfs::FileType::Fifo, perm, 0).map_err(host_errno)?,
            FileType::Socket => rfs::mknodat(&pfd, name, rfs::FileType::Socket, perm, 0).map_err(host_errno)?,
            FileType::CharDevice | FileType::BlockDevice => return Err(Errno::EPERM),
        }
        let st = rfs::statat(&pfd, name, AtFlags::SYMLINK_NOFOLLOW).map_err(host_errno)?;
        let ino = self.intern(rel, &st);
        if let Some(fd) = created {
            // Like open(2) with O_CREAT, the creator may write a file whose
            // mode forbids it (0444): keep the descriptor the creation made
            // for the open that follows (dropped at its release).
            let mut t = self.table.lock();
            if let Some(e) = t.by_ino.get_mut(&ino)
                && e.fd.is_none()
            {
                e.fd = Some((Arc::new(fd), true));
            }
        }
        Ok(ino)
    }

    fn link(&self, ino: Ino, newdir: Ino, newname: &str) -> KResult<()> {
        check_name(newname)?;
        self.writable()?;
        let rel = self.rel(ino)?;
        let (oparent, oname) = split(&rel);
        let ofd = self.open_beneath(oparent, HF::PATH | HF::DIRECTORY)?;
        let (nfd, _) = self.dir_fd(newdir)?;
        rfs::linkat(&ofd, oname, &nfd, newname, AtFlags::empty()).map_err(host_errno)
    }

    fn unlink(&self, dir: Ino, name: &str) -> KResult<()> {
        check_name(name)?;
        self.writable()?;
        let (pfd, prel) = self.dir_fd(dir)?;
        let st = rfs::statat(&pfd, name, AtFlags::SYMLINK_NOFOLLOW).map_err(host_errno)?;
        if FileType::from_mode(st.st_mode) == Some(FileType::Directory) {
            return Err(Errno::EISDIR);
        }
        rfs::unlinkat(&pfd, name, AtFlags::empty()).map_err(host_errno)?;
        self.detach((st.st_dev, st.st_ino), &join(&prel, name));
        Ok(())
    }

    fn rmdir(&self, dir: Ino, name: &str) -> KResult<()> {
        check_name(name)?;
        self.writable()?;
        let (pfd, prel) = self.dir_fd(dir)?;
        let st = rfs::statat(&pfd, name, AtFlags::SYMLINK_NOFOLLOW).map_err(host_errno)?;
        rfs::unlinkat(&pfd, name, AtFlags::REMOVEDIR).map_err(|e| match e {
            // Linux gives either for a non-empty directory; we say ENOTEMPTY.
            HostErrno::EXIST => Errno::ENOTEMPTY,
            e => host_errno(e),
        })?;
        self.detach((st.st_dev, st.st_ino), &join(&prel, name));
        Ok(())
    }

    fn rename(&self, olddir: Ino, oldname: &str, newdir: Ino, newname: &str) -> KResult<()> {
        check_name(oldname)?;
        check_name(newname)?;
        self.writable()?;
        let (ofd, orel) = self.dir_fd(olddir)?;
        let (nfd, nrel) = self.dir_fd(newdir)?;
        let replaced = rfs::statat(&nfd, newname, AtFlags::SYMLINK_NOFOLLOW).ok();
        rfs::renameat(&ofd, oldname, &nfd, newname).map_err(|e| match e {
            HostErrno::EXIST => Errno::ENOTEMPTY,
            e => host_errno(e),
        })?;
        let (from, to) = (join(&orel, oldname), join(&nrel, newname));
        if let Some(st) = replaced {
            self.detach((st.st_dev, st.st_ino), &to);
        }
        // Re-home the moved inode and everything known below it.
        let prefix = format!("{from}/");
        let mut t = self.table.lock();
        for e in t.by_ino.values_mut() {
            let Some(rel) = &e.rel else { continue };
            if *rel == from {
                e.rel = Some(to.clone());
            } else if let Some(rest) = rel.strip_prefix(&prefix) {
                e.rel = Some(format!("{to}/{rest}"));
            }
        }
        Ok(())
    }

    fn readdir(&self, dir: Ino) -> KResult<Vec<DirEntry>> {
        let rel = self.rel(dir)?;
        let fd = self.open_beneath(&rel, HF::RDONLY | HF::DIRECTORY)?;
        let statfd = fd.try_clone().map_err(|e| Errno::from_io(&e))?;
        let entries = rfs::Dir::new(fd).map_err(host_errno)?;
        let mut out = Vec::new();
        for ent in entries {
            let ent = ent.map_err(host_errno)?;
            let Ok(name) = ent.file_name().to_str() else { continue };
            if name == "." || name == ".." {
                continue;
            }
            let name = name.to_string();
            // Raced with a removal on the host: leave it out.
            let Ok(st) = rfs::statat(&statfd, name.as_str(), AtFlags::SYMLINK_NOFOLLOW) else { continue };
            let ino = self.intern(join(&rel, &name), &st);
            let kind = FileType::from_mode(st.st_mode).unwrap_or(FileType::Regular);
            out.push(DirEntry { name, ino, kind });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn open(&self, ino: Ino) -> KResult<()> {
        let (rel, first) = {
            let mut t = self.table.lock();
            let e = t.by_ino.get_mut(&ino).ok_or(Errno::ENOENT)?;
            e.open += 1;
            (e.rel.clone(), e.open == 1 && e.fd.is_none())
        };
        let Some(rel) = rel.filter(|_| first) else { return Ok(()) };
        // Keep a data descriptor of regular files so they outlive unlink.
        let Ok(st) = self.host_stat(ino) else { return Ok(()) };
        if FileType::from_mode(st.st_mode) != Some(FileType::Regular) {
            return Ok(());
        }
        let fd = if self.opts.read_only {
            self.open_beneath(&rel, HF::RDONLY).map(|f| (f, false))
        } else {
            self.open_beneath(&rel, HF::RDWR)
                .map(|f| (f, true))
                .or_else(|_| self.open_beneath(&rel, HF::RDONLY).map(|f| (f, false)))
        };
        if let Ok((fd, w)) = fd {
            let mut t = self.table.lock();
            if let Some(e) = t.by_ino.get_mut(&ino)
                && e.fd.is_none()
            {
                e.fd = Some((Arc::new(fd), w));
            }
        }
        Ok(())
    }

    fn release(&self, ino: Ino) {
        let mut t = self.table.lock();
        if let Some(e) = t.by_ino.get_mut(&ino) {
            e.open = e.open.saturating_sub(1);
            if e.open == 0 {
                e.fd = None;
            }
        }
        Self::forget_if_unused(&mut t, ino);
    }

    fn fsync(&self, ino: Ino) -> KResult<()> {
        let fd = self.data_fd(ino, false)?;
        rfs::fsync(&*fd).map_err(host_errno)
    }

    fn usage(&self) -> FsUsage {
        match rfs::fstatvfs(self.root.as_fd()) {
            Ok(v) => FsUsage {
                bytes_used: (v.f_blocks - v.f_bfree) * v.f_frsize,
                bytes_total: v.f_blocks * v.f_frsize,
                inodes_used: v.f_files - v.f_ffree,
                inodes_total: v.f_files,
            },
            Err(_) => FsUsage::default(),
        }
    }
}
