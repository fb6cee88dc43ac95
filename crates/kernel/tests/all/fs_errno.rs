//! Filesystem errno paths, as Linux gives them.

use agentos_kernel::Errno::*;
use agentos_kernel::abi::{OFlags, TimeSet, Timespec};

use super::{as_user, kernel, kernel_with};

const RW_CREAT: OFlags = OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0 | OFlags::TRUNC.0);

#[test]
fn open_errors() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let mut v = Vec::new();
        v.push(t.open("/missing", OFlags::RDONLY, 0).map(|_| ()));
        v.push(t.open("/missing/x", RW_CREAT, 0o644).map(|_| ()));
        t.write_all(t.open("f", RW_CREAT, 0o644).unwrap(), b"abc").unwrap();
        v.push(t.open("f", OFlags(OFlags::CREAT.0 | OFlags::EXCL.0 | OFlags::WRONLY.0), 0o644).map(|_| ()));
        v.push(t.open("f/x", OFlags::RDONLY, 0).map(|_| ()));
        v.push(t.open("/tmp", OFlags::WRONLY, 0).map(|_| ()));
        v.push(t.open("f", OFlags(OFlags::DIRECTORY.0), 0).map(|_| ()));
        v.push(t.open("/etc/passwd", OFlags::WRONLY, 0).map(|_| ()));
        v.push(t.open("/etc/newfile", RW_CREAT, 0o644).map(|_| ()));
        v.push(t.open("/root/x", OFlags::RDONLY, 0).map(|_| ()));
        v.push(t.open(&"a".repeat(256), OFlags::RDONLY, 0).map(|_| ()));
        v.push(t.open(&format!("/{}", "a/".repeat(2100)), OFlags::RDONLY, 0).map(|_| ()));
        v.push(t.open("", OFlags::RDONLY, 0).map(|_| ()));
        t.symlink("loop2", "loop1").unwrap();
        t.symlink("loop1", "loop2").unwrap();
        v.push(t.open("loop1", OFlags::RDONLY, 0).map(|_| ()));
        t.symlink("f", "lnk").unwrap();
        v.push(t.open("lnk", OFlags(OFlags::NOFOLLOW.0), 0).map(|_| ()));
        v
    });
    assert_eq!(
        r,
        vec![
            Err(ENOENT),
            Err(ENOENT),
            Err(EEXIST),
            Err(ENOTDIR),
            Err(EISDIR),
            Err(ENOTDIR),
            Err(EACCES),
            Err(EACCES),
            Err(EACCES),
            Err(ENAMETOOLONG),
            Err(ENAMETOOLONG),
            Err(ENOENT),
            Err(ELOOP),
            Err(ELOOP),
        ]
    );
}

#[test]
fn symlink_chain_of_40_resolves_and_41_loops() {
    let k = kernel();
    let r = as_user(&k, |t| {
        t.write_all(t.open("target", RW_CREAT, 0o644).unwrap(), b"x").unwrap();
        t.symlink("target", "l0").unwrap();
        for i in 1..=40 {
            t.symlink(&format!("l{}", i - 1), &format!("l{i}")).unwrap();
        }
        (t.stat("l39").map(|s| s.size), t.stat("l40").map(|s| s.size))
    });
    assert_eq!(r, (Ok(1), Err(ELOOP)));
}

#[test]
fn relative_and_absolute_symlinks_in_every_component() {
    let k = kernel();
    let r = as_user(&k, |t| {
        t.mkdir_all("a/b/c", 0o755).unwrap();
        t.write_all(t.open("a/b/c/f", RW_CREAT, 0o644).unwrap(), b"hello").unwrap();
        t.symlink("a/b", "rel").unwrap();
        t.symlink("/home/user/a", "abs").unwrap();
        t.symlink("../..", "a/b/c/up").unwrap();
        t.symlink("nowhere", "dangling").unwrap();
        (
            t.stat("rel/c/f").map(|s| s.size),
            t.stat("abs/b/c/f").map(|s| s.size),
            t.realpath("a/b/c/up/b/c/f"),
            t.realpath("rel/c/.."),
            t.lstat("dangling").map(|s| s.is_symlink()),
            t.stat("dangling").map(|_| ()),
            t.readlink("dangling"),
            t.readlink("a").map(|_| ()),
        )
    });
    assert_eq!(
        r,
        (
            Ok(5),
            Ok(5),
            Ok("/home/user/a/b/c/f".to_string()),
            Ok("/home/user/a/b".to_string()),
            Ok(true),
            Err(ENOENT),
            Ok("nowhere".to_string()),
            Err(EINVAL)
        )
    );
}

#[test]
fn hard_links_share_inode_and_count_links() {
    let k = kernel();
    let r = as_user(&k, |t| {
        t.write_all(t.open("f", RW_CREAT, 0o644).unwrap(), b"data").unwrap();
        t.link("f", "g").unwrap();
        let a = t.stat("f").unwrap();
        let b = t.stat("g").unwrap();
        t.unlink("f").unwrap();
        let after = t.stat("g").unwrap();
        t.mkdir("d", 0o755).unwrap();
        (a.ino == b.ino, a.nlink, after.nlink, after.size, t.link("d", "d2"), t.link("g", "g"), t.link("missing", "x"))
    });
    assert_eq!(r, (true, 2, 1, 4, Err(EPERM), Err(EEXIST), Err(ENOENT)));
}

#[test]
fn mkdir_rmdir_unlink_errors() {
    let k = kernel();
    let r = as_user(&k, |t| {
        t.mkdir("d", 0o755).unwrap();
        t.write_all(t.open("d/f", RW_CREAT, 0o644).unwrap(), b"x").unwrap();
        t.write_all(t.open("file", RW_CREAT, 0o644).unwrap(), b"x").unwrap();
        vec![
            t.mkdir("d", 0o755),
            t.mkdir("missing/x", 0o755),
            t.mkdir("file/x", 0o755),
            t.mkdir("/etc/x", 0o755),
            t.mkdir("/proc", 0o755),
            t.rmdir("d"),
            t.rmdir("file"),
            t.rmdir("missing"),
            t.rmdir("."),
            t.rmdir("d/.."),
            t.rmdir("/"),
            t.unlink("d"),
            t.unlink("missing"),
            t.unlink("file/"),
            t.unlink("/etc/passwd"),
            t.mkdir_all("d/e/f", 0o755),
            t.mkdir_all("d/e/f", 0o755),
            t.mkdir_all("file/e", 0o755),
        ]
    });
    assert_eq!(
        r,
        vec![
            Err(EEXIST),
            Err(ENOENT),
            Err(ENOTDIR),
            Err(EACCES),
            Err(EEXIST),
            Err(ENOTEMPTY),
            Err(ENOTDIR),
            Err(ENOENT),
            Err(EINVAL),
            Err(ENOTEMPTY),
            Err(EBUSY),
            Err(EISDIR),
            Err(ENOENT),
            Err(ENOTDIR),
            Err(EACCES),
            Ok(()),
            Ok(()),
            Err(ENOTDIR),
        ]
    );
}

#[test]
fn rename_errors_and_atomic_replace() {
    let k = kernel();
    let r = as_user(&k, |t| {
        t.mkdir_all("a/b", 0o755).unwrap();
        t.mkdir("empty", 0o755).unwrap();
        t.write_all(t.open("f", RW_CREAT, 0o644).unwrap(), b"new").unwrap();
        t.write_all(t.open("g", RW_CREAT, 0o644).unwrap(), b"old!").unwrap();
        let into_self = t.rename("a", "a/b/c");
        let dir_over_file = t.rename("a", "f");
        let file_over_dir = t.rename("f", "empty");
        let dir_over_nonempty = t.rename("empty", "a");
        let missing = t.rename("missing", "x");
        let replace = t.rename("f", "g");
        let content = {
            let fd = t.open("g", agentos_kernel::abi::OFlags::RDONLY, 0).unwrap();
            let mut b = [0u8; 8];
            let n = t.read(fd, &mut b).unwrap();
            b[..n].to_vec()
        };
        let dir_over_empty = t.rename("a", "empty");
        let cross = t.rename("g", "/proc/x");
        (
            into_self,
            dir_over_file,
            file_over_dir,
            dir_over_nonempty,
            missing,
            replace,
            content,
            dir_over_empty,
            cross,
            t.stat("f").map(|_| ()),
        )
    });
    assert_eq!(
        r,
        (
            Err(EINVAL),
            Err(ENOTDIR),
            Err(EISDIR),
            Err(ENOTEMPTY),
            Err(ENOENT),
            Ok(()),
            b"new".to_vec(),
            Ok(()),
            Err(EXDEV),
            Err(ENOENT)
        )
    );
}

#[test]
fn sticky_tmp_and_permission_bits() {
    let k = kernel();
    let host = k.host_task().unwrap();
    // A file in /tmp owned by root: the user may not remove it (sticky bit).
    let fd = host.open("/tmp/rootfile", RW_CREAT, 0o644).unwrap();
    host.close(fd).unwrap();
    host.chown("/tmp/rootfile", Some(0), Some(0), true).unwrap();
    let r = as_user(&k, |t| {
        let unlink = t.unlink("/tmp/rootfile");
        t.write_all(t.open("ro", RW_CREAT, 0o444).unwrap(), b"x").unwrap();
        let write_ro = t.open("ro", OFlags::WRONLY, 0).map(|_| ());
        t.chmod("ro", 0o000).unwrap();
        let read_000 = t.open("ro", OFlags::RDONLY, 0).map(|_| ());
        t.mkdir("nox", 0o600).unwrap();
        let search = t.stat("nox/x").map(|_| ());
        let chmod_other = t.chmod("/etc/passwd", 0o777);
        let chown_other = t.chown("ro", Some(0), None, true);
        let utime_other = t.utimens("/etc/passwd", TimeSet::At(Timespec { sec: 1, nsec: 0 }), TimeSet::Omit, true);
        (unlink, write_ro, read_000, search, chmod_other, chown_other, utime_other)
    });
    assert_eq!(r, (Err(EPERM), Err(EACCES), Err(EACCES), Err(EACCES), Err(EPERM), Err(EPERM), Err(EPERM)));
}

#[test]
fn sparse_pwrite_truncate_append_and_times() {
    let k = kernel();
    let r = as_user(&k, |t| {
        let fd = t.open("s", OFlags(OFlags::RDWR.0 | OFlags::CREAT.0), 0o644).unwrap();
        t.pwrite(fd, b"end", 1 << 20).unwrap();
        let size = t.fstat(fd).unwrap().size;
        let mut b = [9u8; 4];
        t.pread(fd, &mut b, 100).unwrap();
        t.ftruncate(fd, 2).unwrap();
        let size2 = t.stat("s").unwrap().size;
        let afd = t.open("s", OFlags(OFlags::WRONLY.0 | OFlags::APPEND.0), 0).unwrap();
        t.write(afd, b"zz").unwrap();
        let size3 = t.stat("s").unwrap().size;
        t.utimens("s", TimeSet::At(Timespec { sec: 5, nsec: 123 }), TimeSet::At(Timespec { sec: 7, nsec: 456 }), true)
            .unwrap();
        let st = t.stat("s").unwrap();
        let trunc_dir = t.truncate("/home/user", 0);
        (size, b, size2, size3, st.atime, st.mtime, trunc_dir)
    });
    assert_eq!(
        r,
        (
            (1 << 20) + 3,
            [0, 0, 0, 0],
            2,
            4,
            Timespec { sec: 5, nsec: 123 },
            Timespec { sec: 7, nsec: 456 },
            Err(EISDIR)
        )
    );
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
