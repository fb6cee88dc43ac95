//! Compound commands: `{ }`, `( )`, `if`, `for`, `for (( ))`, `while`,
//! `until`, `case`, `(( ))`.

use agentos_kernel::Task;
use brush_parser::ast;

use crate::expand::pattern::Pattern;
use crate::state::{Ctl, Res, Shell};

/// What a loop body's result means for the loop.
enum Step {
    Next,
    Stop,
}

impl Shell {
    pub fn exec_compound(&mut self, t: &mut Task, c: &ast::CompoundCommand) -> Res {
        match c {
            ast::CompoundCommand::BraceGroup(b) => self.exec_list(t, &b.list),
            ast::CompoundCommand::Subshell(s) => self.run_subshell(t, &s.list),
            ast::CompoundCommand::IfClause(i) => self.exec_if(t, i),
            ast::CompoundCommand::ForClause(f) => self.exec_for(t, f),
            ast::CompoundCommand::ArithmeticForClause(f) => self.exec_arith_for(t, f),
            ast::CompoundCommand::WhileClause(w) => self.exec_while(t, w, false),
            ast::CompoundCommand::UntilClause(w) => self.exec_while(t, w, true),
            ast::CompoundCommand::CaseClause(c) => self.exec_case(t, c),
            ast::CompoundCommand::Arithmetic(a) => {
                self.set_line(Some(a.loc.clone()));
                if self.opts.xtrace {
                    self.trace(t, &format!("(( {} ))", a.expr.value));
                }
                let text = self.expand_mode(t, &a.expr.value, crate::expand::lex::Mode::Double)?;
                match self.arith_cmd(t, &text, "((") {
                    Some(v) => Ok(if v != 0 { 0 } else { 1 }),
                    None => Ok(1),
                }
            }
            ast::CompoundCommand::Coprocess(_) => {
                self.error(t, "coproc: not supported");
                Ok(1)
            }
        }
    }

    /// Run a condition list with `set -e` suspended.
    fn condition(&mut self, t: &mut Task, list: &ast::CompoundList) -> Res {
        self.errexit_off += 1;
        let r = self.exec_list(t, list);
        self.errexit_off -= 1;
        r
    }

    fn exec_if(&mut self, t: &mut Task, i: &ast::IfClauseCommand) -> Res {
        if self.condition(t, &i.condition)? == 0 {
            return self.exec_list(t, &i.then);
        }
        for e in i.elses.iter().flatten() {
            match &e.condition {
                Some(c) => {
                    if self.condition(t, c)? == 0 {
                        return self.exec_list(t, &e.body);
                    }
                }
                None => return self.exec_list(t, &e.body),
            }
        }
        Ok(0)
    }

    /// Interpret a loop body's result.
    fn body_result(&mut self, r: Res, status: &mut i32) -> Result<Step, Ctl> {
        match r {
            Ok(s) => {
                *status = s;
                Ok(Step::Next)
            }
            Err(Ctl::Break(n)) => {
                *status = 0;
                if n > 1 { Err(Ctl::Break(n - 1)) } else { Ok(Step::Stop) }
            }
            Err(Ctl::Continue(n)) => {
                *status = 0;
                if n > 1 { Err(Ctl::Continue(n - 1)) } else { Ok(Step::Next) }
            }
            Err(e) => Err(e),
        }
    }

    fn run_body(&mut self, t: &mut Task, body: &ast::CompoundList, status: &mut i32) -> Result<Step, Ctl> {
        t.check_signals(false).ok();
        self.loop_depth += 1;
        let r = self.exec_list(t, body);
        self.loop_depth -= 1;
        self.body_result(r, status)
    }

    fn exec_for(&mut self, t: &mut Task, f: &ast::ForClauseCommand) -> Res {
        self.set_line(Some(f.loc.clone()));
        let items = match &f.values {
            Some(words) => {
                let raw: Vec<&str> = words.iter().map(|w| w.value.as_str()).collect();
                self.expand_words(t, &raw)?
            }
            None => self.positional.clone(),
        };
        let mut status = 0;
        let shown = if self.opts.xtrace { items.join(" ") } else { String::new() };
        for it in items {
            if self.opts.xtrace {
                self.trace(t, &format!("for {} in {shown}", f.variable_name));
            }
            self.assign_ref(t, &f.variable_name, None, &it)?;
            if let Step::Stop = self.run_body(t, &f.body.list, &mut status)? {
                break;
            }
        }
        Ok(status)
    }

    fn exec_arith_for(&mut self, t: &mut Task, f: &ast::ArithmeticForClauseCommand) -> Res {
        self.set_line(Some(f.loc.clone()));
        if let Some(init) = &f.initializer {
            self.arith_expand(t, &init.value)?;
        }
        let mut status = 0;
        loop {
            if let Some(c) = &f.condition
                && self.arith_expand(t, &c.value)? == 0
            {
                break;
            }
            if let Step::Stop = self.run_body(t, &f.body.list, &mut status)? {
                break;
            }
            if let Some(u) = &f.updater {
                self.arith_expand(t, &u.value)?;
            }
        }
        Ok(status)
    }

    fn exec_while(&mut self, t: &mut Task, w: &ast::WhileOrUntilClauseCommand, until: bool) -> Res {
        let mut status = 0;
        loop {
            let c = self.condition(t, &w.0)?;
            if (c == 0) == until {
                break;
            }
            if let Step::Stop = self.run_body(t, &w.1.list, &mut status)? {
                break;
            }
        }
        Ok(status)
    }

    fn exec_case(&mut self, t: &mut Task, c: &ast::CaseClauseCommand) -> Res {
        self.set_line(Some(c.loc.clone()));
        let word = self.expand_str(t, &c.value.value)?;
        if self.opts.xtrace {
            self.trace(t, &format!("case {word} in"));
        }
        let mut status = 0;
        let mut i = 0;
        let mut fall_through = false;
        while i < c.cases.len() {
            let item = &c.cases[i];
            let mut hit = fall_through;
            if !hit {
                for p in &item.patterns {
                    let pat = self.expand_pattern(t, &p.value)?;
                    if Pattern::new(&pat).nocase(self.shopts.nocasematch).matches(&word) {
                        hit = true;
                        break;
                    }
                }
            }
            fall_through = false;
            if hit {
                status = match &item.cmd {
                    Some(list) => self.exec_list(t, list)?,
                    None => 0,
                };
                match item.post_action {
                    ast::CaseItemPostAction::ExitCase => return Ok(status),
                    ast::CaseItemPostAction::UnconditionallyExecuteNextCaseItem => fall_through = true,
                    ast::CaseItemPostAction::ContinueEvaluatingCases => {}
                }
            }
            i += 1;
        }
        Ok(status)
    }
}
