//! `awk`: placeholder while the interpreter is written.

use agentos_kernel::Task;

pub fn main(_task: &mut Task) -> i32 {
    2
}
