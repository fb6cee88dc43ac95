//! Path calls: `stat`, `mkdir`, `unlink`, `rename`, `link`, `symlink`,
//! `readlink`, `chmod`, `chown`, `utimensat`, `truncate`, `access`,
//! `chdir`, `realpath`.

use super::Task;
use crate::abi::{DirEntry, Errno, FileType, KResult, Stat, TimeSet, X_OK};
use crate::fs::SetAttr;
use crate::vfs::{MkdirMode, RemoveKind};

impl Task {
    /// `stat(2)`.
    pub fn stat(&self, path: &str) -> KResult<Stat> {
        let r = self.with_ctx(|ctx| {
            let r = self.kernel.vfs.resolve(ctx, path, true)?;
            self.kernel.vfs.permit_fs(ctx, "stat", &r.path).map(|_| r)
        })?;
        match r.target {
            crate::vfs::Target::FdLink { pid, fd } => {
                let p = self.kernel.process(pid).ok_or(Errno::ENOENT)?;
                let f = p.fds.lock().get(fd).map_err(|_| Errno::ENOENT)?;
                f.stat()
            }
            crate::vfs::Target::Node => Ok(r.stat),
        }
    }

    /// `lstat(2)`.
    pub fn lstat(&self, path: &str) -> KResult<Stat> {
        self.with_ctx(|ctx| {
            let r = self.kernel.vfs.resolve(ctx, path, false)?;
            self.kernel.vfs.permit_fs(ctx, "stat", &r.path).map(|_| r.stat)
        })
    }

    /// `mkdir(2)`; `mode` is masked by the umask.
    pub fn mkdir(&self, path: &str, mode: u32) -> KResult<()> {
        let perm = mode & !self.get_umask() & 0o7777;
        self.with_ctx(|ctx| self.kernel.vfs.mkdir(ctx, path, perm, MkdirMode::Exclusive))
    }

    /// `mkdir -p`: create missing parents; an existing directory is fine.
    pub fn mkdir_all(&self, path: &str, mode: u32) -> KResult<()> {
        let perm = mode & !self.get_umask() & 0o7777;
        self.with_ctx(|ctx| self.kernel.vfs.mkdir(ctx, path, perm, MkdirMode::Parents))
    }

    /// `unlink(2)`.
    pub fn unlink(&self, path: &str) -> KResult<()> {
        self.with_ctx(|ctx| self.kernel.vfs.remove(ctx, path, RemoveKind::File))
    }

    /// `rmdir(2)`.
    pub fn rmdir(&self, path: &str) -> KResult<()> {
        self.with_ctx(|ctx| self.kernel.vfs.remove(ctx, path, RemoveKind::Dir))
    }

    /// `rename(2)`.
    pub fn rename(&self, old: &str, new: &str) -> KResult<()> {
        self.with_ctx(|ctx| self.kernel.vfs.rename(ctx, old, new))
    }

    /// `link(2)`.
    pub fn link(&self, old: &str, new: &str) -> KResult<()> {
        self.with_ctx(|ctx| self.kernel.vfs.link(ctx, old, new))
    }

    /// `symlink(2)`: create `linkpath` pointing at `target`.
    pub fn symlink(&self, target: &str, linkpath: &str) -> KResult<()> {
        self.with_ctx(|ctx| self.kernel.vfs.mknod(ctx, linkpath, FileType::Symlink, 0o777, target)).map(|_| ())
    }

    /// `readlink(2)`.
    pub fn readlink(&self, path: &str) -> KResult<String> {
        self.with_ctx(|ctx| self.kernel.vfs.readlink(ctx, path))
    }

    /// Directory entries of `path`, without `.` and `..`, sorted by name.
    pub fn readdir(&self, path: &str) -> KResult<Vec<DirEntry>> {
        self.with_ctx(|ctx| self.kernel.vfs.readdir(ctx, path))
    }

    fn set_attr(&self, path: &str, follow: bool, attr: SetAttr) -> KResult<Stat> {
        self.with_ctx(|ctx| {
            let r = self.kernel.vfs.resolve(ctx, path, follow)?;
            self.kernel.vfs.permit_fs(ctx, "write", &r.path)?;
            self.kernel.vfs.setattr(&ctx.cred, &r, &attr)
        })
    }

    /// `chmod(2)`.
    pub fn chmod(&self, path: &str, mode: u32) -> KResult<()> {
        self.set_attr(path, true, SetAttr { mode: Some(mode), ..Default::default() }).map(|_| ())
    }

    /// `fchmod(2)`.
    pub fn fchmod(&self, fd: crate::abi::Fd, mode: u32) -> KResult<()> {
        let path = self.fd_path(fd)?;
        self.chmod(&path, mode)
    }

    /// `chown(2)` (`follow`) or `lchown(2)`. `None` leaves a field.
    pub fn chown(&self, path: &str, uid: Option<u32>, gid: Option<u32>, follow: bool) -> KResult<()> {
        self.set_attr(path, follow, SetAttr { uid, gid, ..Default::default() }).map(|_| ())
    }

    /// `utimensat(2)`.
    pub fn utimens(&self, path: &str, atime: TimeSet, mtime: TimeSet, follow: bool) -> KResult<()> {
        self.set_attr(path, follow, SetAttr { atime, mtime, ..Default::default() }).map(|_| ())
    }

    /// `truncate(2)`.
    pub fn truncate(&self, path: &str, len: u64) -> KResult<()> {
        self.set_attr(path, true, SetAttr { size: Some(len), ..Default::default() }).map(|_| ())
    }

    /// `access(2)` with the real identity.
    pub fn access(&self, path: &str, mode: u32) -> KResult<()> {
        let st = self.stat(path)?;
        let r = self.with_ctx(|ctx| self.kernel.vfs.resolve(ctx, path, true))?;
        if mode & crate::abi::W_OK != 0 && r.vnode.mount.read_only {
            return Err(Errno::EROFS);
        }
        if self.cred().may(&st, mode) { Ok(()) } else { Err(Errno::EACCES) }
    }

    /// `chdir(2)`.
    pub fn chdir(&self, path: &str) -> KResult<()> {
        let r = self.with_ctx(|ctx| self.kernel.vfs.resolve(ctx, path, true))?;
        if !r.stat.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if !self.cred().may(&r.stat, X_OK) {
            return Err(Errno::EACCES);
        }
        self.proc.state.lock().cwd = r.path;
        Ok(())
    }

    /// `realpath(3)`: the canonical absolute path of an existing object.
    pub fn realpath(&self, path: &str) -> KResult<String> {
        self.with_ctx(|ctx| self.kernel.vfs.resolve(ctx, path, true)).map(|r| r.path)
    }

    /// The path a descriptor was opened by (`EBADF`; `EINVAL` for streams).
    pub fn fd_path(&self, fd: crate::abi::Fd) -> KResult<String> {
        match &self.file(fd)?.kind {
            crate::file::FileKind::Vnode { path, .. } => Ok(path.clone()),
            crate::file::FileKind::Stream(_) => Err(Errno::EINVAL),
        }
    }
}
