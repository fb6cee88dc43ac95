//! The `agentos` binary end to end: persistence across processes with
//! `--persist`, and host mounts with `--mount`.

mod tmux;

use std::process::Command;

fn agentos(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_agentos")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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
