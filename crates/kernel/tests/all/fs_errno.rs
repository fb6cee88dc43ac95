//! Filesystem errno paths of the VM's root image, as Linux gives them:
//! what depends on the image (its owners and modes, `/proc`, mounts, the
//! path limit). The per-directory cases (open, symlinks, links, mkdir,
//! rename, modes, sparse files) are the conformance suite
//! (`conformance.rs`), which runs on this same root's `/tmp`.

use agentos_kernel::Errno::*;
use agentos_kernel::abi::{OFlags, TimeSet, Timespec};

use super::{as_user, kernel, kernel_with};

const RW_CREAT: OFlags = OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0 | OFlags::TRUNC.0);

#[test]
fn root_image_permissions_and_path_limits() {
    let k = kernel();
    let r = as_user(&k, |t| {
        vec![
            t.open("/etc/passwd", OFlags::WRONLY, 0).map(|_| ()),
            t.open("/etc/newfile", RW_CREAT, 0o644).map(|_| ()),
            t.open("/root/x", OFlags::RDONLY, 0).map(|_| ()),
            t.open(&format!("/{}", "a/".repeat(2100)), OFlags::RDONLY, 0).map(|_| ()),
            t.open("", OFlags::RDONLY, 0).map(|_| ()),
            t.mkdir("/etc/x", 0o755),
            t.mkdir("/proc", 0o755),
            t.rmdir("/"),
            t.unlink("/etc/passwd"),
        ]
    });
    assert_eq!(
        r,
        vec![
            Err(EACCES),
            Err(EACCES),
            Err(EACCES),
            Err(ENAMETOOLONG),
            Err(ENOENT),
            Err(EACCES),
            Err(EEXIST),
            Err(EBUSY),
            Err(EACCES),
        ]
    );
}

#[test]
fn rename_across_mounts_is_exdev() {
    let k = kernel();
    let r = as_user(&k, |t| {
        t.write_all(t.open("g", RW_CREAT, 0o644).unwrap(), b"x").unwrap();
        t.rename("g", "/proc/x")
    });
    assert_eq!(r, Err(EXDEV));
}

#[test]
fn sticky_tmp_and_other_owners_files() {
    let k = kernel();
    let host = k.host_task().unwrap();
    // A file in /tmp owned by root: the user may not remove it (sticky bit).
    let fd = host.open("/tmp/rootfile", RW_CREAT, 0o644).unwrap();
    host.close(fd).unwrap();
    host.chown("/tmp/rootfile", Some(0), Some(0), true).unwrap();
    let r = as_user(&k, |t| {
        let unlink = t.unlink("/tmp/rootfile");
        t.write_all(t.open("ro", RW_CREAT, 0o444).unwrap(), b"x").unwrap();
        let chmod_other = t.chmod("/etc/passwd", 0o777);
        let chown_other = t.chown("ro", Some(0), None, true);
        let utime_other = t.utimens("/etc/passwd", TimeSet::At(Timespec { sec: 1, nsec: 0 }), TimeSet::Omit, true);
        (unlink, chmod_other, chown_other, utime_other)
    });
    assert_eq!(r, (Err(EPERM), Err(EPERM), Err(EPERM), Err(EPERM)));
}

#[test]
fn enospc_when_filesystem_is_full() {
    // The root filesystem of this kernel is the unlimited base image; a
    // limited memfs is tested in the memfs unit tests. Here: /dev/full.
    let k = kernel_with(Default::default());
    let r = as_user(&k, |t| {
        let fd = t.open("/dev/full", OFlags::WRONLY, 0).unwrap();
        t.write(fd, b"x")
    });
    assert_eq!(r, Err(ENOSPC));
}

#[test]
fn devices_and_proc() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let null = t.open("/dev/null", OFlags::RDWR, 0).unwrap();
        let wrote = t.write(null, b"abc");
        let mut b = [1u8; 4];
        let read_null = t.read(null, &mut b);
        let zero = t.open("/dev/zero", OFlags::RDONLY, 0).unwrap();
        t.read(zero, &mut b).unwrap();
        let me = t.pid();
        let self_link = t.readlink("/proc/self");
        let cwd = t.readlink("/proc/self/cwd");
        let fd = t.open("/proc/self/status", OFlags::RDONLY, 0).unwrap();
        let status = String::from_utf8(t.read_to_end(fd).unwrap()).unwrap();
        let fdlink = t.readlink(&format!("/proc/{me}/fd/{null}"));
        let mounts = {
            let fd = t.open("/proc/mounts", OFlags::RDONLY, 0).unwrap();
            String::from_utf8(t.read_to_end(fd).unwrap()).unwrap()
        };
        (
            wrote,
            read_null,
            b,
            self_link == Ok(me.to_string()),
            cwd,
            status.contains(&format!("Pid:\t{me}\n")),
            fdlink,
            mounts,
        )
    });
    assert_eq!(r.0, Ok(3));
    assert_eq!(r.1, Ok(0));
    assert_eq!(r.2, [0, 0, 0, 0]);
    assert!(r.3);
    assert_eq!(r.4, Ok("/home/user".to_string()));
    assert!(r.5);
    assert_eq!(r.6, Ok("/dev/null".to_string()));
    assert_eq!(r.7, "rootfs / tmpfs rw 0 0\nproc /proc proc rw 0 0\n");
}

#[test]
fn emfile_at_descriptor_limit() {
    let k = kernel_with(agentos_kernel::Limits { max_open_fds: 8, ..Default::default() });
    let r = as_user(&k, |t| {
        let mut last = Ok(0);
        for _ in 0..9 {
            last = t.open("/dev/null", OFlags::RDONLY, 0);
            if last.is_err() {
                break;
            }
        }
        last
    });
    assert_eq!(r, Err(EMFILE));
}
