//! Overlay semantics (copy-up, whiteouts, opaque directories, merged
//! listings), the conformance suite on an overlay root, and snapshots.

use std::sync::Arc;

use agentos_kernel::Errno::*;
use agentos_kernel::abi::{FileType, OFlags};
use agentos_kernel::clock::{ManualClock, SeededEntropy};
use agentos_kernel::exec::NativeRegistry;
use agentos_kernel::fs::mem::{MemFs, MemLimits};
use agentos_kernel::fs::overlay::{OPAQUE_MARKER, OverlayFs};
use agentos_kernel::fs::{FileSystem, NewNode, snapshot};
use agentos_kernel::rootfs::build_base;
use agentos_kernel::{Kernel, KernelConfig, Limits, Task};

use super::{USER, as_user};

fn mem() -> MemFs {
    MemFs::new(Arc::new(ManualClock::default()), MemLimits::default(), 0o755, 0, 0)
}

fn kernel_on(root: Arc<dyn FileSystem>) -> Kernel {
    Kernel::new(
        KernelConfig {
            root,
            clock: Arc::new(ManualClock::default()),
            entropy: Arc::new(SeededEntropy::new(7)),
            limits: Limits::default(),
            hostname: "testhost".into(),
            natives: Arc::new(NativeRegistry::new()),
            binfmts: vec![],
        },
        USER,
    )
    .unwrap()
}

fn base() -> MemFs {
    build_base(Arc::new(ManualClock::default()), &NativeRegistry::new(), "testhost").unwrap()
}

fn put(t: &Task, path: &str, data: &[u8]) {
    let fd = t.open(path, OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0 | OFlags::TRUNC.0), 0o644).unwrap();
    t.write_all(fd, data).unwrap();
    t.close(fd).unwrap();
}

fn get(t: &Task, path: &str) -> Result<Vec<u8>, agentos_kernel::Errno> {
    let fd = t.open(path, OFlags::RDONLY, 0)?;
    let v = t.read_to_end(fd);
    t.close(fd)?;
    v
}

fn names(t: &Task, path: &str) -> Vec<String> {
    t.readdir(path).unwrap().into_iter().map(|e| e.name).collect()
}

#[test]
fn conformance_on_overlay_root() {
    let k = kernel_on(Arc::new(OverlayFs::new(Arc::new(mem()), vec![Arc::new(base())])));
    super::conformance::run(&k, "/tmp");
    super::conformance::run(&k, "/home/user");
}

/// Two lower layers and an upper: reads fall through, writes copy up,
/// removals leave whiteouts, a directory recreated over a removed one is
/// opaque, and listings merge.
#[test]
fn copy_up_whiteouts_opaque_and_merged_readdir() {
    let low = mem();
    let mid = mem();
    let dir = NewNode { kind: FileType::Directory, perm: 0o777, uid: 1000, gid: 1000, target: "", rdev: 0 };
    let file = NewNode { kind: FileType::Regular, perm: 0o644, uid: 1000, gid: 1000, target: "", rdev: 0 };
    let home = low.create(low.root(), "home", &dir).unwrap();
    low.create(home, "user", &dir).unwrap();
    let ld = low.create(low.root(), "d", &dir).unwrap();
    let f = low.create(ld, "low.txt", &file).unwrap();
    low.write(f, 0, b"lower").unwrap();
    let g = low.create(ld, "shadowed", &file).unwrap();
    low.write(g, 0, b"from low").unwrap();
    let sub = low.create(ld, "sub", &dir).unwrap();
    low.create(sub, "deep", &file).unwrap();
    let md = mid.create(mid.root(), "d", &dir).unwrap();
    let m = mid.create(md, "shadowed", &file).unwrap();
    mid.write(m, 0, b"from mid").unwrap();
    mid.create(md, "mid.txt", &file).unwrap();
    low.setattr(low.root(), &agentos_kernel::fs::SetAttr { mode: Some(0o777), ..Default::default() }).unwrap();
    let upper = Arc::new(MemFs::new(Arc::new(ManualClock::default()), MemLimits::default(), 0o777, 0, 0));
    let low = Arc::new(low);
    let ov = Arc::new(OverlayFs::new(upper.clone(), vec![Arc::new(mid), low.clone()]));
    let k = kernel_on(ov.clone());
    let r = as_user(&k, |t| {
        let merged = names(t, "/d");
        let shadowed = get(t, "/d/shadowed");
        let ino_before = t.stat("/d/low.txt").unwrap().ino;
        // Copy-up on write (append keeps the lower bytes).
        let fd = t.open("/d/low.txt", OFlags(OFlags::WRONLY.0 | OFlags::APPEND.0), 0).unwrap();
        t.write_all(fd, b"+upper").unwrap();
        t.close(fd).unwrap();
        let after = get(t, "/d/low.txt");
        let ino_after = t.stat("/d/low.txt").unwrap().ino;
        // Whiteouts.
        t.unlink("/d/shadowed").unwrap();
        let gone = (get(t, "/d/shadowed"), names(t, "/d"));
        put(t, "/d/shadowed", b"new");
        let recreated = get(t, "/d/shadowed");
        // Opaque: remove a lower directory tree, make it again: empty.
        t.unlink("/d/sub/deep").unwrap();
        t.rmdir("/d/sub").unwrap();
        let rm_nonempty = t.rmdir("/d");
        t.mkdir("/d/sub", 0o755).unwrap();
        let opaque = names(t, "/d/sub");
        let marker = t.stat(&format!("/d/sub/{OPAQUE_MARKER}")).map(|_| ());
        // Rename of a merged directory: whole tree copied up, old name gone.
        t.rename("/d", "/moved").unwrap();
        let moved = (names(t, "/moved"), t.stat("/d").map(|_| ()), get(t, "/moved/low.txt"));
        (merged, shadowed, ino_before == ino_after, after, gone, recreated, opaque, marker, rm_nonempty, moved)
    });
    assert_eq!(r.0, vec!["low.txt", "mid.txt", "shadowed", "sub"]);
    assert_eq!(r.1, Ok(b"from mid".to_vec()));
    assert!(r.2, "an object keeps its inode number across copy-up");
    assert_eq!(r.3, Ok(b"lower+upper".to_vec()));
    assert_eq!(r.4, (Err(ENOENT), vec!["low.txt".to_string(), "mid.txt".into(), "sub".into()]));
    assert_eq!(r.5, Ok(b"new".to_vec()));
    assert_eq!(r.6, Vec::<String>::new());
    assert_eq!(r.7, Err(ENOENT));
    assert_eq!(r.8, Err(ENOTEMPTY));
    assert_eq!(
        r.9,
        (
            vec!["low.txt".to_string(), "mid.txt".into(), "shadowed".into(), "sub".into()],
            Err(ENOENT),
            Ok(b"lower+upper".to_vec())
        )
    );
    // The lower layer never changed.
    let ld = low.lookup(low.root(), "d").unwrap();
    let mut buf = [0u8; 16];
    let f = low.lookup(ld, "low.txt").unwrap();
    assert_eq!(low.read(f, 0, &mut buf), Ok(5));
    assert!(low.lookup(low.lookup(ld, "sub").unwrap(), "deep").is_ok());
    // The upper holds a whiteout (char device 0/0) where /d was.
    let wh = upper.lookup(upper.root(), "d").unwrap();
    let st = upper.getattr(wh).unwrap();
    assert_eq!((FileType::from_mode(st.mode), st.rdev), (Some(FileType::CharDevice), 0));
}

#[test]
fn snapshot_round_trips_and_boots_as_lower_layer() {
    let k = kernel_on(Arc::new(base()));
    let host = k.host_task().unwrap();
    host.mkdir("/home/user/proj", 0o700).unwrap();
    put(&host, "/home/user/proj/a.txt", b"alpha");
    host.symlink("a.txt", "/home/user/proj/link").unwrap();
    host.link("/home/user/proj/a.txt", "/home/user/proj/hard").unwrap();
    let long = format!("/home/user/proj/{}", "n".repeat(200));
    put(&host, &long, b"long name");
    let tar = snapshot::export(k.vfs.root_mount().fs.as_ref()).unwrap();
    // Boot a second VM from it, as the lower layer of an overlay.
    let lower = snapshot::import(&tar, Arc::new(ManualClock::default())).unwrap();
    let k2 = kernel_on(Arc::new(OverlayFs::new(Arc::new(mem()), vec![Arc::new(lower)])));
    let h2 = k2.host_task().unwrap();
    let a = h2.stat("/home/user/proj/a.txt").unwrap();
    let hard = h2.stat("/home/user/proj/hard").unwrap();
    assert_eq!(get(&h2, "/home/user/proj/link"), Ok(b"alpha".to_vec()));
    assert_eq!(get(&h2, &long), Ok(b"long name".to_vec()));
    assert_eq!((a.ino == hard.ino, a.nlink), (true, 2));
    assert_eq!(h2.stat("/home/user/proj").map(|s| (s.mode & 0o777, s.uid)), Ok((0o700, 1000)));
    assert_eq!(get(&h2, "/etc/hostname"), Ok(b"testhost\n".to_vec()));
    assert_eq!(h2.stat("/dev/null").map(|s| s.rdev), host.stat("/dev/null").map(|s| s.rdev));
    // Not a snapshot: refused.
    assert_eq!(snapshot::import(b"garbage", Arc::new(ManualClock::default())).map(|_| ()), Err(EINVAL));
    let mut plain = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(1);
    plain.append_data(&mut h, "x", &b"x"[..]).unwrap();
    let plain = plain.into_inner().unwrap();
    assert_eq!(snapshot::import(&plain, Arc::new(ManualClock::default())).map(|_| ()), Err(EINVAL));
}
