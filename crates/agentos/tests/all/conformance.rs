//! Conformance as data: every case in `conformance/<suite>/*.cases` runs as
//! `bash -c SCRIPT` under the host's real bash (with GNU tools) and inside a
//! fresh VM, in an empty working directory with the same environment;
//! stdout, stderr and exit status must match byte for byte.
//!
//! `conformance/<suite>/known-failures.txt` lists cases that do not match yet. The
//! test fails when an unlisted case fails *or* a listed case passes, so the
//! list cannot rot. `AGENTOS_BLESS=1 cargo test` rewrites the list;
//! `AGENTOS_CASES=TEXT` runs only the cases whose id contains TEXT.
//!
//! The `registry` suites run the `commands` and `shell` cases again with the
//! agentOS registry's published WASM command packages first on `PATH`
//! (`registry:` ids; `registry-sh:` when their `bash` runs the script), so
//! the same host outputs judge their commands and ours.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use agentos::{AgentOs, AgentOsOptions, Software, SpawnOptions, Tiers};
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

fn run_host(script: &str, shell: &str) -> Outcome {
    let dir = std::env::temp_dir().join(format!("agentos-conf-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = std::process::Command::new(shell);
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

/// How a suite's VM is set up: extra software, and a `PATH` prefix.
#[derive(Clone, Default)]
struct Setup {
    software: Vec<Software>,
    path_prefix: &'static str,
    /// The interpreter of the scripts in the VM (default: `bash` on `PATH`).
    shell: Option<&'static str>,
    /// Run only cases named after one of these commands (`cmd-…`).
    only_commands: Option<Vec<String>>,
}

impl Setup {
    /// The host's interpreter, named as the VM's is so that `$0` in bash's
    /// messages matches; a VM-only path (a package's bash) maps to `bash`.
    fn host_shell(&self) -> &'static str {
        match self.shell {
            Some(s) if std::path::Path::new(s).exists() => s,
            _ => "bash",
        }
    }
}

async fn run_vm(script: &str, setup: &Setup) -> Outcome {
    let env: Vec<(String, String)> = ENV
        .iter()
        .map(|(k, v)| {
            let v = if *k == "PATH" { format!("{}{v}", setup.path_prefix) } else { v.to_string() };
            (k.to_string(), v)
        })
        .collect();
    let vm =
        AgentOs::create(AgentOsOptions { env: env.clone(), software: setup.software.clone(), ..Default::default() })
            .await
            .unwrap();
    let out = Arc::new(Mutex::new(Vec::new()));
    let err = Arc::new(Mutex::new(Vec::new()));
    let (o, e) = (out.clone(), err.clone());
    let script = format!("umask 022\n{script}");
    // `env -i` execs bash with exactly the host run's environment.
    let mut argv: Vec<String> = vec!["-i".into()];
    argv.extend(env.iter().map(|(k, v)| format!("{k}={v}")));
    // The script runs under `bash` from PATH unless the setup names
    // another interpreter.
    argv.extend([setup.shell.unwrap_or("bash").to_string(), "-c".to_string(), script]);
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
    suite_with(name, &[name], &[("", Setup::default())]).await;
}

/// Run the cases of `sources` (suite directories under `conformance/`) once
/// per `(id prefix, setup)`; known failures are listed in suite `name`.
async fn suite_with(name: &str, sources: &[&str], modes: &[(&str, Setup)]) {
    let dir = root().join(name);
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for src in sources {
        let mut more: Vec<_> = std::fs::read_dir(root().join(src))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "cases"))
            .map(|p| (src.to_string(), p))
            .collect();
        more.sort();
        files.extend(more);
    }
    let known_path = dir.join("known-failures.txt");
    let known_text = std::fs::read_to_string(&known_path).unwrap_or_default();
    let known: BTreeSet<String> =
        known_text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect();
    // AGENTOS_CASES=TEXT runs only the cases whose id contains TEXT.
    let only = std::env::var("AGENTOS_CASES").ok();
    let mut failing = BTreeSet::new();
    let mut report = Vec::new();
    let mut total = 0;
    for (src, f) in &files {
        let fname = f.file_name().unwrap().to_string_lossy().to_string();
        for (case, script) in parse(f) {
            let id_of = |prefix: &str| format!("{prefix}{src}/{fname}:{case}");
            let cmd = case.split('-').next().unwrap_or("");
            let wanted = |prefix: &str, setup: &Setup| {
                only.as_ref().is_none_or(|o| id_of(prefix).contains(o.as_str()))
                    && setup.only_commands.as_ref().is_none_or(|c| c.iter().any(|c| c == cmd))
            };
            if !modes.iter().any(|(p, s)| wanted(p, s)) {
                continue;
            }
            // One host run per distinct host shell name (it is `$0` in
            // bash's error messages).
            let mut hosts: Vec<(&str, Outcome)> = Vec::new();
            for (prefix, setup) in modes.iter().filter(|(p, s)| wanted(p, s)) {
                total += 1;
                let id = id_of(prefix);
                let host_shell = setup.host_shell();
                if !hosts.iter().any(|(s, _)| *s == host_shell) {
                    hosts.push((host_shell, run_host(&script, host_shell)));
                }
                let host = &hosts.iter().find(|(s, _)| *s == host_shell).unwrap().1;
                let ours = run_vm(&script, setup).await;
                if *host != ours {
                    failing.insert(id.clone());
                    if !known.contains(&id) || only.is_some() {
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
    }
    if let Some(o) = &only {
        // A filtered run (AGENTOS_CASES) shows what it ran and checks nothing
        // against the known list.
        println!("{name} cases matching {o:?}: {total} run, {} differ:\n{}", failing.len(), report.join("\n"));
        return;
    }
    let fixed: Vec<_> = known.difference(&failing).cloned().collect();
    if std::env::var("AGENTOS_BLESS").is_ok() {
        let all = &failing;
        // The list's leading comment (the reasons) is kept.
        let header: String = known_text.lines().take_while(|l| l.starts_with('#')).map(|l| format!("{l}\n")).collect();
        let mut text = if header.is_empty() {
            String::from(
                "# Conformance cases that do not match the host yet (suite/file:case).\n# The conformance test fails when one of these starts passing: remove it then.\n",
            )
        } else {
            header
        };
        for k in all {
            text.push_str(k);
            text.push('\n');
        }
        std::fs::write(&known_path, text).unwrap();
        println!("blessed {} known failures for {name}", failing.len());
        return;
    }
    if name.starts_with("registry") {
        // Per command (the case name up to its first '-'): matching cases / all.
        let mut by_cmd: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for (src, f) in &files {
            let fname = f.file_name().unwrap().to_string_lossy().to_string();
            for (case, _) in parse(f) {
                let cmd = case.split('-').next().unwrap_or("").to_string();
                if modes.iter().any(|(_, s)| s.only_commands.as_ref().is_some_and(|c| !c.contains(&cmd))) {
                    continue;
                }
                let e = by_cmd.entry(cmd).or_default();
                e.1 += 1;
                if !failing.iter().any(|id| id.ends_with(&format!("{src}/{fname}:{case}"))) {
                    e.0 += 1;
                }
            }
        }
        let line: Vec<String> = by_cmd.iter().map(|(c, (ok, n))| format!("{c} {ok}/{n}")).collect();
        println!("{name} by command: {}", line.join(", "));
    }
    for (prefix, _) in modes {
        let n = total / modes.len();
        let bad = failing.iter().filter(|id| id.starts_with(prefix)).count();
        println!("{prefix}{name}: {} of {n} cases match the host, {bad} known failures", n - bad);
    }
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

/// The registry's packages as [`Software`], from the npm cache test.sh
/// fills; `None` (a skip, a failure under CI) when it is missing.
fn registry_packages() -> Option<(Vec<Software>, Vec<String>)> {
    let dir = root().join("../target/npm-cache/node_modules/@agentos-software");
    let mut out = Vec::new();
    let mut commands = Vec::new();
    for pkg in ["coreutils", "grep", "sed", "gawk", "findutils"] {
        let path = dir.join(pkg).join("dist/package.aospkg");
        if !path.is_file() {
            assert!(std::env::var_os("CI").is_none(), "{}: missing under CI (test.sh installs it)", path.display());
            eprintln!("registry conformance: {} missing (run test.sh); skipped", path.display());
            return None;
        }
        let pkg = agentos_host::Package::open(&path).unwrap();
        commands.extend(pkg.commands().iter().map(|(c, _)| c.clone()));
        out.push(Software::WasmPackage { path: path.canonicalize().unwrap(), permissions: Tiers::default() });
    }
    Some((out, commands))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_conformance() {
    let Some((software, names)) = registry_packages() else { return };
    // Their commands on the cases of the commands suite named after one of
    // them (our bash runs the scripts), then their bash running the whole
    // shell suite with their commands.
    let commands = Setup {
        software: software.clone(),
        path_prefix: "/opt/agentos/bin:",
        // Our bash (a package's `bash` comes first on PATH).
        shell: Some("/bin/bash"),
        only_commands: Some(names),
    };
    let shell =
        Setup { software, path_prefix: "/opt/agentos/bin:", shell: Some("/opt/agentos/bin/bash"), only_commands: None };
    suite_with("registry", &["commands"], &[("registry:", commands)]).await;
    suite_with("registry-sh", &["shell"], &[("registry-sh:", shell)]).await;
}
