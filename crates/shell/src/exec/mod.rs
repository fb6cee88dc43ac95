//! The executor: runs parsed programs. This file holds source-level entry
//! points (scripts, `-c`, `eval`, `source`), lists, `&&`/`||`, `set -e`
//! and traps; [`compound`] the control structures, [`command`] simple
//! commands, [`pipeline`] pipelines, subshells and substitutions,
//! [`redirect`] redirections and [`test`] `[[ ]]`.

pub mod command;
pub mod compound;
pub mod pipeline;
pub mod redirect;
pub mod test;

use std::sync::Arc;

use agentos_kernel::Task;
use brush_parser::ast;
use brush_parser::ast::SourceLocation;

use crate::parse;
use crate::state::{Ctl, ERR_TRAP, Res, Shell};

/// What kind of source is being run, for error prefixes and whether a
/// syntax error ends the shell.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SrcKind {
    /// The `-c` string or a script: a syntax error ends the shell.
    Top,
    /// `eval` text.
    Eval,
    /// A `source`d file.
    Source,
}

impl Shell {
    /// Parse and run source text.
    pub fn run_text(&mut self, t: &mut Task, text: &str, kind: SrcKind) -> Res {
        match parse::parse(text) {
            Ok(parsed) => {
                for (line, msg) in &parsed.warnings {
                    let _ = t.write_all(2, format!("{}: line {}: {msg}\n", self.src, line + self.line_base).as_bytes());
                }
                self.exec_program(t, &parsed.program, kind)
            }
            Err(e) => {
                if let Some(prefix) = parse::parse_prefix(text, e.line) {
                    self.exec_program(t, &prefix, kind)?;
                }
                let label = match kind {
                    SrcKind::Top if self.is_c => format!("{}: -c", self.src),
                    SrcKind::Eval => format!("{}: eval", self.src),
                    _ => self.src.to_string(),
                };
                for (line, msg) in &e.messages {
                    if kind == SrcKind::Eval && msg.starts_with("syntax error: unexpected end") && e.messages.len() > 1
                    {
                        continue;
                    }
                    let line = line + self.line_base;
                    let _ = t.write_all(2, format!("{label}: line {line}: {msg}\n").as_bytes());
                }
                self.status = 2;
                match kind {
                    SrcKind::Top => Err(Ctl::Exit(2)),
                    _ => Ok(2),
                }
            }
        }
    }

    /// Run each complete command; at top level an aborted command only
    /// ends itself.
    pub fn exec_program(&mut self, t: &mut Task, prog: &ast::Program, kind: SrcKind) -> Res {
        let mut status = 0;
        for cc in &prog.complete_commands {
            match self.exec_list(t, cc) {
                Ok(s) => status = s,
                Err(Ctl::Abort(s)) if kind == SrcKind::Top && self.subshell == 0 => {
                    self.status = s;
                    status = s;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(status)
    }

    /// A list of and-or lists separated by `;`, newlines or `&`.
    pub fn exec_list(&mut self, t: &mut Task, list: &ast::CompoundList) -> Res {
        let mut status = self.status;
        for item in &list.0 {
            match item.1 {
                ast::SeparatorOperator::Async => {
                    self.spawn_background(t, &item.0)?;
                    status = 0;
                    self.status = 0;
                }
                ast::SeparatorOperator::Sequence => {
                    status = self.exec_and_or(t, &item.0)?;
                }
            }
        }
        Ok(status)
    }

    /// `a && b || c`, with `set -e` and the ERR trap applied to the last
    /// pipeline only.
    pub fn exec_and_or(&mut self, t: &mut Task, ao: &ast::AndOrList) -> Res {
        self.run_pending_traps(t)?;
        let n = ao.additional.len();
        let mut status = self.exec_pipeline_guarded(t, &ao.first, n > 0)?;
        let mut last_bang = ao.first.bang;
        let mut ran_last = n == 0;
        for (i, next) in ao.additional.iter().enumerate() {
            let (run, p) = match next {
                ast::AndOr::And(p) => (status == 0, p),
                ast::AndOr::Or(p) => (status != 0, p),
            };
            if run {
                status = self.exec_pipeline_guarded(t, p, i + 1 < n)?;
                last_bang = p.bang;
                ran_last = i + 1 == n;
            }
        }
        if status != 0 && ran_last && !last_bang && self.errexit_off == 0 {
            self.run_err_trap(t)?;
            if self.opts.errexit {
                return Err(Ctl::Exit(status));
            }
        }
        Ok(status)
    }

    fn exec_pipeline_guarded(&mut self, t: &mut Task, p: &ast::Pipeline, guarded: bool) -> Res {
        let guarded = guarded || p.bang;
        if guarded {
            self.errexit_off += 1;
        }
        let r = self.exec_pipeline(t, p);
        if guarded {
            self.errexit_off -= 1;
        }
        let status = r?;
        self.status = status;
        Ok(status)
    }

    /// Run one command of any kind.
    pub fn exec_command(&mut self, t: &mut Task, cmd: &ast::Command) -> Res {
        match cmd {
            ast::Command::Simple(s) => self.exec_simple(t, s),
            ast::Command::Compound(c, redirs) => {
                self.set_line(c.location());
                match redirs {
                    Some(r) => {
                        let saved = match self.apply_redirects(t, &r.0) {
                            Ok(s) => s,
                            Err(status) => return Ok(status),
                        };
                        let res = self.exec_compound(t, c);
                        self.restore_redirects(t, saved);
                        res
                    }
                    None => self.exec_compound(t, c),
                }
            }
            ast::Command::Function(f) => {
                self.set_line(f.fname.location());
                let name = f.fname.value.clone();
                let src: Arc<str> = if self.is_c && self.funcnames.is_empty() && self.source_depth == 0 {
                    Arc::from("environment")
                } else {
                    self.src.clone()
                };
                let func = crate::state::Function { body: f.body.clone(), src, line_base: self.line_base };
                self.funcs.insert(name, Arc::new(func));
                Ok(0)
            }
            ast::Command::ExtendedTest(e, redirs) => {
                self.set_line(e.location());
                let saved = match redirs {
                    Some(r) => match self.apply_redirects(t, &r.0) {
                        Ok(s) => Some(s),
                        Err(status) => return Ok(status),
                    },
                    None => None,
                };
                if self.opts.xtrace {
                    let shown = self.trace_test(t, &e.expr)?;
                    self.trace(t, &format!("[[ {shown} ]]"));
                }
                let res = self.eval_ext_test(t, &e.expr).map(|b| if b { 0 } else { 1 });
                if let Some(s) = saved {
                    self.restore_redirects(t, s);
                }
                match res {
                    Ok(s) => Ok(s),
                    Err(Ctl::Abort(s)) => Ok(s),
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// Record the current line from a node's location.
    pub fn set_line(&mut self, loc: Option<brush_parser::SourceSpan>) {
        if let Some(l) = loc {
            self.lineno = l.start.line + self.line_base;
        }
    }

    /// Write an `xtrace` line (`$PS4` + text).
    pub fn trace(&self, t: &Task, text: &str) {
        let ps4 = self.vars.get_str("PS4").unwrap_or("+ ");
        let mut prefix = String::new();
        if let Some(c) = ps4.chars().next() {
            for _ in 0..self.xtrace_depth {
                prefix.push(c);
            }
        }
        let _ = t.write_all(2, format!("{prefix}{ps4}{text}\n").as_bytes());
    }

    /// Run the handlers of signals that arrived since the last check.
    pub fn run_pending_traps(&mut self, t: &mut Task) -> Result<(), Ctl> {
        if self.jc.is_some() && !self.in_trap {
            return self.interactive_signals(t);
        }
        if self.traps.is_empty() || self.in_trap {
            return Ok(());
        }
        for sig in t.take_signals() {
            if let Some(cmd) = self.traps.get(&sig.0).cloned() {
                self.run_trap(t, &cmd)?;
            }
        }
        Ok(())
    }

    /// The interactive shell's pending signals: traps run; `^C` (to the
    /// shell, or the death by SIGINT of a foreground job) abandons the
    /// command line with status 130.
    fn interactive_signals(&mut self, t: &mut Task) -> Result<(), Ctl> {
        let mut int = self.jc.as_mut().is_some_and(|j| std::mem::take(&mut j.interrupted));
        for sig in t.take_signals() {
            match self.traps.get(&sig.0).cloned() {
                Some(cmd) => self.run_trap(t, &cmd)?,
                None if sig == agentos_kernel::abi::Signal::SIGINT => {
                    if !int {
                        let _ = t.write_all(2, b"\n");
                    }
                    int = true;
                }
                None => {}
            }
        }
        if int { Err(Ctl::Abort(130)) } else { Ok(()) }
    }

    fn run_err_trap(&mut self, t: &mut Task) -> Result<(), Ctl> {
        if let Some(cmd) = self.traps.get(&ERR_TRAP).cloned()
            && !self.in_trap
        {
            self.run_trap(t, &cmd)?;
        }
        Ok(())
    }

    /// Run a trap's command text, preserving `$?`.
    pub fn run_trap(&mut self, t: &mut Task, cmd: &str) -> Result<(), Ctl> {
        let saved = self.status;
        self.in_trap = true;
        let r = self.run_text(t, cmd, SrcKind::Eval);
        self.in_trap = false;
        self.status = saved;
        match r {
            Err(Ctl::Exit(c)) => Err(Ctl::Exit(c)),
            Err(Ctl::Fatal) => Err(Ctl::Fatal),
            _ => Ok(()),
        }
    }

    /// Run the EXIT trap (once) as the shell ends with `status`.
    pub fn run_exit_trap(&mut self, t: &mut Task, status: i32) -> i32 {
        let Some(cmd) = self.traps.remove(&0) else { return status };
        self.status = status;
        self.in_trap = true;
        let r = self.run_text(t, &cmd, SrcKind::Eval);
        self.in_trap = false;
        match r {
            Err(Ctl::Exit(c)) => c,
            _ => status,
        }
    }
}
