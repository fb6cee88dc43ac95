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
pub mod column;
pub mod diff;
pub mod expr;
pub mod extras;
pub mod factor;
pub mod file;
pub mod gzip;
pub mod hex;
pub mod jq;
pub mod kill;
pub mod numfmt;
pub mod pager;
pub mod patch;
pub mod ps;
pub mod strings;
pub mod sysinfo;
pub mod tar;
pub mod terminal;
pub mod tree;
pub mod tsort;

pub mod base64;
pub mod cat;
pub mod chmod;
pub mod comm;
pub mod cp;
pub mod cut;
pub mod date;
pub mod dd;
pub mod df;
pub mod du;
pub mod echo;
pub mod env;
pub mod expand;
pub mod fold;
pub mod hashsum;
pub mod head;
pub mod id;
pub mod join;
pub mod ln;
pub mod ls;
pub mod mkdir;
pub mod mktemp;
pub mod mv;
pub mod names;
pub mod nl;
pub mod od;
pub mod paste;
pub mod printf;
pub mod readlink;
pub mod rev;
pub mod rm;
pub mod rmdir;
pub mod seq;
pub mod shuf;
pub mod sleep;
pub mod sort;
pub mod split;
pub mod stat;
pub mod tac;
pub mod tail;
pub mod tee;
pub mod test;
pub mod timeout;
pub mod touch;
pub mod tr;
pub mod true_false;
pub mod truncate;
pub mod uname;
pub mod uniq;
pub mod wc;
pub mod which;

use agentos_kernel::exec::{NativeMain, NativeRegistry};

/// Every command, by the name it is installed under in `/usr/bin`.
pub const COMMANDS: &[(&str, NativeMain)] = &[
    ("[", test::bracket_main),
    ("base64", base64::main),
    ("basename", names::basename_main),
    ("cat", cat::main),
    ("chmod", chmod::main),
    ("cksum", hashsum::cksum_main),
    ("comm", comm::main),
    ("cp", cp::main),
    ("cut", cut::main),
    ("date", date::main),
    ("dd", dd::main),
    ("df", df::main),
    ("dirname", names::dirname_main),
    ("du", du::main),
    ("echo", echo::main),
    ("env", env::main),
    ("expand", expand::main),
    ("false", true_false::false_main),
    ("fold", fold::main),
    ("groups", id::groups_main),
    ("head", head::main),
    ("hostname", names::hostname_main),
    ("id", id::main),
    ("join", join::main),
    ("ln", ln::main),
    ("ls", ls::main),
    ("md5sum", hashsum::md5_main),
    ("mkdir", mkdir::main),
    ("mktemp", mktemp::main),
    ("mv", mv::main),
    ("nl", nl::main),
    ("nproc", names::nproc_main),
    ("od", od::main),
    ("paste", paste::main),
    ("printenv", env::printenv_main),
    ("printf", printf::main),
    ("pwd", names::pwd_main),
    ("readlink", readlink::main),
    ("realpath", readlink::realpath_main),
    ("rev", rev::main),
    ("rm", rm::main),
    ("rmdir", rmdir::main),
    ("seq", seq::main),
    ("sha1sum", hashsum::sha1_main),
    ("sha224sum", hashsum::sha224_main),
    ("sha256sum", hashsum::sha256_main),
    ("sha384sum", hashsum::sha384_main),
    ("sha512sum", hashsum::sha512_main),
    ("shuf", shuf::main),
    ("sleep", sleep::main),
    ("sort", sort::main),
    ("split", split::main),
    ("stat", stat::main),
    ("tac", tac::main),
    ("tail", tail::main),
    ("tee", tee::main),
    ("test", test::main),
    ("timeout", timeout::main),
    ("touch", touch::main),
    ("tr", tr::main),
    ("true", true_false::true_main),
    ("truncate", truncate::main),
    ("uname", uname::main),
    ("unexpand", expand::unexpand_main),
    ("uniq", uniq::main),
    ("wc", wc::main),
    ("which", which::main),
    ("whoami", id::whoami_main),
    ("yes", names::yes_main),
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
    terminal::COMMANDS.iter().for_each(|(name, main)| reg.register(name, *main));
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
