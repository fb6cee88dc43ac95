//! awk's built-in functions: strings (`length substr index split sub gsub
//! gensub match sprintf tolower toupper`), arithmetic, `rand`/`srand`,
//! and the I/O functions `close fflush system`.

use std::rc::Rc;

use super::ast::{Expr, Special, Var};
use super::interp::{Cell, Interp, Res, fatal};
use super::lexer::Builtin;
use super::record::FieldSep;
use super::value::Value;

/// Expand a `sub`/`gsub` replacement: `&` is the match, `\&` a literal
/// `&`, `\\` a backslash (gawk's POSIX rules).
fn sub_repl(repl: &[u8], matched: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < repl.len() {
        match repl[i] {
            b'\\' if matches!(repl.get(i + 1), Some(b'\\' | b'&')) => {
                out.push(repl[i + 1]);
                i += 2;
            }
            b'&' => {
                out.extend_from_slice(matched);
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// Expand a `gensub` replacement: also `\0`..`\9`.
fn gensub_repl(repl: &[u8], caps: &regex::bytes::Captures<'_>, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < repl.len() {
        match repl[i] {
            b'\\' if i + 1 < repl.len() => {
                let e = repl[i + 1];
                match e {
                    b'0'..=b'9' => {
                        if let Some(m) = caps.get((e - b'0') as usize) {
                            out.extend_from_slice(m.as_bytes());
                        }
                    }
                    b'&' | b'\\' => out.push(e),
                    _ => {
                        out.push(b'\\');
                        out.push(e);
                    }
                }
                i += 2;
            }
            b'&' => {
                if let Some(m) = caps.get(0) {
                    out.extend_from_slice(m.as_bytes());
                }
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
}

impl Interp<'_> {
    fn warn(&mut self, msg: &str) {
        self.flush_all();
        let m = format!("awk: cmd. line:{}: warning: {msg}\n", self.line.max(1));
        let _ = self.task.write_all(2, m.as_bytes());
    }

    fn num_arg(&mut self, args: &[Expr], i: usize) -> Res<f64> {
        self.eval_num(&args[i])
    }

    fn array_arg(&mut self, e: &Expr) -> Res<Rc<std::cell::RefCell<super::array::Array>>> {
        match e {
            Expr::Var(v) => self.array(*v),
            _ => fatal("split: second argument is not an array"),
        }
    }

    pub fn builtin(&mut self, b: Builtin, args: &[Expr]) -> Res<Value> {
        use Builtin as B;
        let num = |n: f64| Ok(Value::Num(n));
        match b {
            B::Length => {
                let Some(a) = args.first() else { return num(self.record.text.len() as f64) };
                if let Expr::Var(v) = a {
                    let cell = match v {
                        Var::Global(i) => &self.globals[*i],
                        Var::Local(i) => &self.locals[self.base + i],
                    };
                    if let Cell::Arr(arr) = cell {
                        return num(arr.borrow().count() as f64);
                    }
                }
                let s = self.eval_str(a)?;
                num(s.len() as f64)
            }
            B::Substr => {
                let s = self.eval_str(&args[0])?;
                let m = self.num_arg(args, 1)?;
                let len = s.len() as f64;
                let start = if m.is_nan() { 1.0 } else { m.trunc().max(1.0) };
                let end = match args.get(2) {
                    Some(e) => {
                        let n = self.eval_num(e)?;
                        if n.is_nan() || n < 1.0 {
                            return Ok(Value::str(b""));
                        }
                        (start + n.trunc()).min(len + 1.0)
                    }
                    None => len + 1.0,
                };
                if start > len || end <= start {
                    return Ok(Value::str(b""));
                }
                Ok(Value::str(&s[start as usize - 1..end as usize - 1]))
            }
            B::Index => {
                let s = self.eval_str(&args[0])?;
                let t = self.eval_str(&args[1])?;
                let pos = if t.is_empty() {
                    1
                } else {
                    s.windows(t.len()).position(|w| w == &t[..]).map(|p| p + 1).unwrap_or(0)
                };
                num(pos as f64)
            }
            B::Split => self.split(args),
            B::Sub | B::Gsub => self.sub(b == B::Gsub, args),
            B::Gensub => self.gensub(args),
            B::Match => self.match_fn(args),
            B::Sprintf => Ok(Value::Str(Rc::from(self.sprintf(args)?))),
            B::Sin => num(self.num_arg(args, 0)?.sin()),
            B::Cos => num(self.num_arg(args, 0)?.cos()),
            B::Atan2 => {
                let y = self.num_arg(args, 0)?;
                let x = self.num_arg(args, 1)?;
                num(y.atan2(x))
            }
            B::Exp => num(self.num_arg(args, 0)?.exp()),
            B::Log => {
                let x = self.num_arg(args, 0)?;
                if x < 0.0 {
                    self.warn(&format!(
                        "log: received negative argument {}",
                        super::value::num_to_str(x, b"%.6g").escape_ascii()
                    ));
                    return num(-f64::NAN);
                }
                num(x.ln())
            }
            B::Sqrt => {
                let x = self.num_arg(args, 0)?;
                if x < 0.0 {
                    self.warn(&format!(
                        "sqrt: called with negative argument {}",
                        super::value::num_to_str(x, b"%.6g").escape_ascii()
                    ));
                    return num(-f64::NAN);
                }
                num(x.sqrt())
            }
            B::Int => num(self.num_arg(args, 0)?.trunc()),
            B::Rand => {
                // A 64-bit LCG; the top 53 bits make the fraction.
                self.rng = self.rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                num((self.rng >> 11) as f64 / (1u64 << 53) as f64)
            }
            B::Srand => {
                let prev = self.seed;
                self.seed = match args.first() {
                    Some(e) => self.eval_num(e)?.trunc(),
                    None => self.task.now().sec as f64,
                };
                self.rng = self.seed as i64 as u64;
                num(prev)
            }
            B::Tolower | B::Toupper => {
                let s = self.eval_str(&args[0])?;
                let v: Vec<u8> = if b == B::Tolower { s.to_ascii_lowercase() } else { s.to_ascii_uppercase() };
                Ok(Value::Str(Rc::from(v)))
            }
            B::System => {
                let c = self.eval_str(&args[0])?;
                num(self.system(&c))
            }
            B::Close => {
                let n = self.eval_str(&args[0])?;
                num(self.close_stream(&n))
            }
            B::Fflush => {
                let n = match args.first() {
                    Some(e) => Some(self.eval_str(e)?),
                    None => None,
                };
                num(self.fflush(n.as_deref()))
            }
            B::Systime => num(self.task.now().sec as f64),
        }
    }

    fn split(&mut self, args: &[Expr]) -> Res<Value> {
        let s = self.eval_str(&args[0])?;
        let arr = self.array_arg(&args[1])?;
        let fs = match args.get(2) {
            None => self.fs.clone(),
            Some(Expr::Regex(i)) => FieldSep::Regex(self.regex_lits[*i].clone()),
            Some(e) => {
                let f = self.eval_str(e)?;
                self.field_sep(&f)?
            }
        };
        let seps = match args.get(3) {
            Some(e) => Some(self.array_arg(e)?),
            None => None,
        };
        let mut ranges = Vec::new();
        fs.split(&s, false, &mut ranges);
        let mut a = arr.borrow_mut();
        a.clear();
        for (i, &(x, y)) in ranges.iter().enumerate() {
            a.set(Rc::from((i + 1).to_string().as_bytes()), Value::input(&s[x..y]));
        }
        if let Some(seps) = seps {
            let mut sp = seps.borrow_mut();
            sp.clear();
            let blank = matches!(fs, FieldSep::Blank);
            for i in 0..=ranges.len() {
                let from = if i == 0 { 0 } else { ranges[i - 1].1 };
                let to = if i == ranges.len() { s.len() } else { ranges[i].0 };
                let inner = i > 0 && i < ranges.len();
                if inner || (blank && from < to) {
                    sp.set(Rc::from(i.to_string().as_bytes()), Value::str(&s[from..to]));
                }
            }
        }
        Ok(Value::Num(ranges.len() as f64))
    }

    fn sub(&mut self, global: bool, args: &[Expr]) -> Res<Value> {
        let re = self.regex_of(&args[0])?;
        let repl = self.eval_str(&args[1])?;
        let dollar0 = Expr::Field(Box::new(Expr::Num(0.0)));
        let target = args.get(2).unwrap_or(&dollar0);
        let place = match target {
            Expr::Var(_) | Expr::Index(..) | Expr::Field(_) => Some(self.place(target)?),
            _ => None,
        };
        let text = match &place {
            Some(p) => self.get_place(p)?.to_str(&self.convfmt),
            None => self.eval_str(target)?,
        };
        let mut out = Vec::with_capacity(text.len());
        let mut last = 0;
        let mut n = 0;
        for m in re.find_iter(&text) {
            out.extend_from_slice(&text[last..m.start()]);
            sub_repl(&repl, m.as_bytes(), &mut out);
            last = m.end();
            n += 1;
            if !global {
                break;
            }
        }
        if n > 0 {
            out.extend_from_slice(&text[last..]);
            if let Some(p) = place {
                self.set_place(p, Value::Str(Rc::from(out)))?;
            }
        }
        Ok(Value::Num(n as f64))
    }

    fn gensub(&mut self, args: &[Expr]) -> Res<Value> {
        let re = self.regex_of(&args[0])?;
        let repl = self.eval_str(&args[1])?;
        let how = self.eval(&args[2])?;
        let text = match args.get(3) {
            Some(e) => self.eval_str(e)?,
            None => Rc::from(&self.record.text[..]),
        };
        let hs = how.to_str(&self.convfmt);
        let (global, nth) = if hs.first().is_some_and(|c| *c == b'g' || *c == b'G') {
            (true, 1)
        } else {
            let n = how.to_num();
            if n < 1.0 {
                self.warn(&format!("gensub: third argument `{}' treated as 1", String::from_utf8_lossy(&hs)));
            }
            (false, n.max(1.0) as usize)
        };
        let mut out = Vec::with_capacity(text.len());
        let mut last = 0;
        for (k, caps) in re.captures_iter(&text).enumerate() {
            let Some(m) = caps.get(0) else { continue };
            if !global && k + 1 != nth {
                continue;
            }
            out.extend_from_slice(&text[last..m.start()]);
            gensub_repl(&repl, &caps, &mut out);
            last = m.end();
            if !global {
                break;
            }
        }
        out.extend_from_slice(&text[last..]);
        Ok(Value::Str(Rc::from(out)))
    }

    fn match_fn(&mut self, args: &[Expr]) -> Res<Value> {
        let s = self.eval_str(&args[0])?;
        let re = self.regex_of(&args[1])?;
        let arr = match args.get(2) {
            Some(e) => Some(self.array_arg(e)?),
            None => None,
        };
        let caps = re.captures(&s);
        let (start, len) = match caps.as_ref().and_then(|c| c.get(0)) {
            Some(m) => (m.start() as f64 + 1.0, m.len() as f64),
            None => (0.0, -1.0),
        };
        self.set_special(Special::Rstart, Value::Num(start));
        self.set_special(Special::Rlength, Value::Num(len));
        if let Some(arr) = arr {
            let mut a = arr.borrow_mut();
            a.clear();
            if let Some(c) = caps {
                let sep = self.subsep.clone();
                for i in 0..c.len() {
                    let Some(m) = c.get(i) else { continue };
                    let k = i.to_string();
                    a.set(Rc::from(k.as_bytes()), Value::input(m.as_bytes()));
                    let key = |what: &str| -> Rc<[u8]> {
                        let mut v = k.as_bytes().to_vec();
                        v.extend_from_slice(&sep);
                        v.extend_from_slice(what.as_bytes());
                        Rc::from(v)
                    };
                    a.set(key("start"), Value::Num(m.start() as f64 + 1.0));
                    a.set(key("length"), Value::Num(m.len() as f64));
                }
            }
        }
        Ok(Value::Num(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_replacement_rules() {
        let mut out = Vec::new();
        sub_repl(br"[&]\&\\&\q", b"M", &mut out);
        assert_eq!(out, br"[M]&\M\q");
    }
}
