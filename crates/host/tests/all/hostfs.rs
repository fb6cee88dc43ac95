//! Host-directory mounts: conformance, read-only default, and the escapes
//! that must fail (symlinks out of the tree, `..`, swapped symlinks).

use std::os::unix::fs::symlink;
use std::sync::Arc;

use agentos_host::{HostDirOptions, HostFs};
use agentos_kernel::Errno::*;
use agentos_kernel::abi::OFlags;
use agentos_kernel::fs::FileSystem;

use super::{as_user, kernel};

fn rw() -> HostDirOptions {
    HostDirOptions { read_only: false, ..Default::default() }
}

fn read(t: &agentos_kernel::Task, path: &str) -> Result<Vec<u8>, agentos_kernel::Errno> {
    let fd = t.open(path, OFlags::RDONLY, 0)?;
    let v = t.read_to_end(fd);
    t.close(fd)?;
    v
}

#[test]
fn conformance_on_writable_host_dir() {
    let dir = tempfile::tempdir().unwrap();
    let k = kernel();
    k.mount("/mnt/host", Arc::new(HostFs::open(dir.path(), rw()).unwrap()), false).unwrap();
    super::conformance::run(&k, "/mnt/host");
    // What the VM wrote is really on the host.
    assert_eq!(std::fs::read(dir.path().join("work/rename/empty/b/moved")).unwrap(), b"new");
}

#[test]
fn read_only_by_default_and_host_files_visible() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hello.txt"), b"from the host").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let k = kernel();
    let fs = HostFs::open(dir.path(), HostDirOptions::default()).unwrap();
    k.mount("/mnt/ro", Arc::new(fs), true).unwrap();
    let r = as_user(&k, |t| {
        (
            read(t, "/mnt/ro/hello.txt"),
            t.open("/mnt/ro/new", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644).map(|_| ()),
            t.unlink("/mnt/ro/hello.txt"),
            t.mkdir("/mnt/ro/d", 0o755),
            t.stat("/mnt/ro/hello.txt").map(|s| (s.uid, s.size)),
        )
    });
    assert_eq!(r, (Ok(b"from the host".to_vec()), Err(EROFS), Err(EROFS), Err(EROFS), Ok((1000, 13))));
    // The backend refuses on its own too, whatever the mount flag says.
    let fs = HostFs::open(dir.path(), HostDirOptions::default()).unwrap();
    let ino = fs.lookup(fs.root(), "hello.txt").unwrap();
    assert_eq!(fs.write(ino, 0, b"x"), Err(EROFS));
    assert_eq!(std::fs::read(dir.path().join("hello.txt")).unwrap(), b"from the host");
}

/// The classic attacks: an absolute symlink to `/etc/passwd`, a relative
/// `../../..` chain, `..` in paths. Symlinks are followed in the VM's
/// namespace, so they land on the VM's files, never the host's.
#[test]
fn symlink_and_dotdot_escapes_stay_inside_the_vm() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret"), b"host secret").unwrap();
    let root = outer.path().join("shared");
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    symlink("/etc/passwd", root.join("passwd")).unwrap();
    symlink("../secret", root.join("up")).unwrap();
    symlink("../../../../../../../../secret", root.join("a/b/deep")).unwrap();
    symlink(outer.path(), root.join("outer")).unwrap();
    let k = kernel();
    k.mount("/mnt/host", Arc::new(HostFs::open(&root, rw()).unwrap()), false).unwrap();
    // A file the VM has at the place the relative link points to.
    let host = k.host_task().unwrap();
    let vm_passwd = read(&host, "/etc/passwd").unwrap();
    let r = as_user(&k, |t| {
        (
            read(t, "/mnt/host/passwd"),
            t.readlink("/mnt/host/passwd"),
            read(t, "/mnt/host/up"),
            t.realpath("/mnt/host/up"),
            read(t, "/mnt/host/a/b/deep"),
            read(t, "/mnt/host/../host/../../etc/hostname"),
            read(t, "/mnt/host/outer/secret"),
            t.open("/mnt/host/up", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644).map(|_| ()),
        )
    });
    assert_eq!(r.0, Ok(vm_passwd), "absolute symlink resolves to the VM's /etc/passwd");
    assert_eq!(r.1, Ok("/etc/passwd".to_string()));
    assert_eq!(r.2, Err(ENOENT), "../secret is /mnt/secret in the VM, which does not exist");
    assert_eq!(r.3, Err(ENOENT));
    assert_eq!(r.4, Err(ENOENT));
    assert_eq!(r.5, Ok(b"testhost\n".to_vec()));
    assert_eq!(r.6, Err(ENOENT));
    // Creating through the dangling link lands in the VM (/mnt is root's).
    assert_eq!(r.7, Err(EACCES));
    assert_eq!(std::fs::read(outer.path().join("secret")).unwrap(), b"host secret");
}

/// A directory swapped for a symlink on the host between two calls (the
/// race a path-based passthrough loses): the backend re-resolves beneath
/// its root without following symlinks, so the swap is refused with
/// `EACCES` rather than followed to the host's `/etc`.
#[test]
fn directory_swapped_for_symlink_during_use_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("d")).unwrap();
    std::fs::write(root.join("d/passwd"), b"inside").unwrap();
    let fs = HostFs::open(root, rw()).unwrap();
    let d = fs.lookup(fs.root(), "d").unwrap();
    let f = fs.lookup(d, "passwd").unwrap();
    let mut buf = [0u8; 64];
    assert_eq!(fs.read(f, 0, &mut buf), Ok(6));
    // Swap: d becomes a symlink to /etc.
    std::fs::rename(root.join("d"), root.join("d.old")).unwrap();
    symlink("/etc", root.join("d")).unwrap();
    assert_eq!(fs.read(f, 0, &mut buf), Err(EACCES));
    assert_eq!(fs.lookup(d, "passwd"), Err(EACCES));
    assert_eq!(fs.readdir(d).map(|_| ()), Err(EACCES));
    let node = agentos_kernel::fs::NewNode {
        kind: agentos_kernel::abi::FileType::Regular,
        perm: 0o644,
        uid: 1000,
        gid: 1000,
        target: "",
        rdev: 0,
    };
    assert_eq!(fs.create(d, "evil", &node), Err(EACCES));
    assert!(!std::path::Path::new("/etc/evil").exists());
    // A relative symlink swapped in that climbs out of the root: same.
    std::fs::remove_file(root.join("d")).unwrap();
    symlink("../..", root.join("d")).unwrap();
    assert_eq!(fs.lookup(d, "passwd"), Err(EACCES));
    // Names can't smuggle paths either.
    assert_eq!(fs.lookup(fs.root(), ".."), Err(EINVAL));
    assert_eq!(fs.lookup(fs.root(), "d.old/../../x"), Err(EINVAL));
}

#[test]
fn host_errors_and_metadata_map() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f"), b"12345").unwrap();
    let fs = HostFs::open(dir.path(), rw()).unwrap();
    let f = fs.lookup(fs.root(), "f").unwrap();
    let st = fs.getattr(f).unwrap();
    let host = std::fs::metadata(dir.path().join("f")).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!((st.size, st.mode, st.mtime.sec, st.nlink), (5, host.mode(), host.mtime(), 1));
    assert_eq!(fs.lookup(fs.root(), "missing"), Err(ENOENT));
    assert_eq!(fs.lookup(f, "x"), Err(ENOTDIR));
    assert_eq!(fs.readlink(f), Err(EINVAL));
    assert_eq!(HostFs::open(&dir.path().join("f"), rw()).map(|_| ()), Err(ENOTDIR));
    assert_eq!(HostFs::open(&dir.path().join("nope"), rw()).map(|_| ()), Err(ENOENT));
    // Same host inode, same Ino (hard links).
    std::fs::hard_link(dir.path().join("f"), dir.path().join("g")).unwrap();
    assert_eq!(fs.lookup(fs.root(), "g"), Ok(f));
}

/// The race for real: while the VM keeps reading `d/file`, a host thread
/// keeps swapping `d` between a directory and a symlink to a directory
/// outside the mount. No read may ever return the outside file.
#[test]
fn concurrent_symlink_swaps_never_leak_outside_files() {
    let outer = tempfile::tempdir().unwrap();
    let secret_dir = outer.path().join("secret");
    std::fs::create_dir(&secret_dir).unwrap();
    std::fs::write(secret_dir.join("file"), b"HOST SECRET").unwrap();
    let root = outer.path().join("shared");
    std::fs::create_dir_all(root.join("real")).unwrap();
    std::fs::write(root.join("real/file"), b"inside").unwrap();
    symlink("real", root.join("d.dir")).unwrap();
    std::fs::rename(root.join("real"), root.join("d")).unwrap();
    let k = kernel();
    k.mount("/mnt/host", Arc::new(HostFs::open(&root, rw()).unwrap()), false).unwrap();
    let before = as_user(&k, |t| read(t, "/mnt/host/d/file"));
    assert_eq!(before, Ok(b"inside".to_vec()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flipper = {
        let (root, secret_dir, stop) = (root.clone(), secret_dir.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut swaps = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // d: directory -> symlink to the outside -> directory again.
                std::fs::rename(root.join("d"), root.join("d.real")).unwrap();
                symlink(&secret_dir, root.join("d")).unwrap();
                std::thread::yield_now();
                std::fs::remove_file(root.join("d")).unwrap();
                std::fs::rename(root.join("d.real"), root.join("d")).unwrap();
                std::thread::yield_now();
                swaps += 1;
            }
            swaps
        })
    };
    let results = as_user(&k, |t| {
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..3000 {
            seen.insert(read(t, "/mnt/host/d/file").map(|v| String::from_utf8_lossy(&v).into_owned()));
        }
        seen
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let swaps = flipper.join().unwrap();
    assert!(swaps > 0);
    // Every read saw the inside file or failed; none saw the outside one.
    for r in &results {
        assert!(matches!(r, Ok(s) if s == "inside") || matches!(r, Err(EACCES | ENOENT)), "leaked or odd: {r:?}");
    }
}

#[test]
fn exec_all_shows_readable_files_executable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    for (name, mode) in [("a", 0o644), ("b", 0o600), ("c", 0o000)] {
        std::fs::write(dir.path().join(name), b"x").unwrap();
        std::fs::set_permissions(dir.path().join(name), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::set_permissions(dir.path().join("d"), std::fs::Permissions::from_mode(0o750)).unwrap();
    let k = kernel();
    let fs = HostFs::open(dir.path(), HostDirOptions { exec_all: true, ..Default::default() }).unwrap();
    k.mount("/mnt/x", Arc::new(fs), true).unwrap();
    let modes = as_user(&k, |t| ["a", "b", "c", "d"].map(|n| t.stat(&format!("/mnt/x/{n}")).map(|s| s.mode & 0o7777)));
    assert_eq!(modes, [Ok(0o755), Ok(0o700), Ok(0o000), Ok(0o750)]);
}
