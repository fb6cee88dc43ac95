//! Expression evaluation: values, lvalues ([`Place`]), comparisons with
//! POSIX number/string rules, concatenation, and user function calls.
//! `eval_num` has fast paths so that `s += $2` allocates nothing.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

use super::array::Array;
use super::ast::{BinOp, CmpOp, Expr, Special, Var};
use super::interp::{Cell, Interp, Jump, Res, fatal};
use super::value::{Str, Value};

/// Where an assignment goes.
pub enum Place {
    Var(Var),
    Elem(Rc<RefCell<Array>>, Str),
    Field(usize),
}

const NF: usize = Special::Nf as usize;

fn arith(op: BinOp, a: f64, b: f64) -> Res<f64> {
    Ok(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => {
            if b == 0.0 {
                return fatal("division by zero attempted");
            }
            a / b
        }
        BinOp::Mod => {
            if b == 0.0 {
                return fatal("division by zero attempted in `%'");
            }
            a % b
        }
        BinOp::Pow => pow(a, b),
    })
}

/// `^`: integer exponents by repeated multiplication, as gawk does.
fn pow(a: f64, b: f64) -> f64 {
    if b.fract() == 0.0 && b.abs() < 1024.0 {
        let mut n = b.abs() as i64;
        let mut base = a;
        let mut r = 1.0;
        while n > 0 {
            if n & 1 == 1 {
                r *= base;
            }
            base *= base;
            n >>= 1;
        }
        if b < 0.0 { 1.0 / r } else { r }
    } else {
        a.powf(b)
    }
}

impl Interp<'_> {
    fn var_value(&self, v: Var) -> Res<Value> {
        let cell = match v {
            Var::Global(i) => &self.globals[i],
            Var::Local(i) => &self.locals[self.base + i],
        };
        match cell {
            Cell::Val(v) => Ok(v.clone()),
            Cell::Arr(_) => fatal(format!("attempt to use array `{}' in a scalar context", self.var_name(v))),
        }
    }

    /// `$e`.
    pub fn field_value(&mut self, e: &Expr) -> Res<Value> {
        let i = self.field_index(e)?;
        if i == 0 {
            return Ok(self.record.whole());
        }
        Ok(self.record.field(i, &self.rec_fs, self.paragraph))
    }

    fn field_index(&mut self, e: &Expr) -> Res<usize> {
        let n = self.eval_num(e)?;
        if n < 0.0 {
            return fatal(format!("attempt to access field {}", n as i64));
        }
        Ok(n as usize)
    }

    pub fn eval_str(&mut self, e: &Expr) -> Res<Str> {
        match e {
            Expr::Str(s) => Ok(Rc::from(&s[..])),
            e => {
                let v = self.eval(e)?;
                Ok(v.to_str(&self.convfmt))
            }
        }
    }

    pub fn eval_num(&mut self, e: &Expr) -> Res<f64> {
        match e {
            Expr::Num(n) => Ok(*n),
            Expr::Field(i) => {
                let i = self.field_index(i)?;
                Ok(self.record.field_num(i, &self.rec_fs, self.paragraph))
            }
            Expr::Var(Var::Global(NF)) => Ok(self.record.nf(&self.rec_fs, self.paragraph) as f64),
            Expr::Var(v) => Ok(self.var_value(*v)?.to_num()),
            Expr::Bin(op, a, b) => {
                let x = self.eval_num(a)?;
                let y = self.eval_num(b)?;
                arith(*op, x, y)
            }
            e => Ok(self.eval(e)?.to_num()),
        }
    }

    /// Truth of a condition.
    pub fn cond(&mut self, e: &Expr) -> Res<bool> {
        match e {
            Expr::Regex(i) => Ok(self.regex_lits[*i].is_match(&self.record.text)),
            Expr::Cmp(op, a, b) => self.compare(*op, a, b),
            Expr::And(a, b) => Ok(self.cond(a)? && self.cond(b)?),
            Expr::Or(a, b) => Ok(self.cond(a)? || self.cond(b)?),
            Expr::Not(a) => Ok(!self.cond(a)?),
            Expr::Match(neg, s, r) => Ok(self.matches(s, r)? != *neg),
            e => Ok(self.eval(e)?.truthy()),
        }
    }

    fn matches(&mut self, s: &Expr, r: &Expr) -> Res<bool> {
        let text = self.eval_str(s)?;
        let re = self.regex_of(r)?;
        Ok(re.is_match(&text))
    }

    /// The regex an argument denotes: a literal, or a string compiled.
    pub fn regex_of(&mut self, r: &Expr) -> Res<Rc<regex::bytes::Regex>> {
        match r {
            Expr::Regex(i) => Ok(self.regex_lits[*i].clone()),
            e => {
                let pat = self.eval_str(e)?;
                self.regex(&pat)
            }
        }
    }

    fn compare(&mut self, op: CmpOp, a: &Expr, b: &Expr) -> Res<bool> {
        let x = self.eval(a)?;
        let y = self.eval(b)?;
        let ord = if x.is_numeric() && y.is_numeric() {
            let (p, q) = (x.to_num(), y.to_num());
            match p.partial_cmp(&q) {
                Some(o) => o,
                // NaN compares unequal to everything.
                None => return Ok(op == CmpOp::Ne),
            }
        } else {
            x.to_str(&self.convfmt).cmp(&y.to_str(&self.convfmt))
        };
        Ok(match op {
            CmpOp::Lt => ord == Ordering::Less,
            CmpOp::Le => ord != Ordering::Greater,
            CmpOp::Eq => ord == Ordering::Equal,
            CmpOp::Ne => ord != Ordering::Equal,
            CmpOp::Gt => ord == Ordering::Greater,
            CmpOp::Ge => ord != Ordering::Less,
        })
    }

    fn concat_into(&mut self, e: &Expr, out: &mut Vec<u8>) -> Res<()> {
        match e {
            Expr::Concat(a, b) => {
                self.concat_into(a, out)?;
                self.concat_into(b, out)
            }
            Expr::Str(s) => {
                out.extend_from_slice(s);
                Ok(())
            }
            e => {
                let v = self.eval(e)?;
                match &v {
                    Value::Str(s) | Value::StrNum(s, _) => out.extend_from_slice(s),
                    v => out.extend_from_slice(&v.to_str(&self.convfmt)),
                }
                Ok(())
            }
        }
    }

    pub fn place(&mut self, e: &Expr) -> Res<Place> {
        Ok(match e {
            Expr::Var(v) => Place::Var(*v),
            Expr::Index(v, subs) => {
                let k = self.subscript(subs)?;
                Place::Elem(self.array(*v)?, k)
            }
            Expr::Field(i) => Place::Field(self.field_index(i)?),
            Expr::Group(g) if g.len() == 1 => return self.place(&g[0]),
            _ => return fatal("assignment to a non-lvalue"),
        })
    }

    pub fn get_place(&mut self, p: &Place) -> Res<Value> {
        match p {
            Place::Var(Var::Global(NF)) => Ok(Value::Num(self.record.nf(&self.rec_fs, self.paragraph) as f64)),
            Place::Var(v) => self.var_value(*v),
            Place::Elem(a, k) => Ok(a.borrow_mut().get_or_create(k).clone()),
            Place::Field(0) => Ok(self.record.whole()),
            Place::Field(i) => Ok(self.record.field(*i, &self.rec_fs, self.paragraph)),
        }
    }

    pub fn set_place(&mut self, p: Place, v: Value) -> Res<()> {
        match p {
            Place::Var(var) => self.set_var(var, v),
            Place::Elem(a, k) => {
                a.borrow_mut().set(k, v);
                Ok(())
            }
            Place::Field(0) => {
                let s = v.to_str(&self.convfmt);
                self.record.set(&s);
                self.rec_fs = self.fs.clone();
                Ok(())
            }
            Place::Field(i) => {
                self.record.set_field(i, v, &self.rec_fs, self.paragraph, &self.ofs, &self.convfmt);
                Ok(())
            }
        }
    }

    pub fn assign(&mut self, lv: &Expr, v: Value) -> Res<()> {
        let p = self.place(lv)?;
        self.set_place(p, v)
    }

    pub fn eval(&mut self, e: &Expr) -> Res<Value> {
        Ok(match e {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::str(s),
            Expr::Regex(i) => Value::Num(self.regex_lits[*i].is_match(&self.record.text) as i32 as f64),
            Expr::Var(Var::Global(NF)) => Value::Num(self.record.nf(&self.rec_fs, self.paragraph) as f64),
            Expr::Var(v) => self.var_value(*v)?,
            Expr::Index(v, subs) => {
                let k = self.subscript(subs)?;
                let a = self.array(*v)?;
                let mut a = a.borrow_mut();
                a.get_or_create(&k).clone()
            }
            Expr::Field(i) => self.field_value(i)?,
            Expr::Group(g) => {
                if g.len() == 1 {
                    return self.eval(&g[0]);
                }
                return fatal("syntax error: a list used as a value");
            }
            Expr::Assign(lv, rhs) => {
                let v = self.eval(rhs)?;
                self.assign(lv, v.clone())?;
                v
            }
            Expr::AugAssign(op, lv, rhs) => {
                let p = self.place(lv)?;
                let cur = self.get_place(&p)?.to_num();
                let r = self.eval_num(rhs)?;
                let n = arith(*op, cur, r)?;
                self.set_place(p, Value::Num(n))?;
                Value::Num(n)
            }
            Expr::Cond(c, a, b) => {
                if self.cond(c)? {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::Or(..) | Expr::And(..) | Expr::Not(_) | Expr::Cmp(..) | Expr::Match(..) => {
                Value::Num(self.cond(e)? as i32 as f64)
            }
            Expr::In(subs, v) => {
                let k = self.subscript(subs)?;
                let a = self.array(*v)?;
                let found = a.borrow().contains(&k);
                Value::Num(found as i32 as f64)
            }
            Expr::Concat(..) => {
                let mut out = Vec::new();
                self.concat_into(e, &mut out)?;
                Value::Str(Rc::from(out))
            }
            Expr::Bin(..) => Value::Num(self.eval_num(e)?),
            Expr::Neg(a) => Value::Num(-self.eval_num(a)?),
            Expr::Plus(a) => Value::Num(self.eval_num(a)?),
            Expr::PreIncr(up, lv) => {
                let p = self.place(lv)?;
                let n = self.get_place(&p)?.to_num() + if *up { 1.0 } else { -1.0 };
                self.set_place(p, Value::Num(n))?;
                Value::Num(n)
            }
            Expr::PostIncr(up, lv) => {
                let p = self.place(lv)?;
                let n = self.get_place(&p)?.to_num();
                self.set_place(p, Value::Num(n + if *up { 1.0 } else { -1.0 }))?;
                Value::Num(n)
            }
            Expr::Call(id, args) => self.call(*id, args)?,
            Expr::Builtin(b, args) => self.builtin(*b, args)?,
            Expr::Getline(var, file) => self.getline(var.as_deref(), file.as_deref(), None)?,
            Expr::PipeGetline(cmd, var) => self.getline(var.as_deref(), None, Some(cmd))?,
        })
    }

    fn is_array(&self, v: Var) -> bool {
        let cell = match v {
            Var::Global(i) => &self.globals[i],
            Var::Local(i) => &self.locals[self.base + i],
        };
        matches!(cell, Cell::Arr(_))
    }

    fn call(&mut self, id: usize, args: &[Expr]) -> Res<Value> {
        let prog = self.prog.clone();
        let f = &prog.funcs[id];
        if args.len() > f.nparams {
            return fatal(format!("function `{}' called with more arguments than declared", f.name));
        }
        if self.depth > 10_000 {
            return fatal("function call nesting too deep");
        }
        let mut frame = Vec::with_capacity(f.nparams);
        for (i, a) in args.iter().enumerate() {
            let cell = match a {
                Expr::Var(v) if f.array_params[i] || self.is_array(*v) => Cell::Arr(self.array(*v)?),
                e => {
                    if f.array_params[i] {
                        let name = &f.name;
                        return fatal(format!("function `{name}': attempt to use scalar parameter as an array"));
                    }
                    Cell::Val(self.eval(e)?)
                }
            };
            frame.push(cell);
        }
        frame.resize(f.nparams, Cell::Val(Value::Uninit));
        let old_base = self.base;
        let new_base = self.locals.len();
        self.locals.extend(frame);
        self.base = new_base;
        self.depth += 1;
        let r = self.exec_block(&f.body);
        self.depth -= 1;
        self.locals.truncate(new_base);
        self.base = old_base;
        match r {
            Ok(()) => Ok(Value::Uninit),
            Err(Jump::Return(v)) => Ok(v),
            Err(Jump::Break) | Err(Jump::Continue) => Ok(Value::Uninit),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pow;

    #[test]
    fn powers() {
        assert_eq!(pow(2.0, 10.0), 1024.0);
        assert_eq!(pow(2.0, -2.0), 0.25);
        assert_eq!(pow(9.0, 0.5), 3.0);
    }
}
