//! The developer and system tools: the VM-only ones (ps, kill, free,
//! uptime, clear) whose output the host cannot reproduce, plus a smoke test
//! of each tool family end to end.

use crate::harness::{Vm, fail, ok};

#[test]
fn ps_lists_the_session() {
    let vm = Vm::new();
    let r = vm.run(&["ps"]);
    assert_eq!(r.code, 0, "{r:?}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines,
        vec!["  PID TTY          TIME CMD", "    2 ?        00:00:00 harness", "    3 ?        00:00:00 ps"]
    );
    let r = vm.run(&["ps", "-ef"]);
    assert_eq!(r.stdout.lines().next(), Some("UID        PID  PPID  C STIME TTY          TIME CMD"));
    assert!(r.stdout.ends_with("  0 00:00 ?        00:00:00 ps -ef\n"), "{r:?}");
    let r = vm.run(&["ps", "-o", "pid=,comm="]);
    assert!(r.stdout.lines().any(|l| l.ends_with(" ps")), "{r:?}");
    let r = vm.run(&["ps", "-o", "bogus"]);
    assert_eq!(r, fail("", "ps: error: unknown user-defined format specifier \"bogus\"\n", 1));
}

#[test]
fn kill_lists_and_signals() {
    let vm = Vm::new();
    assert_eq!(vm.run(&["kill", "-l", "15"]), ok("TERM\n"));
    assert_eq!(vm.run(&["kill", "-l", "143"]), ok("TERM\n"));
    assert_eq!(vm.run(&["kill", "-l", "KILL"]), ok("9\n"));
    assert!(vm.run(&["kill", "-l"]).stdout.starts_with("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV"));
    assert!(vm.run(&["kill", "-L"]).stdout.starts_with(" 1 HUP      2 INT      3 QUIT"));
    assert_eq!(vm.run(&["kill", "-s", "BOGUS", "1"]), fail("", "kill: unknown signal name BOGUS\n", 1));
    assert_eq!(vm.run(&["kill", "99999"]), fail("", "kill: (99999) - No such process\n", 1));
    assert_eq!(vm.run(&["kill"]).code, 1);
}

#[test]
fn free_uptime_clear() {
    let vm = Vm::new();
    let r = vm.run(&["free"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "               total        used        free      shared  buff/cache   available");
    assert!(lines[1].starts_with("Mem:         1048576"), "{lines:?}");
    assert_eq!(lines[2], "Swap:              0           0           0");
    assert!(vm.run(&["free", "-h"]).stdout.lines().nth(1).unwrap().starts_with("Mem:           1.0Gi"));
    let r = vm.run(&["uptime"]);
    assert!(r.stdout.ends_with(" min,  1 user,  load average: 0.00, 0.00, 0.00\n"), "{r:?}");
    assert_eq!(vm.run(&["uptime", "-p"]), ok("up 0 minutes\n"));
    let r = vm.run(&["clear"]);
    assert_eq!(r, fail("", "clear: TERM environment variable not set.\n", 1));
}

#[test]
fn tool_families_end_to_end() {
    let vm = Vm::new();
    vm.write("a", "one\ntwo\nthree\n");
    vm.write("b", "one\n2\nthree\n");
    assert_eq!(vm.run(&["diff", "a", "b"]), Out3::new("2c2\n< two\n---\n> 2\n", "", 1).0);
    assert_eq!(
        vm.run(&["diff", "-u", "--label", "a", "--label", "b", "a", "b"]),
        Out3::new("--- a\n+++ b\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n", "", 1).0
    );
    assert_eq!(vm.run(&["cmp", "a", "b"]), Out3::new("a b differ: char 5, line 2\n", "", 1).0);
    assert_eq!(vm.run(&["expr", "6", "*", "7"]), ok("42\n"));
    assert_eq!(vm.run(&["tar", "cf", "t.tar", "a", "b"]).code, 0);
    assert_eq!(vm.run(&["tar", "tf", "t.tar"]), ok("a\nb\n"));
    assert_eq!(vm.run(&["gzip", "-k", "a"]).code, 0);
    assert_eq!(vm.run(&["zcat", "a.gz"]), ok("one\ntwo\nthree\n"));
    assert_eq!(vm.run_stdin(&["jq", "-c", ".x"], "{\"x\":[1,2]}"), ok("[1,2]\n"));
    assert_eq!(vm.run_stdin(&["xxd", "-p"], "hi"), ok("6869\n"));
    assert_eq!(vm.run(&["factor", "12"]), ok("12: 2 2 3\n"));
    assert_eq!(vm.run(&["numfmt", "--to=iec", "2048"]), ok("2.0K\n"));
    assert_eq!(vm.run_stdin(&["tsort"], "a b\n"), ok("a\nb\n"));
    assert_eq!(vm.run_stdin(&["column", "-t"], "a bb\nccc d\n"), ok("a    bb\nccc  d\n"));
    assert_eq!(vm.run_stdin(&["strings"], "\u{1}abcd\u{2}ab"), ok("abcd\n"));
}

/// A tiny builder so that the expected value reads in one line.
struct Out3(crate::harness::Out);

impl Out3 {
    fn new(stdout: &str, stderr: &str, code: i32) -> Out3 {
        Out3(fail(stdout, stderr, code))
    }
}
