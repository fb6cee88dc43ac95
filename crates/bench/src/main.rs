//! agentOS benchmark. Prints one JSON line per metric:
//! `{"metric":…, "unit":"ms", "n":…, "min":…, "median":…, "p95":…, "max":…}`.
//!
//! Run with `cargo run --release -p agentos-bench`. Pass metric-name
//! substrings as arguments to run only those.

mod alloc_unsafe;
mod tools;
mod wasm_enc;

use std::time::Instant;

use agentos::{AgentOs, AgentOsOptions, ExecOptions, MkdirOptions, ReaddirOptions};
use serde_json::json;
use wasm_enc::{leb, name, section};

#[global_allocator]
static ALLOC: alloc_unsafe::Counting = alloc_unsafe::Counting;

pub(crate) fn report(metric: &str, unit: &str, mut samples: Vec<f64>) {
    samples.sort_by(|a, b| a.total_cmp(b));
    let n = samples.len();
    if n == 0 {
        return;
    }
    let pct = |p: f64| samples[((n as f64 - 1.0) * p).round() as usize];
    let round = |x: f64| (x * 10000.0).round() / 10000.0;
    println!(
        "{}",
        json!({"metric": metric, "unit": unit, "n": n, "min": round(samples[0]), "median": round(pct(0.5)),
               "p95": round(pct(0.95)), "max": round(samples[n - 1])})
    );
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn rss_kib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    pages * 4.0
}

async fn vm() -> AgentOs {
    AgentOs::create(AgentOsOptions::default()).await.expect("create VM")
}

async fn exec_ok(vm: &AgentOs, cmd: &str) -> String {
    let r = vm.exec(cmd, ExecOptions::default()).await.expect("exec");
    assert_eq!(r.exit_code, 0, "{cmd}: {}", r.stderr_str());
    r.stdout_str()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let filter: Vec<String> = std::env::args().skip(1).collect();
    let want = |m: &str| filter.is_empty() || filter.iter().any(|f| m.contains(f.as_str()));

    // Warm the process-wide base image and thread pool.
    let w = vm().await;
    exec_ok(&w, "echo warm").await;
    w.dispose().await.unwrap();

    if want("vm_create") {
        let mut s = Vec::new();
        let mut keep = Vec::new();
        for _ in 0..500 {
            let t = Instant::now();
            let v = vm().await;
            s.push(ms(t));
            keep.push(v);
        }
        report("vm_create", "ms", s);
        let mut s = Vec::new();
        for v in keep {
            let t = Instant::now();
            v.dispose().await.unwrap();
            drop(v);
            s.push(ms(t));
        }
        report("vm_dispose", "ms", s);
    }
    if want("vm_fork") {
        // A copy-on-write clone of a VM with 1000 files in its root.
        let v = vm().await;
        exec_ok(&v, "mkdir -p /home/user/f && cd /home/user/f && for i in $(seq 1000); do echo $i > $i; done").await;
        let mut s = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            let f = v.fork().unwrap();
            s.push(ms(t));
            f.dispose().await.unwrap();
        }
        report("vm_fork", "ms", s);
        v.dispose().await.unwrap();
    }
    if want("exec_echo_warm") {
        let v = vm().await;
        let mut s = Vec::new();
        for _ in 0..1000 {
            let t = Instant::now();
            let out = exec_ok(&v, "echo hello").await;
            s.push(ms(t));
            assert_eq!(out, "hello\n");
        }
        report("exec_echo_warm", "ms", s);
    }
    if want("create_first_exec") {
        let mut s = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            let v = vm().await;
            exec_ok(&v, "echo hello").await;
            s.push(ms(t));
            v.dispose().await.unwrap();
        }
        report("create_first_exec", "ms", s);
    }
    if want("pipeline_sort") {
        let v = vm().await;
        let mut s = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            let out = exec_ok(&v, "seq 1 10000 | sort -rn | head -n 3").await;
            s.push(ms(t));
            assert_eq!(out, "10000\n9999\n9998\n");
        }
        report("pipeline_seq_sort_head", "ms", s);
    }
    if want("pipeline_grep") {
        let v = vm().await;
        let probe = v.exec("command -v grep", ExecOptions::default()).await.expect("exec");
        if probe.exit_code == 0 {
            let mut s = Vec::new();
            for _ in 0..50 {
                let t = Instant::now();
                let out = exec_ok(&v, "seq 1 10000 | grep 7 | wc -l").await;
                s.push(ms(t));
                assert_eq!(out.trim(), "3439");
            }
            report("pipeline_seq_grep_wc", "ms", s);
        }
    }
    if want("write_read") {
        let v = vm().await;
        for (name, size, n) in [("write_read_1k", 1024usize, 2000), ("write_read_10m", 10 << 20, 30)] {
            let data = vec![b'x'; size];
            let mut s = Vec::new();
            for _ in 0..n {
                let t = Instant::now();
                v.write_file("/tmp/f", &data).await.unwrap();
                let back = v.read_file("/tmp/f").await.unwrap();
                s.push(ms(t));
                assert_eq!(back.len(), size);
            }
            report(name, "ms", s);
        }
    }
    if want("write_files") {
        let mut s = Vec::new();
        let mut r = Vec::new();
        for _ in 0..30 {
            let v = vm().await;
            v.mkdir("/home/user/p", MkdirOptions::default()).await.unwrap();
            let files: Vec<(String, String)> =
                (0..1000).map(|i| (format!("/home/user/p/d{}/f{i}.txt", i % 10), format!("file {i}\n"))).collect();
            let t = Instant::now();
            let res = v.write_files(&files).await.unwrap();
            s.push(ms(t));
            assert!(res.iter().all(|x| x.error.is_none()));
            let t = Instant::now();
            let entries = v.readdir_recursive("/home/user/p", ReaddirOptions::default()).await.unwrap();
            r.push(ms(t));
            assert_eq!(entries.len(), 1010);
            v.dispose().await.unwrap();
        }
        report("write_files_1000", "ms", s);
        report("readdir_recursive_1000", "ms", r);
    }
    if want("memory") {
        // Heap bytes per VM (exact, from the counting allocator) and RSS
        // growth per VM (what the OS sees; moves in pages).
        for count in [1usize, 10, 100, 1000] {
            let heap0 = alloc_unsafe::live_bytes();
            let rss0 = rss_kib();
            let mut vms = Vec::new();
            for _ in 0..count {
                vms.push(vm().await);
            }
            let heap = (alloc_unsafe::live_bytes() - heap0) as f64 / 1024.0 / count as f64;
            let rss = (rss_kib() - rss0) / count as f64;
            report(&format!("memory_idle_vm_heap_x{count}"), "KiB_per_vm", vec![heap]);
            report(&format!("memory_idle_vm_rss_x{count}"), "KiB_per_vm", vec![rss]);
            drop(vms);
        }
        let heap0 = alloc_unsafe::live_bytes();
        let rss0 = rss_kib();
        let mut vms = Vec::new();
        for _ in 0..10 {
            let v = vm().await;
            v.spawn("sleep", &["30"], Default::default()).expect("spawn sleep");
            vms.push(v);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        report(
            "memory_vm_with_sleep_heap_x10",
            "KiB_per_vm",
            vec![(alloc_unsafe::live_bytes() - heap0) as f64 / 1024.0 / 10.0],
        );
        report("memory_vm_with_sleep_rss_x10", "KiB_per_vm", vec![(rss_kib() - rss0) / 10.0]);
        for v in vms {
            v.dispose().await.unwrap();
        }
    }
    if want("node") {
        // `node -e "console.log(1)"` from spawn to exit (no shell).
        let v = vm().await;
        let mut s = Vec::new();
        for _ in 0..30 {
            let t = Instant::now();
            let pid = v.spawn("node", &["-e", "console.log(1)"], Default::default()).expect("spawn node");
            assert_eq!(v.wait_process(pid).await.expect("wait"), 0);
            s.push(ms(t));
        }
        report("node_eval_spawn_to_exit", "ms", s);
        // A 1 MB CommonJS bundle: first run (parse + compile) and cached
        // (bytecode from the process-wide cache), each in a fresh VM.
        let mut bundle = String::from("'use strict';\nconst fns = [];\n");
        let mut i = 0;
        while bundle.len() < 1 << 20 {
            bundle.push_str(&format!(
                "fns.push(function f{i}(a, b) {{ const o = {{ k{i}: a + b, s: 'str{i}' }}; return o.k{i} * 2 + o.s.length; }});\n"
            ));
            i += 1;
        }
        bundle.push_str("console.log(fns.length, fns[7](1, 2));\n");
        for (label, runs) in [("node_bundle_1mb_first", 1), ("node_bundle_1mb_cached", 10)] {
            let mut s = Vec::new();
            for _ in 0..runs {
                let v = vm().await;
                v.write_file("/tmp/bundle.js", bundle.as_bytes()).await.unwrap();
                let t = Instant::now();
                let pid = v.spawn("node", &["/tmp/bundle.js"], Default::default()).expect("spawn node");
                assert_eq!(v.wait_process(pid).await.expect("wait"), 0);
                s.push(ms(t));
                v.dispose().await.unwrap();
            }
            report(label, "ms", s);
        }
        // `vm.fetch` round trip against a guest `node:http` server: one
        // GET with a small body, from the host's request to its response.
        let src = "require('http').createServer((q, s) => s.end('ok')).listen(3000, () => console.log('up'));";
        v.write_file("/tmp/bench_server.js", src.as_bytes()).await.unwrap();
        let pid = v.spawn("node", &["/tmp/bench_server.js"], Default::default()).expect("spawn node server");
        while !v.kernel().net.listening_ports().contains(&3000) {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        let get = || agentos::http::Request::get("http://localhost/").body(Vec::new()).unwrap();
        let mut s = Vec::new();
        for i in 0..220 {
            let t = Instant::now();
            let r = v.fetch(3000, get()).await.expect("fetch");
            assert_eq!(r.body(), b"ok");
            if i >= 20 {
                s.push(ms(t));
            }
        }
        report("node_http_vm_fetch_roundtrip", "ms", s);
        v.stop_process(pid).unwrap();
        v.wait_process(pid).await.unwrap();
        v.dispose().await.unwrap();
        // Memory per VM with one idle `node` process alive.
        let heap0 = alloc_unsafe::live_bytes();
        let rss0 = rss_kib();
        let mut vms = Vec::new();
        for _ in 0..10 {
            let v = vm().await;
            let pid = v
                .spawn("node", &["-e", "setInterval(() => {}, 1000); console.log('up')"], Default::default())
                .expect("spawn");
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let tx = std::sync::Mutex::new(Some(tx));
            let _u = v
                .on_process_stdout(
                    pid,
                    std::sync::Arc::new(move |_d: &[u8]| {
                        if let Some(tx) = tx.lock().ok().and_then(|mut t| t.take()) {
                            let _ = tx.send(());
                        }
                    }),
                )
                .expect("stdout");
            rx.await.expect("node up");
            vms.push((v, pid));
        }
        report(
            "memory_vm_with_idle_node_heap_x10",
            "KiB_per_vm",
            vec![(alloc_unsafe::live_bytes() - heap0) as f64 / 1024.0 / 10.0],
        );
        report("memory_vm_with_idle_node_rss_x10", "KiB_per_vm", vec![(rss_kib() - rss0) / 10.0]);
        for (v, pid) in vms {
            v.kill_process(pid).unwrap();
            v.dispose().await.unwrap();
        }
    }
    if want("wasm") {
        // A trivial WASI program (`_start` returns) from spawn to exit,
        // with the module compiled and cached by the first run.
        let v = vm().await;
        install_wasm(&v, "/usr/local/bin/trivial", &wasm_module(0, 0, false)).await;
        let mut s = Vec::new();
        for _ in 0..300 {
            let t = Instant::now();
            let pid = v.spawn("/usr/local/bin/trivial", &[], Default::default()).expect("spawn wasm");
            assert_eq!(v.wait_process(pid).await.expect("wait"), 0);
            s.push(ms(t));
        }
        report("wasm_trivial_spawn_to_exit_cached", "ms", s);
        // First run of a module never seen before (500 functions): compile,
        // link, instantiate, run. A nonce makes each one new.
        let mut s = Vec::new();
        for nonce in 1..=10 {
            install_wasm(&v, "/tmp/fresh", &wasm_module(500, nonce, false)).await;
            let t = Instant::now();
            let pid = v.spawn("/tmp/fresh", &[], Default::default()).expect("spawn wasm");
            assert_eq!(v.wait_process(pid).await.expect("wait"), 0);
            s.push(ms(t));
        }
        report("wasm_500fn_first_run_uncached", "ms", s);
        // Memory of idle instances: 100 guests blocked reading stdin.
        install_wasm(&v, "/usr/local/bin/reader", &wasm_module(0, 0, true)).await;
        let before = rss_kib();
        let pids: Vec<_> =
            (0..100).map(|_| v.spawn("/usr/local/bin/reader", &[], Default::default()).expect("spawn")).collect();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        report("wasm_idle_instance_memory", "KiB_per_instance", vec![(rss_kib() - before) / 100.0]);
        for pid in pids {
            v.close_process_stdin(pid).expect("close stdin");
            v.wait_process(pid).await.expect("wait");
        }
        v.dispose().await.unwrap();
        registry_cat().await;
    }
    tools::run(&want).await;
}

/// The agentOS registry's `cat` (from `@agentos-software/coreutils`, which
/// test.sh installs into `target/npm-cache`) on a 1 MiB file, spawn to exit:
/// its first run (compiling the module) and cached runs.
async fn registry_cat() {
    let pkg = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/npm-cache/node_modules/@agentos-software/coreutils/dist/package.aospkg");
    let Ok(path) = pkg.canonicalize() else {
        println!(
            "{}",
            json!({"metric": "wasm_registry_cat_1mib", "skipped": format!("{} missing; run test.sh", pkg.display())})
        );
        return;
    };
    let software = vec![agentos::Software::WasmPackage { path, permissions: Default::default() }];
    let v = AgentOs::create(AgentOsOptions { software, ..Default::default() }).await.expect("create");
    v.write_file("/tmp/1m", vec![b'x'; 1 << 20]).await.expect("write");
    let run = || async {
        let t = Instant::now();
        let sink = agentos::SpawnOptions { on_stdout: Some(std::sync::Arc::new(|_d: &[u8]| {})), ..Default::default() };
        let pid = v.spawn("/opt/agentos/bin/cat", &["/tmp/1m"], sink).expect("spawn cat");
        assert_eq!(v.wait_process(pid).await.expect("wait"), 0);
        ms(t)
    };
    report("wasm_registry_cat_1mib_first_run", "ms", vec![run().await]);
    let mut s = Vec::new();
    for _ in 0..50 {
        s.push(run().await);
    }
    report("wasm_registry_cat_1mib_cached", "ms", s);
    v.dispose().await.unwrap();
}

/// Write an executable WebAssembly file into the VM.
async fn install_wasm(v: &AgentOs, path: &str, bytes: &[u8]) {
    v.write_file(path, bytes).await.expect("write wasm");
    v.kernel().host_task().expect("host task").chmod(path, 0o755).expect("chmod");
}

/// A hand-encoded WASI command: `_start` (returning at once, or after one
/// `fd_read` of stdin when `reads`) plus `extra` arithmetic functions to
/// give the compiler work, and a custom section holding `nonce`.
fn wasm_module(extra: usize, nonce: u64, reads: bool) -> Vec<u8> {
    let imports = usize::from(reads);
    let mut m = b"\0asm\x01\0\0\0".to_vec();
    // Types: 0 = () -> (), 1 = (i32 i32 i32 i32) -> i32.
    section(1, vec![2, 0x60, 0, 0, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f], &mut m);
    if reads {
        let mut b = vec![1];
        name("wasi_snapshot_preview1", &mut b);
        name("fd_read", &mut b);
        b.extend([0, 1]);
        section(2, b, &mut m);
    }
    let mut funcs = Vec::new();
    leb(1 + extra as u64, &mut funcs);
    funcs.extend(std::iter::repeat_n(0u8, 1 + extra));
    section(3, funcs, &mut m);
    section(5, vec![1, 0, 1], &mut m);
    let mut ex = vec![2];
    name("_start", &mut ex);
    ex.push(0);
    leb(imports as u64, &mut ex);
    name("memory", &mut ex);
    ex.extend([2, 0]);
    section(7, ex, &mut m);
    let mut code = Vec::new();
    leb(1 + extra as u64, &mut code);
    let start: Vec<u8> = if reads {
        // iovec {buf 16, len 1} at 0; fd_read(0, 0, 1, 8); drop.
        vec![
            0, 0x41, 0, 0x41, 16, 0x36, 2, 0, 0x41, 4, 0x41, 1, 0x36, 2, 0, 0x41, 0, 0x41, 0, 0x41, 1, 0x41, 8, 0x10,
            0, 0x1a, 0x0b,
        ]
    } else {
        vec![0, 0x0b]
    };
    leb(start.len() as u64, &mut code);
    code.extend(start);
    for f in 0..extra {
        let mut body = vec![0];
        for k in 0..40u64 {
            body.push(0x41);
            leb((f as u64 * 31 + k) & 0x3f, &mut body);
            body.push(0x41);
            leb(k & 0x3f, &mut body);
            body.extend([0x6a, 0x1a]);
        }
        body.push(0x0b);
        leb(body.len() as u64, &mut code);
        code.extend(body);
    }
    section(10, code, &mut m);
    let mut custom = Vec::new();
    name("nonce", &mut custom);
    custom.extend(nonce.to_le_bytes());
    section(0, custom, &mut m);
    m
}
