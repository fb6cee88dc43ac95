//! The Node-compat suite as data: every `conformance/node/*.js` runs under
//! the host's `node` and inside a VM; stdout, normalized stderr and the
//! exit status must match. `known-failures.txt` lists cases allowed to
//! differ, and the test fails when a listed case starts passing (so the
//! list cannot rot). `AGENTOS_BLESS=1` rewrites the list.
//!
//! Stderr is compared after dropping what cannot match across engines:
//! stack frames (`    at ...`), the `file:line` / source / caret header
//! of uncaught errors, the `Node.js vX` trailer and blank lines.
//!
//! The host's node binds real ports: cases that need a fixed one use
//! 23100–23199, below Linux's ephemeral range (32768–60999), so tests that
//! bind port 0 at the same time can never hold it.

#![allow(clippy::disallowed_methods)] // the host side runs the real node

use std::collections::BTreeSet;
use std::process::Command;

use crate::{repo_root, run_js, vm};

fn normalize_stderr(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let is_loc = (l.starts_with('/') || l.starts_with("file:") || l.starts_with("node:"))
            && l.rsplit(':').next().is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if is_loc && lines.get(i + 2).is_some_and(|c| !c.trim().is_empty() && c.trim().chars().all(|c| c == '^')) {
            i += 3;
            continue;
        }
        if l.starts_with("    at ")
            || l.starts_with("Node.js v")
            || l.trim().is_empty()
            || l.starts_with("(Use `node --trace")
            || l.trim() == "^"
        {
            i += 1;
            continue;
        }
        out.push(mask_pid(l));
        i += 1;
    }
    out.join("\n")
}

/// `(node:1234) Warning: ...` → `(node:PID) Warning: ...`.
fn mask_pid(l: &str) -> String {
    match l.strip_prefix("(node:").and_then(|r| r.split_once(')')) {
        Some((pid, rest)) if pid.chars().all(|c| c.is_ascii_digit()) => format!("(node:PID){rest}"),
        _ => l.to_string(),
    }
}

struct Outcome {
    stdout: String,
    stderr: String,
    code: i32,
}

fn host_node(path: &std::path::Path) -> Option<Outcome> {
    let out = Command::new("timeout")
        .arg("30")
        .arg("node")
        .arg(path)
        .current_dir("/tmp")
        .env("NODE_NO_WARNINGS", "0")
        .output()
        .ok()?;
    Some(Outcome {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: normalize_stderr(&String::from_utf8_lossy(&out.stderr)),
        code: out.status.code().unwrap_or(128),
    })
}

#[test]
fn node_conformance() {
    let dir = repo_root().join("conformance/node");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("conformance/node exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "js"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 150, "the suite has {} cases", cases.len());
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("node_conformance: no host `node`; skipped");
        return;
    }
    let known_path = dir.join("known-failures.txt");
    let known: BTreeSet<String> = std::fs::read_to_string(&known_path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let vm = vm();
    let mut failing = BTreeSet::new();
    let mut report = String::new();
    for path in &cases {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 name").to_string();
        let src = std::fs::read_to_string(path).expect("read case");
        let Some(want) = host_node(path) else { panic!("host node failed to run {name}") };
        let got = run_js(&vm, &format!("/tmp/{name}.js"), &src);
        let got =
            Outcome { stdout: got.stdout_str(), stderr: normalize_stderr(&got.stderr_str()), code: got.exit_code };
        if got.stdout != want.stdout || got.stderr != want.stderr || got.code != want.code {
            failing.insert(name.clone());
            if !known.contains(&name) {
                report.push_str(&format!(
                    "--- {name}: exit {} (node {})\n  stdout:   {:?}\n  expected: {:?}\n  stderr:   {:?}\n  expected: {:?}\n",
                    got.code,
                    want.code,
                    trunc(&got.stdout),
                    trunc(&want.stdout),
                    trunc(&got.stderr),
                    trunc(&want.stderr)
                ));
            }
        }
    }
    let total = cases.len();
    eprintln!("node conformance: {} of {total} pass", total - failing.len());
    if std::env::var("AGENTOS_BLESS").is_ok() {
        let mut s =
            String::from("# Node-compat cases that do not match the host's node yet (AGENTOS_BLESS=1 regenerates).\n");
        for f in &failing {
            s.push_str(f);
            s.push('\n');
        }
        std::fs::write(&known_path, s).expect("write known-failures.txt");
        return;
    }
    let fixed: Vec<_> = known.difference(&failing).collect();
    assert!(report.is_empty(), "cases not matching node (not in known-failures.txt):\n{report}");
    assert!(fixed.is_empty(), "cases in known-failures.txt now pass; remove them: {fixed:?}");
}

fn trunc(s: &str) -> String {
    if s.len() > 600 {
        format!("{}…", &s[..s.char_indices().nth(600).map(|(i, _)| i).unwrap_or(s.len())])
    } else {
        s.to_string()
    }
}

#[test]
fn stderr_normalization() {
    let s = "/tmp/x.js:2\nthrow new Error('boom');\n^\n\nError: boom\n    at Object.<anonymous> (/tmp/x.js:2:7)\n\nNode.js v20.1.0\n";
    assert_eq!(normalize_stderr(s), "Error: boom");
}
