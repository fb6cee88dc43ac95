//! The kernel's vocabulary: errnos, open flags, modes, `Stat`, signals.
//! No logic lives here. Analogue: gVisor `pkg/abi/linux`.

mod errno;
mod signal;

pub use errno::{Errno, KResult};
pub use signal::{SigAction, Signal, WaitEvent, WaitStatus};

/// Default signal actions.
pub mod signal_default {
    pub use super::signal::DefaultAction;
}

/// File type bits of `st_mode` (`S_IFMT`).
pub const S_IFMT: u32 = 0o170000;
pub const S_IFSOCK: u32 = 0o140000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFIFO: u32 = 0o010000;
/// Permission and special bits (`07777`).
pub const S_IPERM: u32 = 0o7777;
pub const S_ISVTX: u32 = 0o1000;

/// Longest path the kernel accepts (`PATH_MAX`, including the NUL).
pub const PATH_MAX: usize = 4096;
/// Longest single path component (`NAME_MAX`).
pub const NAME_MAX: usize = 255;
/// Symlinks followed in one resolution before `ELOOP` (Linux: 40).
pub const MAX_SYMLINK_HOPS: u32 = 40;
/// Bytes a pipe holds before writers block (Linux default: 64 KiB).
pub const PIPE_CAPACITY: usize = 64 * 1024;
/// Writes of at most this many bytes to a pipe are atomic.
pub const PIPE_BUF: usize = 4096;

/// The kind of a filesystem object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileType {
    Regular,
    Directory,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}

impl FileType {
    /// The `S_IF*` bits for this type.
    pub fn mode_bits(self) -> u32 {
        match self {
            FileType::Regular => S_IFREG,
            FileType::Directory => S_IFDIR,
            FileType::Symlink => S_IFLNK,
            FileType::CharDevice => S_IFCHR,
            FileType::BlockDevice => S_IFBLK,
            FileType::Fifo => S_IFIFO,
            FileType::Socket => S_IFSOCK,
        }
    }

    /// The type encoded in a full `st_mode`.
    pub fn from_mode(mode: u32) -> Option<FileType> {
        Some(match mode & S_IFMT {
            S_IFREG => FileType::Regular,
            S_IFDIR => FileType::Directory,
            S_IFLNK => FileType::Symlink,
            S_IFCHR => FileType::CharDevice,
            S_IFBLK => FileType::BlockDevice,
            S_IFIFO => FileType::Fifo,
            S_IFSOCK => FileType::Socket,
            _ => return None,
        })
    }
}

/// A point in time with nanosecond precision, seconds since the Unix epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timespec {
    pub sec: i64,
    pub nsec: u32,
}

impl Timespec {
    pub fn from_nanos(ns: i128) -> Timespec {
        Timespec { sec: ns.div_euclid(1_000_000_000) as i64, nsec: ns.rem_euclid(1_000_000_000) as u32 }
    }
    pub fn as_nanos(self) -> i128 {
        self.sec as i128 * 1_000_000_000 + self.nsec as i128
    }
    pub fn as_millis_f64(self) -> f64 {
        self.sec as f64 * 1000.0 + self.nsec as f64 / 1e6
    }
}

/// `struct stat`, as Linux fills it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stat {
    pub dev: u64,
    pub ino: u64,
    /// File type bits and permission bits.
    pub mode: u32,
    pub nlink: u64,
    pub uid: u32,
    pub gid: u32,
    pub rdev: u64,
    pub size: u64,
    pub blksize: u32,
    /// 512-byte blocks actually stored.
    pub blocks: u64,
    pub atime: Timespec,
    pub mtime: Timespec,
    pub ctime: Timespec,
    /// Creation time, where the filesystem keeps one (else `ctime`).
    pub btime: Timespec,
}

impl Stat {
    pub fn file_type(&self) -> FileType {
        FileType::from_mode(self.mode).unwrap_or(FileType::Regular)
    }
    pub fn is_dir(&self) -> bool {
        self.mode & S_IFMT == S_IFDIR
    }
    pub fn is_file(&self) -> bool {
        self.mode & S_IFMT == S_IFREG
    }
    pub fn is_symlink(&self) -> bool {
        self.mode & S_IFMT == S_IFLNK
    }
    /// Permission bits only (`mode & 07777`).
    pub fn perm(&self) -> u32 {
        self.mode & S_IPERM
    }
}

/// Flags of `open(2)`. Access mode plus creation and status flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub struct OFlags(pub u32);

impl OFlags {
    pub const RDONLY: OFlags = OFlags(0);
    pub const WRONLY: OFlags = OFlags(0o1);
    pub const RDWR: OFlags = OFlags(0o2);
    pub const ACCMODE: u32 = 0o3;
    pub const CREAT: OFlags = OFlags(0o100);
    pub const EXCL: OFlags = OFlags(0o200);
    pub const NOCTTY: OFlags = OFlags(0o400);
    pub const TRUNC: OFlags = OFlags(0o1000);
    pub const APPEND: OFlags = OFlags(0o2000);
    pub const NONBLOCK: OFlags = OFlags(0o4000);
    pub const DIRECTORY: OFlags = OFlags(0o200000);
    pub const NOFOLLOW: OFlags = OFlags(0o400000);
    pub const CLOEXEC: OFlags = OFlags(0o2000000);
    pub const PATH: OFlags = OFlags(0o10000000);

    pub fn contains(self, other: OFlags) -> bool {
        other.0 != 0 && self.0 & other.0 == other.0
    }
    pub fn readable(self) -> bool {
        matches!(self.0 & Self::ACCMODE, 0 | 2)
    }
    pub fn writable(self) -> bool {
        matches!(self.0 & Self::ACCMODE, 1 | 2)
    }
    /// Flags that `fcntl(F_SETFL)` may change.
    pub const SETFL_MASK: u32 = Self::APPEND.0 | Self::NONBLOCK.0;
}

impl std::ops::BitOr for OFlags {
    type Output = OFlags;
    fn bitor(self, rhs: OFlags) -> OFlags {
        OFlags(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for OFlags {
    fn bitor_assign(&mut self, rhs: OFlags) {
        self.0 |= rhs.0;
    }
}

/// `access(2)` mode bits.
pub const R_OK: u32 = 4;
pub const W_OK: u32 = 2;
pub const X_OK: u32 = 1;
pub const F_OK: u32 = 0;

/// Whence for `lseek(2)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whence {
    Set,
    Cur,
    End,
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub ino: u64,
    pub kind: FileType,
}

/// A new value for a timestamp in `utimensat(2)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TimeSet {
    /// Leave it unchanged (`UTIME_OMIT`).
    #[default]
    Omit,
    /// The current time (`UTIME_NOW`).
    Now,
    At(Timespec),
}

/// Identity a process acts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cred {
    pub uid: u32,
    pub gid: u32,
    /// Bypass permission-bit checks (`CAP_DAC_OVERRIDE`). Root has it; so do
    /// the host's own API calls, which act as the VM's user but are not
    /// stopped by modes.
    pub dac_override: bool,
}

impl Cred {
    pub const ROOT: Cred = Cred { uid: 0, gid: 0, dac_override: true };

    /// An ordinary user.
    pub const fn user(uid: u32, gid: u32) -> Cred {
        Cred { uid, gid, dac_override: false }
    }

    /// Whether this identity may access an object with `stat`'s owner and
    /// mode for `want` (a mix of `R_OK`, `W_OK`, `X_OK`).
    pub fn may(&self, st: &Stat, want: u32) -> bool {
        if self.dac_override || self.uid == 0 {
            // Root may execute only what someone may execute, or search dirs.
            return want & X_OK == 0 || st.is_dir() || st.mode & 0o111 != 0;
        }
        let bits = if st.uid == self.uid {
            (st.mode >> 6) & 7
        } else if st.gid == self.gid {
            (st.mode >> 3) & 7
        } else {
            st.mode & 7
        };
        bits & want == want
    }
}

/// Process id.
pub type Pid = i32;
/// File descriptor number.
pub type Fd = i32;
