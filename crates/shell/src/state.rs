//! The interpreter state: variables, functions, options, positional
//! parameters, traps and bookkeeping. A subshell, pipeline member or
//! command substitution runs with a deep clone of it, the way a forked
//! bash has a copy of its parent's memory.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use agentos_kernel::Task;
use agentos_kernel::abi::{Pid, Timespec};
use brush_parser::ast;

use crate::vars::Vars;

/// Non-local control flow, carried up the interpreter's call stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctl {
    Break(u32),
    Continue(u32),
    Return(i32),
    /// Leave the shell with this status (after the EXIT trap).
    Exit(i32),
    /// An error that abandons the current top-level command with this
    /// status, as bash does for expansion errors in scripts.
    Abort(i32),
    /// A fatal error (`set -u`, `${x:?}`): the shell exits.
    Fatal,
}

/// A command's result: its exit status, or control flow.
pub type Res = Result<i32, Ctl>;

/// A defined function.
#[derive(Debug)]
pub struct Function {
    pub body: ast::FunctionBody,
    /// The name errors inside it are reported under.
    pub src: Arc<str>,
    /// Added to the line numbers of its body.
    pub line_base: usize,
}

/// `set -o` options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Opts {
    pub errexit: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub pipefail: bool,
    pub noglob: bool,
    pub noclobber: bool,
    pub allexport: bool,
    pub verbose: bool,
    pub noexec: bool,
}

/// `shopt` options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Shopts {
    pub expand_aliases: bool,
    pub nullglob: bool,
    pub failglob: bool,
    pub dotglob: bool,
    pub globstar: bool,
    pub nocaseglob: bool,
    pub nocasematch: bool,
    pub extglob: bool,
    pub lastpipe: bool,
}

/// Everything a running shell knows.
#[derive(Clone)]
pub struct Shell {
    pub vars: Vars,
    pub funcs: HashMap<String, Arc<Function>>,
    pub aliases: BTreeMap<String, String>,
    pub opts: Opts,
    pub shopts: Shopts,
    /// `$1`, `$2`, ...
    pub positional: Vec<String>,
    /// `$0`.
    pub arg0: String,
    /// `$?`.
    pub status: i32,
    /// `$!`.
    pub last_bg: Option<Pid>,
    /// Background children not yet waited for.
    pub jobs: Vec<Pid>,
    /// Trap commands: 0 = EXIT, signal numbers, [`ERR_TRAP`].
    pub traps: BTreeMap<i32, String>,
    /// Name errors are reported under (`bash`, the script path, ...).
    pub src: Arc<str>,
    /// Current line, as the parser numbered it.
    pub lineno: usize,
    /// Added to parser line numbers (command substitutions, functions).
    pub line_base: usize,
    /// Function call stack, innermost last.
    pub funcnames: Vec<String>,
    pub loop_depth: u32,
    pub source_depth: u32,
    /// Nesting of subshells (`$BASH_SUBSHELL`).
    pub subshell: u32,
    /// Non-zero where `set -e` is ignored (conditions, `!`, `&&` lists).
    pub errexit_off: u32,
    /// Position inside a bundled option argument, for `getopts`.
    pub getopts_pos: usize,
    pub start: Timespec,
    /// Whether this shell was started by `-c`.
    pub is_c: bool,
    /// Set while a trap handler runs (no recursion).
    pub in_trap: bool,
    /// Status of the last command substitution of the current command.
    pub subst_status: Option<i32>,
    /// Descriptors of live process substitutions.
    pub procsub_fds: Vec<agentos_kernel::abi::Fd>,
    /// `OPTIND` as `getopts` last left it.
    pub getopts_last: usize,
    /// `$$`: the pid of the top-level shell (subshells keep it).
    pub shell_pid: Pid,
    /// The script or sourced file being read (`BASH_SOURCE`).
    pub source_file: Option<String>,
    /// Extra `$PS4` characters (command substitution nesting).
    pub xtrace_depth: u32,
    /// `pushd`/`popd` stack (most recent last), without the current
    /// directory.
    pub dir_stack: Vec<String>,
    /// Job control, in an interactive top-level shell only.
    pub jc: Option<crate::interactive::jobs::JobControl>,
}

/// Key of the ERR trap in [`Shell::traps`].
pub const ERR_TRAP: i32 = -1;

impl Shell {
    /// A fresh shell for `task`, importing its environment.
    pub fn new(task: &Task, arg0: String) -> Shell {
        let mut vars = Vars::default();
        for (k, v) in &task.env {
            if crate::vars::is_name(k) {
                let var = vars.get_mut_or_create(k);
                var.value = Some(crate::vars::Value::Str(v.clone()));
                var.attrs.export = true;
            }
        }
        if vars.get_str("IFS").is_none() {
            vars.set_str("IFS", " \t\n");
        }
        if vars.get_str("PS4").is_none() {
            vars.set_str("PS4", "+ ");
        }
        let cwd = task.getcwd();
        let pwd_ok =
            vars.get_str("PWD").is_some_and(|p| p.starts_with('/') && task.realpath(p).ok().as_deref() == Some(&cwd));
        if !pwd_ok {
            let v = vars.get_mut_or_create("PWD");
            v.value = Some(crate::vars::Value::Str(cwd));
            v.attrs.export = true;
        }
        vars.set_str("BASH_VERSION", "5.2.15(1)-release");
        vars.set_str("OPTIND", "1");
        vars.set_str("PPID", task.ppid().to_string());
        vars.set_str("UID", task.cred().uid.to_string());
        vars.set_str("EUID", task.cred().uid.to_string());
        vars.set_str("HOSTNAME", task.hostname());
        vars.set_str("OSTYPE", "linux-gnu");
        vars.set_str("HOSTTYPE", "x86_64");
        vars.set_str("MACHTYPE", "x86_64-pc-linux-gnu");
        vars.set_str("BASH", "/bin/bash");
        let shlvl = vars.get_str("SHLVL").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0) + 1;
        let v = vars.get_mut_or_create("SHLVL");
        v.value = Some(crate::vars::Value::Str(shlvl.to_string()));
        v.attrs.export = true;
        Shell {
            vars,
            funcs: HashMap::new(),
            aliases: BTreeMap::new(),
            opts: Opts::default(),
            shopts: Shopts::default(),
            positional: Vec::new(),
            src: Arc::from(arg0.as_str()),
            arg0,
            status: 0,
            last_bg: None,
            jobs: Vec::new(),
            traps: BTreeMap::new(),
            lineno: 0,
            line_base: 0,
            funcnames: Vec::new(),
            loop_depth: 0,
            source_depth: 0,
            subshell: 0,
            errexit_off: 0,
            getopts_pos: 0,
            start: task.monotonic(),
            is_c: false,
            in_trap: false,
            subst_status: None,
            procsub_fds: Vec::new(),
            getopts_last: 1,
            shell_pid: task.pid(),
            source_file: None,
            dir_stack: Vec::new(),
            xtrace_depth: 0,
            jc: None,
        }
    }

    /// Print `name: line N: msg` to standard error.
    pub fn error(&self, t: &Task, msg: &str) {
        if self.jc.is_some() {
            // Interactive shells name no line.
            return self.error_plain(t, msg);
        }
        let line = format!("{}: line {}: {}\n", self.src, self.lineno, msg);
        let _ = t.write_all(2, line.as_bytes());
    }

    /// Print `name: msg` (no line number) to standard error.
    pub fn error_plain(&self, t: &Task, msg: &str) {
        let line = format!("{}: {}\n", self.src, msg);
        let _ = t.write_all(2, line.as_bytes());
    }

    /// Status a fatal error ends the shell with: bash's top-level `-c`
    /// shell reports 127, subshells 1.
    pub fn fatal_status(&self) -> i32 {
        if self.subshell > 0 { 1 } else { 127 }
    }

    /// The `$-` flags.
    pub fn dash_flags(&self) -> String {
        let mut s = String::from("h");
        if self.opts.errexit {
            s.push('e');
        }
        if self.opts.noglob {
            s.push('f');
        }
        if self.opts.nounset {
            s.push('u');
        }
        if self.opts.xtrace {
            s.push('x');
        }
        if self.opts.noclobber {
            s.push('C');
        }
        s.push('B');
        if self.is_c {
            s.push('c');
        }
        s
    }
}
