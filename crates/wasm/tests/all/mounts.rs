//! WASM guests see every mount: the `files` guest (WASI paths: create,
//! write, read, rename, symlinks, links, listings, errnos) gives the same
//! output on the memory root and with `/tmp` backed by a host directory or
//! a SQLite file, and its files really land there.

use agentos::{MountBackend, RootConfig};

use super::{guests, install, out, run};

fn scratch(tag: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("agentos-wasm-mounts-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

#[tokio::test(flavor = "multi_thread")]
async fn files_guest_is_the_same_on_host_dir_and_sqlite_mounts() {
    let wasm = guests::wasm("files");
    let plain = agentos::AgentOs::create(Default::default()).await.unwrap();
    install(&plain, "files", &wasm).await;
    let want = out(&run(&plain, "files").await);
    assert_eq!(want.0, 0);

    let host = scratch("host");
    let vm = agentos::AgentOs::create(Default::default()).await.unwrap();
    install(&vm, "files", &wasm).await;
    vm.mount("/tmp", MountBackend::HostDir { host_path: host.clone(), read_only: false }, false).unwrap();
    assert_eq!(out(&run(&vm, "files").await), want);
    assert!(host.join("t").is_dir(), "the guest's files are on the host");

    let db = scratch("db").join("root.sqlite");
    let vm = agentos::AgentOs::create(agentos::AgentOsOptions {
        root: Some(RootConfig::Sqlite(db.clone())),
        ..Default::default()
    })
    .await
    .unwrap();
    install(&vm, "files", &wasm).await;
    assert_eq!(out(&run(&vm, "files").await), want);
    vm.dispose().await.unwrap();
    let _ = std::fs::remove_dir_all(&host);
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}
