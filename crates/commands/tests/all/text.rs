//! Text commands: cat head tail wc sort uniq cut tr tac rev nl paste comm
//! join fold expand unexpand od.

use crate::harness::{Vm, fail, ok};

#[test]
fn cat_files_stdin_and_errors() {
    let vm = Vm::new();
    vm.write("f", "file\n");
    assert_eq!(vm.run_stdin(&["cat", "f", "-", "f"], "stdin\n"), ok("file\nstdin\nfile\n"));
    assert_eq!(vm.run(&["cat", "f", "missing"]), fail("file\n", "cat: missing: No such file or directory\n", 1));
    assert_eq!(vm.run_stdin(&["cat", "-n"], "a\n\nb\n"), ok("     1\ta\n     2\t\n     3\tb\n"));
    assert_eq!(vm.run_stdin(&["cat", "-b"], "a\n\nb\n"), ok("     1\ta\n\n     2\tb\n"));
    assert_eq!(vm.run_stdin(&["cat", "-A"], "a\tb\r\n c \n"), ok("a^Ib^M$\n c $\n"));
    assert_eq!(vm.run_stdin(&["cat", "-s"], "a\n\n\n\nb\n\n"), ok("a\n\nb\n\n"));
    assert_eq!(vm.run(&["mkdir", "d"]).code, 0);
    assert_eq!(vm.run(&["cat", "d"]), fail("", "cat: d: Is a directory\n", 1));
}

#[test]
fn head_tail() {
    let vm = Vm::new();
    let nums: String = (1..=15).map(|i| format!("{i}\n")).collect();
    assert_eq!(vm.run_stdin(&["head", "-3"], &nums), ok("1\n2\n3\n"));
    assert_eq!(vm.run_stdin(&["head", "-n", "-13"], &nums), ok("1\n2\n"));
    assert_eq!(vm.run_stdin(&["head", "-c", "3"], "abcdef"), ok("abc"));
    assert_eq!(vm.run_stdin(&["tail", "-n", "2"], &nums), ok("14\n15\n"));
    assert_eq!(vm.run_stdin(&["tail", "-n", "+14"], &nums), ok("14\n15\n"));
    assert_eq!(vm.run_stdin(&["tail", "-c", "+3"], "abcdef"), ok("cdef"));
    vm.write("a", "1\n2\n");
    vm.write("b", "3\n4\n");
    assert_eq!(vm.run(&["head", "-n", "1", "a", "b"]), ok("==> a <==\n1\n\n==> b <==\n3\n"));
    assert_eq!(vm.run(&["tail", "-qn1", "a", "b"]), ok("2\n4\n"));
    assert_eq!(
        vm.run(&["head", "nosuch"]),
        fail("", "head: cannot open 'nosuch' for reading: No such file or directory\n", 1)
    );
}

#[test]
fn wc_widths() {
    let vm = Vm::new();
    vm.write("a", "a\n");
    vm.write("b", "b c\nd\n");
    assert_eq!(vm.run(&["wc", "a", "b"]), ok("1 1 2 a\n2 3 6 b\n3 4 8 total\n"));
    assert_eq!(vm.run(&["wc", "-l", "b"]), ok("2 b\n"));
    assert_eq!(vm.run_stdin(&["wc"], "hello world\n"), ok("      1       2      12\n"));
    assert_eq!(vm.run_stdin(&["wc", "-w"], "a b c"), ok("3\n"));
    assert_eq!(vm.run(&["wc", "nosuch"]), fail("", "wc: nosuch: No such file or directory\n", 1));
}

#[test]
fn sort_uniq_cut_tr() {
    let vm = Vm::new();
    assert_eq!(vm.run_stdin(&["sort"], "banana\napple\nCherry\n10\n9\n"), ok("10\n9\nCherry\napple\nbanana\n"));
    assert_eq!(vm.run_stdin(&["sort", "-t:", "-k2", "-n"], "bob:30\nalice:25\n"), ok("alice:25\nbob:30\n"));
    assert_eq!(vm.run_stdin(&["sort", "-c"], "b\na\n"), fail("", "sort: -:2: disorder: a\n", 1));
    assert_eq!(vm.run_stdin(&["sort", "-u"], "b\na\nb\n"), ok("a\nb\n"));
    assert_eq!(vm.run_stdin(&["uniq", "-c"], "a\na\nb\n"), ok("      2 a\n      1 b\n"));
    assert_eq!(vm.run_stdin(&["uniq", "-d"], "a\na\nb\n"), ok("a\n"));
    assert_eq!(vm.run_stdin(&["cut", "-d:", "-f2-"], "a:b:c\n"), ok("b:c\n"));
    assert_eq!(vm.run_stdin(&["cut", "-c2-4"], "abcdefg\n"), ok("bcd\n"));
    assert_eq!(
        vm.run_stdin(&["cut"], "x\n"),
        fail(
            "",
            "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n",
            1
        )
    );
    assert_eq!(vm.run_stdin(&["tr", "a-z", "A-Z"], "Hello\n"), ok("HELLO\n"));
    assert_eq!(vm.run_stdin(&["tr", "-s", " "], "a   b\n"), ok("a b\n"));
    assert_eq!(vm.run_stdin(&["tr", "-cd", "0-9"], "a1b2\n"), ok("12"));
    assert_eq!(vm.run_stdin(&["tr", "abcde", "xy"], "abcde\n"), ok("xyyyy\n"));
}

#[test]
fn small_text_tools() {
    let vm = Vm::new();
    assert_eq!(vm.run_stdin(&["tac"], "1\n2\n3\n"), ok("3\n2\n1\n"));
    assert_eq!(vm.run_stdin(&["rev"], "hello\n"), ok("olleh\n"));
    assert_eq!(vm.run_stdin(&["nl"], "a\n\nb\n"), ok("     1\ta\n       \n     2\tb\n"));
    assert_eq!(vm.run_stdin(&["paste", "-sd+"], "1\n2\n3\n"), ok("1+2+3\n"));
    vm.write("x", "a\nb\nc\n");
    vm.write("y", "b\nc\nd\n");
    assert_eq!(vm.run(&["comm", "x", "y"]), ok("a\n\t\tb\n\t\tc\n\td\n"));
    assert_eq!(vm.run(&["comm", "-12", "x", "y"]), ok("b\nc\n"));
    vm.write("names", "1 alice\n2 bob\n");
    vm.write("roles", "1 admin\n3 user\n");
    assert_eq!(vm.run(&["join", "-a1", "names", "roles"]), ok("1 alice admin\n2 bob\n"));
    assert_eq!(vm.run_stdin(&["fold", "-w", "5"], "abcdefghijkl\n"), ok("abcde\nfghij\nkl\n"));
    assert_eq!(vm.run_stdin(&["expand", "-t", "4"], "a\tb\n"), ok("a   b\n"));
    assert_eq!(vm.run_stdin(&["unexpand", "-a"], "a       b\n"), ok("a\tb\n"));
    assert_eq!(vm.run_stdin(&["od", "-c"], "hi\n"), ok("0000000   h   i  \\n\n0000003\n"));
    assert_eq!(vm.run_stdin(&["od", "-An", "-tx1"], "AB"), ok(" 41 42\n"));
}
