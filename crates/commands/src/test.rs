//! `test EXPRESSION` and `[ EXPRESSION ]`: bash's builtin and GNU's
//! `test(1)`. POSIX's rules for one to four arguments come first, then a
//! recursive-descent parse (`!`, `-a`, `-o`, parentheses) for longer
//! expressions. Exit 0 true, 1 false, 2 on a syntax error (with a message).

use agentos_kernel::Task;
use agentos_kernel::abi::{R_OK, W_OK, X_OK};

use crate::printf::Flavor;
use crate::util;

/// Syntax errors, rendered per flavor.
#[derive(Debug, PartialEq, Eq)]
enum Error {
    /// Two arguments, the first not an operator: (first, last).
    NotUnary(String, String),
    BinaryExpected(String),
    Integer(String),
    CloseParen,
    TooMany,
    Extra(String),
    MissingAfter(String),
    Argument,
}

impl Error {
    fn render(&self, flavor: Flavor) -> String {
        let q = |s: &str| if flavor == Flavor::Gnu { util::quote(s) } else { s.to_string() };
        match (self, flavor) {
            (Error::NotUnary(first, _), Flavor::Bash) => format!("{first}: unary operator expected"),
            (Error::NotUnary(first, last), Flavor::Gnu) => {
                if first.len() == 2 && first.starts_with('-') {
                    format!("{}: unary operator expected", q(first))
                } else {
                    format!("missing argument after {}", q(last))
                }
            }
            (Error::BinaryExpected(s), _) => format!("{}: binary operator expected", q(s)),
            (Error::Integer(s), Flavor::Bash) => format!("{s}: integer expression expected"),
            (Error::Integer(s), Flavor::Gnu) => format!("invalid integer {}", util::quote(s)),
            (Error::CloseParen, Flavor::Bash) => "`)' expected".into(),
            (Error::CloseParen, Flavor::Gnu) => "')' expected".into(),
            (Error::TooMany, Flavor::Bash) => "too many arguments".into(),
            (Error::Extra(s), Flavor::Bash) => format!("{s}: binary operator expected"),
            (Error::TooMany, Flavor::Gnu) | (Error::Extra(_), Flavor::Gnu) => match self {
                Error::Extra(s) => format!("extra argument {}", util::quote(s)),
                _ => "too many arguments".into(),
            },
            (Error::MissingAfter(s), Flavor::Gnu) => format!("missing argument after {}", util::quote(s)),
            (Error::MissingAfter(_), Flavor::Bash) | (Error::Argument, _) => "argument expected".into(),
        }
    }
}

type R<T> = Result<T, Error>;

const UNARY: &[&str] = &[
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w", "-x", "-G", "-L", "-N",
    "-O", "-S", "-z", "-n", "-o", "-v", "-R",
];
const BINARY: &[&str] =
    &["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "-a", "-o"];

fn is_unary(s: &str) -> bool {
    UNARY.contains(&s)
}

fn is_binary(s: &str) -> bool {
    BINARY.contains(&s) && s != "-a" && s != "-o"
}

/// What expressions ask of the system: file tests and the environment.
pub trait Env {
    fn file_test(&self, op: &str, path: &str) -> bool;
    fn compare_files(&self, op: &str, a: &str, b: &str) -> bool;
    fn var_set(&self, name: &str) -> bool;
}

struct Parser<'a> {
    args: &'a [String],
    pos: usize,
    env: &'a dyn Env,
}

fn int(s: &str) -> R<i128> {
    let t = s.trim_matches(|c| c == ' ' || c == '\t');
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Integer(s.to_string()));
    }
    t.parse::<i128>().map_err(|_| Error::Integer(s.to_string()))
}

impl Parser<'_> {
    fn peek(&self, off: usize) -> Option<&str> {
        self.args.get(self.pos + off).map(|s| s.as_str())
    }

    fn remaining(&self) -> usize {
        self.args.len() - self.pos
    }

    fn unary(&self, op: &str, arg: &str) -> R<bool> {
        Ok(match op {
            "-z" => arg.is_empty(),
            "-n" => !arg.is_empty(),
            "-o" => false,
            "-v" => self.env.var_set(arg),
            "-t" => {
                let fd = int(arg)?;
                self.env.file_test("-t", &fd.to_string())
            }
            _ => self.env.file_test(op, arg),
        })
    }

    fn binary(&self, a: &str, op: &str, b: &str) -> R<bool> {
        Ok(match op {
            "=" | "==" => a == b,
            "!=" => a != b,
            "<" => a.as_bytes() < b.as_bytes(),
            ">" => a.as_bytes() > b.as_bytes(),
            "-eq" => int(a)? == int(b)?,
            "-ne" => int(a)? != int(b)?,
            "-lt" => int(a)? < int(b)?,
            "-le" => int(a)? <= int(b)?,
            "-gt" => int(a)? > int(b)?,
            "-ge" => int(a)? >= int(b)?,
            _ => self.env.compare_files(op, a, b),
        })
    }

    /// POSIX's fixed-arity rules; `None` means "use the general grammar".
    fn posix(&mut self, n: usize) -> R<Option<bool>> {
        let a: Vec<&str> = (0..n).filter_map(|i| self.peek(i)).collect();
        let r = match n {
            0 => false,
            1 => !a[0].is_empty(),
            2 => {
                if a[0] == "!" {
                    a[1].is_empty()
                } else if is_unary(a[0]) {
                    self.unary(a[0], a[1])?
                } else {
                    return Err(Error::NotUnary(a[0].to_string(), a[1].to_string()));
                }
            }
            3 => {
                if is_binary(a[1]) {
                    self.binary(a[0], a[1], a[2])?
                } else if a[1] == "-a" {
                    !a[0].is_empty() && !a[2].is_empty()
                } else if a[1] == "-o" {
                    !a[0].is_empty() || !a[2].is_empty()
                } else if a[0] == "!" {
                    self.pos += 1;
                    let r = !self.posix(2)?.unwrap_or(false);
                    self.pos -= 1;
                    r
                } else if a[0] == "(" && a[2] == ")" {
                    !a[1].is_empty()
                } else {
                    return Err(Error::BinaryExpected(a[1].to_string()));
                }
            }
            4 => {
                if a[0] == "!" {
                    self.pos += 1;
                    let r = self.posix(3)?;
                    self.pos -= 1;
                    match r {
                        Some(v) => !v,
                        None => return Ok(None),
                    }
                } else if a[0] == "(" && a[3] == ")" {
                    self.pos += 1;
                    let r = self.posix(2)?;
                    self.pos -= 1;
                    match r {
                        Some(v) => v,
                        None => return Ok(None),
                    }
                } else {
                    return Ok(None);
                }
            }
            _ => return Ok(None),
        };
        self.pos += n;
        Ok(Some(r))
    }

    fn expr(&mut self) -> R<bool> {
        let mut v = self.and()?;
        while self.peek(0) == Some("-o") {
            self.pos += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> R<bool> {
        let mut v = self.not()?;
        while self.peek(0) == Some("-a") {
            self.pos += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> R<bool> {
        if self.peek(0) == Some("!") && self.remaining() > 1 {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> R<bool> {
        let Some(a) = self.peek(0).map(str::to_string) else { return Err(Error::Argument) };
        if a == "(" && self.remaining() > 1 {
            self.pos += 1;
            // Inside parentheses, POSIX counts again up to the `)`.
            let depth_end = self.args[self.pos..].iter().rposition(|s| s == ")").map(|i| i + self.pos);
            let v = match depth_end {
                Some(end)
                    if end - self.pos <= 4
                        && end - self.pos > 0
                        && self.args[self.pos..end].iter().all(|s| s != "(") =>
                {
                    let n = end - self.pos;
                    match self.posix(n)? {
                        Some(v) => v,
                        None => self.expr()?,
                    }
                }
                _ => self.expr()?,
            };
            if self.peek(0) != Some(")") {
                return Err(Error::CloseParen);
            }
            self.pos += 1;
            return Ok(v);
        }
        if let Some(op) = self.peek(1).map(str::to_string)
            && is_binary(&op)
            && self.remaining() >= 3
        {
            let b = self.args[self.pos + 2].clone();
            self.pos += 3;
            return self.binary(&a, &op, &b);
        }
        if is_unary(&a) && self.remaining() >= 2 {
            let b = self.args[self.pos + 1].clone();
            self.pos += 2;
            return self.unary(&a, &b);
        }
        if is_unary(&a) && a != "-a" && a != "-o" {
            // A unary operator without operand is a plain string in POSIX
            // one-argument context, an error elsewhere.
            return Err(Error::MissingAfter(a));
        }
        self.pos += 1;
        Ok(!a.is_empty())
    }
}

/// Evaluate a `test` expression (no `[`/`]`).
fn evaluate(args: &[String], env: &dyn Env) -> R<bool> {
    let mut p = Parser { args, pos: 0, env };
    if let Some(v) = p.posix(args.len())? {
        return Ok(v);
    }
    let v = p.expr()?;
    if p.pos < args.len() {
        let extra = args[p.pos].clone();
        return Err(if p.pos + 1 < args.len() || extra != ")" { Error::Extra(extra) } else { Error::TooMany });
    }
    Ok(v)
}

struct TaskEnv<'a>(&'a Task);

impl Env for TaskEnv<'_> {
    fn file_test(&self, op: &str, path: &str) -> bool {
        let t = self.0;
        if op == "-t" {
            return path.parse().map(|fd| t.isatty(fd)).unwrap_or(false);
        }
        if op == "-h" || op == "-L" {
            return t.lstat(path).map(|s| s.is_symlink()).unwrap_or(false);
        }
        if path.is_empty() {
            return false;
        }
        let Ok(st) = t.stat(path) else { return false };
        use agentos_kernel::abi::FileType as F;
        match op {
            "-a" | "-e" => true,
            "-f" => st.is_file(),
            "-d" => st.is_dir(),
            "-b" => st.file_type() == F::BlockDevice,
            "-c" => st.file_type() == F::CharDevice,
            "-p" => st.file_type() == F::Fifo,
            "-S" => st.file_type() == F::Socket,
            "-s" => st.size > 0,
            "-g" => st.mode & 0o2000 != 0,
            "-u" => st.mode & 0o4000 != 0,
            "-k" => st.mode & 0o1000 != 0,
            "-r" => t.access(path, R_OK).is_ok(),
            "-w" => t.access(path, W_OK).is_ok(),
            "-x" => t.access(path, X_OK).is_ok(),
            "-O" => st.uid == t.cred().uid,
            "-G" => st.gid == t.cred().gid,
            "-N" => st.mtime > st.atime,
            _ => false,
        }
    }

    fn compare_files(&self, op: &str, a: &str, b: &str) -> bool {
        let t = self.0;
        let (sa, sb) = (t.stat(a).ok(), t.stat(b).ok());
        match op {
            "-nt" => match (sa, sb) {
                (Some(x), Some(y)) => x.mtime > y.mtime,
                (Some(_), None) => true,
                _ => false,
            },
            "-ot" => match (sa, sb) {
                (Some(x), Some(y)) => x.mtime < y.mtime,
                (None, Some(_)) => true,
                _ => false,
            },
            "-ef" => matches!((sa, sb), (Some(x), Some(y)) if x.dev == y.dev && x.ino == y.ino),
            _ => false,
        }
    }

    fn var_set(&self, name: &str) -> bool {
        self.0.getenv(name).is_some()
    }
}

fn run(task: &mut Task, flavor: Flavor) -> i32 {
    let argv0 = task.argv.first().map(|s| util::path::basename(s).to_string()).unwrap_or_default();
    let bracket = argv0 == "[";
    let name = if bracket { "[" } else { "test" };
    let mut args: Vec<String> = task.argv[1..].to_vec();
    if flavor == Flavor::Gnu && bracket && args.len() == 1 {
        match args[0].as_str() {
            "--help" => return util::help(task, "[", "EXPRESSION ]"),
            "--version" => {
                util::out(task, b"[ (GNU coreutils) 9.1\n");
                return 0;
            }
            _ => {}
        }
    }
    if bracket {
        if args.last().map(|s| s.as_str()) != Some("]") {
            let msg = if flavor == Flavor::Bash { "missing `]'" } else { "missing ']'" };
            util::error(task, name, msg);
            return 2;
        }
        args.pop();
    }
    match evaluate(&args, &TaskEnv(task)) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(e) => {
            util::error(task, name, &e.render(flavor));
            2
        }
    }
}

/// `/usr/bin/test` and `/usr/bin/[` (GNU coreutils).
pub fn main(task: &mut Task) -> i32 {
    run(task, Flavor::Gnu)
}

/// The shell's `test` and `[` builtins (bash). `argv[0]` selects `[`.
pub fn builtin_main(task: &mut Task) -> i32 {
    run(task, Flavor::Bash)
}

/// `[`, whatever `argv[0]` says.
pub fn bracket_main(task: &mut Task) -> i32 {
    if let Some(a) = task.argv.first_mut()
        && util::path::basename(a) != "["
    {
        *a = "[".into();
    }
    run(task, Flavor::Gnu)
}

/// The `[` builtin, whatever `argv[0]` says.
pub fn bracket_builtin_main(task: &mut Task) -> i32 {
    if let Some(a) = task.argv.first_mut()
        && util::path::basename(a) != "["
    {
        *a = "[".into();
    }
    run(task, Flavor::Bash)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoFiles;
    impl Env for NoFiles {
        fn file_test(&self, op: &str, path: &str) -> bool {
            op == "-e" && path == "exists" || op == "-d" && path == "."
        }
        fn compare_files(&self, _: &str, _: &str, _: &str) -> bool {
            false
        }
        fn var_set(&self, _: &str) -> bool {
            false
        }
    }

    fn ev(a: &[&str]) -> R<bool> {
        let v: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        evaluate(&v, &NoFiles)
    }

    #[test]
    fn posix_arities() {
        assert_eq!(ev(&[]), Ok(false));
        assert_eq!(ev(&["x"]), Ok(true));
        assert_eq!(ev(&[""]), Ok(false));
        assert_eq!(ev(&["-n"]), Ok(true));
        assert_eq!(ev(&["!", ""]), Ok(true));
        assert_eq!(ev(&["-z", ""]), Ok(true));
        assert_eq!(ev(&["-e", "exists"]), Ok(true));
        assert_eq!(ev(&["a", "=", "b"]), Ok(false));
        assert_eq!(ev(&["3", "-lt", "10"]), Ok(true));
        assert_eq!(ev(&["!", "a", "=", "b"]), Ok(true));
        assert_eq!(ev(&["(", "x", ")"]), Ok(true));
        assert_eq!(ev(&["-d", ".", "-a", "x"]), Ok(true));
        assert_eq!(ev(&["=", "=", "="]), Ok(true));
        assert_eq!(ev(&["!", "="]), Ok(false));
    }

    #[test]
    fn general_grammar() {
        assert_eq!(ev(&["a", "=", "a", "-a", "b", "=", "c"]), Ok(false));
        assert_eq!(ev(&["a", "=", "a", "-o", "b", "=", "c"]), Ok(true));
        assert_eq!(ev(&["(", "a", "=", "b", ")", "-o", "x"]), Ok(true));
        assert_eq!(ev(&["!", "(", "a", "=", "a", ")", "-a", "x"]), Ok(false));
        assert_eq!(ev(&["", "-o", "", "-o", "y"]), Ok(true));
    }

    #[test]
    fn errors() {
        assert_eq!(ev(&["foo", "bar"]), Err(Error::NotUnary("foo".into(), "bar".into())));
        assert_eq!(Error::NotUnary("(".into(), "x".into()).render(Flavor::Gnu), "missing argument after 'x'");
        assert_eq!(Error::NotUnary("-q".into(), "x".into()).render(Flavor::Gnu), "'-q': unary operator expected");
        assert_eq!(Error::NotUnary("foo".into(), "bar".into()).render(Flavor::Bash), "foo: unary operator expected");
        assert_eq!(ev(&["a", "b", "c"]), Err(Error::BinaryExpected("b".into())));
        assert_eq!(ev(&["abc", "-eq", "1"]), Err(Error::Integer("abc".into())));
        assert_eq!(ev(&["1", "-eq", "1", "x", "y"]), Err(Error::Extra("x".into())));
        assert_eq!(Error::Integer("abc".into()).render(Flavor::Bash), "abc: integer expression expected");
        assert_eq!(Error::Integer("abc".into()).render(Flavor::Gnu), "invalid integer 'abc'");
        assert_eq!(ev(&[" 5 ", "-eq", "+5"]), Ok(true));
    }
}
