//! awk expressions, by precedence from lowest: assignment, `?:`, `||`,
//! `&&`, `in`, `~ !~`, relational, concatenation (and `cmd | getline`),
//! additive, multiplicative, unary, `^`, increment, `$`, grouping.

use super::ast::{BinOp, CmpOp, Expr, Var};
use super::lexer::{Builtin, Tok};
use super::parser::{ParseError, Parser};

type R = Result<Expr, ParseError>;

fn is_lvalue(e: &Expr) -> bool {
    matches!(e, Expr::Var(_) | Expr::Index(..) | Expr::Field(_))
}

impl Parser<'_> {
    pub fn expr(&mut self) -> R {
        let lhs = self.ternary()?;
        let op = match self.tok {
            Tok::Assign => None,
            Tok::AddAssign => Some(BinOp::Add),
            Tok::SubAssign => Some(BinOp::Sub),
            Tok::MulAssign => Some(BinOp::Mul),
            Tok::DivAssign => Some(BinOp::Div),
            Tok::ModAssign => Some(BinOp::Mod),
            Tok::PowAssign => Some(BinOp::Pow),
            _ => return Ok(lhs),
        };
        if !is_lvalue(&lhs) {
            return self.error();
        }
        self.advance()?;
        self.skip_newlines()?;
        let rhs = self.expr()?;
        Ok(match op {
            None => Expr::Assign(Box::new(lhs), Box::new(rhs)),
            Some(op) => Expr::AugAssign(op, Box::new(lhs), Box::new(rhs)),
        })
    }

    fn ternary(&mut self) -> R {
        let c = self.or()?;
        if self.tok != Tok::Question {
            return Ok(c);
        }
        self.advance()?;
        self.skip_newlines()?;
        let a = self.expr()?;
        self.skip_newlines()?;
        self.expect(Tok::Colon)?;
        self.skip_newlines()?;
        let b = self.expr()?;
        Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)))
    }

    fn or(&mut self) -> R {
        let mut l = self.and()?;
        while self.tok == Tok::Or {
            self.advance()?;
            self.skip_newlines()?;
            let r = self.and()?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self) -> R {
        let mut l = self.in_expr()?;
        while self.tok == Tok::And {
            self.advance()?;
            self.skip_newlines()?;
            let r = self.in_expr()?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn in_expr(&mut self) -> R {
        let mut l = self.match_expr()?;
        while self.tok == Tok::In && !self.no_in {
            self.advance()?;
            let Tok::Name(n) = self.tok.clone() else { return self.error() };
            self.advance()?;
            let v = self.var(&n);
            self.mark_array(v);
            let subs = match l {
                Expr::Group(list) => list,
                e => vec![e],
            };
            l = Expr::In(subs, v);
        }
        Ok(l)
    }

    fn match_expr(&mut self) -> R {
        let mut l = self.cmp()?;
        while matches!(self.tok, Tok::Tilde | Tok::NoMatch) {
            let neg = self.tok == Tok::NoMatch;
            self.advance()?;
            let r = self.cmp()?;
            l = Expr::Match(neg, Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn cmp(&mut self) -> R {
        let l = self.concat()?;
        let op = match self.tok {
            Tok::Lt => CmpOp::Lt,
            Tok::Le => CmpOp::Le,
            Tok::Eq => CmpOp::Eq,
            Tok::Ne => CmpOp::Ne,
            Tok::Gt if !self.no_gt => CmpOp::Gt,
            Tok::Ge => CmpOp::Ge,
            _ => return Ok(l),
        };
        self.advance()?;
        let r = self.concat()?;
        Ok(Expr::Cmp(op, Box::new(l), Box::new(r)))
    }

    fn starts_operand(&self) -> bool {
        matches!(
            self.tok,
            Tok::Num(_)
                | Tok::Str(_)
                | Tok::Name(_)
                | Tok::FuncName(_)
                | Tok::Builtin(_)
                | Tok::Dollar
                | Tok::Not
                | Tok::LParen
                | Tok::Incr
                | Tok::Decr
        )
    }

    /// Concatenation, and `cmd | getline [var]` which binds like it.
    pub fn concat(&mut self) -> R {
        let mut l = self.additive()?;
        loop {
            if self.tok == Tok::Pipe && self.peek() == Tok::Getline {
                self.advance()?;
                self.advance()?;
                let var = self.opt_getline_var()?;
                l = Expr::PipeGetline(Box::new(l), var);
                continue;
            }
            if !self.starts_operand() || self.tok == Tok::Not {
                return Ok(l);
            }
            let r = self.additive()?;
            l = Expr::Concat(Box::new(l), Box::new(r));
        }
    }

    fn additive(&mut self) -> R {
        let mut l = self.mul()?;
        loop {
            let op = match self.tok {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(l),
            };
            self.advance()?;
            let r = self.mul()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn mul(&mut self) -> R {
        let mut l = self.unary()?;
        loop {
            let op = match self.tok {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                Tok::Percent => BinOp::Mod,
                _ => return Ok(l),
            };
            self.advance()?;
            let r = self.unary()?;
            l = Expr::Bin(op, Box::new(l), Box::new(r));
        }
    }

    fn unary(&mut self) -> R {
        match self.tok {
            Tok::Not => {
                self.advance()?;
                // gawk: `! x ~ y` is `!(x ~ y)`; relational binds tighter too.
                let e = self.unary()?;
                Ok(Expr::Not(Box::new(e)))
            }
            Tok::Minus => {
                self.advance()?;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Tok::Plus => {
                self.advance()?;
                Ok(Expr::Plus(Box::new(self.unary()?)))
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> R {
        let base = self.postfix()?;
        if self.tok != Tok::Caret {
            return Ok(base);
        }
        self.advance()?;
        // Right associative; the exponent may carry unary signs.
        let exp = self.pow_operand()?;
        Ok(Expr::Bin(BinOp::Pow, Box::new(base), Box::new(exp)))
    }

    fn pow_operand(&mut self) -> R {
        match self.tok {
            Tok::Minus => {
                self.advance()?;
                Ok(Expr::Neg(Box::new(self.pow_operand()?)))
            }
            Tok::Plus => {
                self.advance()?;
                Ok(Expr::Plus(Box::new(self.pow_operand()?)))
            }
            Tok::Not => {
                self.advance()?;
                Ok(Expr::Not(Box::new(self.pow_operand()?)))
            }
            _ => self.power(),
        }
    }

    fn postfix(&mut self) -> R {
        let e = self.primary()?;
        if is_lvalue(&e) {
            match self.tok {
                Tok::Incr => {
                    self.advance()?;
                    return Ok(Expr::PostIncr(true, Box::new(e)));
                }
                Tok::Decr => {
                    self.advance()?;
                    return Ok(Expr::PostIncr(false, Box::new(e)));
                }
                _ => {}
            }
        }
        Ok(e)
    }

    fn name_ref(&mut self, n: &str) -> R {
        let v = self.var(n);
        if self.tok == Tok::LBracket {
            self.advance()?;
            let subs = self.expr_list(Tok::RBracket)?;
            self.mark_array(v);
            return Ok(Expr::Index(v, subs));
        }
        Ok(Expr::Var(v))
    }

    /// An optional lvalue after `getline`.
    fn opt_getline_var(&mut self) -> Result<Option<Box<Expr>>, ParseError> {
        Ok(match self.tok.clone() {
            Tok::Name(n) => {
                self.advance()?;
                Some(Box::new(self.name_ref(&n)?))
            }
            Tok::Dollar => {
                self.advance()?;
                Some(Box::new(Expr::Field(Box::new(self.field_operand()?))))
            }
            _ => None,
        })
    }

    /// What follows `$`: `$NF`, `$i++` is `($i)++`, `$++i`, `$-1`.
    fn field_operand(&mut self) -> R {
        match self.tok {
            Tok::Incr | Tok::Decr => {
                let up = self.tok == Tok::Incr;
                self.advance()?;
                let e = self.primary()?;
                Ok(Expr::PreIncr(up, Box::new(e)))
            }
            Tok::Minus => {
                self.advance()?;
                Ok(Expr::Neg(Box::new(self.primary()?)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> R {
        let tok = self.tok.clone();
        match tok {
            Tok::Num(n) => {
                self.advance()?;
                Ok(Expr::Num(n))
            }
            Tok::Str(s) => {
                self.advance()?;
                Ok(Expr::Str(s))
            }
            Tok::Slash | Tok::DivAssign => {
                let body = self.lex.regex(self.tok_pos)?;
                self.advance()?;
                self.prog.regexes.push(body);
                Ok(Expr::Regex(self.prog.regexes.len() - 1))
            }
            Tok::Dollar => {
                self.advance()?;
                let e = self.field_operand()?;
                Ok(Expr::Field(Box::new(e)))
            }
            Tok::LParen => {
                self.advance()?;
                let mut list = self.expr_list(Tok::RParen)?;
                match list.len() {
                    0 => self.error(),
                    1 => Ok(list
                        .pop()
                        .map(|e| match e {
                            // Keep `(x)` distinct from `x` only where it matters:
                            // a parenthesized group is never an lvalue target.
                            Expr::Group(g) => Expr::Group(g),
                            e => e,
                        })
                        .unwrap_or(Expr::Num(0.0))),
                    _ => Ok(Expr::Group(list)),
                }
            }
            Tok::Not | Tok::Minus | Tok::Plus => self.unary(),
            Tok::Incr | Tok::Decr => {
                let up = tok == Tok::Incr;
                self.advance()?;
                let e = self.primary()?;
                if !is_lvalue(&e) {
                    return self.error();
                }
                Ok(Expr::PreIncr(up, Box::new(e)))
            }
            Tok::Name(n) => {
                self.advance()?;
                self.name_ref(&n)
            }
            Tok::FuncName(n) => {
                self.advance()?;
                let id = self.func_id(&n);
                self.expect(Tok::LParen)?;
                let args = self.expr_list(Tok::RParen)?;
                self.note_call_args(id, &args);
                Ok(Expr::Call(id, args))
            }
            Tok::Builtin(b) => {
                self.advance()?;
                let args = if self.tok == Tok::LParen {
                    self.advance()?;
                    self.expr_list(Tok::RParen)?
                } else if b == Builtin::Length {
                    Vec::new()
                } else {
                    return self.error();
                };
                for (i, a) in args.iter().enumerate() {
                    if let Expr::Var(v @ Var::Local(_)) = a
                        && Self::builtin_array_arg(b, i)
                    {
                        self.mark_array(*v);
                    }
                }
                self.check_arity(b, args.len())?;
                Ok(Expr::Builtin(b, args))
            }
            Tok::Getline => {
                self.advance()?;
                let var = self.opt_getline_var()?;
                let file = if self.tok == Tok::Lt {
                    self.advance()?;
                    Some(Box::new(self.getline_file()?))
                } else {
                    None
                };
                Ok(Expr::Getline(var, file))
            }
            _ => self.error(),
        }
    }

    /// The file operand of `getline < file`: a primary, `$` allowed.
    fn getline_file(&mut self) -> R {
        if self.tok == Tok::Dollar {
            self.advance()?;
            return Ok(Expr::Field(Box::new(self.field_operand()?)));
        }
        self.primary()
    }

    fn check_arity(&self, b: Builtin, n: usize) -> Result<(), ParseError> {
        use Builtin as B;
        let (lo, hi) = match b {
            B::Length => (0, 1),
            B::Substr => (2, 3),
            B::Index | B::Atan2 => (2, 2),
            B::Split => (2, 4),
            B::Sub | B::Gsub => (2, 3),
            B::Gensub => (3, 4),
            B::Match => (2, 3),
            B::Sprintf => (1, usize::MAX),
            B::Sin | B::Cos | B::Exp | B::Log | B::Sqrt | B::Int | B::Tolower | B::Toupper | B::System => (1, 1),
            B::Rand | B::Systime => (0, 0),
            B::Srand | B::Fflush => (0, 1),
            B::Close => (1, 2),
        };
        if n < lo || n > hi {
            let name = format!("{b:?}").to_lowercase();
            return Err((format!("{name}: called with {n} arguments"), self.tok_pos));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::ast::{Expr, Pattern, Stmt};
    use super::super::parser::parse;

    fn action(src: &str) -> String {
        let p = parse(src.as_bytes()).unwrap();
        let Some(rule) = p.rules.first() else { return format!("{:?}", p.begin[0]) };
        format!("{:?}", rule.action)
    }

    #[test]
    fn precedence() {
        let p = parse(b"BEGIN { x = 1 + 2 * 3 ^ 2 ^ -1 }").unwrap();
        let s = format!("{:?}", p.begin[0][1]);
        assert_eq!(
            s,
            "Expr(Assign(Var(Global(18)), Bin(Add, Num(1.0), Bin(Mul, Num(2.0), Bin(Pow, Num(3.0), Bin(Pow, Num(2.0), Neg(Num(1.0))))))))"
        );
        let p = parse(b"BEGIN { print -2 ^ 2, 1 \" \" 2 < 3 }").unwrap();
        let s = format!("{:?}", p.begin[0][1]);
        assert_eq!(
            s,
            "Print([Neg(Bin(Pow, Num(2.0), Num(2.0))), Cmp(Lt, Concat(Concat(Num(1.0), Str([32])), Num(2.0)), Num(3.0))], None)"
        );
    }

    #[test]
    fn print_redirection_and_getline() {
        let s = action("{ print $1, $NF > \"out\" }");
        assert!(s.contains("Some((File, Str([111, 117, 116])))"), "{s}");
        let s = action("{ \"cmd\" | getline x; while ((getline line < f) > 0) n++ }");
        assert!(s.contains("PipeGetline(Str([99, 109, 100]), Some(Var(Global(18))))"), "{s}");
        assert!(s.contains("Cmp(Gt, Getline(Some(Var(Global(19))), Some(Var(Global(20)))), Num(0.0))"), "{s}");
    }

    #[test]
    fn patterns_functions_and_errors() {
        let p =
            parse(b"function f(a, b) { a[1] = b; return g(a) }\nfunction g(x) { return length(x) }\n/x/,/y/\nNR==1")
                .unwrap();
        assert_eq!(p.funcs[0].array_params, vec![true, false]);
        assert!(matches!(p.rules[0].pattern, Pattern::Range(Expr::Regex(0), Expr::Regex(1), 0)));
        assert!(matches!(p.rules[1].pattern, Pattern::Expr(Expr::Cmp(..))));
        assert!(p.rules[1].action.is_none());
        assert_eq!(parse(b"BEGIN { print 1 +* 2 }").unwrap_err(), ("syntax error".to_string(), 17));
        assert_eq!(parse(b"{ print $1 ").unwrap_err().0, "unexpected newline or end of string");
        assert_eq!(parse(b"BEGIN { f(1) }").unwrap_err().0, "function `f' not defined");
        let p = parse(b"BEGIN { if (x) y = 1; else y = 2 }").unwrap();
        assert!(matches!(p.begin[0][1], Stmt::If(_, _, Some(_))));
    }
}
