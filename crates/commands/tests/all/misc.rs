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
    assert_eq!(vm.run(&["false"]).code, 1);
    assert_eq!(vm.run(&["true", "--help"]).code, 0);
}
