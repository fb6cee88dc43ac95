//! The awk interpreter: state, the BEGIN / records / END driver, and
//! statements. Expressions are in [`super::eval`], builtins in
//! [`super::builtins`], stream handling in [`super::streams`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use agentos_kernel::Task;
use regex::bytes::Regex;

use super::array::Array;
use super::ast::{Pattern, Program, Special, Stmt, Var};
use super::io::{Output, RecordReader, RecordSep};
use super::record::{FieldSep, Record};
use super::value::{Str, Value};
use crate::script_tools::{Dialect, compile_regex};

pub const NSPECIAL: usize = 18;

/// A variable's storage.
#[derive(Clone, Debug)]
pub enum Cell {
    Val(Value),
    Arr(Rc<RefCell<Array>>),
}

/// Non-local control flow and fatal errors.
pub enum Jump {
    Break,
    Continue,
    Next,
    NextFile,
    Exit,
    Return(Value),
    Fatal(String),
}

pub type Res<T> = Result<T, Jump>;

pub fn fatal<T>(msg: impl Into<String>) -> Res<T> {
    Err(Jump::Fatal(msg.into()))
}

/// The main input: `ARGV` operands read in turn.
#[derive(Default)]
pub struct MainInput {
    pub next_arg: usize,
    pub reader: Option<RecordReader>,
    pub saw_file: bool,
    pub done: bool,
}

pub struct Interp<'t> {
    pub task: &'t Task,
    pub prog: Rc<Program>,
    pub globals: Vec<Cell>,
    pub locals: Vec<Cell>,
    pub base: usize,
    pub record: Record,
    /// FS as it is now, and as it was when the record was read.
    pub fs: FieldSep,
    pub rec_fs: FieldSep,
    pub paragraph: bool,
    pub rs: RecordSep,
    pub convfmt: Vec<u8>,
    pub ofmt: Vec<u8>,
    pub ofs: Vec<u8>,
    pub ors: Vec<u8>,
    pub subsep: Vec<u8>,
    pub regex_lits: Vec<Rc<Regex>>,
    pub dyn_regex: HashMap<Vec<u8>, Rc<Regex>>,
    pub ranges: Vec<bool>,
    pub main: MainInput,
    /// Output streams; 0 is standard output.
    pub outputs: Vec<Output>,
    pub in_files: Vec<(Vec<u8>, RecordReader)>,
    pub in_cmds: Vec<(Vec<u8>, RecordReader)>,
    pub rng: u64,
    pub seed: f64,
    pub exit_code: i32,
    pub line: u32,
    pub in_main_loop: bool,
    pub depth: usize,
    /// Scratch buffers for records.
    pub scratch: Vec<u8>,
    pub rt: Vec<u8>,
    /// A record read by `getline var` from the main input.
    pub getline_buf: Option<Value>,
}

impl<'t> Interp<'t> {
    pub fn new(task: &'t Task, prog: Program) -> Result<Interp<'t>, String> {
        let mut regex_lits = Vec::new();
        for r in &prog.regexes {
            regex_lits.push(Rc::new(compile_regex(r, Dialect::Awk, false, false)?));
        }
        let globals = vec![Cell::Val(Value::Uninit); prog.globals.len()];
        let nranges = prog.nranges;
        let mut it = Interp {
            task,
            prog: Rc::new(prog),
            globals,
            locals: Vec::new(),
            base: 0,
            record: Record::default(),
            fs: FieldSep::Blank,
            rec_fs: FieldSep::Blank,
            paragraph: false,
            rs: RecordSep::Byte(b'\n'),
            convfmt: b"%.6g".to_vec(),
            ofmt: b"%.6g".to_vec(),
            ofs: b" ".to_vec(),
            ors: b"\n".to_vec(),
            subsep: b"\x1c".to_vec(),
            regex_lits,
            dyn_regex: HashMap::new(),
            ranges: vec![false; nranges],
            main: MainInput::default(),
            outputs: vec![Output { name: b"/dev/stdout".to_vec(), fd: 1, buf: Vec::new(), pid: None, owned: false }],
            in_files: Vec::new(),
            in_cmds: Vec::new(),
            rng: 1,
            seed: 1.0,
            exit_code: 0,
            line: 0,
            in_main_loop: false,
            depth: 0,
            scratch: Vec::new(),
            rt: Vec::new(),
            getline_buf: None,
        };
        let defaults: [(Special, &[u8]); 9] = [
            (Special::Fs, b" "),
            (Special::Ofs, b" "),
            (Special::Ors, b"\n"),
            (Special::Rs, b"\n"),
            (Special::Subsep, b"\x1c"),
            (Special::Convfmt, b"%.6g"),
            (Special::Ofmt, b"%.6g"),
            (Special::Filename, b""),
            (Special::Rt, b""),
        ];
        for (s, v) in defaults {
            it.globals[s as usize] = Cell::Val(Value::str(v));
        }
        for s in [Special::Nr, Special::Fnr, Special::Rstart, Special::Ignorecase] {
            it.globals[s as usize] = Cell::Val(Value::Num(0.0));
        }
        it.globals[Special::Rlength as usize] = Cell::Val(Value::Num(-1.0));
        let mut env = Array::default();
        for (k, v) in &task.env {
            env.set(Rc::from(k.as_bytes()), Value::input(v.as_bytes()));
        }
        it.globals[Special::Environ as usize] = Cell::Arr(Rc::new(RefCell::new(env)));
        Ok(it)
    }

    /// Set `ARGV`/`ARGC` (`argv[0]` is "awk").
    pub fn set_argv(&mut self, args: &[String]) {
        let mut a = Array::default();
        for (i, s) in args.iter().enumerate() {
            a.set(Rc::from(i.to_string().as_bytes()), Value::input(s.as_bytes()));
        }
        self.globals[Special::Argv as usize] = Cell::Arr(Rc::new(RefCell::new(a)));
        self.globals[Special::Argc as usize] = Cell::Val(Value::Num(args.len() as f64));
    }

    pub fn special(&self, s: Special) -> Value {
        match &self.globals[s as usize] {
            Cell::Val(v) => v.clone(),
            Cell::Arr(_) => Value::Uninit,
        }
    }

    pub fn set_special(&mut self, s: Special, v: Value) {
        self.globals[s as usize] = Cell::Val(v);
    }

    /// Compile a dynamic regex (a string used as one), cached.
    pub fn regex(&mut self, pat: &[u8]) -> Res<Rc<Regex>> {
        if let Some(r) = self.dyn_regex.get(pat) {
            return Ok(r.clone());
        }
        match compile_regex(pat, Dialect::Awk, false, false) {
            Ok(r) => {
                let r = Rc::new(r);
                if self.dyn_regex.len() > 500 {
                    self.dyn_regex.clear();
                }
                self.dyn_regex.insert(pat.to_vec(), r.clone());
                Ok(r)
            }
            Err(e) => fatal(format!("invalid regexp: {e}: /{}/", String::from_utf8_lossy(pat))),
        }
    }

    /// A field separator from an `FS`-like string.
    pub fn field_sep(&mut self, fs: &[u8]) -> Res<FieldSep> {
        Ok(match fs {
            b" " => FieldSep::Blank,
            b"" => FieldSep::Chars,
            [c] if *c != b'\\' => FieldSep::Byte(*c),
            b"\\t" => FieldSep::Byte(b'\t'),
            _ => FieldSep::Regex(self.regex(fs)?),
        })
    }

    /// Keep the cached copies of special variables in step after an
    /// assignment to global `slot`.
    pub fn special_assigned(&mut self, slot: usize) -> Res<()> {
        let v = match &self.globals[slot] {
            Cell::Val(v) => v.clone(),
            Cell::Arr(_) => return Ok(()),
        };
        let s = v.to_str(&self.convfmt);
        match slot {
            x if x == Special::Fs as usize => self.fs = self.field_sep(&s)?,
            x if x == Special::Ofs as usize => self.ofs = s.to_vec(),
            x if x == Special::Ors as usize => self.ors = s.to_vec(),
            x if x == Special::Subsep as usize => self.subsep = s.to_vec(),
            x if x == Special::Convfmt as usize => self.convfmt = s.to_vec(),
            x if x == Special::Ofmt as usize => self.ofmt = s.to_vec(),
            x if x == Special::Rs as usize => {
                self.paragraph = s.is_empty();
                self.rs = match &s[..] {
                    b"" => RecordSep::Paragraph,
                    [c] => RecordSep::Byte(*c),
                    _ => RecordSep::Regex(self.regex(&s)?),
                };
            }
            _ => {}
        }
        Ok(())
    }

    pub fn num_special(&self, s: Special) -> f64 {
        self.special(s).to_num()
    }

    /// Run the program over its input; the exit status.
    pub fn run(&mut self) -> i32 {
        let prog = self.prog.clone();
        let mut exiting = false;
        for b in &prog.begin {
            match self.exec_block(b) {
                Ok(()) => {}
                Err(Jump::Exit) => {
                    exiting = true;
                    break;
                }
                Err(Jump::Fatal(m)) => return self.die(&m),
                Err(_) => {}
            }
        }
        if !exiting && (!prog.rules.is_empty() || !prog.end.is_empty()) {
            self.in_main_loop = true;
            match self.main_loop(&prog) {
                Ok(()) => {}
                Err(Jump::Fatal(m)) => return self.die(&m),
                Err(_) => {}
            }
            self.in_main_loop = false;
        }
        // `exit` in BEGIN or a rule still runs END; `exit` in END stops.
        for b in &prog.end {
            match self.exec_block(b) {
                Ok(()) => {}
                Err(Jump::Exit) => break,
                Err(Jump::Fatal(m)) => return self.die(&m),
                Err(_) => {}
            }
        }
        self.close_all();
        self.exit_code
    }

    fn main_loop(&mut self, prog: &Program) -> Res<()> {
        loop {
            if !self.next_main_record(true)? {
                return Ok(());
            }
            match self.rules(prog) {
                Ok(()) | Err(Jump::Next) => {}
                Err(Jump::NextFile) => self.skip_file(),
                Err(Jump::Exit) => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }

    fn rules(&mut self, prog: &Program) -> Res<()> {
        for rule in &prog.rules {
            let hit = match &rule.pattern {
                Pattern::All => true,
                Pattern::Expr(e) => self.cond(e)?,
                Pattern::Range(a, b, slot) => {
                    if self.ranges[*slot] {
                        if self.cond(b)? {
                            self.ranges[*slot] = false;
                        }
                        true
                    } else if self.cond(a)? {
                        self.ranges[*slot] = !self.cond(b)?;
                        true
                    } else {
                        false
                    }
                }
            };
            if !hit {
                continue;
            }
            match &rule.action {
                Some(body) => self.exec_block(body)?,
                None => {
                    let mut line = std::mem::take(&mut self.scratch);
                    line.clear();
                    line.extend_from_slice(&self.record.text);
                    line.extend_from_slice(&self.ors);
                    let r = self.write_out(0, &line);
                    self.scratch = line;
                    r?;
                }
            }
        }
        Ok(())
    }

    /// Report a fatal error gawk-style; status 2.
    pub fn die(&mut self, msg: &str) -> i32 {
        if msg.is_empty() {
            // Already reported (and everything closed).
            return 2;
        }
        self.flush_all();
        let where_ = if self.in_main_loop {
            let name = self.special(Special::Filename).to_str(b"%.6g");
            let fnr = self.num_special(Special::Fnr);
            format!("(FILENAME={} FNR={}) ", String::from_utf8_lossy(&name), fnr)
        } else {
            String::new()
        };
        let m = format!("awk: cmd. line:{}: {where_}fatal: {msg}\n", self.line.max(1));
        let _ = self.task.write_all(2, m.as_bytes());
        self.close_all();
        2
    }

    pub fn exec_block(&mut self, stmts: &[Stmt]) -> Res<()> {
        for s in stmts {
            self.exec(s)?;
        }
        Ok(())
    }

    fn exec(&mut self, s: &Stmt) -> Res<()> {
        match s {
            Stmt::Line(n) => self.line = *n,
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::Print(args, redir) => self.print(args, redir.as_ref())?,
            Stmt::Printf(args, redir) => self.printf(args, redir.as_ref())?,
            Stmt::If(c, t, e) => {
                if self.cond(c)? {
                    self.exec(t)?;
                } else if let Some(e) = e {
                    self.exec(e)?;
                }
            }
            Stmt::While(c, body) => {
                while self.cond(c)? {
                    match self.exec(body) {
                        Err(Jump::Break) => break,
                        Err(Jump::Continue) | Ok(()) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            Stmt::Do(body, c) => loop {
                match self.exec(body) {
                    Err(Jump::Break) => break,
                    Err(Jump::Continue) | Ok(()) => {}
                    Err(e) => return Err(e),
                }
                if !self.cond(c)? {
                    break;
                }
            },
            Stmt::For(init, c, step, body) => {
                if let Some(i) = init {
                    self.exec(i)?;
                }
                loop {
                    if let Some(c) = c
                        && !self.cond(c)?
                    {
                        break;
                    }
                    match self.exec(body) {
                        Err(Jump::Break) => break,
                        Err(Jump::Continue) | Ok(()) => {}
                        Err(e) => return Err(e),
                    }
                    if let Some(s) = step {
                        self.exec(s)?;
                    }
                }
            }
            Stmt::ForIn(k, a, body) => {
                let arr = self.array(*a)?;
                let keys = arr.borrow().keys();
                for key in keys {
                    if !arr.borrow().contains(&key) {
                        continue;
                    }
                    self.set_var(*k, Value::input(&key))?;
                    match self.exec(body) {
                        Err(Jump::Break) => break,
                        Err(Jump::Continue) | Ok(()) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            Stmt::Block(b) => self.exec_block(b)?,
            Stmt::Next => {
                if !self.in_main_loop {
                    return fatal("`next' used in BEGIN or END action");
                }
                return Err(Jump::Next);
            }
            Stmt::Nextfile => return Err(Jump::NextFile),
            Stmt::Exit(e) => {
                if let Some(e) = e {
                    self.exit_code = self.eval_num(e)? as i32;
                }
                return Err(Jump::Exit);
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Uninit,
                };
                return Err(Jump::Return(v));
            }
            Stmt::Break => return Err(Jump::Break),
            Stmt::Continue => return Err(Jump::Continue),
            Stmt::Delete(v, subs) => {
                let arr = self.array(*v)?;
                match subs {
                    None => arr.borrow_mut().clear(),
                    Some(subs) => {
                        let k = self.subscript(subs)?;
                        arr.borrow_mut().remove(&k);
                    }
                }
            }
        }
        Ok(())
    }

    /// The array behind a variable, created if the variable is unset.
    pub fn array(&mut self, v: Var) -> Res<Rc<RefCell<Array>>> {
        let cell = match v {
            Var::Global(i) => &mut self.globals[i],
            Var::Local(i) => &mut self.locals[self.base + i],
        };
        match cell {
            Cell::Arr(a) => Ok(a.clone()),
            Cell::Val(Value::Uninit) => {
                let a = Rc::new(RefCell::new(Array::default()));
                *cell = Cell::Arr(a.clone());
                Ok(a)
            }
            Cell::Val(_) => {
                let name = self.var_name(v);
                fatal(format!("attempt to use scalar `{name}' as an array"))
            }
        }
    }

    pub fn var_name(&self, v: Var) -> String {
        match v {
            Var::Global(i) => self.prog.globals[i].clone(),
            Var::Local(_) => "parameter".into(),
        }
    }

    pub fn set_var(&mut self, v: Var, val: Value) -> Res<()> {
        match v {
            Var::Global(i) => {
                if i == Special::Nf as usize {
                    let n = val.to_num().max(0.0) as usize;
                    self.set_nf(n);
                    return Ok(());
                }
                if let Cell::Arr(_) = self.globals[i] {
                    return fatal(format!("attempt to use array `{}' in a scalar context", self.prog.globals[i]));
                }
                self.globals[i] = Cell::Val(val);
                if i < NSPECIAL {
                    self.special_assigned(i)?;
                }
            }
            Var::Local(i) => self.locals[self.base + i] = Cell::Val(val),
        }
        Ok(())
    }

    pub fn set_nf(&mut self, n: usize) {
        self.record.set_nf(n, &self.rec_fs, self.paragraph, &self.ofs, &self.convfmt);
    }

    /// The key of `a[i, j]`: subscripts joined by SUBSEP.
    pub fn subscript(&mut self, subs: &[super::ast::Expr]) -> Res<Str> {
        if subs.len() == 1 {
            let v = self.eval(&subs[0])?;
            return Ok(self.key_of(&v));
        }
        let mut k = Vec::new();
        for (i, e) in subs.iter().enumerate() {
            if i > 0 {
                k.extend_from_slice(&self.subsep);
            }
            let v = self.eval(e)?;
            k.extend_from_slice(&self.key_of(&v));
        }
        Ok(Rc::from(k))
    }

    pub fn key_of(&self, v: &Value) -> Str {
        v.to_str(&self.convfmt)
    }
}
