//! Word expansion, in bash's order: brace expansion, then tilde, parameter,
//! command and arithmetic expansion (left to right), then field splitting
//! on `$IFS`, pathname expansion and quote removal.
//!
//! Intermediate text carries a tag per byte saying where it came from, so
//! that splitting touches only unquoted expansion results and globbing
//! only unquoted characters.

use agentos_kernel::Task;

use super::lex::{self, Mode, Part};
use super::pattern;
use crate::state::{Ctl, Shell};

/// Unquoted text from the source: globbing applies, splitting does not.
pub const LIT: u8 = 0;
/// Quoted text: neither splitting nor globbing.
pub const QUO: u8 = 1;
/// Unquoted expansion result: both apply.
pub const EXP: u8 = 2;
/// Marks a quoted empty string (`""`), which keeps its field alive.
const EMPTY_MARK: char = '\0';

/// One field being built.
#[derive(Clone, Debug, Default)]
pub struct Fld {
    pub s: String,
    pub tags: Vec<u8>,
}

impl Fld {
    pub fn push(&mut self, text: &str, tag: u8) {
        self.s.push_str(text);
        self.tags.extend(std::iter::repeat_n(tag, text.len()));
    }
}

/// Fields of one word being expanded; `"$@"` starts new ones.
#[derive(Debug, Default)]
pub struct Acc {
    pub done: Vec<Fld>,
    pub cur: Fld,
    /// Whether `"$@"`-style expansion happened (an empty one leaves no
    /// field, even inside quotes).
    pub saw_at: bool,
}

impl Acc {
    pub fn push(&mut self, text: &str, quoted: bool) {
        self.cur.push(text, if quoted { QUO } else { EXP });
    }
    pub fn push_empty_mark(&mut self) {
        self.cur.push("\0", QUO);
    }
    pub fn break_field(&mut self) {
        let f = std::mem::take(&mut self.cur);
        self.done.push(f);
    }
    fn into_fields(mut self) -> Vec<Fld> {
        self.break_field();
        self.done
    }
}

fn has_special(raw: &str) -> bool {
    raw.bytes()
        .any(|b| matches!(b, b'$' | b'\'' | b'"' | b'\\' | b'`' | b'~' | b'*' | b'?' | b'[' | b'{' | b'(' | b'\0'))
}

impl Shell {
    /// Fully expand command words into arguments.
    pub fn expand_words(&mut self, t: &mut Task, words: &[&str]) -> Result<Vec<String>, Ctl> {
        let mut out = Vec::with_capacity(words.len());
        for w in words {
            if !has_special(w) {
                out.push(w.to_string());
                continue;
            }
            for bw in super::brace::expand(w) {
                self.expand_one(t, &bw, &mut out)?;
            }
        }
        Ok(out)
    }

    fn expand_one(&mut self, t: &mut Task, raw: &str, out: &mut Vec<String>) -> Result<(), Ctl> {
        // bash expands `~` after the `=` of words that look like
        // assignments, even as ordinary arguments.
        let assign_like = raw.find("=~").is_some_and(|i| crate::vars::is_name(&raw[..i]));
        let parts = lex::lex(raw, assign_like);
        let mut acc = Acc::default();
        self.expand_parts(t, &parts, false, &mut acc)?;
        let ifs = self.ifs();
        for f in acc.into_fields() {
            for field in split_field(&f, &ifs) {
                self.glob_field(t, &field, out)?;
            }
        }
        Ok(())
    }

    /// The current `$IFS` (default when unset).
    pub fn ifs(&self) -> String {
        match self.vars.get("IFS") {
            Some(v) => v.value.as_ref().and_then(|x| x.scalar()).unwrap_or(" \t\n").to_string(),
            None => " \t\n".to_string(),
        }
    }

    /// Expand without splitting or globbing (assignments, redirection
    /// targets, `case` words, here-strings).
    pub fn expand_str(&mut self, t: &mut Task, raw: &str) -> Result<String, Ctl> {
        if !has_special(raw) {
            return Ok(raw.to_string());
        }
        let parts = lex::lex(raw, false);
        self.expand_parts_to_string(t, &parts)
    }

    /// Expand an assignment's value (tildes after `:` too).
    pub fn expand_assign(&mut self, t: &mut Task, raw: &str) -> Result<String, Ctl> {
        if !has_special(raw) {
            return Ok(raw.to_string());
        }
        let parts = lex::lex(raw, true);
        self.expand_parts_to_string(t, &parts)
    }

    /// Expand text in a given quoting mode (here-documents, `$((..))`).
    pub fn expand_mode(&mut self, t: &mut Task, text: &str, mode: Mode) -> Result<String, Ctl> {
        let parts = lex::lex_mode(text, mode);
        self.expand_parts_to_string(t, &parts)
    }

    pub fn expand_parts_to_string(&mut self, t: &mut Task, parts: &[Part]) -> Result<String, Ctl> {
        let mut acc = Acc::default();
        self.expand_parts(t, parts, false, &mut acc)?;
        let mut s = String::new();
        for (i, f) in acc.into_fields().iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&f.s);
        }
        Ok(s.replace(EMPTY_MARK, ""))
    }

    /// Expand a pattern word: quoted characters come out escaped so they
    /// match literally.
    pub fn expand_pattern(&mut self, t: &mut Task, raw: &str) -> Result<String, Ctl> {
        let parts = lex::lex(raw, false);
        let mut acc = Acc::default();
        self.expand_parts(t, &parts, false, &mut acc)?;
        let mut out = String::new();
        for (i, f) in acc.into_fields().iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&escape_quoted(f, pattern::escape));
        }
        Ok(out)
    }

    /// Expand the right side of `=~`: quoted characters match literally.
    pub fn expand_regex(&mut self, t: &mut Task, raw: &str) -> Result<String, Ctl> {
        let parts = lex::lex(raw, false);
        let mut acc = Acc::default();
        self.expand_parts(t, &parts, false, &mut acc)?;
        let mut out = String::new();
        for f in acc.into_fields() {
            out.push_str(&escape_quoted(&f, regex::escape));
        }
        Ok(out)
    }

    /// Expand lexed parts into `acc`. `quoted` is true inside `"..."`.
    pub fn expand_parts(&mut self, t: &mut Task, parts: &[Part], quoted: bool, acc: &mut Acc) -> Result<(), Ctl> {
        for p in parts {
            match p {
                Part::Lit(s) => acc.cur.push(s, if quoted { QUO } else { LIT }),
                Part::Quoted(s) => {
                    if s.is_empty() {
                        acc.push_empty_mark();
                    } else {
                        acc.cur.push(s, QUO);
                    }
                }
                Part::Dq(inner) => {
                    let before = (acc.done.len(), acc.cur.s.len(), acc.saw_at);
                    acc.saw_at = false;
                    self.expand_parts(t, inner, true, acc)?;
                    if !acc.saw_at && acc.done.len() == before.0 && acc.cur.s.len() == before.1 {
                        acc.push_empty_mark();
                    }
                    acc.saw_at |= before.2;
                }
                Part::Tilde(user) => {
                    let home = self.tilde(t, user);
                    acc.cur.push(&home, QUO);
                }
                Part::Param(param) => self.expand_param(t, param, quoted, acc)?,
                Part::Cmd(cmd) => {
                    let out = self.command_subst(t, cmd)?;
                    acc.push(&out, quoted);
                }
                Part::Arith(expr) => {
                    let v = self.arith_expand(t, expr)?;
                    acc.push(&v.to_string(), quoted);
                }
            }
        }
        Ok(())
    }

    fn tilde(&self, t: &Task, user: &str) -> String {
        match user {
            "" => self.vars.get_str("HOME").map(str::to_string).unwrap_or_else(|| home_of(t, "").unwrap_or_default()),
            "+" => self.vars.get_str("PWD").unwrap_or_default().to_string(),
            "-" => self.vars.get_str("OLDPWD").map(str::to_string).unwrap_or_else(|| "~-".into()),
            u => home_of(t, u).unwrap_or_else(|| format!("~{u}")),
        }
    }

    /// `$((expr))`: expand the text, then evaluate it.
    pub fn arith_expand(&mut self, t: &mut Task, expr: &str) -> Result<i64, Ctl> {
        let text = if expr.contains(['$', '`', '\\', '"', '\'']) {
            self.expand_mode(t, expr, Mode::Double)?.replace('"', "")
        } else {
            expr.to_string()
        };
        self.arith(t, &text)
    }

    /// Pathname expansion of one split field, appending results to `out`.
    fn glob_field(&mut self, t: &mut Task, f: &Fld, out: &mut Vec<String>) -> Result<(), Ctl> {
        let globbable =
            !self.opts.noglob && f.s.char_indices().any(|(i, c)| f.tags[i] != QUO && matches!(c, '*' | '?' | '['));
        if globbable {
            let pat = escape_quoted(f, pattern::escape);
            let matches = self.glob(t, &pat);
            if !matches.is_empty() {
                out.extend(matches);
                return Ok(());
            }
            if self.shopts.failglob {
                self.error(t, &format!("no match: {}", f.s.replace(EMPTY_MARK, "")));
                return Err(Ctl::Abort(1));
            }
            if self.shopts.nullglob {
                return Ok(());
            }
        }
        out.push(f.s.replace(EMPTY_MARK, ""));
        Ok(())
    }
}

/// The text of a field with its quoted characters passed through `esc`.
fn escape_quoted(f: &Fld, esc: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(f.s.len());
    let mut buf = [0u8; 4];
    for (i, c) in f.s.char_indices() {
        if c == EMPTY_MARK {
            continue;
        }
        if f.tags[i] == QUO {
            out.push_str(&esc(c.encode_utf8(&mut buf)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Split a field on `ifs` where its text came from unquoted expansions.
pub fn split_field(f: &Fld, ifs: &str) -> Vec<Fld> {
    if ifs.is_empty() || !f.tags.contains(&EXP) {
        return if f.s.is_empty() { Vec::new() } else { vec![f.clone()] };
    }
    let mut out = Vec::new();
    let mut cur = Fld::default();
    let mut started = false;
    let mut pushed_by_ws = false;
    for (i, c) in f.s.char_indices() {
        let tag = f.tags[i];
        if tag == EXP && ifs.contains(c) {
            if c == ' ' || c == '\t' || c == '\n' {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                    pushed_by_ws = true;
                }
            } else {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                } else if !pushed_by_ws {
                    out.push(Fld::default());
                }
                pushed_by_ws = false;
            }
            continue;
        }
        let mut buf = [0u8; 4];
        cur.push(c.encode_utf8(&mut buf), tag);
        started = true;
        pushed_by_ws = false;
    }
    if started {
        out.push(cur);
    }
    out
}

/// Home directory of `user` from `/etc/passwd`.
fn home_of(t: &Task, user: &str) -> Option<String> {
    let want_uid = t.cred().uid.to_string();
    let fd =
        t.open("/etc/passwd", agentos_kernel::abi::OFlags::RDONLY | agentos_kernel::abi::OFlags::CLOEXEC, 0).ok()?;
    let data = t.read_to_end(fd);
    let _ = t.close(fd);
    let data = String::from_utf8(data.ok()?).ok()?;
    for line in data.lines() {
        let f: Vec<&str> = line.split(':').collect();
        if f.len() >= 6 && ((user.is_empty() && f[2] == want_uid) || f[0] == user) {
            return Some(f[5].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fld(parts: &[(&str, u8)]) -> Fld {
        let mut f = Fld::default();
        for (s, t) in parts {
            f.push(s, *t);
        }
        f
    }

    fn texts(v: Vec<Fld>) -> Vec<String> {
        v.into_iter().map(|f| f.s).collect()
    }

    #[test]
    fn splitting() {
        assert_eq!(texts(split_field(&fld(&[("a   b    c", EXP)]), " \t\n")), ["a", "b", "c"]);
        assert_eq!(texts(split_field(&fld(&[("a:b::c", EXP)]), ":")), ["a", "b", "", "c"]);
        assert_eq!(texts(split_field(&fld(&[(" a , b ,c ", EXP)]), " ,")), ["a", "b", "c"]);
        assert_eq!(texts(split_field(&fld(&[("x", LIT), (" y", EXP)]), " ")), ["x", "y"]);
        assert_eq!(texts(split_field(&fld(&[("a b", QUO)]), " ")), ["a b"]);
        assert!(split_field(&fld(&[("  ", EXP)]), " ").is_empty());
    }
}
