//! The default root filesystem: a small merged-/usr Linux layout with the
//! user `user` (uid 1000), device nodes, and one executable per native
//! program. Built once per process and shared: every VM forks it in O(1).

use std::sync::Arc;

use crate::abi::{FileType, KResult};
use crate::clock::Clock;
use crate::exec::NativeRegistry;
use crate::file::Device;
use crate::fs::mem::{MemFs, MemLimits};
use crate::fs::{FileSystem, Ino, NewNode};

/// Uid and gid of the VM's ordinary user.
pub const USER_UID: u32 = 1000;
pub const USER_NAME: &str = "user";
pub const USER_HOME: &str = "/home/user";
/// The `PATH` processes start with.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
user:x:1000:1000:user:/home/user:/bin/sh
";
const GROUP: &str = "root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
tty:x:5:user
users:x:100:user
nogroup:x:65534:
user:x:1000:
";
const OS_RELEASE: &str = "PRETTY_NAME=\"agentOS\"
NAME=\"agentOS\"
ID=agentos
VERSION_ID=\"0.1\"
";

struct Builder<'a> {
    fs: &'a MemFs,
}

impl Builder<'_> {
    fn at(&self, path: &str) -> KResult<Ino> {
        let mut ino = self.fs.root();
        for c in path.split('/').filter(|c| !c.is_empty()) {
            ino = self.fs.lookup(ino, c)?;
        }
        Ok(ino)
    }

    fn split<'p>(&self, path: &'p str) -> KResult<(Ino, &'p str)> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        Ok((self.at(dir)?, name))
    }

    fn node(&self, path: &str, kind: FileType, perm: u32, uid: u32, target: &str, rdev: u64) -> KResult<Ino> {
        let (dir, name) = self.split(path)?;
        self.fs.create(dir, name, &NewNode { kind, perm, uid, gid: uid, target, rdev })
    }

    fn dir(&self, path: &str, perm: u32, uid: u32) -> KResult<()> {
        self.node(path, FileType::Directory, perm, uid, "", 0).map(|_| ())
    }

    fn file(&self, path: &str, perm: u32, content: &[u8]) -> KResult<()> {
        let ino = self.node(path, FileType::Regular, perm, 0, "", 0)?;
        self.fs.write(ino, 0, content).map(|_| ())
    }

    fn symlink(&self, path: &str, target: &str) -> KResult<()> {
        self.node(path, FileType::Symlink, 0o777, 0, target, 0).map(|_| ())
    }
}

/// Build the base image with an executable in `/usr/bin` for each native
/// program.
pub fn build_base(clock: Arc<dyn Clock>, natives: &NativeRegistry, hostname: &str) -> KResult<MemFs> {
    let fs = MemFs::new(clock, MemLimits { max_bytes: u64::MAX, max_inodes: u64::MAX }, 0o755, 0, 0);
    let b = Builder { fs: &fs };
    for d in [
        "/usr",
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib",
        "/usr/libexec",
        "/usr/share",
        "/usr/include",
        "/usr/local",
        "/usr/local/bin",
        "/usr/local/sbin",
        "/usr/local/lib",
        "/usr/local/share",
        "/etc",
        "/etc/agentos",
        "/home",
        "/dev",
        "/dev/pts",
        "/proc",
        "/sys",
        "/mnt",
        "/media",
        "/opt",
        "/run",
        "/srv",
        "/boot",
        "/var",
        "/var/cache",
        "/var/lib",
        "/var/log",
        "/var/spool",
        "/var/empty",
    ] {
        b.dir(d, 0o755, 0)?;
    }
    b.symlink("/bin", "usr/bin")?;
    b.symlink("/sbin", "usr/sbin")?;
    b.symlink("/lib", "usr/lib")?;
    b.symlink("/var/run", "../run")?;
    b.dir("/root", 0o700, 0)?;
    b.dir("/tmp", 0o1777, 0)?;
    b.dir("/var/tmp", 0o1777, 0)?;
    b.dir("/dev/shm", 0o1777, 0)?;
    b.dir(USER_HOME, 0o755, USER_UID)?;
    b.file("/etc/passwd", 0o644, PASSWD.as_bytes())?;
    b.file("/etc/group", 0o644, GROUP.as_bytes())?;
    b.file("/etc/hostname", 0o644, format!("{hostname}\n").as_bytes())?;
    b.file(
        "/etc/hosts",
        0o644,
        format!("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n").as_bytes(),
    )?;
    b.file("/etc/shells", 0o644, b"/bin/sh\n/bin/bash\n/usr/bin/sh\n/usr/bin/bash\n")?;
    b.file("/usr/lib/os-release", 0o644, OS_RELEASE.as_bytes())?;
    b.symlink("/etc/os-release", "../usr/lib/os-release")?;
    b.file("/etc/profile", 0o644, b"export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n")?;
    for (name, dev) in [
        ("null", Device::Null),
        ("zero", Device::Zero),
        ("full", Device::Full),
        ("random", Device::Random),
        ("urandom", Device::URandom),
    ] {
        b.node(&format!("/dev/{name}"), FileType::CharDevice, 0o666, 0, "", dev.rdev())?;
    }
    // The controlling terminal and the pseudo-terminal multiplexer.
    b.node("/dev/tty", FileType::CharDevice, 0o666, 0, "", crate::file::makedev(5, 0))?;
    b.node("/dev/ptmx", FileType::CharDevice, 0o666, 0, "", crate::file::makedev(5, 2))?;
    b.symlink("/dev/stdin", "/proc/self/fd/0")?;
    b.symlink("/dev/stdout", "/proc/self/fd/1")?;
    b.symlink("/dev/stderr", "/proc/self/fd/2")?;
    b.symlink("/dev/fd", "/proc/self/fd")?;
    for name in natives.names() {
        b.file(&format!("/usr/bin/{name}"), 0o755, &NativeRegistry::file_content(&name))?;
    }
    Ok(fs)
}
