//! The filesystem conformance suite: the per-directory errno cases, run
//! inside one directory so the same cases check every backend (the memory
//! root, a mounted memfs, an overlay, and from `crates/host` a host
//! directory and a SQLite file, which include this file by path).
//!
//! [`run`] takes a kernel and an absolute directory on the backend under
//! test; it creates `<dir>/work` (owned by the VM user) and runs every case
//! there as the unprivileged user, asserting exact results.
//!
//! A backend that cannot be POSIX in some respect (S3 has no symlinks, no
//! hard links, no modes, no settable times and no open-after-unlink) runs
//! [`run_with`] and declares it in [`Caps`]. A missing capability never
//! skips a case silently: the case then asserts the errno the backend
//! documents for it (`EPERM` for symlinks, links and `chmod`, `ESTALE` for
//! reading a file deleted under an open descriptor) and still runs every
//! part that does not need the capability.

use agentos_kernel::Errno::*;
use agentos_kernel::abi::{OFlags, TimeSet, Timespec};
use agentos_kernel::{Kernel, Task};

use super::as_user;

const RW_CREAT: OFlags = OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0 | OFlags::TRUNC.0);

/// What a backend can do; [`Caps::POSIX`] is everything.
#[derive(Clone, Copy, Debug)]
#[allow(dead_code)] // Each test binary uses only some backends.
pub struct Caps {
    /// `symlink` works (else `EPERM`).
    pub symlinks: bool,
    /// `link` works (else `EPERM`).
    pub hard_links: bool,
    /// `chmod` and creation modes are kept (else `chmod` is `EPERM` and
    /// every file shows `0644` to its owner).
    pub modes: bool,
    /// `utimens` sets times (else it succeeds and the backend keeps its
    /// own modification time).
    pub times: bool,
    /// An open file stays readable after `unlink` (else `ESTALE`).
    pub unlinked_open_files: bool,
}

#[allow(dead_code)] // Each test binary uses only some backends.
impl Caps {
    /// A POSIX filesystem.
    pub const POSIX: Caps =
        Caps { symlinks: true, hard_links: true, modes: true, times: true, unlinked_open_files: true };
    /// An object store: files and directories only.
    pub const OBJECT_STORE: Caps =
        Caps { symlinks: false, hard_links: false, modes: false, times: false, unlinked_open_files: false };
}

/// Run every case in a fresh `work` directory under `dir`.
#[allow(dead_code)] // Each test binary uses only some backends.
pub fn run(k: &Kernel, dir: &str) {
    run_with(k, dir, Caps::POSIX)
}

/// [`run`] for a backend with only `caps`.
pub fn run_with(k: &Kernel, dir: &str, caps: Caps) {
    let host = k.host_task().unwrap();
    let base = format!("{dir}/work");
    host.mkdir(&base, 0o755).unwrap();
    type Case = fn(&mut Task, &str, Caps);
    let cases: [(&str, Case); 9] = [
        ("open_errors", open_errors),
        ("symlink_chain", symlink_chain),
        ("symlinks_in_components", symlinks_in_components),
        ("hard_links", hard_links),
        ("mkdir_rmdir_unlink", mkdir_rmdir_unlink),
        ("rename", rename),
        ("permission_bits", permission_bits),
        ("sparse_truncate_append_times", sparse_truncate_append_times),
        ("unlinked_open_file_and_readdir", unlinked_open_file_and_readdir),
    ];
    for (name, case) in cases {
        let d = format!("{base}/{name}");
        host.mkdir(&d, 0o755).unwrap();
        as_user(k, move |t| {
            t.chdir(&d).unwrap();
            case(t, &d, caps)
        });
    }
}

fn put(t: &Task, path: &str, data: &[u8]) {
    let fd = t.open(path, RW_CREAT, 0o644).unwrap();
    t.write_all(fd, data).unwrap();
    t.close(fd).unwrap();
}

fn get(t: &Task, path: &str) -> Vec<u8> {
    let fd = t.open(path, OFlags::RDONLY, 0).unwrap();
    let v = t.read_to_end(fd).unwrap();
    t.close(fd).unwrap();
    v
}

fn open_errors(t: &mut Task, _d: &str, caps: Caps) {
    put(t, "f", b"abc");
    t.mkdir("sub", 0o755).unwrap();
    let r = vec![
        t.open("missing", OFlags::RDONLY, 0).map(|_| ()),
        t.open("missing/x", RW_CREAT, 0o644).map(|_| ()),
        t.open("f", OFlags(OFlags::CREAT.0 | OFlags::EXCL.0 | OFlags::WRONLY.0), 0o644).map(|_| ()),
        t.open("f/x", OFlags::RDONLY, 0).map(|_| ()),
        t.open("sub", OFlags::WRONLY, 0).map(|_| ()),
        t.open("f", OFlags(OFlags::DIRECTORY.0), 0).map(|_| ()),
        t.open(&"a".repeat(256), OFlags::RDONLY, 0).map(|_| ()),
    ];
    assert_eq!(
        r,
        vec![Err(ENOENT), Err(ENOENT), Err(EEXIST), Err(ENOTDIR), Err(EISDIR), Err(ENOTDIR), Err(ENAMETOOLONG)]
    );
    if !caps.symlinks {
        assert_eq!(t.symlink("f", "lnk"), Err(EPERM));
        assert_eq!(t.lstat("lnk").map(|_| ()), Err(ENOENT));
        return;
    }
    t.symlink("loop2", "loop1").unwrap();
    t.symlink("loop1", "loop2").unwrap();
    t.symlink("f", "lnk").unwrap();
    let r = vec![
        t.open("loop1", OFlags::RDONLY, 0).map(|_| ()),
        t.open("lnk", OFlags(OFlags::NOFOLLOW.0), 0).map(|_| ()),
        t.open("lnk", OFlags::RDONLY, 0).map(|_| ()),
    ];
    assert_eq!(r, vec![Err(ELOOP), Err(ELOOP), Ok(())]);
}

fn symlink_chain(t: &mut Task, _d: &str, caps: Caps) {
    put(t, "target", b"x");
    if !caps.symlinks {
        assert_eq!((t.symlink("target", "l0"), t.readlink("target")), (Err(EPERM), Err(EINVAL)));
        return;
    }
    t.symlink("target", "l0").unwrap();
    for i in 1..=40 {
        t.symlink(&format!("l{}", i - 1), &format!("l{i}")).unwrap();
    }
    assert_eq!((t.stat("l39").map(|s| s.size), t.stat("l40").map(|s| s.size)), (Ok(1), Err(ELOOP)));
}

fn symlinks_in_components(t: &mut Task, d: &str, caps: Caps) {
    t.mkdir_all("a/b/c", 0o755).unwrap();
    put(t, "a/b/c/f", b"hello");
    if !caps.symlinks {
        let r = (t.symlink("a/b", "rel"), t.realpath("a/b/c/../c/f"), t.readlink("a"));
        assert_eq!(r, (Err(EPERM), Ok(format!("{d}/a/b/c/f")), Err(EINVAL)));
        return;
    }
    t.symlink("a/b", "rel").unwrap();
    t.symlink(&format!("{d}/a"), "abs").unwrap();
    t.symlink("../..", "a/b/c/up").unwrap();
    t.symlink("nowhere", "dangling").unwrap();
    let r = (
        t.stat("rel/c/f").map(|s| s.size),
        t.stat("abs/b/c/f").map(|s| s.size),
        t.realpath("a/b/c/up/b/c/f"),
        t.realpath("rel/c/.."),
        t.lstat("dangling").map(|s| s.is_symlink()),
        t.stat("dangling").map(|_| ()),
        t.readlink("dangling"),
        t.readlink("a").map(|_| ()),
    );
    assert_eq!(
        r,
        (
            Ok(5),
            Ok(5),
            Ok(format!("{d}/a/b/c/f")),
            Ok(format!("{d}/a/b")),
            Ok(true),
            Err(ENOENT),
            Ok("nowhere".to_string()),
            Err(EINVAL)
        )
    );
}

fn hard_links(t: &mut Task, _d: &str, caps: Caps) {
    put(t, "f", b"data");
    if !caps.hard_links {
        t.mkdir("d", 0o755).unwrap();
        let r = (t.link("f", "g"), t.link("d", "d2"), t.link("missing", "x"), t.stat("f").map(|s| s.nlink));
        assert_eq!(r, (Err(EPERM), Err(EPERM), Err(ENOENT), Ok(1)));
        assert_eq!(t.stat("g").map(|_| ()), Err(ENOENT));
        return;
    }
    t.link("f", "g").unwrap();
    let a = t.stat("f").unwrap();
    let b = t.stat("g").unwrap();
    t.unlink("f").unwrap();
    let after = t.stat("g").unwrap();
    t.mkdir("d", 0o755).unwrap();
    let r =
        (a.ino == b.ino, a.nlink, after.nlink, after.size, t.link("d", "d2"), t.link("g", "g"), t.link("missing", "x"));
    assert_eq!(r, (true, 2, 1, 4, Err(EPERM), Err(EEXIST), Err(ENOENT)));
    assert_eq!(get(t, "g"), b"data");
}

fn mkdir_rmdir_unlink(t: &mut Task, _d: &str, _caps: Caps) {
    t.mkdir("d", 0o755).unwrap();
    put(t, "d/f", b"x");
    put(t, "file", b"x");
    let r = vec![
        t.mkdir("d", 0o755),
        t.mkdir("missing/x", 0o755),
        t.mkdir("file/x", 0o755),
        t.rmdir("d"),
        t.rmdir("file"),
        t.rmdir("missing"),
        t.rmdir("."),
        t.rmdir("d/.."),
        t.unlink("d"),
        t.unlink("missing"),
        t.unlink("file/"),
        t.mkdir_all("d/e/f", 0o755),
        t.mkdir_all("d/e/f", 0o755),
        t.mkdir_all("file/e", 0o755),
        t.unlink("d/f"),
        t.rmdir("d/e/f"),
        t.rmdir("d/e"),
        t.rmdir("d"),
        t.stat("d").map(|_| ()),
    ];
    assert_eq!(
        r,
        vec![
            Err(EEXIST),
            Err(ENOENT),
            Err(ENOTDIR),
            Err(ENOTEMPTY),
            Err(ENOTDIR),
            Err(ENOENT),
            Err(EINVAL),
            Err(ENOTEMPTY),
            Err(EISDIR),
            Err(ENOENT),
            Err(ENOTDIR),
            Ok(()),
            Ok(()),
            Err(ENOTDIR),
            Ok(()),
            Ok(()),
            Ok(()),
            Ok(()),
            Err(ENOENT),
        ]
    );
}

fn rename(t: &mut Task, _d: &str, _caps: Caps) {
    t.mkdir_all("a/b", 0o755).unwrap();
    put(t, "a/b/inner", b"in");
    t.mkdir("empty", 0o755).unwrap();
    put(t, "f", b"new");
    put(t, "g", b"old!");
    let r = (
        t.rename("a", "a/b/c"),
        t.rename("a", "f"),
        t.rename("f", "empty"),
        t.rename("empty", "a"),
        t.rename("missing", "x"),
        t.rename("f", "g"),
        get(t, "g"),
        t.rename("a", "empty"),
        t.stat("f").map(|_| ()),
        get(t, "empty/b/inner"),
        t.stat("a").map(|_| ()),
    );
    let r2 = (t.rename("g", "empty/b/moved"), get(t, "empty/b/moved"));
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
            Err(ENOENT),
            b"in".to_vec(),
            Err(ENOENT),
        )
    );
    assert_eq!(r2, (Ok(()), b"new".to_vec()));
}

fn permission_bits(t: &mut Task, _d: &str, caps: Caps) {
    let fd = t.open("ro", RW_CREAT, 0o444).unwrap();
    t.write_all(fd, b"x").unwrap();
    t.close(fd).unwrap();
    if !caps.modes {
        // Modes are not kept: the file is the owner's `0644` whatever it
        // was created with, and `chmod` says so.
        let r = (t.stat("ro").map(|s| s.mode & 0o7777), t.chmod("ro", 0o000), t.open("ro", OFlags::WRONLY, 0).is_ok());
        assert_eq!(r, (Ok(0o644), Err(EPERM), true));
        return;
    }
    let write_ro = t.open("ro", OFlags::WRONLY, 0).map(|_| ());
    let mode = t.stat("ro").map(|s| s.mode & 0o7777);
    t.chmod("ro", 0o000).unwrap();
    let read_000 = t.open("ro", OFlags::RDONLY, 0).map(|_| ());
    t.mkdir("nox", 0o600).unwrap();
    let search = t.stat("nox/x").map(|_| ());
    t.chmod("ro", 0o644).unwrap();
    let mode2 = t.stat("ro").map(|s| s.mode & 0o7777);
    assert_eq!(
        (write_ro, mode, read_000, search, mode2),
        (Err(EACCES), Ok(0o444), Err(EACCES), Err(EACCES), Ok(0o644))
    );
}

fn sparse_truncate_append_times(t: &mut Task, _d: &str, caps: Caps) {
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
    let trunc_dir = t.truncate(".", 0);
    let times = if caps.times {
        (st.atime, st.mtime)
    } else {
        // The backend keeps its own modification time (not the one asked).
        assert_ne!(st.mtime, Timespec { sec: 7, nsec: 456 });
        (Timespec { sec: 5, nsec: 123 }, Timespec { sec: 7, nsec: 456 })
    };
    assert_eq!(
        (size, b, size2, size3, times.0, times.1, trunc_dir, get(t, "s")),
        (
            (1 << 20) + 3,
            [0, 0, 0, 0],
            2,
            4,
            Timespec { sec: 5, nsec: 123 },
            Timespec { sec: 7, nsec: 456 },
            Err(EISDIR),
            b"\0\0zz".to_vec()
        )
    );
    t.close(fd).unwrap();
    t.close(afd).unwrap();
}

fn unlinked_open_file_and_readdir(t: &mut Task, _d: &str, caps: Caps) {
    put(t, "gone", b"still here");
    let fd = t.open("gone", OFlags::RDONLY, 0).unwrap();
    t.unlink("gone").unwrap();
    let data = t.read_to_end(fd);
    t.close(fd).unwrap();
    put(t, "z", b"");
    t.mkdir("m", 0o755).unwrap();
    // Without symlinks, a regular file stands in for the link.
    if caps.symlinks {
        t.symlink("z", "a").unwrap()
    } else {
        put(t, "a", b"")
    }
    let mut names: Vec<_> = t.readdir(".").unwrap().into_iter().map(|e| (e.name, e.kind)).collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    use agentos_kernel::abi::FileType::*;
    assert_eq!(
        (data, names, t.stat("gone").map(|_| ())),
        (
            if caps.unlinked_open_files { Ok(b"still here".to_vec()) } else { Err(ESTALE) },
            vec![
                ("a".to_string(), if caps.symlinks { Symlink } else { Regular }),
                ("m".to_string(), Directory),
                ("z".to_string(), Regular)
            ],
            Err(ENOENT)
        )
    );
}
