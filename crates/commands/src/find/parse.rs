//! `find`'s expression language: the grammar (`!`, `-a`, `-o`, `,`,
//! parentheses, implicit `-a`), the primaries and their arguments, and the
//! global options that may appear among them.
//!
//! Analogue: GNU findutils 4.9 `parser.c`, including its error texts
//! (`unknown predicate`, `missing argument to`, `invalid argument`).

use crate::util::posix_regex::{self, Options as ReOptions, Regex, Syntax};

/// A numeric comparison: `+N` (more than), `-N` (less than), `N` (exactly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Gt(u64),
    Lt(u64),
    Eq(u64),
}

impl Cmp {
    pub fn test(self, v: u64) -> bool {
        match self {
            Cmp::Gt(n) => v > n,
            Cmp::Lt(n) => v < n,
            Cmp::Eq(n) => v == n,
        }
    }
}

/// How `-perm` compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Perm {
    Exact(u32),
    All(u32),
    Any(u32),
}

/// An `-exec`/`-execdir`/`-ok` command.
#[derive(Debug)]
pub struct Exec {
    pub argv: Vec<String>,
    /// `{} +`: collect names and run in batches.
    pub batch: bool,
    /// Run in the file's directory (`-execdir`).
    pub in_dir: bool,
}

/// The expression tree.
#[derive(Debug)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    /// `a , b`: evaluate both, value of `b`.
    Comma(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    True,
    False,
    Name {
        pat: String,
        icase: bool,
    },
    Path {
        pat: String,
        icase: bool,
    },
    LName {
        pat: String,
        icase: bool,
    },
    Regex(Box<Regex>),
    Type(Vec<char>),
    XType(Vec<char>),
    Size {
        cmp: Cmp,
        unit: u64,
    },
    /// `-mtime` & co: `(kind, unit seconds, cmp)`, kind one of `a c m`.
    Time {
        kind: char,
        unit: i64,
        cmp: Cmp,
    },
    Newer(char, agentos_kernel::abi::Timespec),
    Perm(Perm),
    User(u32),
    Group(u32),
    Uid(Cmp),
    Gid(Cmp),
    Links(Cmp),
    Inum(Cmp),
    Empty,
    Access(u32),
    NoUser,
    NoGroup,
    Prune,
    Quit,
    Print {
        nul: bool,
    },
    Printf(String),
    Ls,
    Delete,
    Exec(usize),
}

/// Options that are not tests.
#[derive(Debug, Default)]
pub struct Globals {
    pub max_depth: Option<usize>,
    pub min_depth: usize,
    pub depth_first: bool,
    pub follow: bool,
}

/// A parsed command line's expression.
#[derive(Debug)]
pub struct Parsed {
    pub expr: Expr,
    pub globals: Globals,
    pub execs: Vec<Exec>,
    /// The expression had an action; otherwise `-print` is implied.
    pub has_action: bool,
}

/// What the parser needs from the outside world.
pub trait Env {
    fn stat_time(&self, path: &str, kind: char) -> Result<agentos_kernel::abi::Timespec, String>;
    fn uid(&self, name: &str) -> Option<u32>;
    fn gid(&self, name: &str) -> Option<u32>;
}

struct Parser<'a> {
    args: &'a [String],
    i: usize,
    env: &'a dyn Env,
    globals: Globals,
    execs: Vec<Exec>,
    has_action: bool,
    regex_type: Syntax,
    emacs: bool,
}

/// Parse the expression part of `find`'s arguments.
pub fn parse(args: &[String], env: &dyn Env) -> Result<Parsed, String> {
    let mut p = Parser {
        args,
        i: 0,
        env,
        globals: Globals::default(),
        execs: vec![],
        has_action: false,
        regex_type: Syntax::Basic,
        emacs: true,
    };
    let expr = if args.is_empty() { Expr::True } else { p.comma()? };
    if p.i < args.len() {
        let a = &args[p.i];
        return Err(if a == ")" {
            "invalid expression; you have too many ')'".into()
        } else {
            format!("paths must precede expression: `{a}'")
        });
    }
    Ok(Parsed { expr, globals: p.globals, execs: p.execs, has_action: p.has_action })
}

fn is_unary_start(a: &str) -> bool {
    !matches!(a, "-o" | "-or" | "-a" | "-and" | ")" | ",")
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.i).map(String::as_str)
    }

    fn comma(&mut self) -> Result<Expr, String> {
        let mut e = self.or()?;
        while self.peek() == Some(",") {
            self.i += 1;
            let r = self.or()?;
            e = Expr::Comma(Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut e = self.and()?;
        while matches!(self.peek(), Some("-o" | "-or")) {
            let op = self.args[self.i].clone();
            self.i += 1;
            if self.peek().is_none_or(|a| !is_unary_start(a)) {
                return Err(format!(
                    "invalid expression; you have used a binary operator '{op}' with nothing after it."
                ));
            }
            let r = self.and()?;
            e = Expr::Or(Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut e = self.unary()?;
        loop {
            match self.peek() {
                Some("-a" | "-and") => {
                    let op = self.args[self.i].clone();
                    self.i += 1;
                    if self.peek().is_none_or(|a| !is_unary_start(a)) {
                        return Err(format!(
                            "invalid expression; you have used a binary operator '{op}' with nothing after it."
                        ));
                    }
                }
                Some(a) if is_unary_start(a) => {}
                _ => return Ok(e),
            }
            let r = self.unary()?;
            e = Expr::And(Box::new(e), Box::new(r));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some("!" | "-not") => {
                self.i += 1;
                if self.peek().is_none_or(|a| !is_unary_start(a)) {
                    return Err("invalid expression; you have used a binary operator '!' with nothing after it.".into());
                }
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Some("(") => {
                self.i += 1;
                if self.peek() == Some(")") {
                    return Err("invalid expression; empty parentheses are not allowed.".into());
                }
                let e = self.comma()?;
                if self.peek() != Some(")") {
                    return Err(
                        "invalid expression; I was expecting to find a ')' somewhere but did not see one.".into()
                    );
                }
                self.i += 1;
                Ok(e)
            }
            Some(op @ ("-a" | "-and" | "-o" | "-or" | ",")) => {
                Err(format!("invalid expression; you have used a binary operator '{op}' with nothing before it."))
            }
            Some(_) => self.primary(),
            None => Err("invalid expression".into()),
        }
    }

    fn arg(&mut self, name: &str) -> Result<String, String> {
        match self.args.get(self.i) {
            Some(a) => {
                self.i += 1;
                Ok(a.clone())
            }
            None => Err(format!("missing argument to `{name}'")),
        }
    }

    fn num(&mut self, name: &str) -> Result<Cmp, String> {
        let a = self.arg(name)?;
        parse_cmp(&a).ok_or_else(|| format!("invalid argument `{a}' to `{name}'"))
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let name = self.args[self.i].clone();
        self.i += 1;
        let n = name.as_str();
        if !n.starts_with('-') {
            return Err(format!("paths must precede expression: `{n}'"));
        }
        Ok(match n {
            "-true" => Expr::True,
            "-false" => Expr::False,
            "-name" | "-iname" => Expr::Name { pat: self.arg(n)?, icase: n == "-iname" },
            "-path" | "-ipath" | "-wholename" | "-iwholename" => {
                Expr::Path { pat: self.arg(n)?, icase: n.starts_with("-i") }
            }
            "-lname" | "-ilname" => Expr::LName { pat: self.arg(n)?, icase: n == "-ilname" },
            "-regex" | "-iregex" => {
                let pat = self.arg(n)?;
                let pat = if self.emacs { emacs_to_bre(&pat) } else { pat };
                let o = ReOptions { icase: n == "-iregex", ..ReOptions::new(self.regex_type) };
                let re = posix_regex::compile_many(&[pat.as_bytes()], &o, true)?;
                Expr::Regex(Box::new(re))
            }
            "-regextype" => {
                let t = self.arg(n)?;
                (self.regex_type, self.emacs) = match t.as_str() {
                    "emacs" | "findutils-default" => (Syntax::Basic, true),
                    "posix-basic" | "ed" | "sed" | "grep" | "gnu-awk" => (Syntax::Basic, false),
                    "posix-extended" | "egrep" | "posix-egrep" | "awk" | "posix-awk" => (Syntax::Extended, false),
                    _ => {
                        return Err(format!(
                            "Unknown regular expression type `{t}'; valid types are `findutils-default', `ed', `emacs', `gnu-awk', `grep', `posix-awk', `awk', `posix-basic', `posix-egrep', `egrep', `posix-extended', `posix-minimal-basic', `sed'."
                        ));
                    }
                };
                Expr::True
            }
            "-type" | "-xtype" => {
                let a = self.arg(n)?;
                let mut v = Vec::new();
                for part in a.split(',') {
                    let mut cs = part.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) if "fdlpscbD".contains(c) => v.push(c),
                        (None, _) => return Err(format!("Arguments to {n} should contain at least one letter")),
                        (Some(_), Some(_)) => {
                            return Err(format!("Must separate multiple arguments to {n} using: ','"));
                        }
                        (Some(c), None) => return Err(format!("Unknown argument to {n}: {c}")),
                    }
                }
                if n == "-type" { Expr::Type(v) } else { Expr::XType(v) }
            }
            "-size" => {
                let a = self.arg(n)?;
                let (body, unit) = match a.chars().last() {
                    Some('c') => (&a[..a.len() - 1], 1),
                    Some('w') => (&a[..a.len() - 1], 2),
                    Some('b') => (&a[..a.len() - 1], 512),
                    Some('k') => (&a[..a.len() - 1], 1024),
                    Some('M') => (&a[..a.len() - 1], 1 << 20),
                    Some('G') => (&a[..a.len() - 1], 1 << 30),
                    _ => (a.as_str(), 512),
                };
                let cmp = parse_cmp(body)
                    .ok_or_else(|| format!("invalid -size type `{}'", a.chars().last().unwrap_or(' ')))?;
                Expr::Size { cmp, unit }
            }
            "-mtime" | "-atime" | "-ctime" => {
                Expr::Time { kind: n.as_bytes()[1] as char, unit: 86400, cmp: self.num(n)? }
            }
            "-mmin" | "-amin" | "-cmin" => Expr::Time { kind: n.as_bytes()[1] as char, unit: 60, cmp: self.num(n)? },
            "-newer" | "-anewer" | "-cnewer" => {
                let f = self.arg(n)?;
                let kind = if n == "-newer" { 'm' } else { n.as_bytes()[1] as char };
                Expr::Newer(kind, self.env.stat_time(&f, 'm')?)
            }
            "-perm" => {
                let a = self.arg(n)?;
                let bad = || format!("invalid mode `{a}'");
                let (ctor, body): (fn(u32) -> Perm, &str) = match a.as_bytes().first() {
                    Some(b'-') => (Perm::All, &a[1..]),
                    Some(b'/') => (Perm::Any, &a[1..]),
                    _ => (Perm::Exact, a.as_str()),
                };
                Expr::Perm(ctor(parse_mode(body).ok_or_else(bad)?))
            }
            "-user" => {
                let a = self.arg(n)?;
                let id = self.env.uid(&a).or_else(|| a.parse().ok());
                Expr::User(id.ok_or_else(|| format!("'{a}' is not the name of a known user"))?)
            }
            "-group" => {
                let a = self.arg(n)?;
                let id = self.env.gid(&a).or_else(|| a.parse().ok());
                Expr::Group(id.ok_or_else(|| format!("'{a}' is not the name of an existing group"))?)
            }
            "-uid" => Expr::Uid(self.num(n)?),
            "-gid" => Expr::Gid(self.num(n)?),
            "-links" => Expr::Links(self.num(n)?),
            "-inum" => Expr::Inum(self.num(n)?),
            "-empty" => Expr::Empty,
            "-readable" => Expr::Access(4),
            "-writable" => Expr::Access(2),
            "-executable" => Expr::Access(1),
            "-nouser" => Expr::NoUser,
            "-nogroup" => Expr::NoGroup,
            "-prune" => Expr::Prune,
            "-quit" => Expr::Quit,
            "-print" | "-print0" => {
                self.has_action = true;
                Expr::Print { nul: n == "-print0" }
            }
            "-printf" => {
                self.has_action = true;
                Expr::Printf(self.arg(n)?)
            }
            "-ls" => {
                self.has_action = true;
                Expr::Ls
            }
            "-delete" => {
                self.has_action = true;
                self.globals.depth_first = true;
                Expr::Delete
            }
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                self.has_action = true;
                let mut argv = Vec::new();
                let mut batch = false;
                loop {
                    let Some(a) = self.args.get(self.i) else {
                        return Err(format!("missing argument to `{n}'"));
                    };
                    self.i += 1;
                    if a == ";" {
                        break;
                    }
                    if a == "+" && argv.last().is_some_and(|l: &String| l == "{}") {
                        batch = true;
                        argv.pop();
                        break;
                    }
                    argv.push(a.clone());
                }
                if argv.is_empty() {
                    return Err(format!("missing argument to `{n}'"));
                }
                self.execs.push(Exec { argv, batch, in_dir: n.ends_with("dir") });
                Expr::Exec(self.execs.len() - 1)
            }
            "-maxdepth" | "-mindepth" => {
                let a = self.arg(n)?;
                let v: usize = a
                    .parse()
                    .map_err(|_| format!("Expected a positive decimal integer argument to {n}, but got `{a}'"))?;
                if n == "-maxdepth" {
                    self.globals.max_depth = Some(v);
                } else {
                    self.globals.min_depth = v;
                }
                Expr::True
            }
            "-depth" | "-d" => {
                self.globals.depth_first = true;
                Expr::True
            }
            "-follow" => {
                self.globals.follow = true;
                Expr::True
            }
            "-xdev" | "-mount" | "-noleaf" | "-ignore_readdir_race" | "-noignore_readdir_race" | "-daystart" => {
                Expr::True
            }
            _ => return Err(format!("unknown predicate `{n}'")),
        })
    }
}

/// `+N`, `-N` or `N`.
pub fn parse_cmp(s: &str) -> Option<Cmp> {
    let (ctor, body): (fn(u64) -> Cmp, &str) = match s.as_bytes().first()? {
        b'+' => (Cmp::Gt, &s[1..]),
        b'-' => (Cmp::Lt, &s[1..]),
        _ => (Cmp::Eq, s),
    };
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(ctor(body.parse().ok()?))
}

/// An octal mode, or a symbolic one (`u+x,g=r`) applied to 0.
pub fn parse_mode(s: &str) -> Option<u32> {
    if !s.is_empty() && s.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return u32::from_str_radix(s, 8).ok().filter(|m| *m <= 0o7777);
    }
    let mut mode = 0u32;
    for clause in s.split(',') {
        let who_end = clause.find(|c| !"ugoa".contains(c)).unwrap_or(clause.len());
        let who = &clause[..who_end];
        let mut mask = 0u32;
        for c in who.chars() {
            mask |= match c {
                'u' => 0o4700,
                'g' => 0o2070,
                'o' => 0o1007,
                _ => 0o7777,
            };
        }
        if who.is_empty() {
            mask = 0o7777;
        }
        let rest = &clause[who_end..];
        let op = rest.chars().next()?;
        if !"+-=".contains(op) {
            return None;
        }
        let mut bits = 0u32;
        for c in rest[1..].chars() {
            bits |= match c {
                'r' => 0o444,
                'w' => 0o222,
                'x' | 'X' => 0o111,
                's' => 0o6000,
                't' => 0o1000,
                _ => return None,
            };
        }
        let bits = bits & mask;
        match op {
            '+' => mode |= bits,
            '-' => mode &= !bits,
            _ => mode = (mode & !mask) | bits,
        }
    }
    Some(mode)
}

/// Emacs regex syntax (find's default) as a POSIX BRE: `+` and `?` are
/// operators unescaped, `\{` intervals don't exist.
fn emacs_to_bre(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 4);
    let mut chars = p.chars().peekable();
    let mut in_bracket = false;
    while let Some(c) = chars.next() {
        if in_bracket {
            out.push(c);
            if c == ']' {
                in_bracket = false;
            }
            continue;
        }
        match c {
            '[' => {
                in_bracket = true;
                out.push('[');
                for _ in 0..2 {
                    if let Some(&n) = chars.peek()
                        && (n == '^' || n == ']')
                    {
                        out.push(n);
                        chars.next();
                        if n == ']' {
                            break;
                        }
                    }
                }
            }
            '+' | '?' => {
                out.push('\\');
                out.push(c);
            }
            '{' | '}' => {
                out.push(c);
            }
            '\\' => match chars.next() {
                Some(n @ ('+' | '?')) => out.push(n),
                Some('{') => out.push('{'),
                Some('}') => out.push('}'),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoEnv;
    impl Env for NoEnv {
        fn stat_time(&self, path: &str, _: char) -> Result<agentos_kernel::abi::Timespec, String> {
            Err(format!("'{path}': No such file or directory"))
        }
        fn uid(&self, name: &str) -> Option<u32> {
            (name == "user").then_some(1000)
        }
        fn gid(&self, _: &str) -> Option<u32> {
            None
        }
    }

    fn p(args: &[&str]) -> Result<String, String> {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse(&v, &NoEnv).map(|p| format!("{:?}{}", p.expr, if p.has_action { " +action" } else { "" }))
    }

    #[test]
    fn grammar() {
        assert_eq!(p(&[]).unwrap(), "True");
        assert_eq!(
            p(&["-name", "a", "-o", "-type", "d"]).unwrap(),
            "Or(Name { pat: \"a\", icase: false }, Type(['d']))"
        );
        assert_eq!(
            p(&["!", "-name", "a", "-size", "+2k"]).unwrap(),
            "And(Not(Name { pat: \"a\", icase: false }), Size { cmp: Gt(2), unit: 1024 })"
        );
        assert_eq!(
            p(&["(", "-empty", "-o", "-true", ")", "-print"]).unwrap(),
            "And(Or(Empty, True), Print { nul: false }) +action"
        );
        assert_eq!(
            p(&["-a", "-true"]).unwrap_err(),
            "invalid expression; you have used a binary operator '-a' with nothing before it."
        );
        assert_eq!(
            p(&["-true", "-o"]).unwrap_err(),
            "invalid expression; you have used a binary operator '-o' with nothing after it."
        );
        assert_eq!(p(&["-user", "user", "-type", "f,d"]).unwrap(), "And(User(1000), Type(['f', 'd']))");
        assert_eq!(p(&["-exec", "echo", "{}", "+"]).unwrap(), "Exec(0) +action");
    }

    #[test]
    fn errors() {
        assert_eq!(p(&["-foo"]).unwrap_err(), "unknown predicate `-foo'");
        assert_eq!(p(&["-name"]).unwrap_err(), "missing argument to `-name'");
        assert_eq!(p(&["-exec", "echo"]).unwrap_err(), "missing argument to `-exec'");
        assert_eq!(p(&["-mtime", "x"]).unwrap_err(), "invalid argument `x' to `-mtime'");
        assert_eq!(p(&["-type", "q"]).unwrap_err(), "Unknown argument to -type: q");
        assert_eq!(
            p(&["(", "-true"]).unwrap_err(),
            "invalid expression; I was expecting to find a ')' somewhere but did not see one."
        );
        assert_eq!(p(&["-true", ")"]).unwrap_err(), "invalid expression; you have too many ')'");
        assert_eq!(p(&["-true", "x"]).unwrap_err(), "paths must precede expression: `x'");
        assert_eq!(p(&["-newer", "nope"]).unwrap_err(), "'nope': No such file or directory");
    }

    #[test]
    fn numbers_and_modes() {
        assert_eq!(parse_cmp("+3"), Some(Cmp::Gt(3)));
        assert_eq!(parse_cmp("-3"), Some(Cmp::Lt(3)));
        assert_eq!(parse_cmp("3"), Some(Cmp::Eq(3)));
        assert_eq!(parse_cmp("3x"), None);
        assert_eq!(parse_mode("644"), Some(0o644));
        assert_eq!(parse_mode("u+x"), Some(0o100));
        assert_eq!(parse_mode("u=rw,go=r"), Some(0o644));
        assert_eq!(parse_mode("a+x"), Some(0o111));
        assert_eq!(parse_mode("+w"), Some(0o222));
        assert_eq!(parse_mode("q"), None);
        assert_eq!(emacs_to_bre(".*\\.rs"), ".*\\.rs");
        assert_eq!(emacs_to_bre("a+b?\\(x\\|y\\)"), "a\\+b\\?\\(x\\|y\\)");
    }
}
