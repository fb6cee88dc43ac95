//! The S3 backend against a real S3 server on loopback (`moto_server`,
//! from PyPI's `moto[server]`, started here).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_host::{S3Fs, S3Options};
use agentos_kernel::Errno::*;
use agentos_kernel::abi::OFlags;

use super::{as_user, kernel};

/// A moto server for one test; killed on drop.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto(bucket: &str) -> Moto {
    moto_with_auth_after(bucket, None)
}

/// With `auth_after`, moto checks credentials once that many requests
/// have been served (`INITIAL_NO_AUTH_ACTION_COUNT`).
fn moto_with_auth_after(bucket: &str, auth_after: Option<u32>) -> Moto {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut cmd = Command::new("moto_server");
    if let Some(n) = auth_after {
        cmd.env("INITIAL_NO_AUTH_ACTION_COUNT", n.to_string());
    }
    let child = cmd
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server (pip install 'moto[server]') must be installed");
    let m = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
    let start = Instant::now();
    let mut conn = loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(c) => break c,
            Err(_) if start.elapsed() < Duration::from_secs(60) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!("moto_server did not start: {e}"),
        }
    };
    // Create the bucket (moto does not check signatures by default).
    write!(conn, "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut resp = String::new();
    conn.read_to_string(&mut resp).unwrap();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    m
}

fn opts(m: &Moto, bucket: &str, prefix: &str) -> S3Options {
    S3Options {
        bucket: bucket.into(),
        prefix: prefix.into(),
        endpoint: Some(m.endpoint.clone()),
        region: Some("us-east-1".into()),
        access_key_id: Some("testing".into()),
        secret_access_key: Some("testing".into()),
        uid: 1000,
        gid: 1000,
    }
}

fn read(t: &agentos_kernel::Task, path: &str) -> Result<Vec<u8>, agentos_kernel::Errno> {
    let fd = t.open(path, OFlags::RDONLY, 0)?;
    let v = t.read_to_end(fd);
    t.close(fd)?;
    v
}

fn put(t: &agentos_kernel::Task, path: &str, data: &[u8]) -> Result<(), agentos_kernel::Errno> {
    let fd = t.open(path, OFlags(OFlags::WRONLY.0 | OFlags::CREAT.0 | OFlags::TRUNC.0), 0o644)?;
    t.write_all(fd, data)?;
    t.close(fd)
}

#[test]
fn files_and_directories_on_a_real_s3_server() {
    let m = moto("vm-bucket");
    let k = kernel();
    k.mount("/mnt/s3", Arc::new(S3Fs::open(&opts(&m, "vm-bucket", "team/a")).unwrap()), false).unwrap();
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let big2 = big.clone();
    let r = as_user(&k, move |t| {
        t.mkdir("/mnt/s3/empty", 0o755).unwrap();
        t.mkdir_all("/mnt/s3/d/e", 0o755).unwrap();
        put(t, "/mnt/s3/d/e/f.txt", b"hello s3").unwrap();
        put(t, "/mnt/s3/big.bin", &big2).unwrap();
        let fd = t.open("/mnt/s3/big.bin", OFlags::RDONLY, 0).unwrap();
        let mut range = [0u8; 10];
        t.pread(fd, &mut range, 100_000).unwrap();
        t.close(fd).unwrap();
        let names = |p: &str| t.readdir(p).map(|v| v.into_iter().map(|e| e.name).collect::<Vec<_>>());
        let listing = (names("/mnt/s3"), names("/mnt/s3/empty"));
        let errors = vec![
            t.mkdir("/mnt/s3/empty", 0o755),
            t.rmdir("/mnt/s3/d"),
            t.unlink("/mnt/s3/d"),
            t.rmdir("/mnt/s3/big.bin"),
            read(t, "/mnt/s3/missing").map(|_| ()),
            t.symlink("x", "/mnt/s3/link"),
            t.link("/mnt/s3/big.bin", "/mnt/s3/hard"),
            t.rename("/mnt/s3/big.bin", "/mnt/s3/d"),
        ];
        // Rename a file and a whole directory (copy + delete).
        t.rename("/mnt/s3/d/e/f.txt", "/mnt/s3/d/e/g.txt").unwrap();
        t.rename("/mnt/s3/d", "/mnt/s3/moved").unwrap();
        let after = (read(t, "/mnt/s3/moved/e/g.txt"), t.stat("/mnt/s3/d").map(|_| ()), names("/mnt/s3"));
        t.unlink("/mnt/s3/moved/e/g.txt").unwrap();
        t.rmdir("/mnt/s3/empty").unwrap();
        let size = t.stat("/mnt/s3/big.bin").map(|s| (s.size, s.mode & 0o777, s.uid));
        (range, listing, errors, after, size, names("/mnt/s3/moved/e"))
    });
    assert_eq!(r.0, big[100_000..100_010]);
    assert_eq!(r.1, (Ok(vec!["big.bin".to_string(), "d".into(), "empty".into()]), Ok(Vec::<String>::new())));
    assert_eq!(
        r.2,
        vec![Err(EEXIST), Err(ENOTEMPTY), Err(EISDIR), Err(ENOTDIR), Err(ENOENT), Err(EPERM), Err(EPERM), Err(EISDIR)]
    );
    assert_eq!(
        r.3,
        (Ok(b"hello s3".to_vec()), Err(ENOENT), Ok(vec!["big.bin".to_string(), "empty".into(), "moved".into()]))
    );
    assert_eq!(r.4, Ok((300_000, 0o644, 1000)));
    // `e` was made with mkdir: its marker moved with it, so it stays.
    assert_eq!(r.5, Ok(Vec::<String>::new()));
    // Another mount of the same prefix sees the same objects; another
    // prefix sees nothing.
    let k2 = kernel();
    k2.mount("/mnt/s3", Arc::new(S3Fs::open(&opts(&m, "vm-bucket", "team/a")).unwrap()), false).unwrap();
    k2.mount("/mnt/other", Arc::new(S3Fs::open(&opts(&m, "vm-bucket", "team/b")).unwrap()), false).unwrap();
    let r2 = as_user(&k2, |t| (read(t, "/mnt/s3/big.bin").map(|v| v.len()), t.readdir("/mnt/other").map(|v| v.len())));
    assert_eq!(r2, (Ok(300_000), Ok(0)));
    // A bucket that does not exist is refused at mount time.
    assert_eq!(S3Fs::open(&opts(&m, "no-such-bucket", "")).map(|_| ()), Err(ENOENT));
}

#[test]
fn conformance_on_s3_mount() {
    let m = moto("conformance");
    let k = kernel();
    k.mount("/mnt/s3", Arc::new(S3Fs::open(&opts(&m, "conformance", "suite")).unwrap()), false).unwrap();
    // Objects have no modes and no symlinks: the suite checks the errnos
    // the backend documents for those instead.
    super::conformance::run_with(&k, "/mnt/s3", super::conformance::Caps::OBJECT_STORE);
}

#[test]
fn a_wrong_key_is_rejected() {
    let m = moto_with_auth_after("locked", Some(1));
    let mut o = opts(&m, "locked", "");
    o.secret_access_key = Some("not-the-key".into());
    assert_eq!(S3Fs::open(&o).map(|_| ()), Err(EACCES));
}
