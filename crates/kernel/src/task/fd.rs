//! Descriptor calls: `open`, `read`, `write`, `lseek`, `dup`, `pipe`,
//! `fcntl`, `fstat`, `getdents`, `poll`.

use std::sync::Arc;
use std::time::Instant;

use super::Task;
use crate::abi::{DirEntry, Errno, Fd, FileType, KResult, OFlags, R_OK, Signal, Stat, W_OK, Whence};
use crate::file::{FileKind, OpenFile, Stream, open_device};
use crate::fs::SetAttr;
use crate::vfs::{Resolved, Target};

/// One entry of a [`Task::poll`] call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PollFd {
    pub fd: Fd,
    /// Wanted [`crate::file::poll`] bits.
    pub events: u32,
    /// Ready bits, filled in.
    pub revents: u32,
}

impl Task {
    /// The open file description behind `fd` (`EBADF`).
    pub fn file(&self, fd: Fd) -> KResult<Arc<OpenFile>> {
        self.proc.fds.lock().get(fd)
    }

    /// Install an open file description at the lowest free descriptor.
    pub fn install(&self, file: Arc<OpenFile>, cloexec: bool) -> KResult<Fd> {
        self.proc.fds.lock().alloc(0, file, cloexec, self.kernel.limits.max_open_fds)
    }

    /// `open(2)`. `mode` is masked by the umask when creating.
    pub fn open(&self, path: &str, flags: OFlags, mode: u32) -> KResult<Fd> {
        let file = self.open_file(path, flags, mode)?;
        self.install(file, flags.contains(OFlags::CLOEXEC))
    }

    /// `open(2)` without installing a descriptor.
    pub fn open_file(&self, path: &str, flags: OFlags, mode: u32) -> KResult<Arc<OpenFile>> {
        // `/dev/pts` is not a filesystem here: its names map to the
        // kernel's pseudo-terminals.
        if let Some(n) = path.strip_prefix("/dev/pts/").and_then(|n| n.parse::<u32>().ok()) {
            return self.open_pts(n, flags);
        }
        let follow = !flags.contains(OFlags::NOFOLLOW);
        let r = if flags.contains(OFlags::CREAT) {
            self.open_creat(path, flags, mode)?
        } else {
            self.with_ctx(|ctx| self.kernel.vfs.resolve(ctx, path, follow))?
        };
        self.open_resolved(r, flags)
    }

    fn open_creat(&self, path: &str, flags: OFlags, mode: u32) -> KResult<Resolved> {
        let excl = flags.contains(OFlags::EXCL);
        let perm = mode & !self.get_umask() & 0o7777;
        let mut target = path.to_string();
        for _ in 0..crate::abi::MAX_SYMLINK_HOPS {
            let existing = self.with_ctx(|ctx| self.kernel.vfs.resolve(ctx, &target, false));
            match existing {
                Ok(r) if r.stat.is_symlink() && !excl && !flags.contains(OFlags::NOFOLLOW) => {
                    // A dangling symlink: create what it points to.
                    match self.with_ctx(|ctx| self.kernel.vfs.resolve(ctx, &target, true)) {
                        Ok(r) => return Ok(r),
                        Err(Errno::ENOENT) => {
                            let link = self.with_ctx(|ctx| self.kernel.vfs.readlink(ctx, &target))?;
                            target = if link.starts_with('/') {
                                link
                            } else {
                                let dir = r.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                                format!("{}/{link}", if dir.is_empty() { "" } else { dir })
                            };
                            continue;
                        }
                        Err(e) => return Err(e),
                    }
                }
                Ok(_) if excl => return Err(Errno::EEXIST),
                Ok(r) => {
                    if path.ends_with('/') && !r.stat.is_dir() {
                        return Err(Errno::ENOTDIR);
                    }
                    return Ok(r);
                }
                Err(Errno::ENOENT) => {
                    return match self.with_ctx(|ctx| self.kernel.vfs.mknod(ctx, &target, FileType::Regular, perm, "")) {
                        Ok(mut r) => {
                            // A new file may be opened for writing even if
                            // its mode does not allow it.
                            r.stat.mode |= 0o600;
                            Ok(r)
                        }
                        Err(Errno::EEXIST) if !excl => self.with_ctx(|ctx| self.kernel.vfs.resolve(ctx, &target, true)),
                        Err(e) => Err(e),
                    };
                }
                Err(e) => return Err(e),
            }
        }
        Err(Errno::ELOOP)
    }

    fn open_resolved(&self, r: Resolved, flags: OFlags) -> KResult<Arc<OpenFile>> {
        if let Target::FdLink { pid, fd } = r.target {
            let p = self.kernel.process(pid).ok_or(Errno::ENOENT)?;
            let f = p.fds.lock().get(fd).map_err(|_| Errno::ENOENT)?;
            return match &f.kind {
                FileKind::Vnode { path, .. } => {
                    let path = path.clone();
                    drop(f);
                    self.open_file(&path, OFlags(flags.0 & !(OFlags::CREAT.0 | OFlags::EXCL.0)), 0)
                }
                FileKind::Stream(s) => {
                    if (flags.writable() && !f.flags().writable()) || (flags.readable() && !f.flags().readable()) {
                        return Err(Errno::EACCES);
                    }
                    Ok(OpenFile::stream(s.clone(), flags))
                }
            };
        }
        let st = &r.stat;
        if st.is_symlink() {
            return Err(Errno::ELOOP);
        }
        if flags.contains(OFlags::DIRECTORY) && !st.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        let cred = self.cred();
        if st.is_dir() && (flags.writable() || flags.contains(OFlags::TRUNC)) {
            return Err(Errno::EISDIR);
        }
        let want = if flags.readable() { R_OK } else { 0 } | if flags.writable() { W_OK } else { 0 };
        if !cred.may(st, want) {
            return Err(Errno::EACCES);
        }
        self.with_ctx(|ctx| self.kernel.vfs.permit_open(ctx, &r.path, flags))?;
        if flags.writable() && r.vnode.mount.read_only && !matches!(st.file_type(), FileType::CharDevice) {
            return Err(Errno::EROFS);
        }
        match st.file_type() {
            FileType::CharDevice if st.rdev == crate::file::makedev(5, 0) => return self.open_ctty(flags),
            FileType::CharDevice if st.rdev == crate::file::makedev(5, 2) => {
                let (m, _slave) = self.kernel.new_pty()?;
                return Ok(OpenFile::stream(m, flags));
            }
            FileType::CharDevice => {
                let s = open_device(st.rdev, self.kernel.entropy.clone())?;
                return Ok(OpenFile::stream(s, flags));
            }
            FileType::Fifo | FileType::Socket | FileType::BlockDevice => return Err(Errno::ENXIO),
            _ => {}
        }
        if flags.contains(OFlags::TRUNC) && flags.writable() && st.is_file() && st.size > 0 {
            r.vnode.mount.fs.setattr(r.vnode.ino, &SetAttr { size: Some(0), ..Default::default() })?;
        }
        r.vnode.mount.fs.open(r.vnode.ino)?;
        Ok(OpenFile::new(FileKind::Vnode { vnode: r.vnode, path: r.path }, flags))
    }

    /// `read(2)`.
    pub fn read(&self, fd: Fd, buf: &mut [u8]) -> KResult<usize> {
        let f = self.file(fd)?;
        if !f.flags().readable() {
            return Err(Errno::EBADF);
        }
        match &f.kind {
            FileKind::Vnode { vnode, .. } => {
                let mut off = f.offset.lock();
                let n = vnode.mount.fs.read(vnode.ino, *off, buf)?;
                *off += n as u64;
                Ok(n)
            }
            FileKind::Stream(s) => self.stream_read(s, f.flags().contains(OFlags::NONBLOCK), buf),
        }
    }

    fn stream_read(&self, s: &Arc<dyn Stream>, nonblock: bool, buf: &mut [u8]) -> KResult<usize> {
        if s.isatty() {
            self.tty_read_gate(s)?;
        }
        if nonblock {
            return s.try_read(buf);
        }
        self.block_on(&[s], None, || s.try_read(buf))
    }

    /// `pread(2)`: read at `offset` without moving the file offset.
    pub fn pread(&self, fd: Fd, buf: &mut [u8], offset: u64) -> KResult<usize> {
        let f = self.file(fd)?;
        if !f.flags().readable() {
            return Err(Errno::EBADF);
        }
        match &f.kind {
            FileKind::Vnode { vnode, .. } => vnode.mount.fs.read(vnode.ino, offset, buf),
            FileKind::Stream(_) => Err(Errno::ESPIPE),
        }
    }

    /// `write(2)`. Blocking streams take every byte unless interrupted.
    pub fn write(&self, fd: Fd, buf: &[u8]) -> KResult<usize> {
        let f = self.file(fd)?;
        if !f.flags().writable() {
            return Err(Errno::EBADF);
        }
        match &f.kind {
            FileKind::Vnode { vnode, .. } => {
                self.check_signals(false)?;
                let mut off = f.offset.lock();
                if f.flags().contains(OFlags::APPEND) {
                    *off = vnode.mount.fs.getattr(vnode.ino)?.size;
                }
                let n = vnode.mount.fs.write(vnode.ino, *off, buf)?;
                *off += n as u64;
                Ok(n)
            }
            FileKind::Stream(s) => {
                let nonblock = f.flags().contains(OFlags::NONBLOCK);
                let mut done = 0;
                while done < buf.len() || buf.is_empty() {
                    let r = if nonblock {
                        s.try_write(&buf[done..])
                    } else {
                        self.block_on(&[s], None, || s.try_write(&buf[done..]))
                    };
                    match r {
                        Ok(n) => {
                            done += n;
                            if buf.is_empty() {
                                break;
                            }
                        }
                        Err(Errno::EPIPE) => {
                            self.proc.deliver(Signal::SIGPIPE);
                            self.check_signals(false)?;
                            return Err(Errno::EPIPE);
                        }
                        Err(e) if done > 0 && (e == Errno::EINTR || e == Errno::EAGAIN) => break,
                        Err(e) => return Err(e),
                    }
                    if nonblock {
                        break;
                    }
                }
                Ok(done)
            }
        }
    }

    /// Write all of `buf`, retrying short writes.
    pub fn write_all(&self, fd: Fd, mut buf: &[u8]) -> KResult<()> {
        while !buf.is_empty() {
            let n = self.write(fd, buf)?;
            if n == 0 {
                return Err(Errno::EIO);
            }
            buf = &buf[n..];
        }
        Ok(())
    }

    /// `pwrite(2)`.
    pub fn pwrite(&self, fd: Fd, buf: &[u8], offset: u64) -> KResult<usize> {
        let f = self.file(fd)?;
        if !f.flags().writable() {
            return Err(Errno::EBADF);
        }
        match &f.kind {
            FileKind::Vnode { vnode, .. } => vnode.mount.fs.write(vnode.ino, offset, buf),
            FileKind::Stream(_) => Err(Errno::ESPIPE),
        }
    }

    /// `lseek(2)`; returns the new offset.
    pub fn lseek(&self, fd: Fd, offset: i64, whence: Whence) -> KResult<u64> {
        let f = self.file(fd)?;
        match &f.kind {
            FileKind::Vnode { vnode, .. } => {
                let mut off = f.offset.lock();
                let base = match whence {
                    Whence::Set => 0,
                    Whence::Cur => *off as i64,
                    Whence::End => vnode.mount.fs.getattr(vnode.ino)?.size as i64,
                };
                let new = base.checked_add(offset).ok_or(Errno::EOVERFLOW)?;
                if new < 0 {
                    return Err(Errno::EINVAL);
                }
                *off = new as u64;
                Ok(new as u64)
            }
            FileKind::Stream(_) => Err(Errno::ESPIPE),
        }
    }

    /// `close(2)`.
    pub fn close(&self, fd: Fd) -> KResult<()> {
        let f = self.proc.fds.lock().remove(fd)?;
        drop(f);
        Ok(())
    }

    /// `dup(2)`.
    pub fn dup(&self, fd: Fd) -> KResult<Fd> {
        self.dup_min(fd, 0, false)
    }

    /// `fcntl(F_DUPFD[_CLOEXEC])`: lowest free descriptor `>= min`.
    pub fn dup_min(&self, fd: Fd, min: Fd, cloexec: bool) -> KResult<Fd> {
        let mut t = self.proc.fds.lock();
        let f = t.get(fd)?;
        if min < 0 || min as usize >= self.kernel.limits.max_open_fds {
            return Err(Errno::EINVAL);
        }
        t.alloc(min, f, cloexec, self.kernel.limits.max_open_fds)
    }

    /// `dup2(2)`.
    pub fn dup2(&self, old: Fd, new: Fd) -> KResult<Fd> {
        let replaced = {
            let mut t = self.proc.fds.lock();
            let f = t.get(old)?;
            if old == new {
                return Ok(new);
            }
            t.set(new, f, false, self.kernel.limits.max_open_fds)?
        };
        drop(replaced);
        Ok(new)
    }

    /// `FD_CLOEXEC` of a descriptor.
    pub fn get_cloexec(&self, fd: Fd) -> KResult<bool> {
        self.proc.fds.lock().cloexec(fd)
    }

    pub fn set_cloexec(&self, fd: Fd, on: bool) -> KResult<()> {
        self.proc.fds.lock().set_cloexec(fd, on)
    }

    /// `fcntl(F_GETFL)`.
    pub fn get_flags(&self, fd: Fd) -> KResult<OFlags> {
        Ok(self.file(fd)?.flags())
    }

    /// `fcntl(F_SETFL)`: `O_APPEND` and `O_NONBLOCK`.
    pub fn set_flags(&self, fd: Fd, flags: OFlags) -> KResult<()> {
        self.file(fd)?.set_status_flags(flags);
        Ok(())
    }

    /// `fstat(2)`.
    pub fn fstat(&self, fd: Fd) -> KResult<Stat> {
        self.file(fd)?.stat()
    }

    /// `ftruncate(2)`.
    pub fn ftruncate(&self, fd: Fd, len: u64) -> KResult<()> {
        let f = self.file(fd)?;
        if !f.flags().writable() {
            return Err(Errno::EINVAL);
        }
        match &f.kind {
            FileKind::Vnode { vnode, .. } => {
                if vnode.mount.read_only {
                    return Err(Errno::EROFS);
                }
                vnode.mount.fs.setattr(vnode.ino, &SetAttr { size: Some(len), ..Default::default() }).map(|_| ())
            }
            FileKind::Stream(_) => Err(Errno::EINVAL),
        }
    }

    /// `fsync(2)`.
    pub fn fsync(&self, fd: Fd) -> KResult<()> {
        let f = self.file(fd)?;
        match &f.kind {
            FileKind::Vnode { vnode, .. } => vnode.mount.fs.fsync(vnode.ino),
            FileKind::Stream(_) => Ok(()),
        }
    }

    /// `isatty(3)`.
    pub fn isatty(&self, fd: Fd) -> bool {
        self.file(fd).map(|f| f.stream_ref().is_some_and(|s| s.isatty())).unwrap_or(false)
    }

    /// The remaining entries of an open directory (`getdents64`), including
    /// `.` and `..` first, as Linux lists them. Advances the offset.
    pub fn getdents(&self, fd: Fd) -> KResult<Vec<DirEntry>> {
        let f = self.file(fd)?;
        let FileKind::Vnode { vnode, .. } = &f.kind else { return Err(Errno::ENOTDIR) };
        let st = vnode.stat()?;
        if !st.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        let mut all = vec![
            DirEntry { name: ".".into(), ino: st.ino, kind: FileType::Directory },
            DirEntry { name: "..".into(), ino: st.ino, kind: FileType::Directory },
        ];
        all.extend(vnode.mount.fs.readdir(vnode.ino)?);
        let mut off = f.offset.lock();
        let start = (*off as usize).min(all.len());
        *off = all.len() as u64;
        Ok(all.split_off(start))
    }

    /// Rewind a directory descriptor (`rewinddir`/`seekdir`).
    pub fn seekdir(&self, fd: Fd, pos: u64) -> KResult<()> {
        *self.file(fd)?.offset.lock() = pos;
        Ok(())
    }

    /// `pipe2(2)`: returns (read end, write end).
    pub fn pipe(&self, flags: OFlags) -> KResult<(Fd, Fd)> {
        let (r, w) = self.kernel.new_pipe()?;
        let nb = OFlags(flags.0 & OFlags::NONBLOCK.0);
        let cloexec = flags.contains(OFlags::CLOEXEC);
        let rf = OpenFile::stream(r, OFlags::RDONLY | nb);
        let wf = OpenFile::stream(w, OFlags::WRONLY | nb);
        let mut t = self.proc.fds.lock();
        let limit = self.kernel.limits.max_open_fds;
        let a = t.alloc(0, rf, cloexec, limit)?;
        match t.alloc(0, wf, cloexec, limit) {
            Ok(b) => Ok((a, b)),
            Err(e) => {
                let _ = t.remove(a);
                Err(e)
            }
        }
    }

    /// `poll(2)`: wait until any entry is ready or `timeout` passes (`None`
    /// waits forever). Returns how many entries are ready. Regular files are
    /// always ready.
    pub fn poll(&self, fds: &mut [PollFd], timeout: Option<std::time::Duration>) -> KResult<usize> {
        use crate::file::poll as p;
        let mut streams: Vec<Option<Arc<dyn Stream>>> = Vec::with_capacity(fds.len());
        for e in fds.iter() {
            streams.push(self.file(e.fd).ok().and_then(|f| f.stream_ref().cloned()));
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        let check = |fds: &mut [PollFd]| {
            let mut n = 0;
            for (e, s) in fds.iter_mut().zip(&streams) {
                e.revents = match s {
                    Some(s) => s.poll() & (e.events | p::ERR | p::HUP),
                    None if self.file(e.fd).is_ok() => e.events & (p::IN | p::OUT),
                    None => 0x20, // POLLNVAL
                };
                if e.revents != 0 {
                    n += 1;
                }
            }
            n
        };
        let refs: Vec<&Arc<dyn Stream>> = streams.iter().flatten().collect();
        let r = self.block_on(&refs, deadline, || {
            let n = check(fds);
            if n > 0 || timeout == Some(std::time::Duration::ZERO) { Ok(n) } else { Err(Errno::EAGAIN) }
        });
        match r {
            Err(Errno::ETIMEDOUT) => Ok(0),
            r => r,
        }
    }
}
