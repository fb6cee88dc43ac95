//! agentOS benchmark. Prints one JSON line per metric:
//! `{"metric":…, "unit":"ms", "n":…, "min":…, "median":…, "p95":…, "max":…}`.
//!
//! Run with `cargo run --release -p agentos-bench`. Pass metric-name
//! substrings as arguments to run only those.

use std::time::Instant;

use agentos::{AgentOs, AgentOsOptions, ExecOptions, MkdirOptions, ReaddirOptions};
use serde_json::json;

fn report(metric: &str, unit: &str, mut samples: Vec<f64>) {
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
        for count in [1usize, 10, 100] {
            let before = rss_kib();
            let mut vms = Vec::new();
            for _ in 0..count {
                vms.push(vm().await);
            }
            let after = rss_kib();
            report(&format!("memory_idle_vm_x{count}"), "KiB_per_vm", vec![(after - before) / count as f64]);
            drop(vms);
        }
        let before = rss_kib();
        let mut vms = Vec::new();
        for _ in 0..10 {
            let v = vm().await;
            v.spawn("sleep", &["30"], Default::default()).expect("spawn sleep");
            vms.push(v);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let after = rss_kib();
        report("memory_vm_with_sleep_x10", "KiB_per_vm", vec![(after - before) / 10.0]);
        for v in vms {
            v.dispose().await.unwrap();
        }
    }
}
