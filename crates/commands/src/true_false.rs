//! `true` and `false`: exit 0 and 1, ignoring arguments (GNU prints help
//! for a lone `--help`; bash's builtins ignore it).

use agentos_kernel::Task;

use crate::util;

fn help_or_version(task: &Task, name: &str) -> Option<i32> {
    match task.argv.get(1).map(|s| s.as_str()) {
        Some("--help") if task.argv.len() == 2 => Some(util::help(task, name, "[ignored command line arguments]")),
        Some("--version") if task.argv.len() == 2 => {
            util::out(task, format!("{name} (GNU coreutils) 9.1\n").as_bytes());
            Some(0)
        }
        _ => None,
    }
}

/// `/usr/bin/true`.
pub fn true_main(task: &mut Task) -> i32 {
    help_or_version(task, "true").unwrap_or(0)
}

/// `/usr/bin/false` (exit 1 even for `--help`, as GNU does).
pub fn false_main(task: &mut Task) -> i32 {
    help_or_version(task, "false").map(|_| 1).unwrap_or(1)
}

/// The builtins: no options at all.
pub fn builtin_true(_task: &mut Task) -> i32 {
    0
}

pub fn builtin_false(_task: &mut Task) -> i32 {
    1
}
