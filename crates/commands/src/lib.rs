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

pub mod find;
pub mod grep;
pub mod rg;
pub mod search;
pub mod xargs;

pub mod awk;
pub mod script_tools;
pub mod sed;

pub mod cmp;
pub mod diff;
pub mod expr;
pub mod extras;
pub mod patch;

pub mod cat;
pub mod cp;
pub mod cut;
pub mod echo;
pub mod head;
pub mod ls;
pub mod mkdir;
pub mod mv;
pub mod printf;
pub mod rm;
pub mod rmdir;
pub mod seq;
pub mod sort;
pub mod tail;
pub mod tee;
pub mod test;
pub mod touch;
pub mod tr;
pub mod true_false;
pub mod uniq;
pub mod wc;

use agentos_kernel::exec::{NativeMain, NativeRegistry};

/// Every command, by the name it is installed under in `/usr/bin`.
pub const COMMANDS: &[(&str, NativeMain)] = &[
    ("[", test::bracket_main),
    ("cat", cat::main),
    ("cp", cp::main),
    ("cut", cut::main),
    ("echo", echo::main),
    ("false", true_false::false_main),
    ("head", head::main),
    ("ls", ls::main),
    ("mkdir", mkdir::main),
    ("mv", mv::main),
    ("printf", printf::main),
    ("rm", rm::main),
    ("rmdir", rmdir::main),
    ("seq", seq::main),
    ("sort", sort::main),
    ("tail", tail::main),
    ("tee", tee::main),
    ("test", test::main),
    ("touch", touch::main),
    ("tr", tr::main),
    ("true", true_false::true_main),
    ("uniq", uniq::main),
    ("wc", wc::main),
];

/// Register every command.
pub fn register(reg: &mut NativeRegistry) {
    for (name, main) in COMMANDS {
        reg.register(name, *main);
    }
    for (name, main) in search::COMMANDS {
        reg.register(name, *main);
    }
    extras::COMMANDS.iter().for_each(|(name, main)| reg.register(name, *main));
    for (name, main) in script_tools::COMMANDS {
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
