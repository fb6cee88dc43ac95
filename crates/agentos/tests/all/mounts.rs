//! Mounts through the public API, visible to guest programs; persistence in
//! SQLite across VMs; snapshots and forks.

use std::sync::Arc;

use agentos::{AgentOs, AgentOsOptions, Errno, ExecOptions, MountBackend, MountConfig, RootConfig, VmLimits};

async fn sh(vm: &AgentOs, cmd: &str) -> (i32, String, String) {
    let r = vm.exec(cmd, ExecOptions::default()).await.unwrap();
    (r.exit_code, String::from_utf8_lossy(&r.stdout).into_owned(), String::from_utf8_lossy(&r.stderr).into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn option_mounts_are_visible_to_the_shell_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.txt"), "on the host\n").unwrap();
    std::os::unix::fs::symlink("../../../../etc/shadow", dir.path().join("rel-escape")).unwrap();
    let vm = AgentOs::create(AgentOsOptions {
        mounts: vec![
            MountConfig {
                path: "/mnt/host".into(),
                backend: MountBackend::HostDir { host_path: dir.path().into(), read_only: true },
            },
            MountConfig { path: "/scratch".into(), backend: MountBackend::Memory },
        ],
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(sh(&vm, "cat /mnt/host/data.txt").await, (0, "on the host\n".into(), String::new()));
    assert_eq!(sh(&vm, "echo hi > /scratch/x && cat /scratch/x").await.1, "hi\n");
    let (code, _, err) = sh(&vm, "touch /mnt/host/new").await;
    assert_eq!(code, 1);
    assert!(err.contains("Read-only file system"), "{err}");
    // The relative symlink climbs in the VM: /mnt/host/../../../../etc/shadow
    // is the VM's /etc/shadow, which does not exist.
    let (code, _, err) = sh(&vm, "cat /mnt/host/rel-escape").await;
    assert_eq!(code, 1);
    assert!(err.contains("No such file or directory"), "{err}");
    assert_eq!(
        vm.read_file("/proc/mounts").await.unwrap(),
        b"rootfs / tmpfs rw 0 0\nhostfs /mnt/host hostfs ro 0 0\nproc /proc proc rw 0 0\ntmpfs /scratch tmpfs rw 0 0\n"
    );
    // The JavaScript runtime sees the same mounts (it goes through the kernel).
    vm.write_file(
        "/tmp/m.js",
        "const fs = require('fs'); process.stdout.write(fs.readFileSync('/mnt/host/data.txt', 'utf8'));\n\
         fs.writeFileSync('/scratch/js.txt', 'from js');",
    )
    .await
    .unwrap();
    assert_eq!(
        sh(&vm, "node /tmp/m.js && cat /scratch/js.txt").await,
        (0, "on the host\nfrom js".into(), String::new())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn runtime_mount_and_unmount() {
    let dir = tempfile::tempdir().unwrap();
    let vm = AgentOs::create(AgentOsOptions::default()).await.unwrap();
    let rw = MountBackend::HostDir { host_path: dir.path().into(), read_only: false };
    vm.mount("/work/out", rw.clone(), false).unwrap();
    assert_eq!(sh(&vm, "echo result > /work/out/r.txt && cat /work/out/r.txt").await.1, "result\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("r.txt")).unwrap(), "result\n");
    assert_eq!(vm.mount("/work/out", MountBackend::Memory, false).unwrap_err().errno(), Some(Errno::EBUSY));
    assert_eq!(vm.mount("/", MountBackend::Memory, false).unwrap_err().errno(), Some(Errno::EINVAL));
    // Read-only through the flag even when the backend allows writes.
    vm.mount("/ro", rw, true).unwrap();
    assert_eq!(sh(&vm, "cat /ro/r.txt; touch /ro/x 2>/dev/null; echo $?").await.1, "result\n1\n");
    assert_eq!(vm.unmount("/").unwrap_err().errno(), Some(Errno::EINVAL));
    assert_eq!(vm.unmount("/nothing").unwrap_err().errno(), Some(Errno::EINVAL));
    vm.unmount("/work/out").unwrap();
    assert_eq!(sh(&vm, "ls -A /work/out").await, (0, String::new(), String::new()));
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_root_persists_across_vms() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("root.sqlite");
    let opts = || AgentOsOptions { root: Some(RootConfig::Sqlite(db.clone())), ..Default::default() };
    {
        let vm = AgentOs::create(opts()).await.unwrap();
        // The base image is there on first boot.
        assert_eq!(sh(&vm, "cat /etc/hostname; ls /usr/bin/ls").await.1, "agentos\n/usr/bin/ls\n");
        assert_eq!(sh(&vm, "mkdir -p proj && echo 'state 1' > proj/s && ln -s s proj/l").await.0, 0);
        vm.dispose().await.unwrap();
    }
    let vm = AgentOs::create(opts()).await.unwrap();
    assert_eq!(sh(&vm, "cat proj/l; readlink proj/l").await, (0, "state 1\ns\n".into(), String::new()));
    assert_eq!(vm.fork().err().and_then(|e| e.errno()), Some(Errno::EOPNOTSUPP));
}

/// Used bytes and inodes of the root filesystem (what `df` shows, unrounded).
async fn df_used(vm: &AgentOs) -> (u64, u64) {
    let mounts = vm.kernel().vfs.mounts();
    let u = mounts.iter().find(|m| m.path == "/").unwrap().fs.usage();
    (u.bytes_used, u.inodes_used)
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_root_honours_the_vm_limits_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("root.sqlite");
    let fs_bytes = 8 << 20;
    let opts = |fs_inodes| AgentOsOptions {
        root: Some(RootConfig::Sqlite(db.clone())),
        limits: VmLimits { fs_bytes, fs_inodes, ..Default::default() },
        ..Default::default()
    };
    let (base_bytes, base_inodes) = {
        let vm = AgentOs::create(opts(1 << 20)).await.unwrap();
        let (used, inodes) = df_used(&vm).await;
        // Fill the file system to 100 bytes short of the limit.
        let fill = fs_bytes - used - 100;
        vm.write_file("/home/user/fill", vec![7u8; fill as usize]).await.unwrap();
        assert_eq!(df_used(&vm).await, (fs_bytes - 100, inodes + 1));
        let e = vm.write_file("/home/user/more", vec![1u8; 101]).await.unwrap_err();
        assert_eq!(e.errno(), Some(Errno::ENOSPC), "{e}");
        let full = (1, String::new(), "head: write error: No space left on device\n".to_string());
        assert_eq!(sh(&vm, "head -c 101 /dev/zero > /tmp/x").await, full);
        vm.dispose().await.unwrap();
        (used, inodes)
    };
    // The next run counts what the file holds: still full, and inodes are
    // limited too.
    let vm = AgentOs::create(opts(base_inodes + 3)).await.unwrap();
    assert_eq!(df_used(&vm).await, (fs_bytes - 100, base_inodes + 3));
    let e = vm.write_file("/home/user/more", vec![1u8; 101]).await.unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ENOSPC), "{e}");
    let e = vm.write_file("/home/user/new", "").await.unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ENOSPC), "{e}");
    // Deleting frees the quota.
    assert_eq!(sh(&vm, "rm /home/user/fill /home/user/more /tmp/x 2>&1; echo $?").await.1, "0\n");
    assert_eq!(df_used(&vm).await, (base_bytes, base_inodes));
    vm.write_file("/home/user/a", vec![1u8; 1 << 20]).await.unwrap();
    vm.write_file("/home/user/b", "").await.unwrap();
    vm.write_file("/home/user/c", "").await.unwrap();
    let e = vm.write_file("/home/user/d", "").await.unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ENOSPC), "{e}");
    assert_eq!(df_used(&vm).await, (base_bytes + (1 << 20), base_inodes + 3));
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshot_boot_and_fork() {
    let vm = AgentOs::create(AgentOsOptions::default()).await.unwrap();
    vm.write_file("/home/user/state.txt", "v1").await.unwrap();
    vm.write_file("/home/user/other.txt", "o").await.unwrap();
    let snap = Arc::new(vm.snapshot().unwrap());
    assert_eq!(&snap[257..262], b"ustar");
    // Boot two VMs from the snapshot: they share the lower layer, diverge above.
    let a = AgentOs::create(AgentOsOptions { root_snapshot: Some(snap.clone()), ..Default::default() }).await.unwrap();
    let b = AgentOs::create(AgentOsOptions { root_snapshot: Some(snap.clone()), ..Default::default() }).await.unwrap();
    assert_eq!(sh(&a, "cat state.txt; echo a > state.txt; rm other.txt").await, (0, "v1".into(), String::new()));
    assert_eq!(sh(&b, "cat state.txt other.txt; cat /etc/hostname").await.1, "v1oagentos\n");
    assert_eq!(sh(&a, "cat state.txt; ls").await.1, "a\nstate.txt\n");
    // Fork: a copy-on-write clone of a running VM's root.
    let f = vm.fork().unwrap();
    vm.write_file("/home/user/state.txt", "parent").await.unwrap();
    f.write_file("/home/user/fork.txt", "child").await.unwrap();
    assert_eq!(f.read_file("/home/user/state.txt").await.unwrap(), b"v1");
    assert!(!vm.exists("/home/user/fork.txt").await.unwrap());
    // Fork of a snapshot-booted VM keeps its overlay.
    let af = a.fork().unwrap();
    assert_eq!(af.read_file("/home/user/state.txt").await.unwrap(), b"a\n");
    assert!(!af.exists("/home/user/other.txt").await.unwrap());
}
