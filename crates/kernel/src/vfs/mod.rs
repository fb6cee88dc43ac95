//! The virtual filesystem switch: the mount table and the objects it hands
//! out. Path walking is in [`walk`]; path-level operations in [`ops`].
//!
//! Analogue: Linux `fs/namei.c` + `fs/namespace.c`, gVisor `vfs`.
//!
//! Lock order: the mount table's lock is taken only to clone an `Arc` of the
//! current table; no other lock is held while taking it.

mod ops;
mod walk;

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::RwLock;

use crate::abi::{Errno, KResult, Stat};
use crate::fs::{FileSystem, Ino};

pub use ops::{MkdirMode, RemoveKind};
pub use walk::{PathCtx, Resolved, Target, join, normalize};

/// One mounted filesystem.
pub struct Mount {
    /// Unique within the VM; also the `st_dev` of its files.
    pub id: u64,
    /// Absolute, normalised mount point.
    pub path: String,
    pub fs: Arc<dyn FileSystem>,
    pub read_only: bool,
    /// Where it is attached: the mount and inode it covers (none for `/`).
    pub covers: Option<(u64, Ino)>,
}

/// A filesystem object: a mount and an inode in it.
#[derive(Clone)]
pub struct Vnode {
    pub mount: Arc<Mount>,
    pub ino: Ino,
}

impl Vnode {
    /// Attributes, with `dev` filled in.
    pub fn stat(&self) -> KResult<Stat> {
        let mut st = self.mount.fs.getattr(self.ino)?;
        st.dev = self.mount.id;
        Ok(st)
    }

    pub fn same(&self, other: &Vnode) -> bool {
        self.mount.id == other.mount.id && self.ino == other.ino
    }
}

impl std::fmt::Debug for Vnode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vnode({}:{})", self.mount.id, self.ino)
    }
}

#[derive(Clone, Default)]
struct MountTable {
    /// By mount point path.
    by_path: HashMap<String, Arc<Mount>>,
    /// By the (mount, inode) each mount covers.
    by_cover: HashMap<(u64, Ino), Arc<Mount>>,
    next_id: u64,
}

/// The mount table and everything path-based.
pub struct Vfs {
    table: RwLock<Arc<MountTable>>,
    /// The permission policy, once one is installed ([`Vfs::set_policy`]).
    guard: std::sync::OnceLock<Arc<crate::policy::Guard>>,
    /// Permission tiers of programs, by canonical executable path.
    tiers: RwLock<HashMap<String, crate::policy::Tier>>,
}

impl Vfs {
    /// A VFS whose root is `root`.
    pub fn new(root: Arc<dyn FileSystem>) -> Vfs {
        let m = Arc::new(Mount { id: 1, path: "/".into(), fs: root, read_only: false, covers: None });
        let mut t = MountTable { next_id: 2, ..Default::default() };
        t.by_path.insert("/".into(), m);
        Vfs { table: RwLock::new(Arc::new(t)), guard: std::sync::OnceLock::new(), tiers: RwLock::new(HashMap::new()) }
    }

    /// Enforce `policy` from now on (once per VM: `EBUSY` the second time).
    pub fn set_policy(&self, policy: crate::policy::Policy) -> KResult<()> {
        self.guard.set(Arc::new(crate::policy::Guard::new(policy))).map_err(|_| Errno::EBUSY)
    }

    /// The policy being enforced, if any.
    pub fn guard(&self) -> Option<&Arc<crate::policy::Guard>> {
        self.guard.get()
    }

    /// Run the program at canonical path `exe` with `tier` from its next
    /// start on (spawn or exec; running processes keep theirs).
    pub fn set_tier(&self, exe: &str, tier: crate::policy::Tier) {
        self.tiers.write().insert(exe.to_string(), tier);
    }

    /// The tier registered for the program at canonical path `exe`.
    pub fn tier_of(&self, exe: &str) -> Option<crate::policy::Tier> {
        self.tiers.read().get(exe).copied()
    }

    /// The choke point of every policy check: allowed without a policy and
    /// for the kernel's own work (root in init, e.g. creating a mount
    /// point); otherwise as the policy says.
    pub fn permit(
        &self,
        ctx: &PathCtx<'_>,
        domain: crate::policy::Domain,
        op: &str,
        subject: &str,
    ) -> KResult<Option<crate::policy::Checked>> {
        if !ctx.tier.allows(domain, op, subject) {
            return Err(crate::policy::deny_by_tier(self.guard.get().map(|g| &**g), ctx.tier, domain, op, subject));
        }
        match self.guard.get() {
            Some(g) if !(ctx.pid == crate::kernel::INIT && ctx.cred == crate::abi::Cred::ROOT) => {
                g.check(domain, op, subject).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// The policy check of `open(2)`: `read` and/or `write` by the flags.
    pub(crate) fn permit_open(&self, ctx: &PathCtx<'_>, path: &str, flags: crate::abi::OFlags) -> KResult<()> {
        if flags.readable() {
            self.permit_fs(ctx, "read", path)?;
        }
        if flags.writable() || flags.contains(crate::abi::OFlags::TRUNC) {
            self.permit_fs(ctx, "write", path)?;
        }
        Ok(())
    }

    /// [`Vfs::permit`] for a filesystem operation on a canonical path.
    pub(crate) fn permit_fs(&self, ctx: &PathCtx<'_>, op: &str, path: &str) -> KResult<()> {
        self.permit(ctx, crate::policy::Domain::Fs, op, path).map(|_| ())
    }

    fn table(&self) -> Arc<MountTable> {
        self.table.read().clone()
    }

    /// The root mount.
    pub fn root_mount(&self) -> Arc<Mount> {
        // The root mount is inserted in `new` and can never be removed.
        self.table().by_path.get("/").cloned().expect("root mount always present")
    }

    /// Mount `fs` on the existing directory `at` (already resolved by the
    /// caller). `EBUSY` if something is already mounted there.
    pub fn mount(&self, at: &Resolved, fs: Arc<dyn FileSystem>, read_only: bool) -> KResult<()> {
        if !at.vnode.stat()?.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        let mut guard = self.table.write();
        let t = Arc::make_mut(&mut guard);
        if t.by_path.contains_key(&at.path) {
            return Err(Errno::EBUSY);
        }
        let key = (at.vnode.mount.id, at.vnode.ino);
        let m = Arc::new(Mount { id: t.next_id, path: at.path.clone(), fs, read_only, covers: Some(key) });
        t.next_id += 1;
        t.by_cover.insert(key, m.clone());
        t.by_path.insert(at.path.clone(), m);
        Ok(())
    }

    /// Unmount whatever is mounted at `path`. `EINVAL` for `/` or a path that
    /// is not a mount point; `EBUSY` if other mounts sit below it or `busy`
    /// says a file on it is open.
    pub fn unmount(&self, path: &str, busy: impl Fn(u64) -> bool) -> KResult<()> {
        let mut guard = self.table.write();
        let t = Arc::make_mut(&mut guard);
        if path == "/" {
            return Err(Errno::EINVAL);
        }
        let m = t.by_path.get(path).cloned().ok_or(Errno::EINVAL)?;
        let prefix = format!("{path}/");
        if t.by_path.keys().any(|p| p.starts_with(&prefix)) || busy(m.id) {
            return Err(Errno::EBUSY);
        }
        t.by_path.remove(path);
        if let Some(key) = m.covers {
            t.by_cover.remove(&key);
        }
        Ok(())
    }

    /// All mounts, sorted by mount point.
    pub fn mounts(&self) -> Vec<Arc<Mount>> {
        let mut v: Vec<_> = self.table().by_path.values().cloned().collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }
}
