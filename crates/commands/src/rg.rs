//! Placeholder.

pub fn main(_task: &mut agentos_kernel::Task) -> i32 {
    1
}
