//! Simple commands: assignments, word expansion, redirections, then a
//! function, a builtin, or a program found on `$PATH` and started with
//! `task.spawn` (scripts without `#!` run in a child shell, as bash does).

use std::sync::Arc;

use agentos_kernel::SpawnOptions;
use agentos_kernel::Task;
use agentos_kernel::abi::{Errno, OFlags, X_OK};
use brush_parser::ast;
use brush_parser::ast::SourceLocation;

use super::SrcKind;
use crate::builtins;
use crate::state::{Ctl, Function, Res, Shell};
use crate::vars::Var;

/// An argument of a declaration builtin (`declare`, `local`, ...): a word
/// or an assignment the parser recognized.
pub enum DeclArg<'a> {
    Word(String),
    Assign(&'a ast::Assignment),
}

impl Shell {
    pub fn exec_simple(&mut self, t: &mut Task, cmd: &ast::SimpleCommand) -> Res {
        self.set_line(cmd.location());
        let mut assigns: Vec<&ast::Assignment> = Vec::new();
        let mut redirs: Vec<ast::IoRedirect> = Vec::new();
        for item in cmd.prefix.iter().flat_map(|p| p.0.iter()) {
            match item {
                ast::CommandPrefixOrSuffixItem::AssignmentWord(a, _) => assigns.push(a),
                ast::CommandPrefixOrSuffixItem::IoRedirect(r) => redirs.push(r.clone()),
                ast::CommandPrefixOrSuffixItem::Word(w) => {
                    self.error(t, &format!("{}: command not found", w.value));
                    return Ok(127);
                }
                ast::CommandPrefixOrSuffixItem::ProcessSubstitution(k, s) => {
                    let p = self.process_subst(t, k, &s.list)?;
                    redirs.push(ast::IoRedirect::File(
                        None,
                        ast::IoFileRedirectKind::Read,
                        ast::IoFileRedirectTarget::Filename(ast::Word::new(&p)),
                    ));
                }
            }
        }
        let Some(name_word) = &cmd.word_or_name else {
            return self.exec_assignments_only(t, &assigns, &redirs);
        };
        if self.shopts.expand_aliases
            && let Some(text) = self.alias_text(cmd, name_word)
        {
            return self.run_text(t, &text, SrcKind::Eval);
        }
        let decl = builtins::is_declaration(&name_word.value);
        let mut argv: Vec<String> = Vec::new();
        let mut decl_args: Vec<DeclArg> = Vec::new();
        let mut words: Vec<&str> = vec![name_word.value.as_str()];
        for item in cmd.suffix.iter().flat_map(|s| s.0.iter()) {
            match item {
                ast::CommandPrefixOrSuffixItem::Word(w) => words.push(&w.value),
                ast::CommandPrefixOrSuffixItem::AssignmentWord(a, w) => {
                    if decl {
                        let expanded = self.expand_words(t, &words)?;
                        words.clear();
                        decl_args.extend(expanded.iter().cloned().map(DeclArg::Word));
                        argv.extend(expanded);
                        decl_args.push(DeclArg::Assign(a));
                        argv.push(w.value.clone());
                    } else {
                        words.push(&w.value);
                    }
                }
                ast::CommandPrefixOrSuffixItem::IoRedirect(r) => redirs.push(r.clone()),
                ast::CommandPrefixOrSuffixItem::ProcessSubstitution(k, s) => {
                    let expanded = self.expand_words(t, &words)?;
                    words.clear();
                    decl_args.extend(expanded.iter().cloned().map(DeclArg::Word));
                    argv.extend(expanded);
                    let p = self.process_subst(t, k, &s.list)?;
                    decl_args.push(DeclArg::Word(p.clone()));
                    argv.push(p);
                }
            }
        }
        let expanded = self.expand_words(t, &words)?;
        decl_args.extend(expanded.iter().cloned().map(DeclArg::Word));
        argv.extend(expanded);
        if argv.is_empty() {
            return self.exec_assignments_only(t, &assigns, &redirs);
        }
        if self.opts.xtrace {
            let mut line: Vec<String> = Vec::new();
            for a in &assigns {
                line.push(a.to_string());
            }
            line.extend(argv.iter().map(|a| xtrace_quote(a)));
            self.trace(t, &line.join(" "));
        }
        let r = self.run_argv(t, argv, &assigns, &redirs, Some(decl_args), false);
        self.close_procsubs(t);
        r
    }

    /// `x=1 y=2` or `> file` with no command word.
    fn exec_assignments_only(&mut self, t: &mut Task, assigns: &[&ast::Assignment], redirs: &[ast::IoRedirect]) -> Res {
        self.subst_status = None;
        for a in assigns {
            self.assign(t, a, false)?;
            if self.opts.xtrace {
                let shown = match (&a.name, &a.value, self.vars.get_str(&a.name.to_string())) {
                    (ast::AssignmentName::VariableName(n), ast::AssignmentValue::Scalar(_), Some(v)) => {
                        format!("{n}={}", xtrace_quote(v))
                    }
                    _ => a.to_string(),
                };
                self.trace(t, &shown);
            }
        }
        let status = self.subst_status.take().unwrap_or(0);
        if !redirs.is_empty() {
            match self.apply_redirects(t, redirs) {
                Ok(saved) => self.restore_redirects(t, saved),
                Err(s) => return Ok(s),
            }
        }
        self.close_procsubs(t);
        Ok(status)
    }

    /// Run an expanded command line. `builtin_only` skips functions (for
    /// `command` and `builtin`).
    pub fn run_argv(
        &mut self,
        t: &mut Task,
        argv: Vec<String>,
        assigns: &[&ast::Assignment],
        redirs: &[ast::IoRedirect],
        decl: Option<Vec<DeclArg>>,
        builtin_only: bool,
    ) -> Res {
        let name = argv[0].clone();
        if name == "exec" && argv.iter().skip(1).all(|a| a == "--") {
            self.push_temp_assigns(t, assigns)?;
            return Ok(self.apply_redirects_permanent(t, redirs).err().unwrap_or(0));
        }
        let func = if builtin_only { None } else { self.funcs.get(&name).cloned() };
        let builtin = builtins::lookup(&name);
        if func.is_none() && builtin.is_none() {
            return self.exec_external(t, argv, assigns, redirs);
        }
        let saved_vars = self.push_temp_assigns(t, assigns)?;
        let saved = match self.apply_redirects(t, redirs) {
            Ok(s) => s,
            Err(status) => {
                self.pop_temp_assigns(saved_vars);
                return Ok(status);
            }
        };
        let r = match (func, builtin) {
            (Some(f), _) => self.call_function(t, &name, &f, argv),
            (None, Some(b)) => match decl {
                Some(d) if builtins::is_declaration(&name) => {
                    builtins::declare::run_decl(self, t, &name, d.into_iter().skip(1).collect())
                }
                _ => b(self, t, &argv),
            },
            (None, None) => Ok(127),
        };
        self.restore_redirects(t, saved);
        self.pop_temp_assigns(saved_vars);
        r
    }

    fn push_temp_assigns(
        &mut self,
        t: &mut Task,
        assigns: &[&ast::Assignment],
    ) -> Result<Vec<(String, Option<Var>)>, Ctl> {
        let mut saved = Vec::new();
        for a in assigns {
            let name = match &a.name {
                ast::AssignmentName::VariableName(n) | ast::AssignmentName::ArrayElementName(n, _) => n.clone(),
            };
            saved.push((name.clone(), self.vars.get(&name).cloned()));
            self.assign(t, a, false)?;
            if let Some(v) = self.vars.get_mut(&name) {
                v.attrs.export = true;
            }
        }
        Ok(saved)
    }

    fn pop_temp_assigns(&mut self, saved: Vec<(String, Option<Var>)>) {
        for (name, old) in saved.into_iter().rev() {
            match old {
                Some(v) => *self.vars.get_mut_or_create(&name) = v,
                None => self.vars.unset(&name),
            }
        }
    }

    /// Call a shell function with `argv` (`argv[0]` is its name).
    pub fn call_function(&mut self, t: &mut Task, name: &str, f: &Arc<Function>, argv: Vec<String>) -> Res {
        if self.funcnames.len() > 1000 {
            self.error(t, &format!("{name}: maximum function nesting level exceeded (1000)"));
            return Err(Ctl::Abort(1));
        }
        let saved_pos = std::mem::replace(&mut self.positional, argv.into_iter().skip(1).collect());
        let saved_src = std::mem::replace(&mut self.src, f.src.clone());
        let saved_base = std::mem::replace(&mut self.line_base, f.line_base);
        let saved_loops = std::mem::replace(&mut self.loop_depth, 0);
        self.funcnames.push(name.to_string());
        self.vars.push_frame();
        let r = match &f.body.1 {
            Some(redirs) => match self.apply_redirects(t, &redirs.0) {
                Ok(saved) => {
                    let r = self.exec_compound(t, &f.body.0);
                    self.restore_redirects(t, saved);
                    r
                }
                Err(s) => Ok(s),
            },
            None => self.exec_compound(t, &f.body.0),
        };
        self.vars.pop_frame();
        self.funcnames.pop();
        self.loop_depth = saved_loops;
        self.line_base = saved_base;
        self.src = saved_src;
        self.positional = saved_pos;
        match r {
            Err(Ctl::Return(s)) => Ok(s),
            Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) => Ok(0),
            r => r,
        }
    }

    /// Find a program on `$PATH` (or the name itself if it has a `/`).
    pub fn find_program(&self, t: &Task, name: &str) -> Option<String> {
        if name.contains('/') {
            return Some(name.to_string());
        }
        let path = self.vars.get_str("PATH").unwrap_or("/usr/local/bin:/usr/bin:/bin");
        for dir in path.split(':') {
            let dir = if dir.is_empty() { "." } else { dir };
            let cand = format!("{}/{name}", dir.trim_end_matches('/'));
            if let Ok(st) = t.stat(&cand)
                && st.is_file()
                && t.access(&cand, X_OK).is_ok()
            {
                return Some(cand);
            }
        }
        None
    }

    /// The environment for a child: exported variables plus `extra`.
    fn child_env(&self, extra: &[(String, String)]) -> Vec<(String, String)> {
        let mut env = self.vars.environ();
        for (k, v) in extra {
            match env.iter_mut().find(|(n, _)| n == k) {
                Some(slot) => slot.1 = v.clone(),
                None => env.push((k.clone(), v.clone())),
            }
        }
        env
    }

    fn exec_external(
        &mut self,
        t: &mut Task,
        argv: Vec<String>,
        assigns: &[&ast::Assignment],
        redirs: &[ast::IoRedirect],
    ) -> Res {
        let mut extra = Vec::new();
        if !assigns.is_empty() {
            let saved = self.push_temp_assigns(t, assigns)?;
            for (name, _) in &saved {
                if let Some(v) = self.vars.get_str(name) {
                    extra.push((name.clone(), v.to_string()));
                }
            }
            self.pop_temp_assigns(saved);
        }
        let saved = match self.apply_redirects(t, redirs) {
            Ok(s) => s,
            Err(status) => return Ok(status),
        };
        let r = self.spawn_program(t, argv, &extra);
        self.restore_redirects(t, saved);
        r
    }

    /// Start a program and wait for it; bash's messages on failure.
    fn spawn_program(&mut self, t: &mut Task, argv: Vec<String>, extra: &[(String, String)]) -> Res {
        let name = argv[0].clone();
        let Some(path) = self.find_program(t, &name) else {
            self.error(t, &format!("{name}: command not found"));
            return Ok(127);
        };
        let env = self.child_env(extra);
        let fds = self.child_fds(t);
        let opts =
            SpawnOptions { argv: argv.clone(), env, cwd: None, fds, pgroup: self.child_pgroup(), ..Default::default() };
        match t.spawn(&path, opts) {
            Ok(pid) => {
                self.note_child(t, pid);
                Ok(self.wait_child(t, pid))
            }
            Err(Errno::ENOEXEC) => self.run_script_child(t, &path, argv, extra),
            Err(e) => Ok(self.exec_error(t, &name, &path, e)),
        }
    }

    /// Report a failed `execve` the way bash does; returns the status.
    pub fn exec_error(&self, t: &Task, name: &str, path: &str, e: Errno) -> i32 {
        match e {
            Errno::ENOENT => {
                self.error(t, &format!("{name}: No such file or directory"));
                127
            }
            Errno::EACCES if t.stat(path).is_ok_and(|s| s.is_dir()) => {
                self.error(t, &format!("{name}: Is a directory"));
                126
            }
            e => {
                self.error(t, &format!("{name}: {}", e.strerror()));
                126
            }
        }
    }

    /// A file without `#!` that the kernel cannot run: bash runs it as a
    /// shell script in a child.
    fn run_script_child(&mut self, t: &mut Task, path: &str, argv: Vec<String>, extra: &[(String, String)]) -> Res {
        let text = match read_file(t, path) {
            Ok(s) => s,
            Err(e) => return Ok(self.exec_error(t, &argv[0], path, e)),
        };
        let fds = self.child_fds(t);
        let extra = extra.to_vec();
        let script = path.to_string();
        let r = self.fork(t, fds, move |sh, task| {
            sh.reset_for_script(&script, argv.into_iter().skip(1).collect());
            for (k, v) in extra {
                sh.vars.set_str(&k, v);
            }
            sh.run_text(task, &text, SrcKind::Top)
        });
        match r {
            Ok(pid) => Ok(self.wait_child(t, pid)),
            Err(e) => Ok(self.exec_error(t, path, path, e)),
        }
    }

    /// Turn a cloned shell into a fresh one running `script`.
    pub fn reset_for_script(&mut self, script: &str, args: Vec<String>) {
        self.funcs.clear();
        self.aliases.clear();
        self.traps.clear();
        self.positional = args;
        self.arg0 = script.to_string();
        self.src = Arc::from(script);
        self.source_file = Some(script.to_string());
        self.is_c = false;
        self.opts = Default::default();
        self.line_base = 0;
        self.funcnames.clear();
        let env = self.vars.environ();
        self.vars = Default::default();
        for (k, v) in env {
            self.vars.set_str(&k, v);
            if let Some(var) = self.vars.get_mut(&k) {
                var.attrs.export = true;
            }
        }
        self.vars.set_str("IFS", " \t\n");
        self.vars.set_str("PS4", "+ ");
    }

    /// The source text an alias use expands to, if `cmd` starts with one.
    fn alias_text(&self, cmd: &ast::SimpleCommand, name: &ast::Word) -> Option<String> {
        let value = self.aliases.get(&name.value)?;
        let mut text = value.clone();
        for item in cmd.suffix.iter().flat_map(|s| s.0.iter()) {
            text.push(' ');
            text.push_str(&item.to_string());
        }
        let mut prefix = String::new();
        for item in cmd.prefix.iter().flat_map(|p| p.0.iter()) {
            prefix.push_str(&item.to_string());
            prefix.push(' ');
        }
        Some(format!("{prefix}{text}"))
    }
}

/// Read a whole file through the kernel.
pub fn read_file(t: &Task, path: &str) -> Result<String, Errno> {
    let fd = t.open(path, OFlags::RDONLY | OFlags::CLOEXEC, 0)?;
    let data = t.read_to_end(fd);
    let _ = t.close(fd);
    Ok(String::from_utf8_lossy(&data?).into_owned())
}

/// Quote a word for `set -x` output the way bash does.
pub fn xtrace_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    let safe = s.chars().all(|c| c.is_ascii_alphanumeric() || "_./:=@%+,-^".contains(c) || !c.is_ascii());
    if safe {
        return s.to_string();
    }
    if s.chars().any(|c| c.is_control()) {
        return crate::expand::param::quote(s);
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}
