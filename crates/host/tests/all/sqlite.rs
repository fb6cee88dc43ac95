//! The SQLite backend: conformance, and files surviving a reopen.

use std::sync::Arc;

use agentos_host::SqliteFs;
use agentos_kernel::abi::OFlags;
use agentos_kernel::clock::ManualClock;

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
