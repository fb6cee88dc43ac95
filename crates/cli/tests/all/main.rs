//! The `agentos` binary end to end: persistence across processes with
//! `--persist`, host mounts with `--mount`, outbound network with
//! `--allow-net`.

mod acp;
mod tmux;

use std::process::Command;

/// Run the CLI with its WebAssembly module cache off (tests leave the
/// user's cache alone).
fn agentos(args: &[&str]) -> (i32, String, String) {
    agentos_env(args, &[("AGENTOS_CACHE_DIR", "")])
}

fn agentos_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agentos"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn compiled_wasm_modules_are_cached_on_disk_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().to_str().unwrap();
    // The smallest WASI command: `_start` returns at once.
    let script = r#"printf '\0asm\1\0\0\0\1\4\1\140\0\0\3\2\1\0\7\12\1\6_start\0\0\12\4\1\2\0\13' > /tmp/nop
chmod +x /tmp/nop && /tmp/nop && echo ran"#;
    let run = || agentos_env(&["exec", script], &[("AGENTOS_CACHE_DIR", cache)]);
    assert_eq!(run(), (0, "ran\n".into(), String::new()));
    let files = || -> Vec<String> {
        std::fs::read_dir(dir.path().join("wasm"))
            .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default()
    };
    let first = files();
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(first[0].ends_with(".cwasm"), "{first:?}");
    // The second run loads it (the same one file, nothing new written).
    assert_eq!(run(), (0, "ran\n".into(), String::new()));
    assert_eq!(files(), first);
    // An empty AGENTOS_CACHE_DIR turns the cache off.
    let off = tempfile::tempdir().unwrap();
    let r = agentos_env(&["exec", script], &[("AGENTOS_CACHE_DIR", ""), ("HOME", off.path().to_str().unwrap())]);
    assert_eq!(r, (0, "ran\n".into(), String::new()));
    assert_eq!(std::fs::read_dir(off.path()).unwrap().count(), 0);
}

#[test]
fn persist_keeps_files_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vm.sqlite");
    let db = db.to_str().unwrap();
    let first =
        agentos(&["exec", "--persist", db, "--", "echo first > notes.txt && mkdir -p proj && cat /etc/hostname"]);
    assert_eq!(first, (0, "agentos\n".to_string(), String::new()));
    let second = agentos(&["exec", "--persist", db, "--", "cat notes.txt; echo second >> notes.txt; ls -d proj"]);
    assert_eq!(second, (0, "first\nproj\n".to_string(), String::new()));
    let third = agentos(&["exec", "--persist", db, "cat notes.txt"]);
    assert_eq!(third, (0, "first\nsecond\n".to_string(), String::new()));
    // Without --persist, a fresh VM.
    assert_eq!(agentos(&["exec", "cat notes.txt"]).0, 1);
}

#[test]
fn mount_host_dir_read_only_by_default_and_rw_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.txt"), "host data\n").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("escape")).unwrap();
    let host = dir.path().to_str().unwrap();
    let ro = format!("/mnt/h={host}");
    let (code, out, err) = agentos(&["exec", "--mount", &ro, "cat /mnt/h/in.txt; echo x > /mnt/h/new; echo $?"]);
    assert_eq!((code, out.as_str()), (0, "host data\n1\n"));
    assert!(err.contains("Read-only file system"), "{err}");
    // The absolute symlink resolves inside the VM: the VM's passwd.
    let (_, out, _) = agentos(&["exec", "--mount", &ro, "head -1 /mnt/h/escape"]);
    assert_eq!(out, "root:x:0:0:root:/root:/bin/sh\n");
    let rw = format!("/mnt/h={host}:rw");
    assert_eq!(agentos(&["exec", "--mount", &rw, "echo made > /mnt/h/new"]).0, 0);
    assert_eq!(std::fs::read_to_string(dir.path().join("new")).unwrap(), "made\n");
    let bad = agentos(&["exec", "--mount", "relative=/tmp", "true"]);
    assert_eq!(bad.0, 2);
}

/// `--mount GUEST=s3://bucket/prefix` against a real S3 server on loopback
/// (`moto_server` from PyPI's `moto[server]`), credentials and endpoint
/// from `AWS_*` variables; files survive into a second run.
#[test]
fn mount_s3_prefix_from_aws_environment() {
    use std::io::{Read, Write};
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut moto = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("moto_server (pip install 'moto[server]') must be installed");
    let start = std::time::Instant::now();
    let mut conn = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(c) => break c,
            Err(_) if start.elapsed().as_secs() < 60 => std::thread::sleep(std::time::Duration::from_millis(100)),
            Err(e) => panic!("moto_server did not start: {e}"),
        }
    };
    write!(conn, "PUT /cli HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut resp = String::new();
    conn.read_to_string(&mut resp).unwrap();
    let run = |cmd: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_agentos"))
            .args(["exec", "--mount", "/mnt/s3=s3://cli/runs", cmd])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
            .output()
            .unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let first = run("mkdir /mnt/s3/out && echo stored > /mnt/s3/out/r.txt && ls /mnt/s3");
    let second = run("cat /mnt/s3/out/r.txt");
    let _ = moto.kill();
    let _ = moto.wait();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert_eq!(first, (0, "out\n".to_string()));
    assert_eq!(second, (0, "stored\n".to_string()));
}

/// `--commands DIR` (a WASM command package), `--tier`, and `--node-modules`
/// with `--tool PKG=CMD`.
#[test]
fn software_flags_add_commands() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let cmds = dir.path().join("cmds");
    std::fs::create_dir(&cmds).unwrap();
    // A WASI command whose `_start` returns at once.
    let mut noop = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x05\x03\x01\0\x01\x07\x13\x02".to_vec();
    noop.extend(b"\x06_start\0\0\x06memory\x02\0\x0a\x04\x01\x02\0\x0b");
    std::fs::write(cmds.join("noop.wasm"), noop).unwrap();
    std::fs::set_permissions(cmds.join("noop.wasm"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let nm = dir.path().join("node_modules");
    std::fs::create_dir_all(nm.join("hi/bin")).unwrap();
    std::fs::write(nm.join("hi/package.json"), r#"{"name":"hi","bin":"bin/hi.js"}"#).unwrap();
    std::fs::write(nm.join("hi/bin/hi.js"), "console.log('hi', process.argv[2]);\n").unwrap();
    let (c, n) = (cmds.to_str().unwrap(), nm.to_str().unwrap());
    let r = agentos(&[
        "exec",
        "--commands",
        c,
        "--tier",
        "noop=read-only",
        "--node-modules",
        n,
        "--tool",
        "hi=hello",
        "--",
        "noop && hello there && ls /usr/local/lib/node_modules",
    ]);
    assert_eq!(r, (0, "hi there\nhi\n".to_string(), String::new()));
    let bad = agentos(&["exec", "--tier", "noop=root", "true"]);
    assert_eq!(bad.0, 2);
    assert!(
        bad.2.contains("--tier expects NAME=TIER with TIER full, read-write, read-only or isolated, got 'noop=root'"),
        "{}",
        bad.2
    );
}

#[test]
fn allow_net_opens_one_host_port_and_nothing_else() {
    use std::io::{Read, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(mut c) = c else { continue };
            let mut b = [0u8; 1024];
            let _ = c.read(&mut b);
            let _ = c.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nfrom cli");
        }
    });
    let script = |p: u16| {
        format!(
            "node -e \"fetch('http://host.agentos.internal:{p}/').then(r => r.text()).then(console.log, e => console.log(e.cause.message))\""
        )
    };
    let allow = format!("host.agentos.internal:{port}");
    assert_eq!(agentos(&["exec", "--allow-net", &allow, "--", &script(port)]), (0, "from cli\n".into(), String::new()));
    let denied = format!("connect EACCES host.agentos.internal:{port}\n");
    assert_eq!(agentos(&["exec", "--", &script(port)]), (0, denied, String::new()));
    let (code, _, err) = agentos(&["exec", "--allow-net", "nope", "--", "true"]);
    assert_eq!((code, err.as_str()), (1, "agentos: invalid option: allow_net pattern 'nope' (expected HOST:PORT)\n"));
    let (code, _, err) = agentos(&["exec", "--tls-root", "/nonexistent.pem", "--", "true"]);
    assert_eq!(
        (code, err.as_str()),
        (
            2,
            "agentos: --tls-root /nonexistent.pem: No such file or directory (os error 2)\nTry 'agentos --help' for more information.\n"
        )
    );
}
