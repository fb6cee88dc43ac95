//! Mounts, persistent roots, snapshots and forks: where a VM's files live.
//!
//! Every mount is a kernel mount, so shell commands, WASM programs and
//! JavaScript see it exactly as the API does. A VM's root is one of: a
//! copy-on-write fork of the shared base image (the default), a SQLite
//! database file that outlives the process ([`RootConfig::Sqlite`]), or an
//! overlay whose read-only lower layer is a snapshot
//! ([`AgentOsOptions::root_snapshot`](crate::AgentOsOptions)).

use std::path::PathBuf;
use std::sync::Arc;

use agentos_host::{HostDirOptions, HostFs, S3Fs, S3Options, SqliteFs};
use agentos_kernel::clock::Clock;
use agentos_kernel::fs::mem::{MemFs, MemLimits};
use agentos_kernel::fs::overlay::OverlayFs;
use agentos_kernel::fs::{FileSystem, SetAttr, copy, snapshot};
use agentos_kernel::rootfs::USER_UID;
use parking_lot::Mutex;

use crate::error::{Error, Result};
use crate::vm::{AgentOs, AgentOsOptions};

/// What a mount is backed by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountBackend {
    /// A directory of the host. Read-only unless `read_only` is false.
    /// Symlinks in it are followed inside the VM, never on the host; see
    /// [`agentos_host::hostfs`].
    HostDir {
        /// The host directory.
        host_path: PathBuf,
        /// Refuse writes (`EROFS`).
        read_only: bool,
    },
    /// A fresh in-memory filesystem (`tmpfs`), owned by the VM user.
    Memory,
    /// A filesystem in a SQLite database file (created if missing), whose
    /// files survive the process.
    Sqlite {
        /// The database file on the host.
        path: PathBuf,
    },
    /// A prefix of an S3 bucket (or S3-compatible server): files are
    /// objects, directories implied by keys. Credentials come from the
    /// usual `AWS_*` environment variables. See [`agentos_host::s3fs`] for
    /// what S3 can't do (symlinks, hard links, modes).
    S3 {
        /// Bucket name.
        bucket: String,
        /// Key prefix inside the bucket.
        prefix: String,
        /// Endpoint URL (for S3-compatible servers).
        endpoint: Option<String>,
        /// Region.
        region: Option<String>,
    },
}

/// A mount made when the VM is created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountConfig {
    /// Absolute path in the VM; created (with parents) if missing.
    pub path: String,
    /// What is mounted there.
    pub backend: MountBackend,
}

/// Where the root filesystem lives.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum RootConfig {
    /// A copy-on-write fork of the shared base image (the default).
    #[default]
    Memory,
    /// A SQLite database file. On first use the base image is copied in;
    /// afterwards every run sees the files of the runs before.
    Sqlite(PathBuf),
}

/// The root filesystem of a running VM, by kind (for fork and snapshot).
#[derive(Clone)]
pub(crate) enum RootFs {
    Mem(Arc<MemFs>),
    Overlay { fs: Arc<OverlayFs>, upper: Arc<MemFs> },
    Sqlite(Arc<SqliteFs>),
}

impl RootFs {
    pub(crate) fn fs(&self) -> Arc<dyn FileSystem> {
        match self {
            RootFs::Mem(m) => m.clone(),
            RootFs::Overlay { fs, .. } => fs.clone(),
            RootFs::Sqlite(s) => s.clone(),
        }
    }

    /// A copy-on-write clone, in O(1) for memory and overlay roots.
    fn fork(&self, limits: MemLimits) -> Option<RootFs> {
        match self {
            RootFs::Mem(m) => Some(RootFs::Mem(Arc::new(m.fork(limits)))),
            RootFs::Overlay { fs, upper } => {
                let upper = Arc::new(upper.fork(limits));
                let fs = Arc::new(OverlayFs::new(upper.clone(), fs.lowers().to_vec()));
                Some(RootFs::Overlay { fs, upper })
            }
            RootFs::Sqlite(_) => None,
        }
    }
}

/// Lower layers imported from snapshots, shared by every VM booted from
/// the same bytes (compared by content).
type LayerCache = Mutex<Vec<(Arc<Vec<u8>>, Arc<MemFs>)>>;

fn snapshot_layer(bytes: &Arc<Vec<u8>>, clock: Arc<dyn Clock>) -> Result<Arc<MemFs>> {
    static LAYERS: std::sync::OnceLock<LayerCache> = std::sync::OnceLock::new();
    let cache = LAYERS.get_or_init(Default::default);
    let mut layers = cache.lock();
    if let Some((_, l)) = layers.iter().find(|(b, _)| Arc::ptr_eq(b, bytes) || **b == **bytes) {
        return Ok(l.clone());
    }
    let layer = Arc::new(snapshot::import(bytes, clock).map_err(|errno| Error::Sys { errno, syscall: "snapshot" })?);
    layers.push((bytes.clone(), layer.clone()));
    Ok(layer)
}

/// Build the root filesystem the options ask for.
pub(crate) fn build_root(
    options: &AgentOsOptions,
    base: &MemFs,
    clock: Arc<dyn Clock>,
    limits: MemLimits,
) -> Result<RootFs> {
    let boot = |errno| Error::Sys { errno, syscall: "boot" };
    if let Some(bytes) = &options.root_snapshot {
        let lower = snapshot_layer(bytes, clock.clone())?;
        let st = lower.getattr(lower.root()).map_err(boot)?;
        let upper = Arc::new(MemFs::new(clock, limits, st.mode, st.uid, st.gid));
        let fs = Arc::new(OverlayFs::new(upper.clone(), vec![lower]));
        return Ok(RootFs::Overlay { fs, upper });
    }
    match &options.root {
        None | Some(RootConfig::Memory) => Ok(RootFs::Mem(Arc::new(base.fork(limits)))),
        Some(RootConfig::Sqlite(path)) => {
            let fs = SqliteFs::open(path, clock)
                .map_err(|errno| Error::Fs { errno, syscall: "open", path: path.display().to_string() })?
                // The VM's filesystem limits hold for a persistent root too
                // (counted from what the file already holds).
                .with_limits(limits);
            if !fs.is_seeded().map_err(boot)? {
                copy::copy_tree(base, base.root(), &fs, fs.root()).map_err(boot)?;
                fs.mark_seeded().map_err(boot)?;
            }
            Ok(RootFs::Sqlite(Arc::new(fs)))
        }
    }
}

/// Open the filesystem behind a mount; with whether it is read-only.
pub(crate) fn open_backend(
    backend: &MountBackend,
    clock: Arc<dyn Clock>,
    path: &str,
) -> Result<(Arc<dyn FileSystem>, bool)> {
    let fail = |errno| Error::Fs { errno, syscall: "mount", path: path.to_string() };
    match backend {
        MountBackend::HostDir { host_path, read_only } => {
            let opts = HostDirOptions { read_only: *read_only, uid: USER_UID, gid: USER_UID, exec_all: false };
            let fs = HostFs::open(host_path, opts).map_err(fail)?;
            Ok((Arc::new(fs), *read_only))
        }
        MountBackend::Memory => {
            let fs = MemFs::new(clock, MemLimits::default(), 0o755, USER_UID, USER_UID);
            Ok((Arc::new(fs), false))
        }
        MountBackend::Sqlite { path: db } => {
            let fs = SqliteFs::open(db, clock).map_err(fail)?;
            if !fs.is_seeded().map_err(fail)? {
                // A new database: its root belongs to the VM user.
                let attr = SetAttr { uid: Some(USER_UID), gid: Some(USER_UID), ..Default::default() };
                fs.setattr(fs.root(), &attr).map_err(fail)?;
                fs.mark_seeded().map_err(fail)?;
            }
            Ok((Arc::new(fs), false))
        }
        MountBackend::S3 { bucket, prefix, endpoint, region } => {
            let opts = S3Options {
                bucket: bucket.clone(),
                prefix: prefix.clone(),
                endpoint: endpoint.clone(),
                region: region.clone(),
                uid: USER_UID,
                gid: USER_UID,
                ..Default::default()
            };
            Ok((Arc::new(S3Fs::open(&opts).map_err(fail)?), false))
        }
    }
}

impl AgentOs {
    /// Mount `backend` at the absolute `path` of the running VM, creating
    /// the directory if missing. Read-only if `read_only` or the backend
    /// says so. Every guest program sees it at once.
    ///
    /// Errors: `EINVAL` for `/` or a relative path, `EBUSY` if something
    /// is mounted there, `ENOTDIR` if the path is a file.
    pub fn mount(&self, path: &str, backend: MountBackend, read_only: bool) -> Result<()> {
        let k = self.alive()?;
        if let Some(g) = k.vfs.guard() {
            g.check(agentos_kernel::policy::Domain::Fs, "mount", path).map_err(Error::fs("mount", path))?;
        }
        let (fs, ro) = open_backend(&backend, k.clock.clone(), path)?;
        k.mount(path, fs, ro || read_only).map_err(Error::fs("mount", path))
    }

    /// Unmount the filesystem at `path`. Errors: `EINVAL` for `/` or a path
    /// that is not a mount point; `EBUSY` while a process has a file open
    /// on it or its working directory in it, or other mounts sit below it.
    pub fn unmount(&self, path: &str) -> Result<()> {
        self.alive()?.unmount(path).map_err(Error::fs("umount", path))
    }

    /// How many operations the permission policy has denied, and the
    /// message of the latest (`EACCES: permission denied, write '/etc/x'`).
    /// Outbound connections refused by the network allow-list count too
    /// (`EACCES: permission denied, connect 'tcp://evil.test:443'`), also
    /// when there is no policy.
    pub fn permission_denials(&self) -> (u64, Option<String>) {
        let k = &self.inner.kernel;
        match (k.vfs.guard(), k.net.egress()) {
            (Some(g), _) => (g.denials(), g.last_denial()),
            (None, Some(e)) => e.denials(),
            (None, None) => (0, None),
        }
    }

    /// The root filesystem as a snapshot (format `agentos-snapshot v1`, see
    /// [`agentos_kernel::fs::snapshot`]). Mounts are not included. Boot a
    /// VM from it with `AgentOsOptions::root_snapshot`.
    pub fn snapshot(&self) -> Result<Vec<u8>> {
        let k = self.alive()?;
        snapshot::export(k.vfs.root_mount().fs.as_ref()).map_err(|errno| Error::Sys { errno, syscall: "snapshot" })
    }

    /// A new VM whose root filesystem is a copy-on-write clone of this
    /// one's, taken in O(1): the two diverge from here. Processes are not
    /// copied; the option mounts are mounted afresh (host directories and
    /// SQLite files are shared, memory mounts start empty). Fails with
    /// `EOPNOTSUPP` for a SQLite root.
    pub fn fork(&self) -> Result<AgentOs> {
        self.alive()?;
        let limits = self.inner.options.limits;
        let root = self
            .inner
            .root
            .fork(MemLimits { max_bytes: limits.fs_bytes, max_inodes: limits.fs_inodes })
            .ok_or(Error::Sys { errno: agentos_kernel::Errno::EOPNOTSUPP, syscall: "fork" })?;
        AgentOs::create_with_root(self.inner.options.clone(), Some(root))
    }
}
