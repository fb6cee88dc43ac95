//! Word expansion: the lexer for words ([`lex`]), brace expansion
//! ([`brace`]), parameter expansion ([`param`]), arithmetic ([`arith`]),
//! patterns ([`pattern`]) and pathname expansion ([`glob`]), driven by
//! [`word`].

pub mod arith;
pub mod brace;
pub mod glob;
pub mod lex;
pub mod param;
pub mod pattern;
pub mod word;

use agentos_kernel::Task;

use crate::state::{Ctl, Shell};
use arith::{ArithEnv, ArithError};

/// The shell as seen by the arithmetic evaluator.
struct Env<'a> {
    sh: &'a mut Shell,
    t: &'a mut Task,
}

impl ArithEnv for Env<'_> {
    fn get_var(&mut self, name: &str, index: Option<&str>) -> Result<Option<String>, ArithError> {
        match self.sh.param_value(self.t, name, index) {
            Ok(param::PVal::Str(s)) => Ok(Some(s)),
            Ok(param::PVal::List(v, _)) => Ok(v.into_iter().next()),
            Ok(param::PVal::Unset) => {
                if self.sh.opts.nounset {
                    let shown = match index {
                        Some(i) => format!("{name}[{i}]"),
                        None => name.to_string(),
                    };
                    return Err(ArithError::Unbound(shown));
                }
                Ok(None)
            }
            Err(_) => Err(ArithError::Other(String::new())),
        }
    }

    fn set_var(&mut self, name: &str, index: Option<&str>, value: i64) -> Result<(), ArithError> {
        self.sh.assign_ref(self.t, name, index, &value.to_string()).map_err(|_| ArithError::Other(String::new()))
    }
}

impl Shell {
    /// Evaluate arithmetic text (already expanded). Errors are printed and
    /// abandon the current command.
    pub fn arith(&mut self, t: &mut Task, text: &str) -> Result<i64, Ctl> {
        let r = arith::eval(text, &mut Env { sh: self, t });
        match r {
            Ok(v) => Ok(v),
            Err(ArithError::Other(m)) if m.is_empty() => Err(Ctl::Abort(1)),
            Err(ArithError::Unbound(name)) => {
                self.error(t, &format!("{name}: unbound variable"));
                Err(Ctl::Fatal)
            }
            Err(e) => {
                self.error(t, &e.message(text.trim()));
                Err(Ctl::Abort(1))
            }
        }
    }

    /// Arithmetic for `let` and `(( ))`: errors are reported under
    /// `what` and give `None` (status 1) instead of abandoning the command.
    pub fn arith_cmd(&mut self, t: &mut Task, text: &str, what: &str) -> Option<i64> {
        match arith::eval(text, &mut Env { sh: self, t }) {
            Ok(v) => Some(v),
            Err(ArithError::Other(m)) if m.is_empty() => None,
            Err(e) => {
                self.error(t, &format!("{what}: {}", e.message(text.trim_start())));
                None
            }
        }
    }
}
