//! The sed script parser: addresses, commands and their arguments, with
//! GNU sed 4.9's error messages (`-e expression #1, char 5: unterminated
//! `s' command`).

use std::rc::Rc;

use regex::bytes::Regex;

use crate::script_tools::{Dialect, compile_regex};

/// A regular expression of a script; `None` is the empty regex, which
/// means "the last regex used".
pub type Re = Option<Rc<Regex>>;

#[derive(Clone, Debug)]
pub enum Addr {
    Line(u64),
    Last,
    Regex(Re),
    /// `first~step`.
    Step(u64, u64),
    /// `0` in `0,/re/`.
    Zero,
}

#[derive(Clone, Debug)]
pub enum Addr2 {
    Line(u64),
    Last,
    Regex(Re),
    /// `addr,+N`.
    Plus(u64),
    /// `addr,~N`.
    Tilde(u64),
}

/// A piece of an `s` replacement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Repl {
    Lit(Vec<u8>),
    /// `&` is group 0.
    Group(usize),
    /// `\U \L \u \l \E`.
    Case(u8),
}

#[derive(Debug)]
pub struct Subst {
    pub re: Re,
    pub repl: Vec<Repl>,
    pub global: bool,
    pub nth: usize,
    pub print: u8,
    pub write: Option<usize>,
    pub uses_groups: bool,
}

#[derive(Debug)]
pub enum Kind {
    /// `{`, with the index of its `}`.
    Block(usize),
    EndBlock,
    Label,
    Eq,
    Append(Vec<u8>),
    Insert(Vec<u8>),
    Change(Vec<u8>),
    /// `b`, `t`, `T` with the target command index (`None`: end of script).
    Branch(u8, Option<usize>),
    Delete,
    DeleteFirst,
    Get,
    GetAppend,
    Hold,
    HoldAppend,
    Exchange,
    List(Option<usize>),
    Next,
    NextAppend,
    Print,
    PrintFirst,
    Quit(i32),
    QuitSilent(i32),
    ReadFile(Vec<u8>),
    ReadLine(Vec<u8>),
    Write(usize),
    WriteFirst(usize),
    Subst(Box<Subst>),
    Translate(Box<[u8; 256]>),
    Zap,
    FileName,
}

#[derive(Debug)]
pub struct Command {
    pub a1: Option<Addr>,
    pub a2: Option<Addr2>,
    pub negate: bool,
    pub kind: Kind,
}

/// One piece of script text and where it came from, for messages.
pub struct Chunk {
    pub text: Vec<u8>,
    /// `None`: `-e expression #N`; `Some(path)`: a `-f` file.
    pub file: Option<String>,
}

/// The parsed program.
pub struct Program {
    pub cmds: Vec<Command>,
    /// Output files of `w`, by name, in order of first mention.
    pub wfiles: Vec<Vec<u8>>,
    /// `#n` on the first line.
    pub quiet: bool,
}

pub struct Parser<'a> {
    s: &'a [u8],
    pub(super) pos: usize,
    /// Where each chunk starts in `s`, and how it is named.
    chunks: Vec<(usize, Option<String>)>,
    extended: bool,
    cmds: Vec<Command>,
    blocks: Vec<usize>,
    labels: Vec<(Vec<u8>, usize)>,
    jumps: Vec<(usize, Vec<u8>)>,
    wfiles: Vec<Vec<u8>>,
}

/// A script error: message and exit status.
pub type Error = (String, i32);

pub fn parse(chunks: &[Chunk], extended: bool) -> Result<Program, Error> {
    let mut s = Vec::new();
    let mut starts = Vec::new();
    for c in chunks {
        starts.push((s.len(), c.file.clone()));
        s.extend_from_slice(&c.text);
        s.push(b'\n');
    }
    let quiet = s.starts_with(b"#n\n");
    let mut p = Parser {
        s: &s,
        pos: 0,
        chunks: starts,
        extended,
        cmds: Vec::new(),
        blocks: Vec::new(),
        labels: Vec::new(),
        jumps: Vec::new(),
        wfiles: Vec::new(),
    };
    p.program()?;
    if !p.blocks.is_empty() {
        // GNU reports an unmatched `{` at char 0.
        return Err(p.err_at(0, "unmatched `{'"));
    }
    for (at, name) in std::mem::take(&mut p.jumps) {
        match p.labels.iter().find(|(l, _)| *l == name) {
            Some((_, target)) => {
                if let Kind::Branch(_, t) = &mut p.cmds[at].kind {
                    *t = Some(*target);
                }
            }
            None => {
                return Err((format!("can't find label for jump to `{}'", String::from_utf8_lossy(&name)), 4));
            }
        }
    }
    Ok(Program { cmds: p.cmds, wfiles: p.wfiles, quiet })
}

impl Parser<'_> {
    pub(super) fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    pub(super) fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    /// An error at the current position.
    pub(super) fn err(&self, msg: &str) -> Error {
        self.err_at(self.pos, msg)
    }

    pub(super) fn err_at(&self, pos: usize, msg: &str) -> Error {
        // The last consumed byte decides the chunk; the newline that joins
        // chunks is not counted, as GNU's end of an expression is not.
        let last = pos.saturating_sub(1);
        let idx = self.chunks.iter().rposition(|c| c.0 <= last).unwrap_or(0);
        let (start, file) = &self.chunks[idx];
        let end = self.chunks.get(idx + 1).map(|c| c.0 - 1).unwrap_or(self.s.len().saturating_sub(1));
        let col = if pos == 0 {
            0
        } else if last == end {
            last - start
        } else {
            pos - start
        };
        let where_ = match file {
            None => {
                let n = self.chunks[..=idx].iter().filter(|c| c.1.is_none()).count();
                format!("-e expression #{n}, char {col}")
            }
            Some(f) => {
                let line = 1 + self.s[*start..last.max(*start)].iter().filter(|&&b| b == b'\n').count();
                format!("file {f} line {line}")
            }
        };
        (format!("{where_}: {msg}"), 1)
    }

    pub(super) fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn skip_ws_nl(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b';')) {
            self.pos += 1;
        }
    }

    pub(super) fn number(&mut self) -> Option<u64> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if start == self.pos {
            return None;
        }
        Some(std::str::from_utf8(&self.s[start..self.pos]).ok()?.parse().unwrap_or(u64::MAX))
    }

    fn program(&mut self) -> Result<(), Error> {
        loop {
            self.skip_ws_nl();
            let Some(c) = self.peek() else { return Ok(()) };
            if c == b'#' {
                while self.next().is_some_and(|c| c != b'\n') {}
                continue;
            }
            self.command()?;
        }
    }

    pub(super) fn regex_body(&mut self, delim: u8, what: &str) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        loop {
            let Some(c) = self.next() else { return Err(self.err(what)) };
            if c == delim {
                return Ok(out);
            }
            if c == b'\n' {
                return Err(self.err_at(self.pos - 1, what));
            }
            if c == b'\\' {
                let Some(e) = self.next() else { return Err(self.err(what)) };
                if e == delim {
                    out.push(e);
                } else if e == b'\n' {
                    out.push(b'\n');
                } else {
                    out.push(b'\\');
                    out.push(e);
                }
                continue;
            }
            out.push(c);
        }
    }

    /// Parse regex flags `I` and `M` and compile.
    pub(super) fn compile(&self, body: &[u8], icase: bool, multi: bool) -> Result<Re, Error> {
        if body.is_empty() {
            return Ok(None);
        }
        let d = if self.extended { Dialect::Extended } else { Dialect::Basic };
        compile_regex(body, d, icase, multi).map(|r| Some(Rc::new(r))).map_err(|m| self.err(&m))
    }

    fn address_regex(&mut self, delim: u8) -> Result<Re, Error> {
        let body = self.regex_body(delim, "unterminated address regex")?;
        let (mut icase, mut multi) = (false, false);
        loop {
            match self.peek() {
                Some(b'I') => icase = true,
                Some(b'M') => multi = true,
                _ => break,
            }
            self.pos += 1;
        }
        self.compile(&body, icase, multi)
    }

    fn address(&mut self) -> Result<Option<Addr>, Error> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let n = self.number().unwrap_or(0);
                if self.peek() == Some(b'~') {
                    self.pos += 1;
                    let step = self.number().unwrap_or(0);
                    return Ok(Some(Addr::Step(n, step)));
                }
                Ok(Some(if n == 0 { Addr::Zero } else { Addr::Line(n) }))
            }
            Some(b'$') => {
                self.pos += 1;
                Ok(Some(Addr::Last))
            }
            Some(b'/') => {
                self.pos += 1;
                Ok(Some(Addr::Regex(self.address_regex(b'/')?)))
            }
            Some(b'\\') => {
                self.pos += 1;
                let Some(d) = self.next() else { return Err(self.err("unexpected `,'")) };
                Ok(Some(Addr::Regex(self.address_regex(d)?)))
            }
            _ => Ok(None),
        }
    }

    fn address2(&mut self) -> Result<Addr2, Error> {
        self.skip_ws();
        match self.peek() {
            Some(b'+' | b'~') => {
                let c = self.next().unwrap_or(b'+');
                let Some(n) = self.number() else { return Err(self.err("expected newer version of sed")) };
                Ok(if c == b'+' { Addr2::Plus(n) } else { Addr2::Tilde(n) })
            }
            _ => match self.address()? {
                None => Err(self.err("unexpected `,'")),
                Some(Addr::Line(n)) => Ok(Addr2::Line(n)),
                Some(Addr::Zero) => Err(self.err("invalid usage of line address 0")),
                Some(Addr::Step(n, _)) => Ok(Addr2::Line(n)),
                Some(Addr::Last) => Ok(Addr2::Last),
                Some(Addr::Regex(r)) => Ok(Addr2::Regex(r)),
            },
        }
    }

    fn command(&mut self) -> Result<(), Error> {
        let a1 = self.address()?;
        let mut a2 = None;
        if a1.is_some() {
            self.skip_ws();
            if self.peek() == Some(b',') {
                self.pos += 1;
                a2 = Some(self.address2()?);
            }
        }
        self.skip_ws();
        let mut negate = false;
        while self.peek() == Some(b'!') {
            self.pos += 1;
            negate = true;
            self.skip_ws();
        }
        let Some(c) = self.next() else { return Err(self.err("missing command")) };
        if matches!(a1, Some(Addr::Zero)) && !matches!(a2, Some(Addr2::Regex(_))) {
            return Err(self.err("invalid usage of line address 0"));
        }
        let one_addr = |p: &Self| {
            if a2.is_some() { Err(p.err("command only uses one address")) } else { Ok(()) }
        };
        let kind = match c {
            b'{' => {
                self.blocks.push(self.cmds.len());
                Kind::Block(0)
            }
            b'}' => {
                if a1.is_some() || negate {
                    return Err(self.err("} doesn't want any addresses"));
                }
                let Some(open) = self.blocks.pop() else { return Err(self.err("unexpected `}'")) };
                let here = self.cmds.len();
                self.cmds[open].kind = Kind::Block(here);
                Kind::EndBlock
            }
            b'#' => {
                if a1.is_some() {
                    return Err(self.err("comments don't accept any addresses"));
                }
                while self.next().is_some_and(|c| c != b'\n') {}
                return Ok(());
            }
            b':' => {
                if a1.is_some() {
                    return Err(self.err(": doesn't want any addresses"));
                }
                let l = self.label();
                if l.is_empty() {
                    return Err(self.err("\":\" lacks a label"));
                }
                self.labels.push((l, self.cmds.len()));
                Kind::Label
            }
            b'=' => Kind::Eq,
            b'a' | b'i' | b'c' => {
                if c == b'i' {
                    one_addr(self).ok();
                }
                let t = self.text()?;
                match c {
                    b'a' => Kind::Append(t),
                    b'i' => Kind::Insert(t),
                    _ => Kind::Change(t),
                }
            }
            b'b' | b't' | b'T' => {
                self.skip_ws();
                let l = self.label();
                if !l.is_empty() {
                    self.jumps.push((self.cmds.len(), l));
                }
                Kind::Branch(c, None)
            }
            b'd' => Kind::Delete,
            b'D' => Kind::DeleteFirst,
            b'g' => Kind::Get,
            b'G' => Kind::GetAppend,
            b'h' => Kind::Hold,
            b'H' => Kind::HoldAppend,
            b'x' => Kind::Exchange,
            b'l' => {
                self.skip_ws();
                Kind::List(self.number().map(|n| n as usize))
            }
            b'n' => Kind::Next,
            b'N' => Kind::NextAppend,
            b'p' => Kind::Print,
            b'P' => Kind::PrintFirst,
            b'q' | b'Q' => {
                one_addr(self)?;
                self.skip_ws();
                let n = self.number().unwrap_or(0) as i32;
                if c == b'q' { Kind::Quit(n) } else { Kind::QuitSilent(n) }
            }
            b'r' => Kind::ReadFile(self.filename()),
            b'R' => Kind::ReadLine(self.filename()),
            b'w' | b'W' => {
                let f = self.filename();
                let i = self.wfile(f);
                if c == b'w' { Kind::Write(i) } else { Kind::WriteFirst(i) }
            }
            b's' => Kind::Subst(self.subst()?),
            b'y' => Kind::Translate(self.translate()?),
            b'z' => Kind::Zap,
            b'F' => Kind::FileName,
            _ => return Err(self.err(&format!("unknown command: `{}'", c as char))),
        };
        let takes_rest = matches!(
            kind,
            Kind::Block(_)
                | Kind::Append(_)
                | Kind::Insert(_)
                | Kind::Change(_)
                | Kind::ReadFile(_)
                | Kind::ReadLine(_)
                | Kind::Write(_)
                | Kind::WriteFirst(_)
        );
        self.cmds.push(Command { a1, a2, negate, kind });
        if !takes_rest {
            self.end_of_command()?;
        }
        Ok(())
    }

    fn end_of_command(&mut self) -> Result<(), Error> {
        self.skip_ws();
        match self.peek() {
            None | Some(b'\n' | b';') => {
                self.pos += 1;
                Ok(())
            }
            Some(b'}' | b'#') => Ok(()),
            Some(_) => {
                self.pos += 1;
                Err(self.err("extra characters after command"))
            }
        }
    }

    fn label(&mut self) -> Vec<u8> {
        self.skip_ws();
        let start = self.pos;
        while self.peek().is_some_and(|c| !matches!(c, b'\n' | b';')) {
            self.pos += 1;
        }
        let mut l = self.s[start..self.pos].to_vec();
        while l.last().is_some_and(|c| c.is_ascii_whitespace()) {
            l.pop();
        }
        l
    }

    pub(super) fn filename(&mut self) -> Vec<u8> {
        self.skip_ws();
        let start = self.pos;
        while self.peek().is_some_and(|c| c != b'\n') {
            self.pos += 1;
        }
        self.s[start..self.pos].to_vec()
    }

    pub(super) fn wfile(&mut self, name: Vec<u8>) -> usize {
        match self.wfiles.iter().position(|f| *f == name) {
            Some(i) => i,
            None => {
                self.wfiles.push(name);
                self.wfiles.len() - 1
            }
        }
    }

    /// The text of `a`, `i`, `c`: GNU one-liner or `a\` multi-line form.
    fn text(&mut self) -> Result<Vec<u8>, Error> {
        self.skip_ws();
        if self.peek().is_none() {
            return Err(self.err("expected \\ after `a', `c' or `i'"));
        }
        if self.peek() == Some(b'\\') {
            self.pos += 1;
            if self.peek() == Some(b'\n') {
                self.pos += 1;
            }
        }
        let mut out = Vec::new();
        while let Some(c) = self.next() {
            match c {
                b'\\' => match self.next() {
                    Some(e) => out.push(e),
                    None => break,
                },
                b'\n' => break,
                c => out.push(c),
            }
        }
        out.push(b'\n');
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Program, Error> {
        parse(&[Chunk { text: s.as_bytes().to_vec(), file: None }], false)
    }

    fn e(s: &str) -> String {
        p(s).err().expect("an error").0
    }

    #[test]
    fn gnu_error_positions() {
        assert_eq!(e("s/a/b"), "-e expression #1, char 5: unterminated `s' command");
        assert_eq!(e("k"), "-e expression #1, char 1: unknown command: `k'");
        assert_eq!(e("s/a/b/q"), "-e expression #1, char 7: unknown option to `s'");
        assert_eq!(e("/x"), "-e expression #1, char 2: unterminated address regex");
        assert_eq!(e("p;}"), "-e expression #1, char 3: unexpected `}'");
        assert_eq!(e("{p"), "-e expression #1, char 0: unmatched `{'");
        assert_eq!(e("y/ab/c/"), "-e expression #1, char 7: strings for `y' command are different lengths");
        assert_eq!(e("3,"), "-e expression #1, char 2: unexpected `,'");
        assert_eq!(e(r"s/\(a\)/\2/"), "-e expression #1, char 11: invalid reference \\2 on `s' command's RHS");
        assert_eq!(e("0p"), "-e expression #1, char 2: invalid usage of line address 0");
        assert_eq!(e("=x"), "-e expression #1, char 2: extra characters after command");
        assert_eq!(e("s/x/y/0"), "-e expression #1, char 7: number option to `s' command may not be zero");
        assert_eq!(e("b foo"), "can't find label for jump to `foo'");
    }

    #[test]
    fn commands_and_text() {
        let prog = p("1,/x/!{s/\\(a\\)/\\U&\\E-\\1/2g;a\\\n  hi\\\nthere\n}").unwrap_or_else(|_| panic!());
        assert_eq!(prog.cmds.len(), 4);
        assert!(matches!(prog.cmds[0].kind, Kind::Block(3)));
        assert!(prog.cmds[0].negate);
        match &prog.cmds[2].kind {
            Kind::Append(t) => assert_eq!(t, b"  hi\nthere\n"),
            k => panic!("{k:?}"),
        }
        let prog = p("$a foo;bar").unwrap_or_else(|_| panic!());
        match &prog.cmds[0].kind {
            Kind::Append(t) => assert_eq!(t, b"foo;bar\n"),
            k => panic!("{k:?}"),
        }
        let prog = p("s|x|a\\|b\\n&|w out").unwrap_or_else(|_| panic!());
        match &prog.cmds[0].kind {
            Kind::Subst(s) => {
                assert_eq!(s.repl, vec![Repl::Lit(b"a|b\n".to_vec()), Repl::Group(0)]);
                assert_eq!(s.write, Some(0));
            }
            k => panic!("{k:?}"),
        }
        assert_eq!(prog.wfiles, vec![b"out".to_vec()]);
    }
}
