//! Shell arithmetic: `$(( ))`, `(( ))`, `let`, array subscripts and
//! integer variables. A recursive-descent evaluator that, like bash's
//! `expr.c`, evaluates while it parses (so `&&`, `||` and `?:` skip the side
//! effects and errors of the branch not taken) and reports errors with the
//! same "error token" bash prints: the text from the last token read.
//!
//! Values are 64-bit with wrapping overflow, as in bash.

/// Where arithmetic reads and writes variables.
pub trait ArithEnv {
    /// The value of `name` (or `name[index]`), `None` if unset.
    fn get_var(&mut self, name: &str, index: Option<&str>) -> Result<Option<String>, ArithError>;
    /// Assign an integer to `name` (or `name[index]`).
    fn set_var(&mut self, name: &str, index: Option<&str>, value: i64) -> Result<(), ArithError>;
}

/// Why an expression failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArithError {
    /// A message bash prints as `expr: msg (error token is "tok")`.
    Expr { msg: &'static str, token: String },
    /// An unset variable under `set -u` (fatal to the shell).
    Unbound(String),
    /// Any other message, printed as is after the line prefix.
    Other(String),
}

impl ArithError {
    /// The text after `bash: line N: `.
    pub fn message(&self, expr: &str) -> String {
        match self {
            ArithError::Expr { msg, token } => format!("{expr}: {msg} (error token is \"{token}\")"),
            ArithError::Unbound(name) => format!("{name}: unbound variable"),
            ArithError::Other(m) => m.clone(),
        }
    }
}

/// Recursion guard for variables whose values are expressions.
const MAX_DEPTH: u32 = 1024;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(i64),
    /// A variable name with its raw subscript, if any.
    Var(String, Option<String>),
    Op(&'static str),
    LParen,
    RParen,
    Eof,
}

const OPS: [&str; 40] = [
    "<<=", ">>=", "**=", "&&", "||", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=",
    "%=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "!", "~", "&", "^", "|", "?", ":", "=", ",", "[", "]",
];

struct Eval<'a> {
    src: &'a str,
    pos: usize,
    /// Start of the last token read (bash's `lasttp`), for error messages.
    last: usize,
    tok: Tok,
    /// Non-zero while evaluating a branch whose value is discarded.
    noeval: u32,
    env: &'a mut dyn ArithEnv,
    depth: u32,
}

/// Evaluate `src` as an arithmetic expression. An empty expression is 0.
pub fn eval(src: &str, env: &mut dyn ArithEnv) -> Result<i64, ArithError> {
    eval_depth(src, env, 0)
}

fn eval_depth(src: &str, env: &mut dyn ArithEnv, depth: u32) -> Result<i64, ArithError> {
    if depth > MAX_DEPTH {
        return Err(ArithError::Expr { msg: "expression recursion level exceeded", token: src.trim().to_string() });
    }
    let mut e = Eval { src, pos: 0, last: 0, tok: Tok::Eof, noeval: 0, env, depth };
    e.next()?;
    if e.tok == Tok::Eof {
        return Ok(0);
    }
    let v = e.comma()?;
    if e.tok != Tok::Eof {
        return Err(e.err("syntax error in expression"));
    }
    Ok(v)
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Parse an integer constant the way bash does: decimal, `0x` hex,
/// leading-zero octal, or `base#digits`. `None` if it is not valid.
pub fn parse_number(s: &str) -> Result<i64, &'static str> {
    let b = s.as_bytes();
    let (base, digits) = if let Some(i) = s.find('#') {
        let base: i64 = s[..i].parse().map_err(|_| "invalid arithmetic base")?;
        if !(2..=64).contains(&base) {
            return Err("invalid arithmetic base");
        }
        (base, &s[i + 1..])
    } else if b.len() > 1 && b[0] == b'0' && (b[1] == b'x' || b[1] == b'X') {
        (16, &s[2..])
    } else if b.len() > 1 && b[0] == b'0' {
        (8, &s[1..])
    } else {
        (10, s)
    };
    if digits.is_empty() {
        return if base == 16 || s.contains('#') { Err("invalid integer constant") } else { Ok(0) };
    }
    let mut v: i64 = 0;
    for c in digits.bytes() {
        let d = match c {
            b'0'..=b'9' => (c - b'0') as i64,
            b'a'..=b'z' => (c - b'a') as i64 + 10,
            b'A'..=b'Z' => (c - b'A') as i64 + if base <= 36 { 10 } else { 36 },
            b'@' => 62,
            b'_' => 63,
            _ => return Err("invalid number"),
        };
        if d >= base {
            return Err("value too great for base");
        }
        v = v.wrapping_mul(base).wrapping_add(d);
    }
    Ok(v)
}

impl Eval<'_> {
    fn err(&self, msg: &'static str) -> ArithError {
        ArithError::Expr { msg, token: self.src[self.last..].to_string() }
    }

    /// Read the next token into `self.tok`.
    fn next(&mut self) -> Result<(), ArithError> {
        let b = self.src.as_bytes();
        while self.pos < b.len() && b[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        if self.pos >= b.len() {
            self.tok = Tok::Eof;
            return Ok(());
        }
        self.last = self.pos;
        let c = b[self.pos];
        if c.is_ascii_digit() {
            let start = self.pos;
            while self.pos < b.len() && (is_name_char(b[self.pos]) || b[self.pos] == b'#' || b[self.pos] == b'@') {
                self.pos += 1;
            }
            let text = &self.src[start..self.pos];
            self.tok = Tok::Num(parse_number(text).map_err(|m| self.err(m))?);
            return Ok(());
        }
        if is_name_start(c) {
            let start = self.pos;
            while self.pos < b.len() && is_name_char(b[self.pos]) {
                self.pos += 1;
            }
            let name = self.src[start..self.pos].to_string();
            let mut p = self.pos;
            while p < b.len() && b[p].is_ascii_whitespace() {
                p += 1;
            }
            let mut index = None;
            if p < b.len() && b[p] == b'[' {
                let mut depth = 0;
                let mut q = p;
                while q < b.len() {
                    match b[q] {
                        b'[' => depth += 1,
                        b']' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    q += 1;
                }
                if q >= b.len() {
                    return Err(self.err("syntax error: invalid arithmetic operator"));
                }
                index = Some(self.src[p + 1..q].to_string());
                self.pos = q + 1;
            }
            self.tok = Tok::Var(name, index);
            return Ok(());
        }
        match c {
            b'(' => {
                self.pos += 1;
                self.tok = Tok::LParen;
                return Ok(());
            }
            b')' => {
                self.pos += 1;
                self.tok = Tok::RParen;
                return Ok(());
            }
            _ => {}
        }
        for op in OPS {
            if self.src[self.pos..].starts_with(op) {
                self.pos += op.len();
                self.tok = Tok::Op(op);
                return Ok(());
            }
        }
        Err(self.err("syntax error: invalid arithmetic operator"))
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(&self.tok, Tok::Op(o) if *o == op)
    }

    fn comma(&mut self) -> Result<i64, ArithError> {
        let mut v = self.assign()?;
        while self.is_op(",") {
            self.next()?;
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> Result<i64, ArithError> {
        // An assignment needs a variable followed by an assignment operator;
        // look ahead without consuming.
        if let Tok::Var(name, index) = self.tok.clone() {
            let save = (self.pos, self.last);
            self.next()?;
            let op = match &self.tok {
                Tok::Op(o) if o.ends_with('=') && !matches!(*o, "==" | "!=" | "<=" | ">=") => Some(*o),
                _ => None,
            };
            if let Some(op) = op {
                self.next()?;
                let rhs = self.assign()?;
                if self.noeval > 0 {
                    return Ok(rhs);
                }
                let v = if op == "=" {
                    rhs
                } else {
                    let cur = self.var_value(&name, index.as_deref())?;
                    self.binop(&op[..op.len() - 1], cur, rhs)?
                };
                self.env.set_var(&name, index.as_deref(), v)?;
                return Ok(v);
            }
            // Not an assignment: rewind to just after the variable token.
            self.pos = save.0;
            self.last = save.1;
            self.tok = Tok::Var(name, index);
        }
        self.ternary()
    }

    fn ternary(&mut self) -> Result<i64, ArithError> {
        let c = self.binary(0)?;
        if !self.is_op("?") {
            return Ok(c);
        }
        self.next()?;
        if c == 0 {
            self.noeval += 1;
        }
        let a = self.assign()?;
        if c == 0 {
            self.noeval -= 1;
        }
        if !self.is_op(":") {
            return Err(self.err("`:' expected for conditional expression"));
        }
        self.next()?;
        if c != 0 {
            self.noeval += 1;
        }
        let b = self.assign()?;
        if c != 0 {
            self.noeval -= 1;
        }
        Ok(if c != 0 { a } else { b })
    }

    /// Binary operators by precedence level (lowest first).
    fn binary(&mut self, level: usize) -> Result<i64, ArithError> {
        const LEVELS: [&[&str]; 10] = [
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<=", ">=", "<", ">"],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level == LEVELS.len() {
            return self.power();
        }
        let mut v = self.binary(level + 1)?;
        loop {
            let op = match &self.tok {
                Tok::Op(o) if LEVELS[level].contains(o) => *o,
                _ => return Ok(v),
            };
            self.next()?;
            let short = (op == "&&" && v == 0) || (op == "||" && v != 0);
            if short {
                self.noeval += 1;
            }
            let rhs = self.binary(level + 1)?;
            if short {
                self.noeval -= 1;
            }
            v = self.binop(op, v, rhs)?;
        }
    }

    fn power(&mut self) -> Result<i64, ArithError> {
        let base = self.unary()?;
        if self.is_op("**") {
            self.next()?;
            let exp = self.power()?;
            return self.binop("**", base, exp);
        }
        Ok(base)
    }

    fn binop(&self, op: &str, a: i64, b: i64) -> Result<i64, ArithError> {
        if self.noeval > 0 && matches!(op, "/" | "%" | "**") {
            return Ok(0);
        }
        Ok(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" => {
                if b == 0 {
                    return Err(self.err("division by 0"));
                }
                if op == "/" { a.wrapping_div(b) } else { a.wrapping_rem(b) }
            }
            "**" => {
                if b < 0 {
                    return Err(self.err("exponent less than 0"));
                }
                let mut r: i64 = 1;
                for _ in 0..b.min(64) {
                    r = r.wrapping_mul(a);
                }
                if b > 64 && a != 0 && a != 1 && a != -1 {
                    0
                } else if b > 64 && a == -1 {
                    if b % 2 == 0 { 1 } else { -1 }
                } else {
                    r
                }
            }
            "<<" => a.wrapping_shl(b as u32),
            ">>" => a.wrapping_shr(b as u32),
            "<" => (a < b) as i64,
            ">" => (a > b) as i64,
            "<=" => (a <= b) as i64,
            ">=" => (a >= b) as i64,
            "==" => (a == b) as i64,
            "!=" => (a != b) as i64,
            "&" => a & b,
            "|" => a | b,
            "^" => a ^ b,
            "&&" => (a != 0 && b != 0) as i64,
            "||" => (a != 0 || b != 0) as i64,
            _ => return Err(self.err("syntax error: invalid arithmetic operator")),
        })
    }

    fn unary(&mut self) -> Result<i64, ArithError> {
        match self.tok.clone() {
            Tok::Op(op @ ("-" | "+" | "!" | "~")) => {
                self.next()?;
                let v = self.unary()?;
                Ok(match op {
                    "-" => v.wrapping_neg(),
                    "+" => v,
                    "!" => (v == 0) as i64,
                    _ => !v,
                })
            }
            Tok::Op(op @ ("++" | "--")) => {
                self.next()?;
                let Tok::Var(name, index) = self.tok.clone() else {
                    // `++5` is two unary pluses in bash.
                    return self.unary();
                };
                self.next()?;
                let cur = self.var_value(&name, index.as_deref())?;
                let v = if op == "++" { cur.wrapping_add(1) } else { cur.wrapping_sub(1) };
                if self.noeval == 0 {
                    self.env.set_var(&name, index.as_deref(), v)?;
                }
                Ok(v)
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Result<i64, ArithError> {
        match self.tok.clone() {
            Tok::Num(n) => {
                self.next()?;
                if matches!(self.tok, Tok::Num(_) | Tok::Var(..)) {
                    return Err(self.err("syntax error in expression"));
                }
                Ok(n)
            }
            Tok::Var(name, index) => {
                self.next()?;
                let cur = self.var_value(&name, index.as_deref())?;
                if self.is_op("++") || self.is_op("--") {
                    let inc = self.is_op("++");
                    self.next()?;
                    if self.noeval == 0 {
                        let v = if inc { cur.wrapping_add(1) } else { cur.wrapping_sub(1) };
                        self.env.set_var(&name, index.as_deref(), v)?;
                    }
                    return Ok(cur);
                }
                if matches!(self.tok, Tok::Num(_) | Tok::Var(..)) {
                    return Err(self.err("syntax error in expression"));
                }
                Ok(cur)
            }
            Tok::LParen => {
                self.next()?;
                let v = self.comma()?;
                if self.tok != Tok::RParen {
                    return Err(self.err("missing `)'"));
                }
                self.next()?;
                Ok(v)
            }
            _ => Err(self.err("syntax error: operand expected")),
        }
    }

    /// The integer value of a variable: its text evaluated as an
    /// expression (empty or unset is 0).
    fn var_value(&mut self, name: &str, index: Option<&str>) -> Result<i64, ArithError> {
        if self.noeval > 0 {
            return Ok(0);
        }
        let text = self.env.get_var(name, index)?.unwrap_or_default();
        let t = text.trim();
        if t.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = t.parse::<i64>() {
            return Ok(n);
        }
        eval_depth(t, self.env, self.depth + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Env(HashMap<String, String>);
    impl ArithEnv for Env {
        fn get_var(&mut self, name: &str, _: Option<&str>) -> Result<Option<String>, ArithError> {
            Ok(self.0.get(name).cloned())
        }
        fn set_var(&mut self, name: &str, _: Option<&str>, v: i64) -> Result<(), ArithError> {
            self.0.insert(name.to_string(), v.to_string());
            Ok(())
        }
    }

    fn ev(s: &str) -> Result<i64, String> {
        let mut env = Env(HashMap::new());
        env.0.insert("x".into(), "5".into());
        env.0.insert("e".into(), "2+3".into());
        eval(s, &mut env).map_err(|e| e.message(s))
    }

    #[test]
    fn operators() {
        assert_eq!(ev("1+2*3"), Ok(7));
        assert_eq!(ev("2**3**2"), Ok(512));
        assert_eq!(ev("-2**2"), Ok(4));
        assert_eq!(ev("-7/2"), Ok(-3));
        assert_eq!(ev("-7%2"), Ok(-1));
        assert_eq!(ev("~0"), Ok(-1));
        assert_eq!(ev("x>3 ? 100 : 200"), Ok(100));
        assert_eq!(ev("e*2"), Ok(10));
        assert_eq!(ev("a=1, b=2, a+b"), Ok(3));
        assert_eq!(ev("x++ + x"), Ok(11));
        assert_eq!(ev("0 && 1/0"), Ok(0));
        assert_eq!(ev(""), Ok(0));
        assert_eq!(ev("2**63"), Ok(i64::MIN));
        assert_eq!(ev("2**64"), Ok(0));
    }

    #[test]
    fn bases() {
        assert_eq!(ev("0x1F"), Ok(31));
        assert_eq!(ev("010"), Ok(8));
        assert_eq!(ev("2#101"), Ok(5));
        assert_eq!(ev("64#@"), Ok(62));
        assert_eq!(ev("64#_"), Ok(63));
        assert_eq!(ev("37#A"), Ok(36));
        assert_eq!(ev("36#z"), Ok(35));
    }

    #[test]
    fn errors() {
        assert_eq!(ev("1 +* 2"), Err("1 +* 2: syntax error: operand expected (error token is \"* 2\")".into()));
        assert_eq!(ev("3 3"), Err("3 3: syntax error in expression (error token is \"3\")".into()));
        assert_eq!(ev("1/0"), Err("1/0: division by 0 (error token is \"0\")".into()));
        assert_eq!(ev("08"), Err("08: value too great for base (error token is \"08\")".into()));
        assert_eq!(ev("2**-1"), Err("2**-1: exponent less than 0 (error token is \"1\")".into()));
        assert_eq!(ev("1+"), Err("1+: syntax error: operand expected (error token is \"+\")".into()));
    }
}
