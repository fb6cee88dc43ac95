//! Conditional expressions: `[[ ... ]]` (patterns, `=~` with
//! `BASH_REMATCH`, arithmetic comparisons) and the primitives it shares
//! with the `test`/`[` builtin (file and string tests).

use agentos_kernel::Task;
use agentos_kernel::abi::{R_OK, W_OK, X_OK};
use brush_parser::ast::{self, BinaryPredicate as B};

use crate::expand::pattern::Pattern;
use crate::state::{Ctl, Shell};

/// A unary test by its operator text (`-f`, `-z`, ...). `None` if `op`
/// is not a unary operator.
pub fn unary(sh: &Shell, t: &Task, op: &str, a: &str) -> Option<bool> {
    let st = || t.stat(a).ok();
    Some(match op {
        "-e" | "-a" => st().is_some(),
        "-f" => st().is_some_and(|s| s.is_file()),
        "-d" => st().is_some_and(|s| s.is_dir()),
        "-L" | "-h" => t.lstat(a).is_ok_and(|s| s.is_symlink()),
        "-s" => st().is_some_and(|s| s.size > 0),
        "-r" => t.access(a, R_OK).is_ok(),
        "-w" => t.access(a, W_OK).is_ok(),
        "-x" => t.access(a, X_OK).is_ok(),
        "-b" => st().is_some_and(|s| s.mode & 0o170000 == 0o060000),
        "-c" => st().is_some_and(|s| s.mode & 0o170000 == 0o020000),
        "-p" => st().is_some_and(|s| s.mode & 0o170000 == 0o010000),
        "-S" => st().is_some_and(|s| s.mode & 0o170000 == 0o140000),
        "-g" => st().is_some_and(|s| s.mode & 0o2000 != 0),
        "-u" => st().is_some_and(|s| s.mode & 0o4000 != 0),
        "-k" => st().is_some_and(|s| s.mode & 0o1000 != 0),
        "-O" => st().is_some_and(|s| s.uid == t.cred().uid),
        "-G" => st().is_some_and(|s| s.gid == t.cred().gid),
        "-N" => st().is_some_and(|s| s.mtime >= s.atime),
        "-t" => a.trim().parse::<i32>().is_ok_and(|fd| t.isatty(fd)),
        "-z" => a.is_empty(),
        "-n" => !a.is_empty(),
        "-o" => sh.option_enabled(a),
        "-v" => sh.var_is_set(a),
        _ => return None,
    })
}

/// `-nt`, `-ot`, `-ef`.
pub fn file_binary(t: &Task, op: &str, a: &str, b: &str) -> bool {
    let (sa, sb) = (t.stat(a).ok(), t.stat(b).ok());
    match op {
        "-nt" => match (sa, sb) {
            (Some(x), Some(y)) => x.mtime > y.mtime,
            (Some(_), None) => true,
            _ => false,
        },
        "-ot" => match (sa, sb) {
            (Some(x), Some(y)) => x.mtime < y.mtime,
            (None, Some(_)) => true,
            _ => false,
        },
        _ => matches!((sa, sb), (Some(x), Some(y)) if x.dev == y.dev && x.ino == y.ino),
    }
}

impl Shell {
    pub fn option_enabled(&self, name: &str) -> bool {
        crate::builtins::set::option_value(self, name).unwrap_or(false)
    }

    /// `-v name` / `-v name[key]`.
    pub fn var_is_set(&self, spec: &str) -> bool {
        if let Some(open) = spec.find('[')
            && spec.ends_with(']')
        {
            let (name, key) = (&spec[..open], &spec[open + 1..spec.len() - 1]);
            return match self.vars.get(name).and_then(|v| v.value.as_ref()) {
                Some(crate::vars::Value::Assoc(m)) => m.contains_key(key),
                Some(crate::vars::Value::Indexed(m)) => key.parse::<i64>().is_ok_and(|k| m.contains_key(&k)),
                Some(crate::vars::Value::Str(_)) => key == "0",
                None => false,
            };
        }
        if spec.chars().all(|c| c.is_ascii_digit()) && !spec.is_empty() {
            let n: usize = spec.parse().unwrap_or(0);
            return n >= 1 && n <= self.positional.len();
        }
        self.vars.get(spec).is_some_and(|v| v.value.is_some())
    }

    /// Evaluate a `[[ ]]` expression.
    pub fn eval_ext_test(&mut self, t: &mut Task, e: &ast::ExtendedTestExpr) -> Result<bool, Ctl> {
        use ast::ExtendedTestExpr as E;
        Ok(match e {
            E::And(a, b) => self.eval_ext_test(t, a)? && self.eval_ext_test(t, b)?,
            E::Or(a, b) => self.eval_ext_test(t, a)? || self.eval_ext_test(t, b)?,
            E::Not(a) => !self.eval_ext_test(t, a)?,
            E::Parenthesized(a) => self.eval_ext_test(t, a)?,
            E::UnaryTest(pred, w) => {
                let a = self.expand_str(t, &w.value)?;
                let op = pred.to_string();
                unary(self, t, &op, &a).unwrap_or(false)
            }
            E::BinaryTest(pred, l, r) => {
                let a = self.expand_str(t, &l.value)?;
                match pred {
                    B::StringExactlyMatchesPattern | B::StringDoesNotExactlyMatchPattern => {
                        let p = self.expand_pattern(t, &r.value)?;
                        let m = Pattern::new(&p).nocase(self.shopts.nocasematch).matches(&a);
                        m == matches!(pred, B::StringExactlyMatchesPattern)
                    }
                    B::StringExactlyMatchesString | B::StringDoesNotExactlyMatchString => {
                        let b = self.expand_str(t, &r.value)?;
                        (a == b) == matches!(pred, B::StringExactlyMatchesString)
                    }
                    B::StringMatchesRegex | B::StringContainsSubstring => {
                        let re = self.expand_regex(t, &r.value)?;
                        return self.regex_match(&a, &re);
                    }
                    B::LeftSortsBeforeRight => a < self.expand_str(t, &r.value)?,
                    B::LeftSortsAfterRight => a > self.expand_str(t, &r.value)?,
                    B::FilesReferToSameDeviceAndInodeNumbers
                    | B::LeftFileIsNewerOrExistsWhenRightDoesNot
                    | B::LeftFileIsOlderOrDoesNotExistWhenRightDoes => {
                        let b = self.expand_str(t, &r.value)?;
                        file_binary(t, &pred.to_string(), &a, &b)
                    }
                    _ => {
                        let x = self.arith(t, &a)?;
                        let b = self.expand_str(t, &r.value)?;
                        let y = self.arith(t, &b)?;
                        match pred {
                            B::ArithmeticEqualTo => x == y,
                            B::ArithmeticNotEqualTo => x != y,
                            B::ArithmeticLessThan => x < y,
                            B::ArithmeticLessThanOrEqualTo => x <= y,
                            B::ArithmeticGreaterThan => x > y,
                            _ => x >= y,
                        }
                    }
                }
            }
        })
    }

    /// A `[[ ]]` expression with its words expanded, for `set -x`.
    pub fn trace_test(&mut self, t: &mut Task, e: &ast::ExtendedTestExpr) -> Result<String, Ctl> {
        use ast::ExtendedTestExpr as E;
        Ok(match e {
            E::And(a, b) => format!("{} && {}", self.trace_test(t, a)?, self.trace_test(t, b)?),
            E::Or(a, b) => format!("{} || {}", self.trace_test(t, a)?, self.trace_test(t, b)?),
            E::Not(a) => format!("! {}", self.trace_test(t, a)?),
            E::Parenthesized(a) => format!("( {} )", self.trace_test(t, a)?),
            E::UnaryTest(p, w) => format!("{p} {}", self.expand_str(t, &w.value)?),
            E::BinaryTest(p, l, r) => {
                let (a, b) = (self.expand_str(t, &l.value)?, self.expand_str(t, &r.value)?);
                format!("{a} {p} {b}")
            }
        })
    }

    /// `=~`: match and fill `BASH_REMATCH`. An invalid regex is status 2.
    fn regex_match(&mut self, s: &str, re: &str) -> Result<bool, Ctl> {
        let Ok(rx) = regex::Regex::new(&translate_ere(re)) else {
            return Err(Ctl::Abort(2));
        };
        match rx.captures(s) {
            Some(c) => {
                let groups =
                    (0..c.len()).map(|i| c.get(i).map(|m| m.as_str().to_string()).unwrap_or_default()).collect();
                self.vars.set_array("BASH_REMATCH", groups);
                Ok(true)
            }
            None => {
                self.vars.set_array("BASH_REMATCH", Vec::new());
                Ok(false)
            }
        }
    }
}

/// Translate a POSIX extended regular expression to the `regex` crate's
/// syntax: a `]` first in a bracket expression is literal, and `{` that
/// does not start a bound is literal.
pub fn translate_ere(re: &str) -> String {
    let c: Vec<char> = re.chars().collect();
    let mut out = String::with_capacity(re.len());
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '\\' if i + 1 < c.len() => {
                out.push('\\');
                out.push(c[i + 1]);
                i += 2;
            }
            '[' => {
                out.push('[');
                i += 1;
                if i < c.len() && c[i] == '^' {
                    out.push('^');
                    i += 1;
                }
                if i < c.len() && c[i] == ']' {
                    out.push_str("\\]");
                    i += 1;
                }
                while i < c.len() && c[i] != ']' {
                    if c[i] == '[' && matches!(c.get(i + 1), Some(':') | Some('.') | Some('=')) {
                        let close = c[i + 2..].iter().position(|&x| x == ']').map(|p| i + 2 + p);
                        if let Some(end) = close {
                            out.extend(&c[i..=end]);
                            i = end + 1;
                            continue;
                        }
                    }
                    if c[i] == '\\'
                        || c[i] == '['
                        || c[i] == '&'
                        || c[i] == '~'
                        || c[i] == '-' && c.get(i + 1) == Some(&'-')
                    {
                        out.push('\\');
                    }
                    out.push(c[i]);
                    i += 1;
                }
                if i < c.len() {
                    out.push(']');
                    i += 1;
                }
            }
            '{' => {
                let rest: String = c[i + 1..].iter().collect();
                let bound = rest.find('}').is_some_and(|e| {
                    let b = &rest[..e];
                    !b.is_empty() && b.chars().all(|x| x.is_ascii_digit() || x == ',')
                });
                out.push_str(if bound { "{" } else { "\\{" });
                i += 1;
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::translate_ere;

    #[test]
    fn ere_translation() {
        assert_eq!(translate_ere("([0-9]+)\\.([0-9]+)"), "([0-9]+)\\.([0-9]+)");
        assert_eq!(translate_ere("[]a]"), "[\\]a]");
        assert_eq!(translate_ere("a{2}"), "a{2}");
        assert_eq!(translate_ere("a{x"), "a\\{x");
        assert_eq!(translate_ere("[[:alpha:]]"), "[[:alpha:]]");
    }
}
