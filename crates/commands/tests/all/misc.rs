//! echo, printf, test and the other small commands.

use crate::harness::{Vm, fail, ok};

#[test]
fn echo_printf_test() {
    let vm = Vm::new();
    assert_eq!(vm.run(&["echo", "-n", "hi"]), ok("hi"));
    assert_eq!(vm.run(&["echo", "-e", "a\\tb"]), ok("a\tb\n"));
    assert_eq!(vm.run(&["printf", "%s-%d\\n", "a", "1", "b", "2"]), ok("a-1\nb-2\n"));
    assert_eq!(vm.run(&["printf", "%d\\n", "x"]), fail("0\n", "printf: 'x': expected a numeric value\n", 1));
    assert_eq!(vm.run(&["test", "3", "-lt", "10"]).code, 0);
    assert_eq!(vm.run(&["[", "a", "=", "b", "]"]).code, 1);
    assert_eq!(vm.run(&["[", "-d", "."]), fail("", "[: missing ']'\n", 2));
    assert_eq!(vm.run(&["[", "-d", ".", "]"]).code, 0);
    assert_eq!(vm.run(&["test", "a", "-eq", "1"]), fail("", "test: invalid integer 'a'\n", 2));
    assert_eq!(vm.run(&["false"]).code, 1);
    assert_eq!(vm.run(&["true", "--help"]).code, 0);
}

#[test]
fn seq_and_number_formats() {
    let vm = Vm::new();
    assert_eq!(vm.run(&["seq", "3"]), ok("1\n2\n3\n"));
    assert_eq!(vm.run(&["seq", "10", "-3", "1"]), ok("10\n7\n4\n1\n"));
    assert_eq!(vm.run(&["seq", "-w", "8", "11"]), ok("08\n09\n10\n11\n"));
    assert_eq!(vm.run(&["seq", "-s,", "1", "5"]), ok("1,2,3,4,5\n"));
    assert_eq!(vm.run(&["seq", "1", "0.25", "1.5"]), ok("1.00\n1.25\n1.50\n"));
    assert_eq!(vm.run(&["seq", "-f", "%.2f", "0", "0.5", "1"]), ok("0.00\n0.50\n1.00\n"));
    assert_eq!(vm.run(&["seq", "-3", "-1"]), ok("-3\n-2\n-1\n"));
    assert_eq!(
        vm.run(&["seq", "abc"]),
        fail("", "seq: invalid floating point argument: 'abc'\nTry 'seq --help' for more information.\n", 1)
    );
}

#[test]
fn env_printenv_basename_dirname() {
    let vm = Vm::new();
    assert_eq!(vm.run(&["env", "-i", "A=1", "B=2", "printenv", "A", "B"]), ok("1\n2\n"));
    assert_eq!(vm.run(&["env", "-u", "HOME", "printenv", "HOME"]), fail("", "", 1));
    assert_eq!(vm.run(&["env", "nosuchcmd"]), fail("", "env: 'nosuchcmd': No such file or directory\n", 127));
    assert_eq!(vm.run(&["printenv", "USER"]), ok("user\n"));
    assert_eq!(vm.run(&["basename", "/usr/local/bin/tool"]), ok("tool\n"));
    assert_eq!(vm.run(&["basename", "-s", ".gz", "a.tar.gz"]), ok("a.tar\n"));
    assert_eq!(vm.run(&["dirname", "a//b//", "/", "file"]), ok("a\n/\n.\n"));
}

#[test]
fn timeout_sleep_and_signals() {
    let vm = Vm::new();
    assert_eq!(vm.run(&["timeout", "0.1", "sleep", "5"]), ok("").with_code(124));
    assert_eq!(vm.run(&["timeout", "5", "true"]), ok(""));
    assert_eq!(vm.run(&["timeout", "5", "false"]).code, 1);
    assert_eq!(vm.run(&["timeout", "-s", "KILL", "0.1", "sleep", "5"]).code, 137);
    assert_eq!(
        vm.run(&["timeout", "1", "nosuchcmd"]),
        fail("", "timeout: failed to run command 'nosuchcmd': No such file or directory\n", 127)
    );
    assert_eq!(vm.run(&["sleep", "0.01"]), ok(""));
    assert_eq!(
        vm.run(&["sleep", "abc"]),
        fail("", "sleep: invalid time interval 'abc'\nTry 'sleep --help' for more information.\n", 1)
    );
}

#[test]
fn dd_split_truncate() {
    let vm = Vm::new();
    vm.write("in", "0123456789");
    assert_eq!(vm.run(&["dd", "if=in", "of=out", "bs=4", "count=2", "status=none"]), ok(""));
    assert_eq!(vm.read("out"), "01234567");
    let r = vm.run(&["dd", "if=in", "of=/dev/null", "bs=4"]);
    assert!(r.stderr.starts_with("2+1 records in\n2+1 records out\n10 bytes copied, "), "{r:?}");
    assert_eq!(vm.run_stdin(&["dd", "conv=ucase", "status=none"], "hello"), ok("HELLO"));
    assert_eq!(vm.run(&["split", "-b", "4", "in", "p_"]), ok(""));
    assert_eq!(vm.run(&["ls"]), ok("in\nout\np_aa\np_ab\np_ac\n"));
    assert_eq!(vm.read("p_ac"), "89");
    assert_eq!(vm.run(&["truncate", "-s", "+5", "in"]), ok(""));
    assert_eq!(vm.run(&["stat", "-c", "%s", "in"]), ok("15\n"));
}

#[test]
fn hashes_and_base64() {
    let vm = Vm::new();
    assert_eq!(vm.run_stdin(&["md5sum"], "hello\n"), ok("b1946ac92492d2347c6235b4d2611184  -\n"));
    assert_eq!(
        vm.run_stdin(&["sha256sum"], ""),
        ok("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  -\n")
    );
    vm.write("f", "one\n");
    let sums = vm.run(&["sha1sum", "f"]).stdout;
    vm.write("sums", &sums);
    assert_eq!(vm.run(&["sha1sum", "-c", "sums"]), ok("f: OK\n"));
    vm.write("f", "changed\n");
    assert_eq!(
        vm.run(&["sha1sum", "-c", "sums"]),
        fail("f: FAILED\n", "sha1sum: WARNING: 1 computed checksum did NOT match\n", 1)
    );
    assert_eq!(vm.run_stdin(&["base64"], "hello world"), ok("aGVsbG8gd29ybGQ=\n"));
    assert_eq!(vm.run_stdin(&["base64", "-d"], "aGVsbG8=\n"), ok("hello"));
    assert_eq!(vm.run_stdin(&["base64", "-d"], "!!!\n"), fail("", "base64: invalid input\n", 1));
    assert_eq!(vm.run_stdin(&["cksum"], "hello\n"), ok("3015617425 6\n"));
}

#[test]
fn identity_and_system() {
    let vm = Vm::new();
    assert_eq!(vm.run(&["whoami"]), ok("user\n"));
    assert_eq!(vm.run(&["id"]), ok("uid=1000(user) gid=1000(user) groups=1000(user),5(tty),100(users)\n"));
    assert_eq!(vm.run(&["id", "-un"]), ok("user\n"));
    assert_eq!(
        vm.run(&["uname", "-a"]),
        ok("Linux agentos 6.1.0-agentos #1 SMP PREEMPT_DYNAMIC agentOS x86_64 GNU/Linux\n")
    );
    assert_eq!(vm.run(&["hostname"]), ok("agentos\n"));
    assert_eq!(vm.run(&["nproc"]), ok("1\n"));
    assert_eq!(vm.run(&["pwd"]), ok("/home/user\n"));
    assert_eq!(vm.run(&["which", "ls"]), ok("/usr/bin/ls\n"));
    assert_eq!(vm.run(&["date", "-u", "+%Y-%m-%d %H:%M:%S %Z"]), ok("2024-01-01 00:00:00 UTC\n"));
    assert_eq!(vm.run(&["date", "-d", "@0", "-R"]), ok("Thu, 01 Jan 1970 00:00:00 +0000\n"));
}
