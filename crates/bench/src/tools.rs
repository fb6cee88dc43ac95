//! The command-set benchmarks of the common tools: each workload runs inside
//! a VM and, for comparison, with the host's GNU tools on the same data in a
//! host temporary directory. Reports both medians and the ratio
//! (`ours / host`; below 1 means we are faster).

use std::time::Instant;

use agentos::{AgentOs, AgentOsOptions, ExecOptions};

use crate::report;

/// Deterministic pseudo-random text: `lines` lines of words.
fn text(seed: u64, lines: usize) -> String {
    const WORDS: &[&str] = &[
        "alpha", "beta", "gamma", "delta", "fn", "let", "match", "struct", "impl", "return", "error", "value", "TODO",
        "kernel", "task", "open", "read", "write", "close", "42",
    ];
    let mut x = seed | 1;
    let mut s = String::new();
    for _ in 0..lines {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = 4 + (x % 10) as usize;
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(WORDS[((x >> (i * 3)) % WORDS.len() as u64) as usize]);
        }
        s.push('\n');
    }
    s
}

/// Files of a source tree: `files` files spread over 40 directories.
fn tree(files: usize, lines_per_file: usize) -> Vec<(String, String)> {
    (0..files).map(|i| (format!("src/d{}/f{i}.rs", i % 40), text(i as u64 + 1, lines_per_file))).collect()
}

struct Workload {
    name: &'static str,
    setup: Vec<(String, Vec<u8>)>,
    /// Run once before timing (e.g. to create an archive).
    prepare: &'static str,
    command: &'static str,
    runs: usize,
}

fn host_dir(w: &Workload) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("agentos-bench-{}-{}", w.name, std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (p, c) in &w.setup {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        std::fs::write(path, c).expect("write");
    }
    dir
}

fn host_run(dir: &std::path::Path, cmd: &str) -> f64 {
    let t = Instant::now();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(cmd)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .output()
        .expect("host bash");
    assert!(out.status.success(), "host {cmd}: {}", String::from_utf8_lossy(&out.stderr));
    t.elapsed().as_secs_f64() * 1000.0
}

async fn vm_run(vm: &AgentOs, cmd: &str) -> f64 {
    let t = Instant::now();
    let r = vm
        .exec(
            cmd,
            ExecOptions {
                cwd: Some("/home/user/w".into()),
                env: vec![("LC_ALL".into(), "C".into())],
                ..Default::default()
            },
        )
        .await
        .expect("exec");
    assert_eq!(r.exit_code, 0, "vm {cmd}: {}", r.stderr_str());
    t.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Run every tool workload whose name `want` accepts.
pub async fn run(want: &dyn Fn(&str) -> bool) {
    if !want("tool_") {
        return;
    }
    let big = text(99, 1_000_000);
    let numbers: String = (0..1_000_000u64).map(|i| format!("row{i} {}\n", (i * 7919) % 1000)).collect();
    let workloads = vec![
        Workload {
            name: "tool_grep_rn_2000_files",
            setup: tree(2000, 250).into_iter().map(|(p, c)| (p, c.into_bytes())).collect(),
            prepare: "true",
            command: "grep -rn TODO src > /dev/null",
            runs: 5,
        },
        Workload {
            name: "tool_find_xargs_wc",
            setup: tree(2000, 20).into_iter().map(|(p, c)| (p, c.into_bytes())).collect(),
            prepare: "true",
            command: "find . -name '*.rs' | xargs wc -l > /dev/null",
            runs: 5,
        },
        Workload {
            name: "tool_sed_i_1000_files",
            setup: tree(1000, 20).into_iter().map(|(p, c)| (p, c.into_bytes())).collect(),
            prepare: "true",
            command: "sed -i 's/alpha/ALPHA/g' src/*/*.rs",
            runs: 5,
        },
        Workload {
            name: "tool_awk_sum_1m",
            setup: vec![("n.txt".into(), numbers.clone().into_bytes())],
            prepare: "true",
            command: "awk '{s+=$2} END {print s}' n.txt > /dev/null",
            runs: 5,
        },
        Workload {
            name: "tool_sort_1m_lines",
            setup: vec![("t.txt".into(), big.clone().into_bytes())],
            prepare: "true",
            command: "sort t.txt > /dev/null",
            runs: 3,
        },
        Workload {
            name: "tool_tar_czf_xzf_20mb",
            setup: vec![("t.txt".into(), big.as_bytes()[..20 << 20].to_vec())],
            prepare: "true",
            command: "tar czf a.tgz t.txt && mkdir -p x && tar xzf a.tgz -C x && rm -rf x a.tgz",
            runs: 3,
        },
    ];
    for w in workloads {
        if !want(w.name) {
            continue;
        }
        let dir = host_dir(&w);
        host_run(&dir, w.prepare);
        let host: Vec<f64> = (0..w.runs).map(|_| host_run(&dir, w.command)).collect();
        let _ = std::fs::remove_dir_all(&dir);
        let vm = AgentOs::create(AgentOsOptions::default()).await.expect("vm");
        let files: Vec<(String, Vec<u8>)> =
            w.setup.iter().map(|(p, c)| (format!("/home/user/w/{p}"), c.clone())).collect();
        vm.write_files(&files).await.expect("write files");
        vm_run(&vm, w.prepare).await;
        let mut ours = Vec::new();
        for _ in 0..w.runs {
            ours.push(vm_run(&vm, w.command).await);
        }
        vm.dispose().await.expect("dispose");
        let ratio = median(ours.clone()) / median(host.clone());
        report(w.name, "ms", ours);
        report(&format!("{}_host_gnu", w.name), "ms", host);
        report(&format!("{}_ratio", w.name), "ours_over_host", vec![ratio]);
    }
}
