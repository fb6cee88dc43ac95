//! Mounts: read-only mounts give `EROFS`, renames and links across mounts
//! give `EXDEV`, busy unmounts give `EBUSY`, and `/proc/mounts` lists them.

use std::sync::Arc;

use agentos_kernel::Errno::*;
use agentos_kernel::abi::{Cred, OFlags};
use agentos_kernel::clock::ManualClock;
use agentos_kernel::fs::mem::{MemFs, MemLimits};
use agentos_kernel::vfs::PathCtx;

use super::{as_user, kernel};

#[test]
fn read_only_and_cross_mount_rules() {
    let k = kernel();
    let ctx = PathCtx { cred: Cred::ROOT, cwd: "/", pid: 1, tier: agentos_kernel::policy::Tier::Full };
    let ro = MemFs::new(Arc::new(ManualClock::default()), MemLimits::default(), 0o777, 1000, 1000);
    let rw = MemFs::new(Arc::new(ManualClock::default()), MemLimits::default(), 0o777, 1000, 1000);
    let host = k.host_task().unwrap();
    host.mkdir("/mnt/ro", 0o755).unwrap();
    host.mkdir("/mnt/rw", 0o755).unwrap();
    let at = k.vfs.resolve(&ctx, "/mnt/rw", true).unwrap();
    k.vfs.mount(&at, Arc::new(rw), false).unwrap();
    // Put a file in the soon-read-only filesystem first.
    let fd = host.open("/mnt/rw/seed", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644).unwrap();
    host.close(fd).unwrap();
    let at = k.vfs.resolve(&ctx, "/mnt/ro", true).unwrap();
    k.vfs.mount(&at, Arc::new(ro), true).unwrap();
    assert_eq!(
        k.vfs.mount(
            &at,
            Arc::new(MemFs::new(Arc::new(ManualClock::default()), MemLimits::default(), 0o755, 0, 0)),
            false
        ),
        Err(EBUSY)
    );
    let r = as_user(&k, |t| {
        vec![
            t.open("/mnt/ro/new", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644).map(|_| ()),
            t.mkdir("/mnt/ro/d", 0o755),
            t.mkdir("/mnt/ro", 0o755),
            t.rename("/mnt/rw/seed", "/mnt/ro/seed"),
            t.rename("/mnt/rw/seed", "/tmp/seed"),
            t.link("/mnt/rw/seed", "/tmp/seedlink"),
            t.rmdir("/mnt/rw"),
            t.kernel().host_task().unwrap().rmdir("/mnt/rw"),
            t.rename("/mnt/rw/seed", "/mnt/rw/renamed"),
        ]
    });
    assert_eq!(
        r,
        vec![Err(EROFS), Err(EROFS), Err(EEXIST), Err(EXDEV), Err(EXDEV), Err(EXDEV), Err(EACCES), Err(EBUSY), Ok(())]
    );
    let fd = host.open("/proc/mounts", OFlags::RDONLY, 0).unwrap();
    let text = String::from_utf8(host.read_to_end(fd).unwrap()).unwrap();
    assert_eq!(
        text,
        "rootfs / tmpfs rw 0 0\ntmpfs /mnt/ro tmpfs ro 0 0\ntmpfs /mnt/rw tmpfs rw 0 0\nproc /proc proc rw 0 0\n"
    );
    // `..` from a mount's root climbs into the covering filesystem.
    assert_eq!(host.realpath("/mnt/rw/.."), Ok("/mnt".to_string()));
    assert_eq!(k.vfs.unmount("/mnt/rw", |_| false), Ok(()));
    assert_eq!(k.vfs.unmount("/mnt/rw", |_| false), Err(EINVAL));
    assert_eq!(k.vfs.unmount("/", |_| false), Err(EINVAL));
    assert_eq!(host.stat("/mnt/rw/renamed").map(|_| ()), Err(ENOENT));
}

#[test]
fn conformance_on_memory_root_and_mounted_memfs() {
    let k = kernel();
    super::conformance::run(&k, "/tmp");
    let mem = MemFs::new(Arc::new(ManualClock::default()), MemLimits::default(), 0o755, 0, 0);
    k.mount("/mnt/mem", Arc::new(mem), false).unwrap();
    super::conformance::run(&k, "/mnt/mem");
}

#[test]
fn kernel_mount_api_creates_mount_point_and_unmount_is_busy_while_open() {
    let k = kernel();
    let host = k.host_task().unwrap();
    let mem = || Arc::new(MemFs::new(Arc::new(ManualClock::default()), MemLimits::default(), 0o755, 0, 0));
    k.mount("/data/deep", mem(), false).unwrap();
    k.mount("/data/deep/inner", mem(), false).unwrap();
    assert_eq!(k.mount("/", mem(), false), Err(EINVAL));
    assert_eq!(k.mount("relative", mem(), false), Err(EINVAL));
    assert_eq!(k.mount("/data/deep", mem(), false), Err(EBUSY));
    assert_eq!(k.unmount("/data/deep"), Err(EBUSY));
    assert_eq!(k.unmount("/data/deep/inner"), Ok(()));
    let fd = host.open("/data/deep/f", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644).unwrap();
    assert_eq!(k.unmount("/data/deep"), Err(EBUSY));
    host.close(fd).unwrap();
    assert_eq!(k.unmount("/data/deep/"), Ok(()));
    assert_eq!(k.unmount("/data/deep"), Err(EINVAL));
    assert_eq!(k.unmount("/"), Err(EINVAL));
    assert_eq!(host.stat("/data/deep/f").map(|_| ()), Err(ENOENT));
}
