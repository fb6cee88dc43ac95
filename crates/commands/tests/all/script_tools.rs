//! sed and awk end to end, with GNU sed 4.9 / gawk 5 outputs.

use crate::harness::{Vm, fail, ok};

#[test]
fn sed_commands_and_addresses() {
    let vm = Vm::new();
    assert_eq!(vm.run_stdin(&["sed", "s/o/0/g;2p"], "hello\nworld\n"), ok("hell0\nw0rld\nw0rld\n"));
    assert_eq!(vm.run_stdin(&["sed", "-n", "$="], "a\nb\nc"), ok("3\n"));
    assert_eq!(vm.run_stdin(&["sed", "$!N;P;D"], "1\n2\n3\n"), ok("1\n2\n3\n"));
    assert_eq!(vm.run_stdin(&["sed", "0,/a/d"], "a\nb\na\n"), ok("b\na\n"));
    assert_eq!(vm.run_stdin(&["sed", "-E", "s/(a|b)+/[&]/g"], "xabbac\n"), ok("x[abba]c\n"));
    assert_eq!(vm.run_stdin(&["sed", r"s/\w\+/\u&/g"], "hello big world\n"), ok("Hello Big World\n"));
    assert_eq!(vm.run_stdin(&["sed", ":a;N;$!ba;s/\\n/,/g"], "a\nb\nc\n"), ok("a,b,c\n"));
    assert_eq!(vm.run_stdin(&["sed", "p"], "a"), ok("a\na"));
    assert_eq!(vm.run_stdin(&["sed", "2q5"], "a\nb\nc\n"), fail("a\nb\n", "", 5));
    assert_eq!(vm.run_stdin(&["sed", "-n", "l"], "a\tb\\c\n"), ok("a\\tb\\\\c$\n"));
}

#[test]
fn sed_errors_and_in_place() {
    let vm = Vm::new();
    assert_eq!(
        vm.run_stdin(&["sed", "s/a/b"], "a\n"),
        fail("", "sed: -e expression #1, char 5: unterminated `s' command\n", 1)
    );
    assert_eq!(
        vm.run_stdin(&["sed", "-e", "p", "-e", "s/x"], "a\n"),
        fail("", "sed: -e expression #2, char 3: unterminated `s' command\n", 1)
    );
    vm.write("f", "x\n");
    assert_eq!(
        vm.run(&["sed", "p", "nosuch", "f"]),
        fail("x\nx\n", "sed: can't read nosuch: No such file or directory\n", 2)
    );
    vm.write("a.txt", "one\ntwo\n");
    vm.write("b.txt", "two\n");
    assert_eq!(vm.run(&["sed", "-i.bak", "s/two/2/", "a.txt", "b.txt"]), ok(""));
    assert_eq!(vm.read("a.txt"), "one\n2\n");
    assert_eq!(vm.read("b.txt"), "2\n");
    assert_eq!(vm.read("a.txt.bak"), "one\ntwo\n");
}

#[test]
fn awk_programs() {
    let vm = Vm::new();
    assert_eq!(vm.run_stdin(&["awk", "{s+=$2} END {print s}"], "a 1\nb 2\nc 3.5\n"), ok("6.5\n"));
    assert_eq!(vm.run_stdin(&["awk", "-F,", "{print $2, NF}"], "a,b,c\n1,,3\n"), ok("b 3\n 3\n"));
    assert_eq!(vm.run_stdin(&["awk", "-v", "OFS=-", "{$1=$1; NF=2; print}"], "a b c\n"), ok("a-b\n"));
    assert_eq!(
        vm.run(&["awk", "BEGIN{printf \"%5.2f|%-5s|%d|%c|%x\\n\", 3.14159, \"ab\", 42.9, 65, 255}"]),
        ok(" 3.14|ab   |42|A|ff\n")
    );
    assert_eq!(
        vm.run(&["awk", "function f(n){return n<=1?1:n*f(n-1)} BEGIN{print f(10), 1/3, 2^53+1}"]),
        ok("3628800 0.333333 9007199254740992\n")
    );
    assert_eq!(
        vm.run(&["awk", "BEGIN{print gensub(/(a)(b)/,\"\\\\2\\\\1\",\"g\",\"abab\"), substr(\"hello\",0,2)}"]),
        ok("baba he\n")
    );
    assert_eq!(
        vm.run_stdin(&["awk", "BEGIN{RS=\"\"}{print NR\": \"$1\"|\"NF}"], "a b\nc\n\n\nd\n"),
        ok("1: a|3\n2: d|1\n")
    );
    assert_eq!(vm.run_stdin(&["gawk", "/b/,/c/"], "a\nb\nc\nd\n"), ok("b\nc\n"));
}

#[test]
fn awk_errors() {
    let vm = Vm::new();
    assert_eq!(
        vm.run(&["awk", "BEGIN { print 1 +* 2 }"]),
        fail("", "awk: cmd. line:1: BEGIN { print 1 +* 2 }\nawk: cmd. line:1:                  ^ syntax error\n", 1)
    );
    assert_eq!(
        vm.run(&["awk", "BEGIN{x=0; print 1/x}"]),
        fail("", "awk: cmd. line:1: fatal: division by zero attempted\n", 2)
    );
    assert_eq!(
        vm.run(&["awk", "{print}", "nosuch"]),
        fail("", "awk: fatal: cannot open file `nosuch' for reading: No such file or directory\n", 2)
    );
}
