//! WASI programs doing ordinary work: argv, environment, stdio, exit
//! codes, files and directories, clocks, randomness, pipes and spawning.

use agentos::{Errno, ExecOptions, SpawnOptions};

use crate::{out, run, vm_with};

#[tokio::test]
async fn argv_env_stdio_and_exit_code() {
    let vm = vm_with(&["args"]).await;
    let r = vm
        .exec(
            "args one 'two words' && echo ok; EXIT=7 args; echo status=$?",
            ExecOptions { env: vec![("GET".into(), "HOME".into())], ..Default::default() },
        )
        .await
        .unwrap();
    let want = "argc=3\nargv[1]=one\nargv[2]=two words\nHOME=/home/user\nok\nargc=1\nHOME=/home/user\nstatus=7\n";
    assert_eq!(out(&r), (0, want.into(), "to stderr\nto stderr\n".into()));
}

#[tokio::test]
async fn stdin_to_stdout_through_pipes() {
    let vm = vm_with(&["cat"]).await;
    let r = vm
        .exec("printf 'a\\nb\\n' | cat | cat", ExecOptions { stdin: Some(b"unused".to_vec()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(out(&r), (0, "a\nb\n".into(), "4 bytes\n4 bytes\n".into()));
    let big = "x".repeat(300_000);
    let r = vm.exec("cat", ExecOptions { stdin: Some(big.clone().into_bytes()), ..Default::default() }).await.unwrap();
    assert_eq!((r.exit_code, r.stdout.len(), r.stderr_str()), (0, big.len(), "300000 bytes\n".into()));
}

#[tokio::test]
async fn files_and_directories() {
    let vm = vm_with(&["files"]).await;
    let r = run(&vm, "files").await;
    let want = "\
mkdir again: File exists
read at 6: 6 world
pread: 5 hello
size=12 reg=1
readlink: b.txt
lstat link: 1
nlink=2
ls /tmp/t: . .. b.txt hard link sub
open missing: No such file or directory
rmdir nonempty: Directory not empty
excl: File exists
truncated=3
ls /tmp/t: . .. b.txt
cwd-relative: 1
";
    assert_eq!(out(&r), (0, want.into(), String::new()));
    assert_eq!(vm.read_file("/tmp/t/b.txt").await.unwrap(), b"hel");
    assert_eq!(vm.read_file("/tmp/t/rel.txt").await.unwrap(), b"relative\n");
}

#[tokio::test]
async fn clocks_sleep_and_random() {
    let vm = vm_with(&["clock"]).await;
    let r = run(&vm, "clock").await;
    let want = "realtime after 2020: 1\nslept >= 30ms: 1\nrandom differs: 1 nonzero: 1\n";
    assert_eq!(out(&r), (0, want.into(), String::new()));
}

#[tokio::test]
async fn spawn_and_pipe_through_host_process() {
    let vm = vm_with(&["spawn", "args"]).await;
    let r = run(&vm, "spawn args hello; spawn /usr/local/bin/args x y").await;
    let want = "child said: argc=2\nargv[1]=hello\nchild exit=0 signal=0 same-pid=1 parent-differs=1\n\
child said: argc=3\nargv[1]=x\nargv[2]=y\nchild exit=0 signal=0 same-pid=1 parent-differs=1\n";
    assert_eq!(out(&r), (0, want.into(), "to stderr\nto stderr\n".into()));
    // A native child, its stdout on the pipe, its exit status reported.
    let r = run(&vm, "spawn sh -c 'echo native; exit 4'").await;
    assert_eq!(
        out(&r),
        (0, "child said: native\nchild exit=4 signal=0 same-pid=1 parent-differs=1\n".into(), String::new())
    );
    let r = run(&vm, "spawn /no/such/program").await;
    assert_eq!(out(&r), (1, "spawn errno 44\n".into(), String::new()));
}

#[tokio::test]
async fn not_a_module_is_an_exec_format_error() {
    let vm = vm_with(&[]).await;
    crate::install(&vm, "broken", b"\0asm\x01\0\0\0garbage").await;
    let e = vm.spawn("/usr/local/bin/broken", &[], SpawnOptions::default()).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ENOEXEC));
}

#[tokio::test]
async fn spawn_v3_dup2_from_a_close_on_exec_pipe_and_pwd() {
    let vm = vm_with(&["spawnx"]).await;
    // The child's stdout is the pipe's write end, dup2'd by a file action
    // although the parent marked it close-on-exec; the child (a native
    // `sh`) sees only fds 0-2 (`ls` lists 0, 1 and 2: no leaked pipe end)
    // and the environment it was given.
    let r = run(&vm, "cd /tmp && spawnx sh -c 'echo from child; ls /proc/self/fd | wc -l; echo A=$A'").await;
    assert_eq!(out(&r), (0, "PWD=/tmp\nchild said: from child\n3\nA=1\nexit=0\n".into(), String::new()));
    // With no PWD in its environment, a guest is given its working
    // directory (WASI has no getcwd); one it was given is left alone.
    let r = run(&vm, "cd /tmp && env -u PWD spawnx && PWD=/elsewhere spawnx").await;
    assert_eq!(out(&r), (0, "PWD=/tmp\nPWD=/elsewhere\n".into(), String::new()));
}
