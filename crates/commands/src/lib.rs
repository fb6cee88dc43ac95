//! The built-in programs of agentOS: native Rust implementations of the
//! GNU coreutils people use, one file per command, each a
//! [`NativeMain`] doing all its I/O through its process's [`Task`].
//!
//! Analogue: brush's `builtins/<name>.rs`, GNU coreutils 9.1 for behaviour,
//! messages and exit statuses. [`register`] installs every command in a
//! [`NativeRegistry`]; [`builtin`] gives the shell the bash-flavoured
//! builtins (`echo`, `printf`, `test`, `[`, `true`, `false`).
//!
//! Commands never call `task.exit()`: they return their status, because
//! the shell also runs some of them in its own process.

#![forbid(unsafe_code)]

pub mod util;

pub mod echo;
pub mod printf;
pub mod test;
pub mod true_false;

use agentos_kernel::exec::{NativeMain, NativeRegistry};

/// Every command, by the name it is installed under in `/usr/bin`.
pub const COMMANDS: &[(&str, NativeMain)] = &[
    ("[", test::bracket_main),
    ("echo", echo::main),
    ("false", true_false::false_main),
    ("printf", printf::main),
    ("test", test::main),
    ("true", true_false::true_main),
];

/// Register every command.
pub fn register(reg: &mut NativeRegistry) {
    for (name, main) in COMMANDS {
        reg.register(name, *main);
    }
}

/// The shell builtins this crate implements, bash-compatible.
pub fn builtin(name: &str) -> Option<NativeMain> {
    Some(match name {
        "echo" => echo::builtin_main,
        "printf" => printf::builtin_main,
        "test" => test::builtin_main,
        "[" => test::bracket_builtin_main,
        "true" => true_false::builtin_true,
        "false" => true_false::builtin_false,
        _ => return None,
    })
}
