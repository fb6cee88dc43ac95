//! Text commands: cat head tail wc sort uniq cut tr and friends.

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
}

#[test]
fn sort_basic() {
    let vm = Vm::new();
    assert_eq!(vm.run_stdin(&["sort"], "banana\napple\nCherry\n10\n9\n"), ok("10\n9\nCherry\napple\nbanana\n"));
    assert_eq!(vm.run_stdin(&["sort", "-c"], "b\na\n"), fail("", "sort: -:2: disorder: a\n", 1));
}
