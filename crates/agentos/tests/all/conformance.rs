//! Conformance as data: every case in `conformance/<suite>/*.cases` runs as
//! `bash -c SCRIPT` under the host's real bash (with GNU tools) and inside a
//! fresh VM, in an empty working directory with the same environment;
//! stdout, stderr and exit status must match byte for byte.
//!
//! `conformance/<suite>/known-failures.txt` lists cases that do not match yet. The
//! test fails when an unlisted case fails *or* a listed case passes, so the
//! list cannot rot. `AGENTOS_BLESS=1 cargo test` rewrites the list.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use agentos::{AgentOs, AgentOsOptions, SpawnOptions};
use parking_lot::Mutex;

const ENV: &[(&str, &str)] = &[
    ("PATH", "/usr/local/bin:/usr/bin:/bin"),
    ("HOME", "/home/user"),
    ("USER", "user"),
    ("LANG", "C"),
    ("LC_ALL", "C"),
    ("TZ", "UTC"),
];

#[derive(Debug, PartialEq, Eq, Clone)]
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: i32,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance")
}

/// Parse a `.cases` file: `=== name` headers, script bodies.
fn parse(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut cases: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.split('\n') {
        if let Some(name) = line.strip_prefix("=== ") {
            cases.push((name.trim().to_string(), Vec::new()));
        } else if let Some(c) = cases.last_mut() {
            c.1.push(line);
        }
    }
    cases
        .into_iter()
        .map(|(n, mut lines)| {
            while lines.last() == Some(&"") {
                lines.pop();
            }
            (n, lines.join("\n") + "\n")
        })
        .collect()
}

fn run_host(script: &str) -> Outcome {
    let dir = std::env::temp_dir().join(format!("agentos-conf-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = std::process::Command::new("bash");
    cmd.arg("-c").arg(format!("umask 022\n{script}"));
    cmd.env_clear().envs(ENV.iter().copied()).current_dir(&dir).stdin(std::process::Stdio::null());
    let out = cmd.output().expect("host bash runs");
    let _ = std::fs::remove_dir_all(&dir);
    Outcome { stdout: out.stdout, stderr: out.stderr, status: out.status.code().unwrap_or(128) }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

async fn run_vm(script: &str) -> Outcome {
    let vm = AgentOs::create(AgentOsOptions {
        env: ENV.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    })
    .await
    .unwrap();
    let out = Arc::new(Mutex::new(Vec::new()));
    let err = Arc::new(Mutex::new(Vec::new()));
    let (o, e) = (out.clone(), err.clone());
    let script = format!("umask 022\n{script}");
    // `env -i` execs bash with exactly the host run's environment.
    let mut argv: Vec<String> = vec!["-i".into()];
    argv.extend(ENV.iter().map(|(k, v)| format!("{k}={v}")));
    argv.extend(["bash".to_string(), "-c".to_string(), script]);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let pid = vm
        .spawn(
            "env",
            &argv,
            SpawnOptions {
                on_stdout: Some(Arc::new(move |d: &[u8]| o.lock().extend_from_slice(d))),
                on_stderr: Some(Arc::new(move |d: &[u8]| e.lock().extend_from_slice(d))),
                ..Default::default()
            },
        )
        .unwrap();
    vm.close_process_stdin(pid).unwrap();
    let status = match tokio::time::timeout(Duration::from_secs(20), vm.wait_process(pid)).await {
        Ok(s) => s.unwrap(),
        Err(_) => {
            vm.kill_process(pid).unwrap();
            err.lock().extend_from_slice(b"<TIMEOUT>");
            vm.wait_process(pid).await.unwrap()
        }
    };
    vm.dispose().await.unwrap();
    let stdout = std::mem::take(&mut *out.lock());
    let stderr = std::mem::take(&mut *err.lock());
    Outcome { stdout, stderr, status }
}

fn show(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    if s.len() > 400 { format!("{:?}…", &s[..400]) } else { format!("{s:?}") }
}

async fn suite(name: &str) {
    let dir = root().join(name);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cases"))
        .collect();
    files.sort();
    let known_path = dir.join("known-failures.txt");
    let known_text = std::fs::read_to_string(&known_path).unwrap_or_default();
    let known: BTreeSet<String> =
        known_text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect();
    let mut failing = BTreeSet::new();
    let mut report = Vec::new();
    let mut total = 0;
    for f in &files {
        let fname = f.file_name().unwrap().to_string_lossy().to_string();
        for (case, script) in parse(f) {
            total += 1;
            let id = format!("{name}/{fname}:{case}");
            let host = run_host(&script);
            let ours = run_vm(&script).await;
            if host != ours {
                failing.insert(id.clone());
                if !known.contains(&id) {
                    report.push(format!(
                        "{id}\n  expected: status {} stdout {} stderr {}\n  actual:   status {} stdout {} stderr {}",
                        host.status,
                        show(&host.stdout),
                        show(&host.stderr),
                        ours.status,
                        show(&ours.stdout),
                        show(&ours.stderr)
                    ));
                }
            }
        }
    }
    let fixed: Vec<_> = known.difference(&failing).cloned().collect();
    if std::env::var("AGENTOS_BLESS").is_ok() {
        let all = &failing;
        let mut text = String::from(
            "# Conformance cases that do not match the host yet (suite/file:case).\n# The conformance test fails when one of these starts passing: remove it then.\n",
        );
        for k in all {
            text.push_str(k);
            text.push('\n');
        }
        std::fs::write(&known_path, text).unwrap();
        println!("blessed {} known failures for {name}", failing.len());
        return;
    }
    println!("{name}: {} passed, {} failed (known)", total - failing.len(), failing.len());
    let mut problems = String::new();
    if !report.is_empty() {
        problems.push_str(&format!(
            "{} cases fail that are not in known-failures.txt:\n{}\n",
            report.len(),
            report.join("\n")
        ));
    }
    if !fixed.is_empty() {
        problems.push_str(&format!(
            "{} known failures now pass; remove them from known-failures.txt:\n{}\n",
            fixed.len(),
            fixed.join("\n")
        ));
    }
    assert!(problems.is_empty(), "{problems}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shell_conformance() {
    suite("shell").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_conformance() {
    suite("commands").await;
}
