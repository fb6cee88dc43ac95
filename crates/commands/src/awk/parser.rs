//! The awk parser: program items and statements (expressions are in
//! [`super::parse_expr`]). Names are resolved to slots here, and function
//! parameters used as arrays are found (also through calls) so that the
//! interpreter can pass arrays by reference.

use std::collections::HashMap;

use super::ast::{Expr, Func, Pattern, Program, Redir, Rule, SPECIALS, Stmt, Var};
use super::lexer::{Builtin, LexError, Lexer, Tok};

/// A parse error: message and byte offset in the source.
pub type ParseError = (String, usize);

pub struct Parser<'a> {
    pub lex: Lexer<'a>,
    pub tok: Tok,
    pub tok_pos: usize,
    pub prog: Program,
    global_ids: HashMap<String, usize>,
    /// Function name → index, in order of first mention.
    func_ids: HashMap<String, usize>,
    func_defined: Vec<bool>,
    func_first_use: Vec<usize>,
    /// Parameters of the function being parsed.
    pub locals: Option<Vec<String>>,
    /// Per function: parameters used as arrays, and (param, callee, arg)
    /// edges through which array-ness flows.
    array_use: Vec<Vec<bool>>,
    array_edges: Vec<(usize, usize, usize, usize)>,
    cur_func: Option<usize>,
    /// Inside `print`'s argument list, `>` is a redirection.
    pub no_gt: bool,
    pub no_in: bool,
    line_starts: Vec<usize>,
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a [u8]) -> Parser<'a> {
        let mut p = Parser {
            lex: Lexer::new(src),
            tok: Tok::Eof,
            tok_pos: 0,
            prog: Program::default(),
            global_ids: HashMap::new(),
            func_ids: HashMap::new(),
            func_defined: Vec::new(),
            func_first_use: Vec::new(),
            locals: None,
            array_use: Vec::new(),
            array_edges: Vec::new(),
            cur_func: None,
            no_gt: false,
            no_in: false,
            line_starts: std::iter::once(0)
                .chain(src.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1))
                .collect(),
        };
        for (name, _) in SPECIALS {
            p.global(name);
        }
        p
    }

    fn lex_err(e: LexError) -> ParseError {
        e
    }

    pub fn advance(&mut self) -> Result<(), ParseError> {
        let (t, pos) = self.lex.next().map_err(Self::lex_err)?;
        self.tok = t;
        self.tok_pos = pos;
        Ok(())
    }

    /// The token after the current one, without consuming anything.
    pub fn peek(&mut self) -> Tok {
        let save = self.lex.pos;
        let t = self.lex.next().map(|(t, _)| t).unwrap_or(Tok::Eof);
        self.lex.pos = save;
        t
    }

    pub fn error<T>(&self) -> Result<T, ParseError> {
        let msg = match self.tok {
            Tok::Newline | Tok::Eof => "unexpected newline or end of string",
            _ => "syntax error",
        };
        Err((msg.into(), self.tok_pos))
    }

    pub fn expect(&mut self, t: Tok) -> Result<(), ParseError> {
        if self.tok != t {
            return self.error();
        }
        self.advance()
    }

    pub fn skip_newlines(&mut self) -> Result<(), ParseError> {
        while self.tok == Tok::Newline {
            self.advance()?;
        }
        Ok(())
    }

    fn skip_terminators(&mut self) -> Result<(), ParseError> {
        while matches!(self.tok, Tok::Newline | Tok::Semi) {
            self.advance()?;
        }
        Ok(())
    }

    pub fn line_of(&self, pos: usize) -> u32 {
        self.line_starts.partition_point(|&s| s <= pos) as u32
    }

    pub fn global(&mut self, name: &str) -> usize {
        if let Some(&i) = self.global_ids.get(name) {
            return i;
        }
        let i = self.prog.globals.len();
        self.prog.globals.push(name.to_string());
        self.global_ids.insert(name.to_string(), i);
        i
    }

    /// Resolve a variable name in the current scope.
    pub fn var(&mut self, name: &str) -> Var {
        if let Some(l) = &self.locals
            && let Some(i) = l.iter().position(|n| n == name)
        {
            return Var::Local(i);
        }
        Var::Global(self.global(name))
    }

    /// Note that `v` is used as an array.
    pub fn mark_array(&mut self, v: Var) {
        if let (Var::Local(i), Some(f)) = (v, self.cur_func) {
            self.array_use[f][i] = true;
        }
    }

    pub fn func_id(&mut self, name: &str) -> usize {
        if let Some(&i) = self.func_ids.get(name) {
            return i;
        }
        let i = self.func_ids.len();
        self.func_ids.insert(name.to_string(), i);
        self.func_defined.push(false);
        self.func_first_use.push(self.tok_pos);
        self.array_use.push(Vec::new());
        self.prog.funcs.push(Func { name: name.to_string(), nparams: 0, array_params: Vec::new(), body: Vec::new() });
        i
    }

    /// Record that argument `arg` of a call to `callee` is a bare local.
    pub fn note_call_args(&mut self, callee: usize, args: &[Expr]) {
        if let Some(f) = self.cur_func {
            for (j, a) in args.iter().enumerate() {
                if let Expr::Var(Var::Local(i)) = a {
                    self.array_edges.push((f, *i, callee, j));
                }
            }
        }
    }

    pub fn program(mut self) -> Result<Program, ParseError> {
        self.advance()?;
        self.skip_terminators()?;
        while self.tok != Tok::Eof {
            self.item()?;
            self.skip_terminators()?;
        }
        for (i, defined) in self.func_defined.iter().enumerate() {
            if !defined {
                let name = &self.prog.funcs[i].name;
                return Err((format!("function `{name}' not defined"), usize::MAX));
            }
        }
        // Array-ness flows from a callee's parameter to the caller's.
        loop {
            let mut changed = false;
            for &(f, i, g, j) in &self.array_edges {
                if self.array_use[g].get(j) == Some(&true) && !self.array_use[f][i] {
                    self.array_use[f][i] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for (f, uses) in self.prog.funcs.iter_mut().zip(self.array_use) {
            f.array_params = uses;
        }
        Ok(self.prog)
    }

    fn item(&mut self) -> Result<(), ParseError> {
        match self.tok {
            Tok::Begin => {
                self.advance()?;
                self.skip_newlines()?;
                if self.tok != Tok::LBrace {
                    return self.error();
                }
                let b = self.block()?;
                self.prog.begin.push(b);
            }
            Tok::End => {
                self.advance()?;
                self.skip_newlines()?;
                if self.tok != Tok::LBrace {
                    return self.error();
                }
                let b = self.block()?;
                self.prog.end.push(b);
            }
            Tok::Function => self.function()?,
            _ => {
                let pattern = if self.tok == Tok::LBrace {
                    Pattern::All
                } else {
                    let e = self.expr()?;
                    if self.tok == Tok::Comma {
                        self.advance()?;
                        self.skip_newlines()?;
                        let e2 = self.expr()?;
                        self.prog.nranges += 1;
                        Pattern::Range(e, e2, self.prog.nranges - 1)
                    } else {
                        Pattern::Expr(e)
                    }
                };
                let action = if self.tok == Tok::LBrace { Some(self.block()?) } else { None };
                if action.is_none() && !matches!(self.tok, Tok::Newline | Tok::Semi | Tok::Eof) {
                    return self.error();
                }
                self.prog.rules.push(Rule { pattern, action });
            }
        }
        Ok(())
    }

    fn function(&mut self) -> Result<(), ParseError> {
        self.advance()?;
        let name = match &self.tok {
            Tok::Name(n) | Tok::FuncName(n) => n.clone(),
            _ => return self.error(),
        };
        if SPECIALS.iter().any(|(s, _)| *s == name) {
            return Err((format!("function name `{name}' previously defined"), self.tok_pos));
        }
        let id = self.func_id(&name);
        if self.func_defined[id] {
            return Err((format!("function name `{name}' previously defined"), self.tok_pos));
        }
        self.func_defined[id] = true;
        self.advance()?;
        self.expect(Tok::LParen)?;
        let mut params = Vec::new();
        while let Tok::Name(n) = &self.tok {
            params.push(n.clone());
            self.advance()?;
            if self.tok == Tok::Comma {
                self.advance()?;
                self.skip_newlines()?;
            }
        }
        self.expect(Tok::RParen)?;
        self.skip_newlines()?;
        if self.tok != Tok::LBrace {
            return self.error();
        }
        self.array_use[id] = vec![false; params.len()];
        let n = params.len();
        self.locals = Some(params);
        self.cur_func = Some(id);
        let body = self.block()?;
        self.locals = None;
        self.cur_func = None;
        let f = &mut self.prog.funcs[id];
        f.nparams = n;
        f.body = body;
        Ok(())
    }

    /// `{ statements }`.
    pub fn block(&mut self) -> Result<Vec<Stmt>, ParseError> {
        self.expect(Tok::LBrace)?;
        let mut out = Vec::new();
        loop {
            self.skip_terminators()?;
            if self.tok == Tok::RBrace {
                self.advance()?;
                return Ok(out);
            }
            out.push(Stmt::Line(self.line_of(self.tok_pos)));
            out.push(self.stmt()?);
        }
    }

    /// End of a simple statement: `;`, newline, or before `}`.
    fn end_simple(&mut self) -> Result<(), ParseError> {
        match self.tok {
            Tok::Semi | Tok::Newline => {
                self.advance()?;
                self.skip_newlines()
            }
            Tok::RBrace | Tok::Eof => Ok(()),
            _ => self.error(),
        }
    }

    /// A statement as the body of `if`, `while`, `for`.
    fn body(&mut self) -> Result<Stmt, ParseError> {
        self.skip_newlines()?;
        if self.tok == Tok::Semi {
            self.advance()?;
            return Ok(Stmt::Block(Vec::new()));
        }
        self.stmt()
    }

    pub fn stmt(&mut self) -> Result<Stmt, ParseError> {
        let s = match self.tok {
            Tok::LBrace => Stmt::Block(self.block()?),
            Tok::If => {
                self.advance()?;
                self.expect(Tok::LParen)?;
                let c = self.expr()?;
                self.expect(Tok::RParen)?;
                let then = self.body()?;
                // Look past terminators for `else`.
                let save = (self.lex.pos, self.tok.clone(), self.tok_pos);
                self.skip_terminators()?;
                if self.tok == Tok::Else {
                    self.advance()?;
                    let els = self.body()?;
                    Stmt::If(c, Box::new(then), Some(Box::new(els)))
                } else {
                    (self.lex.pos, self.tok, self.tok_pos) = save;
                    Stmt::If(c, Box::new(then), None)
                }
            }
            Tok::While => {
                self.advance()?;
                self.expect(Tok::LParen)?;
                let c = self.expr()?;
                self.expect(Tok::RParen)?;
                if self.tok == Tok::Semi {
                    self.advance()?;
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                Stmt::While(c, Box::new(self.body()?))
            }
            Tok::Do => {
                self.advance()?;
                let b = self.body()?;
                self.skip_terminators()?;
                self.expect(Tok::While)?;
                self.expect(Tok::LParen)?;
                let c = self.expr()?;
                self.expect(Tok::RParen)?;
                self.end_simple()?;
                return Ok(Stmt::Do(Box::new(b), c));
            }
            Tok::For => return self.for_stmt(),
            Tok::Semi => {
                self.advance()?;
                return Ok(Stmt::Block(Vec::new()));
            }
            _ => {
                let s = self.simple_stmt()?;
                self.end_simple()?;
                return Ok(s);
            }
        };
        Ok(s)
    }

    fn for_stmt(&mut self) -> Result<Stmt, ParseError> {
        self.advance()?;
        self.expect(Tok::LParen)?;
        if let Tok::Name(k) = self.tok.clone()
            && self.peek() == Tok::In
        {
            let save = (self.lex.pos, self.tok.clone(), self.tok_pos);
            self.advance()?;
            self.advance()?;
            if let Tok::Name(a) = self.tok.clone()
                && self.peek() == Tok::RParen
            {
                self.advance()?;
                self.advance()?;
                let kv = self.var(&k);
                let av = self.var(&a);
                self.mark_array(av);
                let body = self.body()?;
                return Ok(Stmt::ForIn(kv, av, Box::new(body)));
            }
            (self.lex.pos, self.tok, self.tok_pos) = save;
        }
        let init = if self.tok == Tok::Semi { None } else { Some(Box::new(self.simple_stmt()?)) };
        self.expect(Tok::Semi)?;
        self.skip_newlines()?;
        let cond = if self.tok == Tok::Semi { None } else { Some(self.expr()?) };
        self.expect(Tok::Semi)?;
        self.skip_newlines()?;
        let step = if self.tok == Tok::RParen { None } else { Some(Box::new(self.simple_stmt()?)) };
        self.expect(Tok::RParen)?;
        if self.tok == Tok::Semi {
            self.advance()?;
            return Ok(Stmt::For(init, cond, step, Box::new(Stmt::Block(Vec::new()))));
        }
        let body = self.body()?;
        Ok(Stmt::For(init, cond, step, Box::new(body)))
    }

    fn simple_stmt(&mut self) -> Result<Stmt, ParseError> {
        Ok(match self.tok {
            Tok::Print | Tok::Printf => {
                let printf = self.tok == Tok::Printf;
                self.advance()?;
                let mut args = Vec::new();
                if !matches!(
                    self.tok,
                    Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Gt | Tok::Append | Tok::Pipe | Tok::Eof
                ) {
                    let old = std::mem::replace(&mut self.no_gt, true);
                    args.push(self.expr()?);
                    while self.tok == Tok::Comma {
                        self.advance()?;
                        self.skip_newlines()?;
                        args.push(self.expr()?);
                    }
                    self.no_gt = old;
                }
                if args.len() == 1 && matches!(args[0], Expr::Group(_)) {
                    let Some(Expr::Group(list)) = args.pop() else { unreachable!("checked above") };
                    args = list;
                }
                let redir = match self.tok {
                    Tok::Gt | Tok::Append | Tok::Pipe => {
                        let r = match self.tok {
                            Tok::Gt => Redir::File,
                            Tok::Append => Redir::Append,
                            _ => Redir::Pipe,
                        };
                        self.advance()?;
                        let old = std::mem::replace(&mut self.no_gt, true);
                        let target = self.concat()?;
                        self.no_gt = old;
                        Some((r, target))
                    }
                    _ => None,
                };
                if printf { Stmt::Printf(args, redir) } else { Stmt::Print(args, redir) }
            }
            Tok::Next => {
                self.advance()?;
                Stmt::Next
            }
            Tok::Nextfile => {
                self.advance()?;
                Stmt::Nextfile
            }
            Tok::Break => {
                self.advance()?;
                Stmt::Break
            }
            Tok::Continue => {
                self.advance()?;
                Stmt::Continue
            }
            Tok::Exit | Tok::Return => {
                let exit = self.tok == Tok::Exit;
                self.advance()?;
                let e = if matches!(self.tok, Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Eof) {
                    None
                } else {
                    Some(self.expr()?)
                };
                if exit { Stmt::Exit(e) } else { Stmt::Return(e) }
            }
            Tok::Delete => {
                self.advance()?;
                let Tok::Name(n) = self.tok.clone() else { return self.error() };
                self.advance()?;
                let v = self.var(&n);
                self.mark_array(v);
                if self.tok == Tok::LBracket {
                    self.advance()?;
                    let subs = self.expr_list(Tok::RBracket)?;
                    Stmt::Delete(v, Some(subs))
                } else {
                    Stmt::Delete(v, None)
                }
            }
            _ => Stmt::Expr(self.expr()?),
        })
    }

    /// Comma-separated expressions up to `close` (consumed).
    pub fn expr_list(&mut self, close: Tok) -> Result<Vec<Expr>, ParseError> {
        let old = (std::mem::replace(&mut self.no_gt, false), std::mem::replace(&mut self.no_in, false));
        let mut v = Vec::new();
        self.skip_newlines()?;
        if self.tok != close {
            loop {
                v.push(self.expr()?);
                self.skip_newlines()?;
                if self.tok != Tok::Comma {
                    break;
                }
                self.advance()?;
                self.skip_newlines()?;
            }
        }
        self.expect(close)?;
        (self.no_gt, self.no_in) = old;
        Ok(v)
    }

    /// Builtins whose argument at `i` is an array.
    pub fn builtin_array_arg(b: Builtin, i: usize) -> bool {
        matches!((b, i), (Builtin::Split, 1) | (Builtin::Match, 2))
    }
}

/// Parse a whole program.
pub fn parse(src: &[u8]) -> Result<Program, ParseError> {
    Parser::new(src).program()
}
