//! `expr EXPRESSION`: evaluate an expression given as separate arguments,
//! with GNU expr's grammar, from loosest to tightest binding:
//! `|`, `&`, comparisons (`< <= = == != >= >`), `+ -`, `* / %`, `:`, then
//! `match`, `substr`, `index`, `length`, `+ TOKEN` and parentheses.
//!
//! Exit status: 0 when the result is neither null nor 0, 1 when it is, 2
//! for a syntax error, 3 for other errors (division by zero, bad regex).

use agentos_kernel::Task;

use crate::util;

const NAME: &str = "expr";

/// A value: expr's integers are arbitrary precision; i128 covers use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    Int(i128),
    Str(String),
}

impl Val {
    fn to_text(&self) -> String {
        match self {
            Val::Int(n) => n.to_string(),
            Val::Str(s) => s.clone(),
        }
    }

    /// The integer this value denotes, if it looks like one.
    fn as_int(&self) -> Option<i128> {
        match self {
            Val::Int(n) => Some(*n),
            Val::Str(s) => parse_int(s),
        }
    }

    /// Null or zero (GNU `null()`): the empty string, or a string of an
    /// optional `-` and only zeros.
    fn is_null(&self) -> bool {
        match self {
            Val::Int(n) => *n == 0,
            Val::Str(s) => {
                let d = s.strip_prefix('-').unwrap_or(s);
                s.is_empty() || (!d.is_empty() && d.bytes().all(|b| b == b'0'))
            }
        }
    }
}

fn parse_int(s: &str) -> Option<i128> {
    let d = s.strip_prefix('-').unwrap_or(s);
    if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Why evaluation failed: the message, and the exit status (2 or 3).
#[derive(Debug, PartialEq, Eq)]
pub struct Fail(pub String, pub i32);

fn syntax(msg: String) -> Fail {
    Fail(msg, 2)
}

struct Parser<'a> {
    args: &'a [String],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(|s| s.as_str())
    }

    fn eat(&mut self, tok: &str) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn missing_after(&self) -> Fail {
        let prev = self.args[self.pos - 1].clone();
        syntax(format!("syntax error: missing argument after {}", util::quote(&prev)))
    }

    fn or(&mut self) -> Result<Val, Fail> {
        let mut l = self.and()?;
        while self.eat("|") {
            let r = self.and()?;
            l = if !l.is_null() {
                l
            } else if !r.is_null() {
                r
            } else {
                Val::Int(0)
            };
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Val, Fail> {
        let mut l = self.cmp()?;
        while self.eat("&") {
            let r = self.cmp()?;
            l = if l.is_null() || r.is_null() { Val::Int(0) } else { l };
        }
        Ok(l)
    }

    fn cmp(&mut self) -> Result<Val, Fail> {
        let mut l = self.add()?;
        loop {
            let op = match self.peek() {
                Some(o @ ("<" | "<=" | "=" | "==" | "!=" | ">=" | ">")) => o.to_string(),
                _ => return Ok(l),
            };
            self.pos += 1;
            let r = self.add()?;
            let ord = match (l.as_int(), r.as_int()) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => l.to_text().as_bytes().cmp(r.to_text().as_bytes()),
            };
            let t = match op.as_str() {
                "<" => ord.is_lt(),
                "<=" => ord.is_le(),
                "=" | "==" => ord.is_eq(),
                "!=" => ord.is_ne(),
                ">=" => ord.is_ge(),
                _ => ord.is_gt(),
            };
            l = Val::Int(t as i128);
        }
    }

    fn arith(l: &Val, r: &Val, op: &str) -> Result<Val, Fail> {
        let (Some(a), Some(b)) = (l.as_int(), r.as_int()) else {
            return Err(Fail("non-integer argument".into(), 2));
        };
        let v = match op {
            "+" => a.checked_add(b),
            "-" => a.checked_sub(b),
            "*" => a.checked_mul(b),
            _ if b == 0 => return Err(Fail("division by zero".into(), 2)),
            "/" => a.checked_div(b),
            _ => a.checked_rem(b),
        };
        v.map(Val::Int).ok_or_else(|| Fail("result is too large".into(), 3))
    }

    fn add(&mut self) -> Result<Val, Fail> {
        let mut l = self.mul()?;
        while let Some(op @ ("+" | "-")) = self.peek() {
            let op = op.to_string();
            self.pos += 1;
            let r = self.mul()?;
            l = Self::arith(&l, &r, &op)?;
        }
        Ok(l)
    }

    fn mul(&mut self) -> Result<Val, Fail> {
        let mut l = self.colon()?;
        while let Some(op @ ("*" | "/" | "%")) = self.peek() {
            let op = op.to_string();
            self.pos += 1;
            let r = self.colon()?;
            l = Self::arith(&l, &r, &op)?;
        }
        Ok(l)
    }

    fn colon(&mut self) -> Result<Val, Fail> {
        let mut l = self.primary()?;
        while self.eat(":") {
            let r = self.primary()?;
            l = regex_match(&l.to_text(), &r.to_text())?;
        }
        Ok(l)
    }

    fn primary(&mut self) -> Result<Val, Fail> {
        let Some(tok) = self.peek().map(str::to_string) else {
            return Err(if self.pos == 0 {
                syntax("syntax error: missing argument".into())
            } else {
                self.missing_after()
            });
        };
        self.pos += 1;
        let need = |p: &mut Self| -> Result<String, Fail> {
            match p.peek() {
                Some(s) => {
                    let s = s.to_string();
                    p.pos += 1;
                    Ok(s)
                }
                None => Err(p.missing_after()),
            }
        };
        match tok.as_str() {
            "(" => {
                let v = self.or()?;
                match self.peek() {
                    Some(")") => {
                        self.pos += 1;
                        Ok(v)
                    }
                    Some(t) => Err(syntax(format!("syntax error: expecting ')' instead of {}", util::quote(t)))),
                    None => Err(syntax(format!(
                        "syntax error: expecting ')' after {}",
                        util::quote(&self.args[self.pos - 1])
                    ))),
                }
            }
            ")" => Err(syntax("syntax error: unexpected ')'".into())),
            "+" => Ok(Val::Str(need(self)?)),
            "length" => Ok(Val::Int(need(self)?.len() as i128)),
            "match" => {
                let s = need(self)?;
                let r = need(self)?;
                regex_match(&s, &r)
            }
            "index" => {
                let s = need(self)?;
                let chars = need(self)?;
                let i = s.bytes().position(|b| chars.as_bytes().contains(&b)).map_or(0, |i| i + 1);
                Ok(Val::Int(i as i128))
            }
            "substr" => {
                let s = need(self)?;
                let pos = need(self)?;
                let len = need(self)?;
                let (p, l) = (parse_int(&pos).unwrap_or(0), parse_int(&len).unwrap_or(-1));
                let n = s.len() as i128;
                if p < 1 || p > n || l < 1 {
                    return Ok(Val::Str(String::new()));
                }
                let start = (p - 1) as usize;
                let end = (p - 1).saturating_add(l).min(n) as usize;
                Ok(Val::Str(String::from_utf8_lossy(&s.as_bytes()[start..end]).into_owned()))
            }
            _ => Ok(Val::Str(tok)),
        }
    }
}

/// Translate a POSIX basic regular expression to `regex` crate syntax.
pub fn bre_to_regex(bre: &str) -> Result<(String, usize), String> {
    let b: Vec<char> = bre.chars().collect();
    let mut out = String::new();
    let mut groups = 0;
    let mut i = 0;
    // Where a `*` is literal: at the start, after `\(`, after `\|` or `^`.
    let mut at_start = true;
    while i < b.len() {
        let c = b[i];
        let start_here = at_start;
        at_start = false;
        match c {
            '\\' if i + 1 < b.len() => {
                let n = b[i + 1];
                i += 2;
                match n {
                    '(' => {
                        groups += 1;
                        out.push('(');
                        at_start = true;
                    }
                    ')' => out.push(')'),
                    '{' => out.push('{'),
                    '}' => out.push('}'),
                    '|' => {
                        out.push('|');
                        at_start = true;
                    }
                    '+' | '?' => out.push(n),
                    '1'..='9' => return Err("back-references are not supported".into()),
                    'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(n);
                    }
                    '<' => out.push_str(r"\b"),
                    '>' => out.push_str(r"\b"),
                    'n' => out.push('\n'),
                    c => out.push_str(&regex_escape(c)),
                }
                continue;
            }
            '\\' => return Err("Trailing backslash".into()),
            '*' if start_here => out.push_str(r"\*"),
            '^' if start_here => {
                out.push('^');
                at_start = true;
            }
            '$' if i + 1 == b.len() || (b.get(i + 1) == Some(&'\\') && b.get(i + 2) == Some(&')')) => out.push('$'),
            '[' => {
                let (s, j) = bracket(&b, i)?;
                out.push_str(&s);
                i = j;
                continue;
            }
            '.' | '*' => out.push(c),
            c => out.push_str(&regex_escape(c)),
        }
        i += 1;
    }
    Ok((out, groups))
}

fn regex_escape(c: char) -> String {
    if "\\.+*?()|[]{}^$#&-~".contains(c) { format!("\\{c}") } else { c.to_string() }
}

/// A bracket expression starting at `b[i] == '['`; returns it translated
/// and the index after it.
fn bracket(b: &[char], mut i: usize) -> Result<(String, usize), String> {
    let mut out = String::from("[");
    i += 1;
    if b.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = b.get(i) else { return Err("Unmatched [, [^, [:, [., or [=".into()) };
        if c == ']' && !first {
            out.push(']');
            return Ok((out, i + 1));
        }
        first = false;
        if c == '[' && matches!(b.get(i + 1), Some(':' | '.' | '=')) {
            let kind = b[i + 1];
            let rest: String = b[i + 2..].iter().collect();
            let end = rest.find(&format!("{kind}]")).ok_or("Unmatched [, [^, [:, [., or [=")?;
            let name = &rest[..end];
            if kind == ':' {
                out.push_str(&format!("[:{name}:]"));
            } else {
                out.push_str(&name.chars().map(regex_escape).collect::<String>());
            }
            i += 2 + end + 2;
            continue;
        }
        match c {
            '-' => out.push('-'),
            c => out.push_str(&regex_escape(c)),
        }
        i += 1;
    }
}

/// `STRING : REGEX`, anchored at the start.
fn regex_match(s: &str, re: &str) -> Result<Val, Fail> {
    let (pat, groups) = bre_to_regex(re).map_err(|e| Fail(e, 2))?;
    let rx = regex::Regex::new(&format!("^(?s:{pat})")).map_err(|_| Fail("Invalid regular expression".into(), 2))?;
    match rx.captures(s) {
        Some(c) if groups > 0 => Ok(Val::Str(c.get(1).map_or("", |m| m.as_str()).to_string())),
        Some(c) => Ok(Val::Int(c.get(0).map_or(0, |m| m.as_str().len()) as i128)),
        None if groups > 0 => Ok(Val::Str(String::new())),
        None => Ok(Val::Int(0)),
    }
}

/// Evaluate an expression given as arguments.
pub fn eval(args: &[String]) -> Result<Val, Fail> {
    let mut p = Parser { args, pos: 0 };
    let v = p.or()?;
    if let Some(t) = p.peek() {
        return Err(syntax(format!("syntax error: unexpected argument {}", util::quote(t))));
    }
    Ok(v)
}

pub fn main(task: &mut Task) -> i32 {
    let mut args: Vec<String> = task.argv[1..].to_vec();
    match args.first().map(String::as_str) {
        Some("--help") if args.len() == 1 => return util::help(task, NAME, "EXPRESSION"),
        Some("--version") if args.len() == 1 => {
            util::out(task, b"expr (GNU coreutils) 9.1\n");
            return 0;
        }
        Some("--") => {
            args.remove(0);
        }
        _ => {}
    }
    if args.is_empty() {
        return usage_missing(task);
    }
    match eval(&args) {
        Ok(v) => {
            util::out(task, format!("{}\n", v.to_text()).as_bytes());
            if v.is_null() { 1 } else { 0 }
        }
        Err(Fail(msg, code)) => {
            util::error(task, NAME, &msg);
            code
        }
    }
}

fn usage_missing(task: &Task) -> i32 {
    util::usage_error(task, NAME, "missing operand", 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(s: &str) -> Result<String, Fail> {
        let a: Vec<String> = s.split(' ').map(String::from).collect();
        eval(&a).map(|v| v.to_text())
    }

    #[test]
    fn arithmetic_and_precedence() {
        assert_eq!(ev("1 + 2 * 3").unwrap(), "7");
        assert_eq!(ev("( 1 + 2 ) * 3").unwrap(), "9");
        assert_eq!(ev("7 / 2").unwrap(), "3");
        assert_eq!(ev("-7 % 3").unwrap(), "-1");
        assert_eq!(ev("10 - 2 - 3").unwrap(), "5");
        assert_eq!(ev("5 / 0"), Err(Fail("division by zero".into(), 2)));
        assert_eq!(ev("a + 1"), Err(Fail("non-integer argument".into(), 2)));
    }

    #[test]
    fn logic_and_comparison() {
        assert_eq!(ev("0 | 3").unwrap(), "3");
        assert_eq!(ev("0 | ").unwrap(), "0");
        assert_eq!(ev("a & 0").unwrap(), "0");
        assert_eq!(ev("a & b").unwrap(), "a");
        assert_eq!(ev("10 < 9").unwrap(), "0");
        assert_eq!(ev("10 < 9a").unwrap(), "1");
        assert_eq!(ev("abc = abc").unwrap(), "1");
    }

    #[test]
    fn strings_and_regex() {
        assert_eq!(ev("abcdef : abc").unwrap(), "3");
        assert_eq!(ev("abcdef : \\(b.*\\)").unwrap(), "");
        assert_eq!(ev("abcdef : a\\(b.\\)").unwrap(), "bc");
        assert_eq!(ev("foo.txt : .*\\.\\(.*\\)").unwrap(), "txt");
        assert_eq!(ev("aaa : a*").unwrap(), "3");
        assert_eq!(ev("length hello").unwrap(), "5");
        assert_eq!(ev("substr hello 2 3").unwrap(), "ell");
        assert_eq!(ev("index hello lo").unwrap(), "3");
        assert_eq!(ev("match ab12 [a-z]*").unwrap(), "2");
        assert_eq!(ev("+ length").unwrap(), "length");
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(ev("1 +"), Err(Fail("syntax error: missing argument after '+'".into(), 2)));
        assert_eq!(ev("1 2"), Err(Fail("syntax error: unexpected argument '2'".into(), 2)));
        assert_eq!(ev("( 1"), Err(Fail("syntax error: expecting ')' after '1'".into(), 2)));
    }
}
