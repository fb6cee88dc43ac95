//! Path-level operations: the checks Linux makes, in the order it makes
//! them, before asking the backend. Error precedence follows Linux
//! (`EEXIST` before `EROFS` before `EACCES` for creation, and so on).

use super::walk::PathCtx;
use super::{Resolved, Vfs, Vnode};
use crate::abi::{Cred, DirEntry, Errno, FileType, KResult, R_OK, S_ISVTX, Stat, TimeSet, W_OK, X_OK};
use crate::fs::{NewNode, SetAttr};

/// How `mkdir` treats an existing directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MkdirMode {
    /// `EEXIST` if the name exists.
    Exclusive,
    /// Create missing parents; an existing directory is fine (`mkdir -p`).
    Parents,
}

/// What `remove` may delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoveKind {
    /// `unlink(2)`: anything but a directory.
    File,
    /// `rmdir(2)`: an empty directory.
    Dir,
}

fn writable(dir: &Resolved) -> KResult<()> {
    if dir.vnode.mount.read_only { Err(Errno::EROFS) } else { Ok(()) }
}

fn may_modify_dir(cred: &Cred, dir: &Resolved) -> KResult<()> {
    if cred.may(&dir.stat, W_OK | X_OK) { Ok(()) } else { Err(Errno::EACCES) }
}

/// The sticky-bit rule: in a sticky directory only the owner of the entry or
/// of the directory (or root) may remove or rename it.
fn sticky_ok(cred: &Cred, dir: &Stat, child: &Stat) -> KResult<()> {
    if dir.mode & S_ISVTX == 0 || cred.dac_override || cred.uid == 0 || cred.uid == child.uid || cred.uid == dir.uid {
        Ok(())
    } else {
        Err(Errno::EPERM)
    }
}

impl Vfs {
    /// Look up `name` in a resolved directory, without following it.
    fn child(&self, dir: &Resolved, name: &str) -> KResult<(Vnode, Stat)> {
        let ino = dir.vnode.mount.fs.lookup(dir.vnode.ino, name)?;
        let v = Vnode { mount: dir.vnode.mount.clone(), ino };
        let st = v.stat()?;
        Ok((v, st))
    }

    fn is_mount_point(&self, v: &Vnode) -> bool {
        self.table().by_cover.contains_key(&(v.mount.id, v.ino))
    }

    /// Create an inode of `kind` at `path`. The caller has masked `perm`.
    pub fn mknod(&self, ctx: &PathCtx<'_>, path: &str, kind: FileType, perm: u32, target: &str) -> KResult<Resolved> {
        let (dir, name, trailing) = self.resolve_parent(ctx, path)?;
        if name.is_empty() || name == "." || name == ".." {
            return Err(Errno::EEXIST);
        }
        match self.child(&dir, &name) {
            Ok(_) => return Err(Errno::EEXIST),
            Err(Errno::ENOENT) => {}
            Err(e) => return Err(e),
        }
        if trailing && kind != FileType::Directory {
            return Err(if kind == FileType::Regular { Errno::EISDIR } else { Errno::ENOENT });
        }
        writable(&dir)?;
        may_modify_dir(&ctx.cred, &dir)?;
        if kind == FileType::Symlink && target.is_empty() {
            return Err(Errno::ENOENT);
        }
        let op = match kind {
            FileType::Directory => "create_dir",
            FileType::Symlink => "symlink",
            _ => "write",
        };
        self.permit_fs(ctx, op, &super::walk::join(&dir.path, &name))?;
        let node = NewNode { kind, perm, uid: ctx.cred.uid, gid: ctx.cred.gid, target, rdev: 0 };
        let ino = dir.vnode.mount.fs.create(dir.vnode.ino, &name, &node)?;
        let vnode = Vnode { mount: dir.vnode.mount.clone(), ino };
        let stat = vnode.stat()?;
        Ok(Resolved { vnode, path: super::walk::join(&dir.path, &name), stat, target: super::Target::Node })
    }

    /// `mkdir(2)`, or `mkdir -p` with [`MkdirMode::Parents`].
    pub fn mkdir(&self, ctx: &PathCtx<'_>, path: &str, perm: u32, mode: MkdirMode) -> KResult<()> {
        match mode {
            MkdirMode::Exclusive => self.mknod(ctx, path, FileType::Directory, perm, "").map(|_| ()),
            MkdirMode::Parents => {
                match self.resolve(ctx, path, true) {
                    Ok(r) if r.stat.is_dir() => return Ok(()),
                    Ok(_) => return Err(Errno::EEXIST),
                    Err(Errno::ENOENT) => {}
                    Err(e) => return Err(e),
                }
                let abs = if path.starts_with('/') { path.to_string() } else { super::walk::join(ctx.cwd, path) };
                let mut prefix = String::new();
                for comp in abs.split('/').filter(|c| !c.is_empty()) {
                    prefix.push('/');
                    prefix.push_str(comp);
                    match self.mknod(ctx, &prefix, FileType::Directory, perm, "") {
                        Ok(_) => {}
                        Err(Errno::EEXIST) => {
                            if !self.resolve(ctx, &prefix, true)?.stat.is_dir() {
                                return Err(Errno::ENOTDIR);
                            }
                        }
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            }
        }
    }

    /// `unlink(2)` or `rmdir(2)`.
    pub fn remove(&self, ctx: &PathCtx<'_>, path: &str, kind: RemoveKind) -> KResult<()> {
        let (dir, name, trailing) = self.resolve_parent(ctx, path)?;
        match (kind, name.as_str()) {
            (RemoveKind::File, "" | "." | "..") => return Err(Errno::EISDIR),
            (RemoveKind::Dir, "") => return Err(Errno::EBUSY),
            (RemoveKind::Dir, ".") => return Err(Errno::EINVAL),
            (RemoveKind::Dir, "..") => return Err(Errno::ENOTEMPTY),
            _ => {}
        }
        let (child, st) = self.child(&dir, &name)?;
        match kind {
            RemoveKind::File => {
                if trailing {
                    return Err(if st.is_dir() { Errno::EISDIR } else { Errno::ENOTDIR });
                }
            }
            RemoveKind::Dir => {
                if !st.is_dir() {
                    return Err(Errno::ENOTDIR);
                }
            }
        }
        writable(&dir)?;
        may_modify_dir(&ctx.cred, &dir)?;
        sticky_ok(&ctx.cred, &dir.stat, &st)?;
        self.permit_fs(ctx, "rm", &super::walk::join(&dir.path, &name))?;
        if self.is_mount_point(&child) {
            return Err(Errno::EBUSY);
        }
        match kind {
            RemoveKind::File if st.is_dir() => Err(Errno::EISDIR),
            RemoveKind::File => dir.vnode.mount.fs.unlink(dir.vnode.ino, &name),
            RemoveKind::Dir => dir.vnode.mount.fs.rmdir(dir.vnode.ino, &name),
        }
    }

    /// `rename(2)`.
    pub fn rename(&self, ctx: &PathCtx<'_>, old: &str, new: &str) -> KResult<()> {
        let (odir, oname, otrail) = self.resolve_parent(ctx, old)?;
        let (ndir, nname, ntrail) = self.resolve_parent(ctx, new)?;
        if matches!(oname.as_str(), "" | "." | "..") || matches!(nname.as_str(), "" | "." | "..") {
            return Err(Errno::EBUSY);
        }
        let (src, sst) = self.child(&odir, &oname)?;
        if (otrail || ntrail) && !sst.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if odir.vnode.mount.id != ndir.vnode.mount.id {
            return Err(Errno::EXDEV);
        }
        let old_path = super::walk::join(&odir.path, &oname);
        let new_path = super::walk::join(&ndir.path, &nname);
        if sst.is_dir() && (new_path.starts_with(&format!("{old_path}/")) || ndir.path == old_path) {
            return Err(Errno::EINVAL);
        }
        let existing = match self.child(&ndir, &nname) {
            Ok(x) => Some(x),
            Err(Errno::ENOENT) => None,
            Err(e) => return Err(e),
        };
        if let Some((dst, dst_st)) = &existing {
            if dst.same(&src) {
                return Ok(());
            }
            if old_path.starts_with(&format!("{new_path}/")) {
                return Err(Errno::ENOTEMPTY);
            }
            if dst_st.is_dir() && !sst.is_dir() {
                return Err(Errno::EISDIR);
            }
            if !dst_st.is_dir() && sst.is_dir() {
                return Err(Errno::ENOTDIR);
            }
        }
        writable(&odir)?;
        may_modify_dir(&ctx.cred, &odir)?;
        may_modify_dir(&ctx.cred, &ndir)?;
        sticky_ok(&ctx.cred, &odir.stat, &sst)?;
        if let Some((dst, dst_st)) = &existing {
            sticky_ok(&ctx.cred, &ndir.stat, dst_st)?;
            if self.is_mount_point(dst) {
                return Err(Errno::EBUSY);
            }
        }
        if self.is_mount_point(&src) {
            return Err(Errno::EBUSY);
        }
        self.permit_fs(ctx, "rename", &old_path)?;
        self.permit_fs(ctx, "rename", &new_path)?;
        odir.vnode.mount.fs.rename(odir.vnode.ino, &oname, ndir.vnode.ino, &nname)
    }

    /// `link(2)`: a new name `new` for the object at `old` (not followed).
    pub fn link(&self, ctx: &PathCtx<'_>, old: &str, new: &str) -> KResult<()> {
        let src = self.resolve(ctx, old, false)?;
        let (dir, name, trailing) = self.resolve_parent(ctx, new)?;
        if matches!(name.as_str(), "" | "." | "..") {
            return Err(Errno::EEXIST);
        }
        match self.child(&dir, &name) {
            Ok(_) => return Err(Errno::EEXIST),
            Err(Errno::ENOENT) => {}
            Err(e) => return Err(e),
        }
        if trailing {
            return Err(Errno::ENOENT);
        }
        if src.vnode.mount.id != dir.vnode.mount.id {
            return Err(Errno::EXDEV);
        }
        if src.stat.is_dir() {
            return Err(Errno::EPERM);
        }
        writable(&dir)?;
        may_modify_dir(&ctx.cred, &dir)?;
        self.permit_fs(ctx, "write", &src.path)?;
        self.permit_fs(ctx, "write", &super::walk::join(&dir.path, &name))?;
        dir.vnode.mount.fs.link(src.vnode.ino, dir.vnode.ino, &name)
    }

    /// `readlink(2)`.
    pub fn readlink(&self, ctx: &PathCtx<'_>, path: &str) -> KResult<String> {
        let r = self.resolve(ctx, path, false)?;
        if !r.stat.is_symlink() {
            return Err(Errno::EINVAL);
        }
        self.permit_fs(ctx, "read", &r.path)?;
        match r.vnode.mount.fs.special(r.vnode.ino) {
            Some(crate::fs::Special::ProcSelf) => Ok(ctx.pid.to_string()),
            _ => r.vnode.mount.fs.readlink(r.vnode.ino),
        }
    }

    /// The entries of the directory at `path` (without `.` and `..`).
    pub fn readdir(&self, ctx: &PathCtx<'_>, path: &str) -> KResult<Vec<DirEntry>> {
        let r = self.resolve(ctx, path, true)?;
        if !r.stat.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if !ctx.cred.may(&r.stat, R_OK) {
            return Err(Errno::EACCES);
        }
        self.permit_fs(ctx, "readdir", &r.path)?;
        r.vnode.mount.fs.readdir(r.vnode.ino)
    }

    /// Change attributes of a resolved object, with Linux's ownership rules:
    /// only the owner (or root) may chmod, chown or set explicit times;
    /// `chown` to another user needs root.
    pub fn setattr(&self, cred: &Cred, r: &Resolved, attr: &SetAttr) -> KResult<Stat> {
        writable(r)?;
        let owner = cred.dac_override || cred.uid == 0 || cred.uid == r.stat.uid;
        if attr.mode.is_some() && !owner {
            return Err(Errno::EPERM);
        }
        if let Some(uid) = attr.uid
            && uid != r.stat.uid
            && !(cred.dac_override || cred.uid == 0)
        {
            return Err(Errno::EPERM);
        }
        if let Some(gid) = attr.gid
            && gid != r.stat.gid
            && !owner
        {
            return Err(Errno::EPERM);
        }
        let explicit_time = matches!(attr.atime, TimeSet::At(_)) || matches!(attr.mtime, TimeSet::At(_));
        if explicit_time && !owner {
            return Err(Errno::EPERM);
        }
        let now_time = matches!(attr.atime, TimeSet::Now) || matches!(attr.mtime, TimeSet::Now);
        if now_time && !owner && !cred.may(&r.stat, W_OK) {
            return Err(Errno::EACCES);
        }
        if attr.size.is_some() {
            if r.stat.is_dir() {
                return Err(Errno::EISDIR);
            }
            if !cred.may(&r.stat, W_OK) {
                return Err(Errno::EACCES);
            }
        }
        let mut st = r.vnode.mount.fs.setattr(r.vnode.ino, attr)?;
        st.dev = r.vnode.mount.id;
        Ok(st)
    }
}
