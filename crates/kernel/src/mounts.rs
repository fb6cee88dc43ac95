//! Mounting and unmounting filesystems on a running VM: the kernel side of
//! `mount(2)`/`umount(2)` for the public API.
//!
//! Analogue: Linux `do_new_mount` / `do_umount`. The mount table itself is
//! in [`crate::vfs`]; this adds what needs the process table: an unmount is
//! `EBUSY` while a process has a file open on the mount or its working
//! directory inside it, as on Linux without `MNT_DETACH`.

use std::collections::HashSet;
use std::sync::Arc;

use crate::abi::{Cred, Errno, KResult};
use crate::file::FileKind;
use crate::fs::FileSystem;
use crate::kernel::{INIT, Kernel};
use crate::vfs::{MkdirMode, PathCtx, normalize};

impl Kernel {
    /// Mount `fs` at the absolute `path`, creating the mount point
    /// directory (and its parents) if missing. `EINVAL` for a relative path
    /// or `/`; `EBUSY` if something is mounted there already; `ENOTDIR` if
    /// the path names a non-directory.
    pub fn mount(&self, path: &str, fs: Arc<dyn FileSystem>, read_only: bool) -> KResult<()> {
        if !path.starts_with('/') {
            return Err(Errno::EINVAL);
        }
        let path = normalize(path);
        if path == "/" {
            return Err(Errno::EINVAL);
        }
        let ctx = PathCtx { cred: Cred::ROOT, cwd: "/", pid: INIT, tier: crate::policy::Tier::Full };
        self.vfs.mkdir(&ctx, &path, 0o755, MkdirMode::Parents)?;
        let at = self.vfs.resolve(&ctx, &path, true)?;
        self.vfs.mount(&at, fs, read_only)
    }

    /// Unmount the filesystem mounted at `path`. `EINVAL` for `/` or a path
    /// that is not a mount point; `EBUSY` if mounts sit below it, or a
    /// process has a file open on it or its working directory in it.
    pub fn unmount(&self, path: &str) -> KResult<()> {
        if !path.starts_with('/') {
            return Err(Errno::EINVAL);
        }
        let path = normalize(path);
        let inside = format!("{path}/");
        // Gather what is in use first, so no process lock is taken while
        // the mount table is locked for writing.
        let procs: Vec<_> = self.procs.lock().map.values().cloned().collect();
        let mut open_on = HashSet::new();
        let mut cwd_inside = false;
        for p in &procs {
            {
                let st = p.state.lock();
                cwd_inside |= st.status.is_none() && (st.cwd == path || st.cwd.starts_with(&inside));
            }
            let fds = p.fds.lock();
            for f in fds.fds().into_iter().filter_map(|fd| fds.get(fd).ok()) {
                if let FileKind::Vnode { vnode, .. } = &f.kind {
                    open_on.insert(vnode.mount.id);
                }
            }
        }
        self.vfs.unmount(&path, |id| cwd_inside || open_on.contains(&id))
    }
}
