//! Temporary: compare with host tools. Run with SCRATCH=file.
#![allow(clippy::disallowed_methods)]
use crate::harness::Vm;

fn host(argv: &[&str], stdin: &str, files: &[(&str, &str)]) -> (String, String, i32) {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("scratch-{}-{}", std::process::id(), rand()));
    std::fs::create_dir_all(&dir).unwrap();
    for (n, d) in files {
        std::fs::write(dir.join(n), d).unwrap();
    }
    let mut c = std::process::Command::new(argv[0]);
    c.args(&argv[1..]).current_dir(&dir).env_clear().env("LC_ALL", "C").env("PATH", "/usr/bin:/bin");
    c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut ch = c.spawn().unwrap();
    ch.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let o = ch.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
        o.status.code().unwrap_or(-1),
    )
}

fn rand() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[test]
fn scratch_compare() {
    let Ok(path) = std::env::var("SCRATCH") else { return };
    let text = std::fs::read_to_string(path).unwrap();
    // Format: blocks separated by lines "---". First line: args separated by \x1f... use JSON-ish: lines
    // ARGS: a|b|c ; STDIN: text (rest, with \n escapes) ; FILE name: content
    let mut fails = 0;
    let mut total = 0;
    for block in text.split("\n---\n") {
        let mut args: Vec<String> = vec![];
        let mut stdin = String::new();
        let mut files: Vec<(String, String)> = vec![];
        for line in block.lines() {
            let unesc = |s: &str| s.replace("\\n", "\n").replace("\\t", "\t");
            if let Some(a) = line.strip_prefix("A ") {
                args = a.split('\u{b6}').map(|s| unesc(s)).collect();
            } else if let Some(s) = line.strip_prefix("I ") {
                stdin = unesc(s);
            } else if let Some(f) = line.strip_prefix("F ") {
                let (n, d) = f.split_once(' ').unwrap();
                files.push((n.to_string(), unesc(d)));
            }
        }
        if args.is_empty() {
            continue;
        }
        total += 1;
        let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        let fr: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let h = host(&a, &stdin, &fr);
        let vm = Vm::new();
        vm.run_in("/home/user", &["mkdir", "-p", "/home/user/t"], b"");
        for (n, d) in &files {
            vm.write(&format!("t/{n}"), d);
        }
        let o = vm.run_in("/home/user/t", &a, stdin.as_bytes());
        let ours = (o.stdout, o.stderr, o.code);
        if h != ours {
            fails += 1;
            println!("MISMATCH {:?}\n  host: {:?}\n  ours: {:?}", args, h, ours);
        }
    }
    println!("scratch: {} passed, {} failed", total - fails, fails);
}

#[test]
fn scratch_bench() {
    let Ok(n) = std::env::var("BENCH") else { return };
    let n: usize = n.parse().unwrap();
    let mut data = String::new();
    for i in 0..n {
        data.push_str(&format!("k{} {} foo bar baz\n", i % 100, i % 977));
    }
    let vm = Vm::new();
    vm.write("big", &data);
    std::fs::write("/tmp/big.txt", &data).unwrap();
    for prog in ["{s+=$2} END {print s}", "{a[$1]+=$2} END {for (k in a) n++; print n}", "{print $3, $1}", "/k5/{c++} END{print c}"] {
        let t = std::time::Instant::now();
        let o = vm.run(&["awk", prog, "big"]);
        let ours = t.elapsed();
        let t = std::time::Instant::now();
        let h = std::process::Command::new("gawk").arg(prog).arg("/tmp/big.txt").output().unwrap();
        let host = t.elapsed();
        println!("{prog}: ours {ours:?} host {host:?} same={}", o.stdout.as_bytes() == &h.stdout[..]);
    }
    for script in ["s/foo/X/g", "/k5/d", "$!N;P;D"] {
        let t = std::time::Instant::now();
        let o = vm.run(&["sed", script, "big"]);
        let ours = t.elapsed();
        let t = std::time::Instant::now();
        let h = std::process::Command::new("sed").arg(script).arg("/tmp/big.txt").output().unwrap();
        let host = t.elapsed();
        println!("sed {script}: ours {ours:?} host {host:?} same={}", o.stdout.as_bytes() == &h.stdout[..]);
    }
}
