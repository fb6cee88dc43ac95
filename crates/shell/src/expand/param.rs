//! Parameter expansion: `$x`, `${x:-w}`, `${#x}`, `${x%%pat}`,
//! `${x/a/b}`, `${x:1:2}`, `${x^^}`, `${!x}`, `${a[@]}`, `${x@Q}` and the
//! special parameters.

use agentos_kernel::Task;

use super::lex::{self, Param, ParamOp, Part};
use super::pattern::Pattern;
use super::word::Acc;
use crate::state::{Ctl, Shell};
use crate::vars::Value;

/// A parameter's value before an operator is applied.
#[derive(Clone, Debug)]
pub enum PVal {
    Unset,
    Str(String),
    /// `$@`/`${a[@]}` (`star` false) or `$*`/`${a[*]}`.
    List(Vec<String>, bool),
}

impl PVal {
    fn is_null(&self) -> bool {
        match self {
            PVal::Unset => true,
            PVal::Str(s) => s.is_empty(),
            PVal::List(v, _) => v.is_empty() || (v.len() == 1 && v[0].is_empty()),
        }
    }
    fn map(self, mut f: impl FnMut(String) -> String) -> PVal {
        match self {
            PVal::Unset => PVal::Str(f(String::new())),
            PVal::Str(s) => PVal::Str(f(s)),
            PVal::List(v, star) => PVal::List(v.into_iter().map(f).collect(), star),
        }
    }
}

impl Shell {
    pub fn expand_param(&mut self, t: &mut Task, p: &Param, quoted: bool, acc: &mut Acc) -> Result<(), Ctl> {
        if p.op == ParamOp::Bad {
            self.error(t, &format!("{}: bad substitution", p.raw));
            return Err(Ctl::Abort(1));
        }
        let (name, index) = if p.indirect {
            let target = match self.param_value(t, &p.name, p.index.as_deref())? {
                PVal::Str(s) => s,
                PVal::List(v, _) => v.join(" "),
                PVal::Unset => String::new(),
            };
            match split_ref(&target) {
                Some(r) => r,
                None => {
                    self.error(t, &format!("{target}: invalid indirect expansion"));
                    return Err(Ctl::Abort(1));
                }
            }
        } else {
            (p.name.clone(), p.index.clone())
        };
        let val = match &p.op {
            ParamOp::PrefixNames => {
                let names: Vec<String> = self.vars.names().into_iter().filter(|n| n.starts_with(&p.name)).collect();
                return self.push_val(PVal::List(names, false), quoted, acc);
            }
            ParamOp::Keys => {
                let keys = match self.vars.get(&name).and_then(|v| v.value.as_ref()) {
                    Some(v) => v.keys(),
                    None => Vec::new(),
                };
                return self.push_val(PVal::List(keys, false), quoted, acc);
            }
            _ => self.param_value(t, &name, index.as_deref())?,
        };
        let is_list = matches!(name.as_str(), "@" | "*") || matches!(index.as_deref(), Some("@") | Some("*"));
        match &p.op {
            ParamOp::Plain => {
                if matches!(val, PVal::Unset) && self.opts.nounset && !is_list {
                    return Err(self.unbound(t, &name, index.as_deref()));
                }
                self.push_val(val, quoted, acc)
            }
            ParamOp::Length => {
                if matches!(val, PVal::Unset) && self.opts.nounset && !is_list {
                    return Err(self.unbound(t, &name, index.as_deref()));
                }
                let n = match val {
                    PVal::Unset => 0,
                    PVal::Str(s) => s.chars().count(),
                    PVal::List(v, _) => v.len(),
                };
                acc.push(&n.to_string(), quoted);
                Ok(())
            }
            ParamOp::Test { op, colon, word } => {
                let missing = if *colon { val.is_null() } else { matches!(val, PVal::Unset) };
                match (op, missing) {
                    ('-', true) | ('+', false) => self.expand_operand(t, word, quoted, acc),
                    ('-', false) => self.push_val(val, quoted, acc),
                    ('+', true) => Ok(()),
                    ('=', true) => {
                        let v = self.operand_string(t, word, quoted)?;
                        self.assign_ref(t, &name, index.as_deref(), &v)?;
                        acc.push(&v, quoted);
                        Ok(())
                    }
                    ('?', true) => {
                        let msg = if word.is_empty() {
                            if *colon {
                                "parameter null or not set".to_string()
                            } else {
                                "parameter not set".to_string()
                            }
                        } else {
                            self.operand_string(t, word, quoted)?
                        };
                        let shown = match (&index, name.chars().all(|c| c.is_ascii_digit())) {
                            (Some(i), _) => format!("{name}[{i}]"),
                            (None, true) => format!("${name}"),
                            _ => name.clone(),
                        };
                        self.error(t, &format!("{}: {msg}", shown.trim_start_matches('$')));
                        Err(Ctl::Fatal)
                    }
                    _ => self.push_val(val, quoted, acc),
                }
            }
            ParamOp::Remove { suffix, longest, pat } => {
                let pat = Pattern::new(&self.expand_pattern(t, pat)?);
                let (suffix, longest) = (*suffix, *longest);
                self.push_val(val.map(|s| remove(&s, &pat, suffix, longest)), quoted, acc)
            }
            ParamOp::Replace { mode, pat, rep } => {
                let pat_s = self.expand_pattern(t, pat)?;
                let rep = self.operand_string(t, rep, quoted)?;
                let pat = Pattern::new(&pat_s);
                let empty = pat_s.is_empty();
                self.push_val(val.map(|s| replace(&s, &pat, empty, &rep, *mode)), quoted, acc)
            }
            ParamOp::Substr { off, len } => {
                let o = self.arith(t, off)?;
                let l = match len {
                    Some(l) => Some(self.arith(t, l)?),
                    None => None,
                };
                let v = match val {
                    PVal::List(items, star) => {
                        let items = if name == "@" || name == "*" {
                            let mut all = vec![self.arg0.clone()];
                            all.extend(items);
                            all
                        } else {
                            items
                        };
                        match slice(items.len(), o, l) {
                            Some((a, b)) => PVal::List(items[a..b].to_vec(), star),
                            None => PVal::List(Vec::new(), star),
                        }
                    }
                    other => {
                        let s = match other {
                            PVal::Str(s) => s,
                            _ => String::new(),
                        };
                        let chars: Vec<char> = s.chars().collect();
                        if let Some(l) = l
                            && l < 0
                        {
                            let start = if o < 0 { chars.len() as i64 + o } else { o };
                            if chars.len() as i64 + l < start.max(0) {
                                self.error(t, &format!("{}: substring expression < 0", l));
                                return Err(Ctl::Abort(1));
                            }
                        }
                        match slice(chars.len(), o, l) {
                            Some((a, b)) => PVal::Str(chars[a..b].iter().collect()),
                            None => PVal::Str(String::new()),
                        }
                    }
                };
                self.push_val(v, quoted, acc)
            }
            ParamOp::Case { upper, all, pat } => {
                let pat = if pat.is_empty() { None } else { Some(Pattern::new(&self.expand_pattern(t, pat)?)) };
                let (upper, all) = (*upper, *all);
                self.push_val(val.map(|s| case_map(&s, upper, all, pat.as_ref())), quoted, acc)
            }
            ParamOp::Transform(op) => {
                let op = *op;
                let v = match op {
                    'Q' => val.map(|s| quote(&s)),
                    'U' => val.map(|s| s.to_uppercase()),
                    'L' => val.map(|s| s.to_lowercase()),
                    'u' => val.map(|s| case_map(&s, true, false, None)),
                    'E' => val.map(|s| lex::ansi_c(&s)),
                    'a' => {
                        let flags = self.attr_flags(&name);
                        PVal::Str(flags)
                    }
                    'A' => val.map(|s| format!("{name}={}", quote(&s))),
                    _ => val,
                };
                self.push_val(v, quoted, acc)
            }
            ParamOp::PrefixNames | ParamOp::Keys | ParamOp::Bad => Ok(()),
        }
    }

    fn unbound(&self, t: &Task, name: &str, index: Option<&str>) -> Ctl {
        let shown = match index {
            Some(i) => format!("{name}[{i}]"),
            None if name.chars().all(|c| c.is_ascii_digit()) => format!("${name}"),
            None => name.to_string(),
        };
        self.error(t, &format!("{shown}: unbound variable"));
        Ctl::Fatal
    }

    /// Expand an operator's word into the current field(s).
    fn expand_operand(&mut self, t: &mut Task, word: &str, quoted: bool, acc: &mut Acc) -> Result<(), Ctl> {
        let parts = if quoted { dq_operand(word) } else { lex::lex(word, false) };
        self.expand_parts(t, &parts, quoted, acc)
    }

    fn operand_string(&mut self, t: &mut Task, word: &str, quoted: bool) -> Result<String, Ctl> {
        let parts = if quoted { dq_operand(word) } else { lex::lex(word, false) };
        self.expand_parts_to_string(t, &parts)
    }

    /// Append a value to the fields being built.
    pub fn push_val(&mut self, v: PVal, quoted: bool, acc: &mut Acc) -> Result<(), Ctl> {
        match v {
            PVal::Unset => {}
            PVal::Str(s) => acc.push(&s, quoted),
            PVal::List(items, star) => {
                if quoted && star {
                    let sep = self.ifs().chars().next().map(String::from).unwrap_or_default();
                    acc.push(&items.join(&sep), true);
                } else {
                    acc.saw_at = true;
                    for (i, it) in items.iter().enumerate() {
                        if i > 0 {
                            acc.break_field();
                        }
                        if quoted && it.is_empty() {
                            acc.push_empty_mark();
                        }
                        acc.push(it, quoted);
                    }
                }
            }
        }
        Ok(())
    }

    /// The value of a parameter (`name`, optionally `name[index]`).
    pub fn param_value(&mut self, t: &mut Task, name: &str, index: Option<&str>) -> Result<PVal, Ctl> {
        if let Some(first) = name.chars().next()
            && !(first.is_ascii_alphabetic() || first == '_')
        {
            return Ok(self.special(name));
        }
        match index {
            Some("@") | Some("*") => {
                let star = index == Some("*");
                let items = match self.var_value(t, name) {
                    Some(v) => v.values(),
                    None => Vec::new(),
                };
                Ok(PVal::List(items, star))
            }
            Some(idx) => {
                let Some(v) = self.var_value(t, name) else { return Ok(PVal::Unset) };
                Ok(match v {
                    Value::Assoc(m) => {
                        let key = self.expand_str(t, idx)?;
                        m.get(&key).cloned().map(PVal::Str).unwrap_or(PVal::Unset)
                    }
                    Value::Indexed(m) => {
                        let mut i = self.arith_expand(t, idx)?;
                        if i < 0 {
                            i += m.keys().next_back().map(|k| k + 1).unwrap_or(0);
                        }
                        m.get(&i).cloned().map(PVal::Str).unwrap_or(PVal::Unset)
                    }
                    Value::Str(s) => {
                        if self.arith(t, idx)? == 0 {
                            PVal::Str(s)
                        } else {
                            PVal::Unset
                        }
                    }
                })
            }
            None => Ok(match self.var_value(t, name) {
                Some(v) => v.scalar().map(|s| PVal::Str(s.to_string())).unwrap_or(PVal::Unset),
                None => PVal::Unset,
            }),
        }
    }

    /// A variable's value, including the dynamic ones.
    pub fn var_value(&mut self, t: &Task, name: &str) -> Option<Value> {
        match name {
            "RANDOM" => {
                let mut b = [0u8; 2];
                t.random(&mut b);
                return Some(Value::Str((u16::from_le_bytes(b) & 0x7fff).to_string()));
            }
            "LINENO" => return Some(Value::Str(self.lineno.to_string())),
            "SECONDS" => {
                let now = t.monotonic();
                return Some(Value::Str((now.sec - self.start.sec).to_string()));
            }
            "FUNCNAME" if !self.funcnames.is_empty() => {
                let mut v: Vec<String> = self.funcnames.iter().rev().cloned().collect();
                v.push("main".into());
                return Some(Value::Indexed(v.into_iter().enumerate().map(|(i, s)| (i as i64, s)).collect()));
            }
            "BASH_SUBSHELL" => return Some(Value::Str(self.subshell.to_string())),
            "BASHPID" => return Some(Value::Str(t.pid().to_string())),
            "BASH_SOURCE" => {
                let src = self.source_file.clone()?;
                return Some(Value::Indexed([(0, src)].into()));
            }
            "DIRSTACK" => {
                let mut v = vec![self.vars.get_str("PWD").unwrap_or_default().to_string()];
                v.extend(self.dir_stack.iter().rev().cloned());
                return Some(Value::Indexed(v.into_iter().enumerate().map(|(i, s)| (i as i64, s)).collect()));
            }
            _ => {}
        }
        self.vars.get(name).and_then(|v| v.value.clone())
    }

    fn special(&mut self, name: &str) -> PVal {
        match name {
            "@" => PVal::List(self.positional.clone(), false),
            "*" => PVal::List(self.positional.clone(), true),
            "#" => PVal::Str(self.positional.len().to_string()),
            "?" => PVal::Str(self.status.to_string()),
            "-" => PVal::Str(self.dash_flags()),
            "$" => PVal::Str(self.shell_pid.to_string()),
            "!" => self.last_bg.map(|p| PVal::Str(p.to_string())).unwrap_or(PVal::Unset),
            "0" => PVal::Str(self.arg0.clone()),
            n => match n.parse::<usize>() {
                Ok(i) if i >= 1 => self.positional.get(i - 1).cloned().map(PVal::Str).unwrap_or(PVal::Unset),
                _ => PVal::Unset,
            },
        }
    }
}

/// `name` or `name[index]` from an indirect reference's value.
fn split_ref(s: &str) -> Option<(String, Option<String>)> {
    if let Some(open) = s.find('[')
        && s.ends_with(']')
    {
        let name = &s[..open];
        return crate::vars::is_name(name).then(|| (name.to_string(), Some(s[open + 1..s.len() - 1].to_string())));
    }
    let ok = crate::vars::is_name(s)
        || (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
        || matches!(s, "@" | "*" | "#" | "?" | "-" | "$" | "!");
    ok.then(|| (s.to_string(), None))
}

/// Operand words inside double quotes: inner `"..."` still group, but
/// single quotes are ordinary characters.
fn dq_operand(word: &str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut rest = word;
    while let Some(i) = rest.find('"') {
        out.extend(lex::lex_mode(&rest[..i], lex::Mode::Double));
        let after = &rest[i + 1..];
        let end = after.find('"').unwrap_or(after.len());
        out.extend(lex::lex_mode(&after[..end], lex::Mode::Double));
        rest = if end < after.len() { &after[end + 1..] } else { "" };
    }
    out.extend(lex::lex_mode(rest, lex::Mode::Double));
    out
}

/// Resolve `${x:off:len}` bounds on a sequence of `n` items.
fn slice(n: usize, off: i64, len: Option<i64>) -> Option<(usize, usize)> {
    let n = n as i64;
    let start = if off < 0 { n + off } else { off };
    if start < 0 || start > n {
        return None;
    }
    let end = match len {
        None => n,
        Some(l) if l < 0 => n + l,
        Some(l) => (start + l).min(n),
    };
    (end >= start).then_some((start as usize, end as usize))
}

/// `${s#pat}`, `${s##pat}`, `${s%pat}`, `${s%%pat}`.
pub fn remove(s: &str, pat: &Pattern, suffix: bool, longest: bool) -> String {
    let c: Vec<char> = s.chars().collect();
    let n = c.len();
    let order: Vec<usize> = if longest { (0..=n).rev().collect() } else { (0..=n).collect() };
    for k in order {
        if suffix {
            if pat.matches_chars(&c[n - k..]) {
                return c[..n - k].iter().collect();
            }
        } else if pat.matches_chars(&c[..k]) {
            return c[k..].iter().collect();
        }
    }
    s.to_string()
}

/// `${s/pat/rep}` in its four modes.
pub fn replace(s: &str, pat: &Pattern, empty_pat: bool, rep: &str, mode: char) -> String {
    let c: Vec<char> = s.chars().collect();
    let n = c.len();
    match mode {
        '#' => {
            for k in (0..=n).rev() {
                if pat.matches_chars(&c[..k]) {
                    return format!("{rep}{}", c[k..].iter().collect::<String>());
                }
            }
            s.to_string()
        }
        '%' => {
            for i in 0..=n {
                if pat.matches_chars(&c[i..]) {
                    return format!("{}{rep}", c[..i].iter().collect::<String>());
                }
            }
            s.to_string()
        }
        _ => {
            if empty_pat {
                return s.to_string();
            }
            let mut out = String::new();
            let mut i = 0;
            let mut replaced = false;
            while i < n {
                let hit = if mode == '1' && replaced {
                    None
                } else {
                    (i + 1..=n).rev().find(|&k| pat.matches_chars(&c[i..k]))
                };
                match hit {
                    Some(k) => {
                        out.push_str(rep);
                        i = k;
                        replaced = true;
                    }
                    None => {
                        out.push(c[i]);
                        i += 1;
                    }
                }
            }
            out
        }
    }
}

/// `^`, `^^`, `,`, `,,` with an optional pattern of characters to change.
fn case_map(s: &str, upper: bool, all: bool, pat: Option<&Pattern>) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, ch) in s.chars().enumerate() {
        let eligible = (all || i == 0) && pat.is_none_or(|p| p.matches_chars(&[ch]));
        if eligible {
            if upper {
                out.extend(ch.to_uppercase());
            } else {
                out.extend(ch.to_lowercase());
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// Quote a string for reuse as shell input, the way `${x@Q}` does.
pub fn quote(s: &str) -> String {
    if s.chars().any(|c| c.is_control()) {
        let mut out = String::from("$'");
        for c in s.chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\x1b' => out.push_str("\\E"),
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\{:03o}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('\'');
        return out;
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal() {
        let p = "/usr/local/lib/file.tar.gz";
        assert_eq!(remove(p, &Pattern::new("*/"), false, false), "usr/local/lib/file.tar.gz");
        assert_eq!(remove(p, &Pattern::new("*/"), false, true), "file.tar.gz");
        assert_eq!(remove(p, &Pattern::new(".*"), true, false), "/usr/local/lib/file.tar");
        assert_eq!(remove(p, &Pattern::new(".*"), true, true), "/usr/local/lib/file");
        assert_eq!(remove("abc", &Pattern::new("z*"), false, false), "abc");
    }

    #[test]
    fn replacing() {
        assert_eq!(replace("a-b-c-d", &Pattern::new("-"), false, "_", '1'), "a_b-c-d");
        assert_eq!(replace("a-b-c-d", &Pattern::new("-"), false, "_", 'a'), "a_b_c_d");
        assert_eq!(replace("abcabc", &Pattern::new("abc"), false, "X", '#'), "Xabc");
        assert_eq!(replace("abcabc", &Pattern::new("abc"), false, "Y", '%'), "abcY");
        assert_eq!(replace("abcabc", &Pattern::new("b"), false, "Z", '#'), "abcabc");
        assert_eq!(replace("hello world", &Pattern::new("o*"), false, "0", '1'), "hell0");
        assert_eq!(replace("hello world", &Pattern::new("[lo]"), false, ".", 'a'), "he... w.r.d");
    }

    #[test]
    fn casing_and_quoting() {
        assert_eq!(case_map("hello World", true, false, None), "Hello World");
        assert_eq!(case_map("HELLO", false, true, Some(&Pattern::new("[LO]"))), "HEllo");
        assert_eq!(case_map("banana", true, true, Some(&Pattern::new("a"))), "bAnAnA");
        assert_eq!(quote("it's a test"), "'it'\\''s a test'");
        assert_eq!(quote("a\tb"), "$'a\\tb'");
        assert_eq!(slice(8, -2, None), Some((6, 8)));
        assert_eq!(slice(8, 2, Some(-2)), Some((2, 6)));
    }
}
