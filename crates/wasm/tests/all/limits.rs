//! Runaway guests: a spinning loop stopped by a signal, a memory bomb
//! stopped by the memory limit, a trap reported as a signal. The host
//! stays unharmed and the VM keeps working.

use std::time::{Duration, Instant};

use agentos::{ExecOptions, Signal, SpawnOptions};

use crate::{out, run, vm_with};

#[tokio::test]
async fn spinning_guest_is_killed_by_exec_timeout() {
    let vm = vm_with(&["spin"]).await;
    let t = Instant::now();
    let opts = ExecOptions { timeout: Some(Duration::from_millis(300)), ..Default::default() };
    let r = vm.exec("spin", opts).await.unwrap();
    assert!(r.timed_out);
    assert_eq!(out(&r), (137, "spinning\n".into(), String::new()));
    assert!(t.elapsed() < Duration::from_secs(5), "took {:?}", t.elapsed());
    assert_eq!(run(&vm, "echo still fine").await.stdout_str(), "still fine\n");
}

#[tokio::test]
async fn sigterm_stops_a_spinning_guest() {
    let vm = vm_with(&["spin"]).await;
    let pid = vm.spawn("/usr/local/bin/spin", &[], SpawnOptions::default()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t = Instant::now();
    vm.signal_process(pid, Signal::SIGTERM).unwrap();
    let code = tokio::time::timeout(Duration::from_secs(5), vm.wait_process(pid)).await.unwrap().unwrap();
    assert_eq!(code, 143);
    assert!(t.elapsed() < Duration::from_secs(1), "took {:?}", t.elapsed());
}

#[tokio::test]
async fn memory_bomb_is_stopped_at_the_limit() {
    let vm = vm_with(&["membomb"]).await;
    let r = run(&vm, "membomb; echo status=$?").await;
    assert_eq!(out(&r), (0, "status=137\n".into(), "membomb: out of memory (wasm memory limit 512 MiB)\n".into()));
    assert_eq!(vm.kernel().memory_used(), 0);
}

#[tokio::test]
async fn abort_is_reported_as_sigabrt() {
    let vm = vm_with(&["abort"]).await;
    let r = run(&vm, "abort; echo status=$?").await;
    assert_eq!(
        out(&r),
        (0, "status=134\n".into(), "abort: wasm trap: wasm `unreachable` instruction executed\n".into())
    );
}
