//! The awk syntax tree. Variables are resolved to slots at parse time:
//! globals index the interpreter's global table (special variables first,
//! see [`Special`]), locals index the current call frame.

use super::lexer::Builtin;

/// The special variables, in slot order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Special {
    Nr,
    Fnr,
    Nf,
    Fs,
    Ofs,
    Ors,
    Rs,
    Filename,
    Subsep,
    Rstart,
    Rlength,
    Convfmt,
    Ofmt,
    Environ,
    Argc,
    Argv,
    Rt,
    Ignorecase,
}

pub const SPECIALS: &[(&str, Special)] = &[
    ("NR", Special::Nr),
    ("FNR", Special::Fnr),
    ("NF", Special::Nf),
    ("FS", Special::Fs),
    ("OFS", Special::Ofs),
    ("ORS", Special::Ors),
    ("RS", Special::Rs),
    ("FILENAME", Special::Filename),
    ("SUBSEP", Special::Subsep),
    ("RSTART", Special::Rstart),
    ("RLENGTH", Special::Rlength),
    ("CONVFMT", Special::Convfmt),
    ("OFMT", Special::Ofmt),
    ("ENVIRON", Special::Environ),
    ("ARGC", Special::Argc),
    ("ARGV", Special::Argv),
    ("RT", Special::Rt),
    ("IGNORECASE", Special::Ignorecase),
];

/// Where a variable lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Var {
    Global(usize),
    Local(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

/// Redirection of `print`, `printf` and `getline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redir {
    File,
    Append,
    Pipe,
}

#[derive(Debug)]
pub enum Expr {
    Num(f64),
    Str(Vec<u8>),
    /// A regex literal; as a value it means `$0 ~ /re/`. Index into the
    /// program's regex table.
    Regex(usize),
    Var(Var),
    Index(Var, Vec<Expr>),
    Field(Box<Expr>),
    /// `(a, b)`: only valid before `in` or as `print`'s argument list.
    Group(Vec<Expr>),
    Assign(Box<Expr>, Box<Expr>),
    AugAssign(BinOp, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    In(Vec<Expr>, Var),
    Match(bool, Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Not(Box<Expr>),
    /// `++x` (`true`) or `--x`.
    PreIncr(bool, Box<Expr>),
    PostIncr(bool, Box<Expr>),
    Call(usize, Vec<Expr>),
    Builtin(Builtin, Vec<Expr>),
    /// `getline [var] [< file]`.
    Getline(Option<Box<Expr>>, Option<Box<Expr>>),
    /// `cmd | getline [var]`.
    PipeGetline(Box<Expr>, Option<Box<Expr>>),
}

#[derive(Debug)]
pub enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<(Redir, Expr)>),
    Printf(Vec<Expr>, Option<(Redir, Expr)>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>, Box<Stmt>),
    ForIn(Var, Var, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Nextfile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(Var, Option<Vec<Expr>>),
    /// Marks the source line of the statements that follow, for messages.
    Line(u32),
}

#[derive(Debug)]
pub enum Pattern {
    All,
    Expr(Expr),
    /// A range pattern, with its slot in the interpreter's range flags.
    Range(Expr, Expr, usize),
}

#[derive(Debug)]
pub struct Rule {
    pub pattern: Pattern,
    /// `None`: print `$0`.
    pub action: Option<Vec<Stmt>>,
}

#[derive(Debug)]
pub struct Func {
    pub name: String,
    pub nparams: usize,
    /// Which parameters are used as arrays.
    pub array_params: Vec<bool>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Default)]
pub struct Program {
    pub begin: Vec<Vec<Stmt>>,
    pub rules: Vec<Rule>,
    pub end: Vec<Vec<Stmt>>,
    pub funcs: Vec<Func>,
    /// Global names, by slot.
    pub globals: Vec<String>,
    /// Regex literals (source text).
    pub regexes: Vec<Vec<u8>>,
    pub nranges: usize,
}
