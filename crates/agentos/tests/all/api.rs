//! The public API, method by method, including bad input.

use std::sync::Arc;
use std::time::Duration;

use agentos::{
    AgentOs, AgentOsOptions, EntryType, Errno, Error, ExecOptions, MkdirOptions, ReaddirOptions, RemoveOptions,
    SpawnOptions, VmLimits,
};
use parking_lot::Mutex;

async fn vm() -> AgentOs {
    AgentOs::create(AgentOsOptions::default()).await.unwrap()
}

#[tokio::test]
async fn quickstart_exec_echo() {
    let vm = vm().await;
    let r = vm.exec("echo hello", ExecOptions::default()).await.unwrap();
    assert_eq!((r.exit_code, r.stdout_str().as_str(), r.stderr_str().as_str()), (0, "hello\n", ""));
    vm.dispose().await.unwrap();
}

#[tokio::test]
async fn exec_options_env_cwd_stdin_and_status() {
    let vm = vm().await;
    vm.mkdir("/tmp/w", MkdirOptions::default()).await.unwrap();
    let r = vm
        .exec(
            "echo \"$GREETING\"; pwd; cat; echo err >&2; exit 3",
            ExecOptions {
                env: vec![("GREETING".into(), "hi there".into())],
                cwd: Some("/tmp/w".into()),
                stdin: Some(b"from stdin\n".to_vec()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(r.stdout_str(), "hi there\n/tmp/w\nfrom stdin\n");
    assert_eq!(r.stderr_str(), "err\n");
    assert_eq!(r.exit_code, 3);
    let r = vm.exec("nosuchcommand", ExecOptions::default()).await.unwrap();
    assert_eq!((r.exit_code, r.stderr_str().as_str()), (127, "sh: line 1: nosuchcommand: command not found\n"));
    let e = vm.exec("true", ExecOptions { cwd: Some("rel".into()), ..Default::default() }).await.unwrap_err();
    assert_eq!(e, Error::RelativePath("rel".into()));
}

#[tokio::test]
async fn exec_timeout_kills_and_streams() {
    let vm = vm().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let r = vm
        .exec(
            "echo start; while :; do :; done",
            ExecOptions {
                timeout: Some(Duration::from_millis(100)),
                on_stdout: Some(Arc::new(move |d: &[u8]| s.lock().extend_from_slice(d))),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(r.timed_out);
    assert_eq!(r.exit_code, 137);
    assert_eq!(&*seen.lock(), b"start\n");
    // The VM is still usable.
    let r = vm.exec("echo ok", ExecOptions::default()).await.unwrap();
    assert_eq!(r.stdout_str(), "ok\n");
}

#[tokio::test]
async fn files_roundtrip_and_errors() {
    let vm = vm().await;
    vm.write_file("/home/user/hello.txt", "Hello, world!").await.unwrap();
    assert_eq!(vm.read_file("/home/user/hello.txt").await.unwrap(), b"Hello, world!");
    let big = vec![7u8; 12 << 20];
    vm.write_file("/tmp/big", &big).await.unwrap();
    assert_eq!(vm.read_file("/tmp/big").await.unwrap().len(), 12 << 20);
    let e = vm.read_file("/missing").await.unwrap_err();
    assert_eq!(e.to_string(), "ENOENT: no such file or directory, open '/missing'");
    assert_eq!(e.errno(), Some(Errno::ENOENT));
    let e = vm.read_file("/home/user").await.unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EISDIR));
    let e = vm.write_file("relative.txt", "x").await.unwrap_err();
    assert_eq!(e.to_string(), "Path must be absolute: relative.txt");
    let e = vm.write_file("/nodir/x", "x").await.unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ENOENT));
    let e = vm.write_file("/home/user/hello.txt/x", "x").await.unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ENOTDIR));
}

#[tokio::test]
async fn write_files_read_files_readdir_recursive() {
    let vm = vm().await;
    let res = vm
        .write_files(&[
            ("/home/user/src/index.ts", "console.log('hi');"),
            ("/home/user/src/lib/utils.ts", "export const add = 1;"),
            ("relative", "x"),
        ])
        .await
        .unwrap();
    assert_eq!(res[0].error, None);
    assert_eq!(res[1].error, None);
    assert_eq!(res[2].error, Some(Error::RelativePath("relative".into())));
    let reads = vm.read_files(&["/home/user/src/index.ts", "/nope"]).await.unwrap();
    assert_eq!(reads[0].content.as_deref(), Some(&b"console.log('hi');"[..]));
    assert_eq!(reads[1].content, None);
    assert_eq!(reads[1].error.as_ref().and_then(|e| e.errno()), Some(Errno::ENOENT));
    let all = vm.readdir_recursive("/home/user", ReaddirOptions::default()).await.unwrap();
    let got: Vec<(String, EntryType)> = all.iter().map(|e| (e.path.clone(), e.kind)).collect();
    assert_eq!(
        got,
        vec![
            ("/home/user/src".to_string(), EntryType::Directory),
            ("/home/user/src/index.ts".to_string(), EntryType::File),
            ("/home/user/src/lib".to_string(), EntryType::Directory),
            ("/home/user/src/lib/utils.ts".to_string(), EntryType::File),
        ]
    );
    let shallow =
        vm.readdir_recursive("/home/user", ReaddirOptions { max_depth: Some(0), exclude: vec![] }).await.unwrap();
    assert_eq!(shallow.len(), 1);
    let excl = vm
        .readdir_recursive("/home/user", ReaddirOptions { max_depth: None, exclude: vec!["lib".into()] })
        .await
        .unwrap();
    assert_eq!(excl.len(), 2);
    assert_eq!(vm.readdir("/home/user/src").await.unwrap(), vec!["index.ts", "lib"]);
    assert_eq!(vm.readdir("/home/user/src/index.ts").await.unwrap_err().errno(), Some(Errno::ENOTDIR));
}

#[tokio::test]
async fn mkdir_stat_exists_rename_remove() {
    let vm = vm().await;
    vm.mkdir("/tmp/a/b/c", MkdirOptions { recursive: true }).await.unwrap();
    vm.mkdir("/tmp/a/b/c", MkdirOptions { recursive: true }).await.unwrap();
    assert_eq!(vm.mkdir("/tmp/a", MkdirOptions::default()).await.unwrap_err().errno(), Some(Errno::EEXIST));
    assert_eq!(vm.mkdir("/tmp/x/y", MkdirOptions::default()).await.unwrap_err().errno(), Some(Errno::ENOENT));
    let st = vm.stat("/tmp/a").await.unwrap();
    assert!(st.is_dir());
    assert_eq!((st.uid, st.perm()), (1000, 0o755));
    assert!(vm.exists("/tmp/a/b").await.unwrap());
    assert!(!vm.exists("/tmp/zzz").await.unwrap());
    vm.write_file("/tmp/a/f", "1").await.unwrap();
    vm.rename("/tmp/a/f", "/tmp/g").await.unwrap();
    assert!(!vm.exists("/tmp/a/f").await.unwrap());
    assert_eq!(vm.rename("/tmp/a", "/tmp/a/b/inside").await.unwrap_err().errno(), Some(Errno::EINVAL));
    assert_eq!(vm.rename("/tmp/g", "/proc/g").await.unwrap_err().errno(), Some(Errno::EXDEV));
    assert_eq!(vm.remove("/tmp/a", RemoveOptions::default()).await.unwrap_err().errno(), Some(Errno::ENOTEMPTY));
    vm.remove("/tmp/a", RemoveOptions { recursive: true }).await.unwrap();
    assert!(!vm.exists("/tmp/a").await.unwrap());
    assert_eq!(vm.remove("/tmp/a", RemoveOptions::default()).await.unwrap_err().errno(), Some(Errno::ENOENT));
}

#[tokio::test]
async fn spawn_stream_stdin_and_exit() {
    let vm = vm().await;
    let pid = vm.spawn("cat", &[], SpawnOptions::default()).unwrap();
    let out = Arc::new(Mutex::new(Vec::new()));
    let o = out.clone();
    let _unsub = vm.on_process_stdout(pid, Arc::new(move |d: &[u8]| o.lock().extend_from_slice(d))).unwrap();
    let code = Arc::new(Mutex::new(None));
    let c = code.clone();
    let _unsub_exit = vm.on_process_exit(pid, Arc::new(move |x| *c.lock() = Some(x))).unwrap();
    vm.write_process_stdin(pid, b"some input\n").unwrap();
    vm.close_process_stdin(pid).unwrap();
    assert_eq!(vm.wait_process(pid).await.unwrap(), 0);
    assert_eq!(&*out.lock(), b"some input\n");
    assert_eq!(*code.lock(), Some(0));
    let list = vm.list_processes();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].pid, list[0].command.as_str(), list[0].running, list[0].exit_code),
        (pid, "cat", false, Some(0))
    );
    assert_eq!(vm.get_process(999).unwrap_err(), Error::ProcessNotFound(999));
    assert_eq!(vm.write_process_stdin(999, b"x").unwrap_err().to_string(), "Process not found: 999");
    let e = vm.spawn("no-such-program", &[], SpawnOptions::default()).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ENOENT));
}

#[tokio::test]
async fn stop_and_kill_processes_and_tree() {
    let vm = vm().await;
    let a = vm.spawn("sleep", &["100"], SpawnOptions::default()).unwrap();
    let b = vm.spawn("sh", &["-c", "sleep 100; echo never"], SpawnOptions::default()).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let tree = vm.process_tree();
    assert_eq!(tree.len(), 2);
    assert!(vm.all_processes().iter().any(|p| p.command == "sleep" && p.ppid == b));
    vm.stop_process(a).unwrap();
    assert_eq!(vm.wait_process(a).await.unwrap(), 143);
    vm.kill_process(b).unwrap();
    assert_eq!(vm.wait_process(b).await.unwrap(), 137);
    vm.stop_process(a).unwrap();
}

#[tokio::test]
async fn disposed_vm_rejects_calls() {
    let vm = vm().await;
    let pid = vm.spawn("sleep", &["100"], SpawnOptions::default()).unwrap();
    vm.dispose().await.unwrap();
    assert_eq!(vm.wait_process(pid).await.unwrap(), 137);
    assert_eq!(vm.exec("echo", ExecOptions::default()).await.unwrap_err(), Error::Disposed);
    assert_eq!(vm.read_file("/etc/passwd").await.unwrap_err(), Error::Disposed);
    assert_eq!(vm.spawn("true", &[], SpawnOptions::default()).unwrap_err(), Error::Disposed);
    assert_eq!(Error::Disposed.to_string(), "VM is disposed");
}

#[tokio::test]
async fn filesystem_limit_gives_enospc() {
    let vm = AgentOs::create(AgentOsOptions {
        limits: VmLimits { fs_bytes: 64 * 1024, ..Default::default() },
        ..Default::default()
    })
    .await
    .unwrap();
    let e = vm.write_file("/tmp/big", vec![0u8; 128 * 1024]).await.unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ENOSPC));
    let r = vm.exec("head -c 200000 /dev/zero > /tmp/x; echo $?", ExecOptions::default()).await.unwrap();
    assert_eq!(r.stdout_str(), "1\n");
    assert_eq!(r.stderr_str(), "head: error writing 'standard output': No space left on device\n");
}

#[tokio::test]
async fn many_vms_are_isolated() {
    let a = vm().await;
    let b = vm().await;
    a.write_file("/tmp/secret", "a").await.unwrap();
    assert!(!b.exists("/tmp/secret").await.unwrap());
    let r = b.exec("cat /tmp/secret", ExecOptions::default()).await.unwrap();
    assert_eq!(r.exit_code, 1);
    assert_eq!(r.stderr_str(), "cat: /tmp/secret: No such file or directory\n");
}

#[tokio::test]
async fn runaway_memory_is_stopped_by_the_vm_limit() {
    let vm = AgentOs::create(AgentOsOptions {
        limits: VmLimits { memory: 8 << 20, ..Default::default() },
        ..Default::default()
    })
    .await
    .unwrap();
    // An endless command substitution stops at the limit instead of
    // exhausting the host; the VM stays usable.
    let r = vm
        .exec(
            "x=$(cat /dev/zero); echo ${#x}",
            ExecOptions { timeout: Some(Duration::from_secs(20)), ..Default::default() },
        )
        .await
        .unwrap();
    assert!(!r.timed_out);
    assert_eq!(vm.kernel().memory_used(), 0);
    let r = vm.exec("head -c 20000000 /dev/zero | sort > /dev/null; echo $?", ExecOptions::default()).await.unwrap();
    assert_eq!(r.stdout_str(), "2\n");
    assert_eq!(r.stderr_str(), "sort: read failed: -: Cannot allocate memory\n");
    assert_eq!(vm.kernel().memory_used(), 0);
    let r = vm.exec("echo alive", ExecOptions::default()).await.unwrap();
    assert_eq!(r.stdout_str(), "alive\n");
}
