//! The filesystem trait every backend implements, and the backends that
//! live in the kernel (`mem`, `dev`, `proc`).
//!
//! Analogue: the inode operations of Linux's VFS, or FUSE's low-level API.
//! A backend names objects by inode number and never sees paths: the kernel
//! walks paths (symlinks, `..`, mounts) itself, so path semantics are the same
//! on every backend. Backends check nothing about permissions; the kernel
//! does that from the attributes they report.

pub mod copy;
pub mod mem;
pub mod overlay;
pub mod proc;
pub mod snapshot;

use crate::abi::{DirEntry, FileType, KResult, Stat, TimeSet};

/// Inode number within one filesystem.
pub type Ino = u64;

/// Attributes to change with [`FileSystem::setattr`]. `None` leaves a field.
#[derive(Clone, Debug, Default)]
pub struct SetAttr {
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub size: Option<u64>,
    pub atime: TimeSet,
    pub mtime: TimeSet,
}

/// What a new inode is created as.
#[derive(Clone, Debug)]
pub struct NewNode<'a> {
    pub kind: FileType,
    /// Permission bits, already masked by the umask.
    pub perm: u32,
    pub uid: u32,
    pub gid: u32,
    /// Target for symlinks.
    pub target: &'a str,
    /// Device number for device nodes.
    pub rdev: u64,
}

/// Space used and available, for `df` and `statfs(2)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FsUsage {
    pub bytes_used: u64,
    pub bytes_total: u64,
    pub inodes_used: u64,
    pub inodes_total: u64,
}

/// A filesystem backend.
///
/// Every method fails with the errno Linux would give for the same
/// operation on that object: `ENOENT` for a missing name, `ENOTDIR` when
/// `dir` is not a directory, `EEXIST` when a name is taken, `ENOTEMPTY` when
/// removing or replacing a non-empty directory, `EISDIR`/`ENOTDIR` for type
/// mismatches in `rename`, `ENOSPC` when a limit is reached, `EROFS` when the
/// backend is read-only, `EIO` for a backend fault.
pub trait FileSystem: Send + Sync {
    /// A short name for `/proc/mounts` (`"tmpfs"`, `"proc"`, `"hostfs"`).
    fn fs_type(&self) -> &'static str;
    /// The root directory's inode.
    fn root(&self) -> Ino;
    /// Look up `name` (never `.` or `..`) in directory `dir`.
    fn lookup(&self, dir: Ino, name: &str) -> KResult<Ino>;
    /// Attributes of an inode. `dev` is filled in by the kernel.
    fn getattr(&self, ino: Ino) -> KResult<Stat>;
    /// Change attributes; `size` truncates or extends (sparse). Returns the
    /// new attributes. Updates `ctime` as Linux does.
    fn setattr(&self, ino: Ino, attr: &SetAttr) -> KResult<Stat>;
    /// Target of a symlink (`EINVAL` if not a symlink).
    fn readlink(&self, ino: Ino) -> KResult<String>;
    /// Read from a regular file at `offset`; 0 at or past the end.
    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> KResult<usize>;
    /// Write to a regular file at `offset`, extending it (holes read as zero).
    fn write(&self, ino: Ino, offset: u64, data: &[u8]) -> KResult<usize>;
    /// Create a file, directory, symlink or node `name` in `dir`.
    fn create(&self, dir: Ino, name: &str, node: &NewNode<'_>) -> KResult<Ino>;
    /// Add a hard link `newdir/newname` to `ino`.
    fn link(&self, ino: Ino, newdir: Ino, newname: &str) -> KResult<()>;
    /// Remove a non-directory name.
    fn unlink(&self, dir: Ino, name: &str) -> KResult<()>;
    /// Remove an empty directory.
    fn rmdir(&self, dir: Ino, name: &str) -> KResult<()>;
    /// Move `olddir/oldname` to `newdir/newname`, atomically replacing a
    /// compatible target. The kernel has already rejected moving a directory
    /// into itself.
    fn rename(&self, olddir: Ino, oldname: &str, newdir: Ino, newname: &str) -> KResult<()>;
    /// The entries of a directory, without `.` and `..`.
    fn readdir(&self, dir: Ino) -> KResult<Vec<DirEntry>>;
    /// An open file description now refers to `ino` (keeps an unlinked
    /// inode's data alive until [`FileSystem::release`]).
    fn open(&self, _ino: Ino) -> KResult<()> {
        Ok(())
    }
    /// An open file description of `ino` was closed.
    fn release(&self, _ino: Ino) {}
    /// Flush to stable storage.
    fn fsync(&self, _ino: Ino) -> KResult<()> {
        Ok(())
    }
    /// Space accounting.
    fn usage(&self) -> FsUsage {
        FsUsage::default()
    }
    /// Procfs and devfs objects whose meaning depends on the caller; `None`
    /// for ordinary backends.
    fn special(&self, _ino: Ino) -> Option<Special> {
        None
    }
}

/// An inode whose behaviour the kernel supplies rather than the backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Special {
    /// `/proc/self`: a symlink to the caller's pid directory.
    ProcSelf,
    /// `/proc/<pid>/fd/<n>`: opening it reopens that process's descriptor.
    ProcFdLink { pid: i32, fd: i32 },
}
