//! The engine's contract: exit statuses, uncaught errors, limits, signals,
//! the bytecode cache and `#!/usr/bin/env node` scripts.

use std::time::{Duration, Instant};

use agentos::ExecOptions;

use crate::{exec, run_js, vm};

#[test]
fn eval_print_and_exit_codes() {
    let vm = vm();
    let r = exec(&vm, "node -e 'console.log(1)'", ExecOptions::default());
    assert_eq!((r.exit_code, r.stdout_str()), (0, "1\n".to_string()));
    let r = exec(&vm, "node -p '[1,2].map(x => x * 2)'", ExecOptions::default());
    assert_eq!(r.stdout_str(), "[ 2, 4 ]\n");
    let r = exec(&vm, "node -e 'process.exit(42)'", ExecOptions::default());
    assert_eq!(r.exit_code, 42);
    let r = exec(&vm, "echo 'console.log(\"stdin\", 2 + 3)' | node", ExecOptions::default());
    assert_eq!(r.stdout_str(), "stdin 5\n");
    let r = exec(&vm, "node --version", ExecOptions::default());
    assert!(r.stdout_str().starts_with('v'));
}

#[test]
fn uncaught_error_prints_like_node() {
    let vm = vm();
    let r = run_js(&vm, "/tmp/e.js", "console.log('before');\nthrow new TypeError('bad thing');\n");
    assert_eq!(r.exit_code, 1);
    assert_eq!(r.stdout_str(), "before\n");
    let err = r.stderr_str();
    assert!(err.starts_with("/tmp/e.js:2\nthrow new TypeError('bad thing');\n"), "{err}");
    assert!(err.contains("\nTypeError: bad thing\n    at "), "{err}");
    assert!(err.ends_with("\n\nNode.js v22.12.0\n"), "{err}");
}

#[test]
fn cpu_limit_stops_runaway_script() {
    let vm = vm();
    let t = Instant::now();
    let r = exec(&vm, "node --cpu-time-limit=0.3 -e 'for(;;){}'", ExecOptions::default());
    assert_eq!(r.exit_code, 152);
    assert!(r.stderr_str().contains("CPU time limit exceeded"), "{}", r.stderr_str());
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn memory_limit_is_a_clear_failure() {
    let vm = vm();
    let r = exec(
        &vm,
        "node --max-old-space-size=16 -e 'const a = []; for (;;) a.push(new Array(1e5).fill(1))'",
        ExecOptions::default(),
    );
    assert_eq!(r.exit_code, 134, "{}", r.stderr_str());
    assert!(r.stderr_str().contains("JavaScript heap out of memory"), "{}", r.stderr_str());
}

#[test]
fn timeout_kills_a_busy_script_promptly() {
    let vm = vm();
    let t = Instant::now();
    let opts = ExecOptions { timeout: Some(Duration::from_millis(200)), ..Default::default() };
    let r = exec(&vm, "node -e 'for(;;){}'", opts);
    assert!(r.timed_out);
    assert!(t.elapsed() < Duration::from_secs(5));
    let opts = ExecOptions { timeout: Some(Duration::from_millis(200)), ..Default::default() };
    let r = exec(&vm, "node -e 'setInterval(() => {}, 1000)'", opts);
    assert!(r.timed_out);
}

#[test]
fn shebang_scripts_run_through_env() {
    let vm = vm();
    vm.write_file_sync("/tmp/tool", b"#!/usr/bin/env node\nconsole.log('tool', process.argv.slice(2).join(','));\n")
        .unwrap();
    let r = exec(&vm, "chmod +x /tmp/tool && /tmp/tool a b", ExecOptions::default());
    assert_eq!((r.exit_code, r.stdout_str()), (0, "tool a,b\n".to_string()), "{}", r.stderr_str());
}

#[test]
fn es_module_main_and_bytecode_cache() {
    let vm = vm();
    vm.write_file_sync("/tmp/lib.mjs", b"export const twice = (x) => x * 2;\n").unwrap();
    vm.write_file_sync(
        "/tmp/main.mjs",
        b"import { twice } from './lib.mjs';\nconsole.log(twice(21), import.meta.url);\n",
    )
    .unwrap();
    for _ in 0..2 {
        let r = exec(&vm, "node /tmp/main.mjs", ExecOptions::default());
        assert_eq!(r.stdout_str(), "42 file:///tmp/main.mjs\n", "{}", r.stderr_str());
    }
    let (entries, bytes) = agentos_js::cache_unsafe::stats();
    assert!(entries > 0 && bytes > 0);
}
