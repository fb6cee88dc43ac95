//! The SQLite backend: conformance, and files surviving a reopen.

use std::sync::Arc;

use agentos_host::SqliteFs;
use agentos_kernel::Errno::ENOSPC;
use agentos_kernel::abi::OFlags;
use agentos_kernel::clock::ManualClock;
use agentos_kernel::fs::mem::MemLimits;

use super::{as_user, kernel};

#[test]
fn conformance_on_sqlite_mount() {
    let dir = tempfile::tempdir().unwrap();
    let k = kernel();
    let fs = SqliteFs::open(&dir.path().join("fs.sqlite"), Arc::new(ManualClock::default())).unwrap();
    k.mount("/mnt/db", Arc::new(fs), false).unwrap();
    // The root of a fresh database is root's 0755: let the user in.
    k.host_task().unwrap().chmod("/mnt/db", 0o777).unwrap();
    super::conformance::run(&k, "/mnt/db");
}

#[test]
fn files_survive_reopening_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fs.sqlite");
    {
        let k = kernel();
        k.mount("/mnt/db", Arc::new(SqliteFs::open(&path, Arc::new(ManualClock::default())).unwrap()), false).unwrap();
        k.host_task().unwrap().chmod("/mnt/db", 0o777).unwrap();
        as_user(&k, |t| {
            t.mkdir_all("/mnt/db/a/b", 0o755).unwrap();
            let fd = t.open("/mnt/db/a/b/f", OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o600).unwrap();
            t.write_all(fd, &vec![7u8; 200_000]).unwrap();
            t.close(fd).unwrap();
            t.symlink("b/f", "/mnt/db/a/link").unwrap();
        });
    }
    let k = kernel();
    k.mount("/mnt/db", Arc::new(SqliteFs::open(&path, Arc::new(ManualClock::default())).unwrap()), false).unwrap();
    let r = as_user(&k, |t| {
        let fd = t.open("/mnt/db/a/link", OFlags::RDONLY, 0).unwrap();
        let data = t.read_to_end(fd).unwrap();
        (data.len(), data.iter().all(|&b| b == 7), t.stat("/mnt/db/a/b/f").map(|s| (s.mode & 0o777, s.uid)))
    });
    assert_eq!(r, (200_000, true, Ok((0o600, 1000))));
}

fn limited(path: &std::path::Path, max_bytes: u64, max_inodes: u64) -> SqliteFs {
    SqliteFs::open(path, Arc::new(ManualClock::default())).unwrap().with_limits(MemLimits { max_bytes, max_inodes })
}

fn write_at(t: &agentos_kernel::Task, path: &str, offset: u64, data: &[u8]) -> Result<usize, agentos_kernel::Errno> {
    let fd = t.open(path, OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0), 0o644)?;
    let r = t.pwrite(fd, data, offset);
    t.close(fd)?;
    r
}

#[test]
fn limits_count_bytes_and_inodes_and_are_shared_through_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fs.sqlite");
    // 1000 bytes, 4 inodes (the root is one).
    let k = kernel();
    k.mount("/mnt/db", Arc::new(limited(&path, 1000, 4)), false).unwrap();
    k.host_task().unwrap().chmod("/mnt/db", 0o777).unwrap();
    let r = as_user(&k, |t| {
        let first = (
            write_at(t, "/mnt/db/a", 0, &[1; 600]),
            // 600 + 401 > 1000: refused whole, nothing of it kept.
            write_at(t, "/mnt/db/b", 0, &[2; 401]),
            t.stat("/mnt/db/b").map(|s| s.size),
            write_at(t, "/mnt/db/b", 0, &[2; 400]),
            write_at(t, "/mnt/db/b", 399, b"x"),
            write_at(t, "/mnt/db/b", 400, b"x"),
            // A hole costs nothing until written.
            t.truncate("/mnt/db/a", 100_000),
            t.stat("/mnt/db/a").map(|s| s.size),
        );
        // Inodes: root, a, b, then one more; the fifth is refused.
        let inodes = (
            t.mkdir("/mnt/db/d", 0o755),
            t.mkdir("/mnt/db/e", 0o755),
            t.symlink("a", "/mnt/db/l"),
            write_at(t, "/mnt/db/c", 0, b"").map(|_| ()),
        );
        (first, inodes)
    });
    assert_eq!(r.0, (Ok(600), Err(ENOSPC), Ok(0), Ok(400), Ok(1), Err(ENOSPC), Ok(()), Ok(100_000)));
    assert_eq!(r.1, (Ok(()), Err(ENOSPC), Err(ENOSPC), Err(ENOSPC)));
    // A second filesystem on the same file (another process, or the next
    // run) sees the first one's usage, even while the first is open.
    let k2 = kernel();
    k2.mount("/mnt/db", Arc::new(limited(&path, 1000, 4)), false).unwrap();
    let r2 = as_user(&k2, |t| {
        (
            write_at(t, "/mnt/db/c", 0, b"x").map(|_| ()),
            write_at(t, "/mnt/db/b", 400, b"x"),
            // Deleting frees quota: bytes and inodes.
            t.unlink("/mnt/db/a"),
            write_at(t, "/mnt/db/b", 400, &[3; 600]),
            write_at(t, "/mnt/db/b", 1000, b"x"),
            // Truncating frees bytes too; a symlink's target counts.
            t.truncate("/mnt/db/b", 10),
            t.symlink("b", "/mnt/db/l"),
            write_at(t, "/mnt/db/c", 0, b"x").map(|_| ()),
            write_at(t, "/mnt/db/b", 10, &[4; 989]),
            write_at(t, "/mnt/db/b", 999, b"x"),
        )
    });
    assert_eq!(
        r2,
        (Err(ENOSPC), Err(ENOSPC), Ok(()), Ok(600), Err(ENOSPC), Ok(()), Ok(()), Err(ENOSPC), Ok(989), Err(ENOSPC))
    );
    drop(k2);
    drop(k);
    // Reopened with nothing else open: usage is recomputed from the file.
    let fs = limited(&path, 1000, 4);
    let u = agentos_kernel::fs::FileSystem::usage(&fs);
    assert_eq!((u.bytes_used, u.inodes_used, u.bytes_total, u.inodes_total), (1000, 4, 1000, 4));
}
