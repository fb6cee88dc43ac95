//! File commands: ls cp mv rm mkdir rmdir touch ln chmod stat.

use crate::harness::{Vm, fail, ok};

#[test]
fn ls_sorted_one_per_line_and_missing() {
    let vm = Vm::new();
    for f in ["b", "a", "C", "_x", "1"] {
        vm.write(f, "");
    }
    assert_eq!(vm.run(&["ls"]), ok("1\nC\n_x\na\nb\n"));
    assert_eq!(vm.run(&["ls", "nosuch"]), fail("", "ls: cannot access 'nosuch': No such file or directory\n", 2));
}
