//! Shell builtins: commands that run inside the shell because they change
//! its state (`cd`, `set`, `read`, ...) or are too common to spawn
//! (`echo`, `printf`, `test`, shared with the commands crate: [`native`]). Each takes the shell, the task and `argv`
//! (name first) and returns a status or control flow.

pub mod declare;
pub mod flow;
pub mod io;
pub mod misc;
pub mod native;
pub mod set;

use agentos_kernel::Task;
use agentos_kernel::abi::Errno;

use crate::state::{Res, Shell};

/// A builtin's entry point.
pub type Builtin = fn(&mut Shell, &mut Task, &[String]) -> Res;

/// The builtin called `name`.
pub fn lookup(name: &str) -> Option<Builtin> {
    Some(match name {
        ":" | "true" => |_, _, _| Ok(0),
        "false" => |_, _, _| Ok(1),
        "echo" | "printf" | "test" | "[" => native::builtin,
        "cd" => misc::cd,
        "pwd" => misc::pwd,
        "pushd" => misc::pushd,
        "popd" => misc::popd,
        "dirs" => misc::dirs,
        "disown" => |_, _, _| Ok(0),
        "alias" => misc::alias,
        "unalias" => misc::unalias,
        "wait" => misc::wait,
        "kill" => misc::kill,
        "getopts" => misc::getopts,
        "let" => misc::let_,
        "umask" => misc::umask,
        "hash" => |_, _, _| Ok(0),
        "set" => set::set,
        "shopt" => set::shopt,
        "shift" => set::shift,
        "declare" | "typeset" | "local" | "export" | "readonly" => declare::plain,
        "unset" => declare::unset,
        "exit" => flow::exit,
        "return" => flow::return_,
        "break" => flow::break_,
        "continue" => flow::continue_,
        "eval" => flow::eval,
        "source" | "." => flow::source,
        "exec" => flow::exec,
        "command" => flow::command,
        "builtin" => flow::builtin,
        "type" => flow::type_,
        "trap" => flow::trap,
        "read" => io::read,
        "jobs" => crate::interactive::jobs::jobs,
        "fg" => crate::interactive::jobs::fg,
        "bg" => crate::interactive::jobs::bg,
        "mapfile" | "readarray" => io::mapfile,
        _ => return None,
    })
}

/// Builtins whose assignment arguments are parsed as assignments.
pub fn is_declaration(name: &str) -> bool {
    matches!(name, "declare" | "typeset" | "local" | "export" | "readonly")
}

/// Shell keywords, for `type`.
pub fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "if" | "then"
            | "else"
            | "elif"
            | "fi"
            | "case"
            | "esac"
            | "for"
            | "select"
            | "while"
            | "until"
            | "do"
            | "done"
            | "in"
            | "function"
            | "time"
            | "{"
            | "}"
            | "!"
            | "[["
            | "]]"
            | "coproc"
    )
}

/// Write a builtin's output to standard output; on failure report
/// `name: write error: ...` and return status 1.
pub fn out(sh: &Shell, t: &Task, name: &str, data: &[u8]) -> i32 {
    if data.is_empty() {
        return 0;
    }
    match t.write_all(1, data) {
        Ok(()) => 0,
        Err(e) => {
            let e = if e == Errno::EPIPE { Errno::EPIPE } else { e };
            sh.error(t, &format!("{name}: write error: {}", e.strerror()));
            1
        }
    }
}

/// Parse a builtin's numeric argument as bash does (`name: x: numeric
/// argument required`).
pub fn parse_num(sh: &Shell, t: &Task, name: &str, s: &str) -> Option<i64> {
    match s.trim().parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            sh.error(t, &format!("{name}: {s}: numeric argument required"));
            None
        }
    }
}
