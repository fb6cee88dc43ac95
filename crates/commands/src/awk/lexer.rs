//! The awk lexer. Newlines are tokens (they end statements); a `/` is a
//! division or the start of a regex literal depending on what the parser
//! expects, so the parser asks for [`Lexer::regex`] explicitly.

/// Built-in functions that are called with parentheses (or without, for
/// `length`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Length,
    Substr,
    Index,
    Split,
    Sub,
    Gsub,
    Gensub,
    Match,
    Sprintf,
    Sin,
    Cos,
    Atan2,
    Exp,
    Log,
    Sqrt,
    Int,
    Rand,
    Srand,
    Tolower,
    Toupper,
    System,
    Close,
    Fflush,
    Systime,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(Vec<u8>),
    Name(String),
    /// A user function name immediately followed by `(`.
    FuncName(String),
    Builtin(Builtin),
    Begin,
    End,
    Function,
    If,
    Else,
    While,
    For,
    Do,
    Break,
    Continue,
    Next,
    Nextfile,
    Exit,
    Return,
    Delete,
    In,
    Getline,
    Print,
    Printf,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Semi,
    Newline,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    Not,
    Gt,
    Lt,
    Pipe,
    Question,
    Colon,
    Tilde,
    NoMatch,
    Dollar,
    Incr,
    Decr,
    Assign,
    AddAssign,
    SubAssign,
    MulAssign,
    DivAssign,
    ModAssign,
    PowAssign,
    Eq,
    Ne,
    Le,
    Ge,
    And,
    Or,
    Append,
    Eof,
}

pub struct Lexer<'a> {
    pub src: &'a [u8],
    pub pos: usize,
}

/// A lexical error: message and byte offset.
pub type LexError = (String, usize);

fn keyword(s: &str) -> Option<Tok> {
    use Builtin as B;
    Some(match s {
        "BEGIN" => Tok::Begin,
        "END" => Tok::End,
        "function" | "func" => Tok::Function,
        "if" => Tok::If,
        "else" => Tok::Else,
        "while" => Tok::While,
        "for" => Tok::For,
        "do" => Tok::Do,
        "break" => Tok::Break,
        "continue" => Tok::Continue,
        "next" => Tok::Next,
        "nextfile" => Tok::Nextfile,
        "exit" => Tok::Exit,
        "return" => Tok::Return,
        "delete" => Tok::Delete,
        "in" => Tok::In,
        "getline" => Tok::Getline,
        "print" => Tok::Print,
        "printf" => Tok::Printf,
        "length" => Tok::Builtin(B::Length),
        "substr" => Tok::Builtin(B::Substr),
        "index" => Tok::Builtin(B::Index),
        "split" => Tok::Builtin(B::Split),
        "sub" => Tok::Builtin(B::Sub),
        "gsub" => Tok::Builtin(B::Gsub),
        "gensub" => Tok::Builtin(B::Gensub),
        "match" => Tok::Builtin(B::Match),
        "sprintf" => Tok::Builtin(B::Sprintf),
        "sin" => Tok::Builtin(B::Sin),
        "cos" => Tok::Builtin(B::Cos),
        "atan2" => Tok::Builtin(B::Atan2),
        "exp" => Tok::Builtin(B::Exp),
        "log" => Tok::Builtin(B::Log),
        "sqrt" => Tok::Builtin(B::Sqrt),
        "int" => Tok::Builtin(B::Int),
        "rand" => Tok::Builtin(B::Rand),
        "srand" => Tok::Builtin(B::Srand),
        "tolower" => Tok::Builtin(B::Tolower),
        "toupper" => Tok::Builtin(B::Toupper),
        "system" => Tok::Builtin(B::System),
        "close" => Tok::Builtin(B::Close),
        "fflush" => Tok::Builtin(B::Fflush),
        "systime" => Tok::Builtin(B::Systime),
        _ => return None,
    })
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [u8]) -> Lexer<'a> {
        Lexer { src, pos: 0 }
    }

    fn peek_at(&self, off: usize) -> u8 {
        self.src.get(self.pos + off).copied().unwrap_or(0)
    }

    /// Skip blanks, comments and backslash-newline continuations.
    fn skip(&mut self) {
        loop {
            match self.peek_at(0) {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.peek_at(1) == b'\n' => self.pos += 2,
                b'\\' if self.peek_at(1) == b'\r' && self.peek_at(2) == b'\n' => self.pos += 3,
                b'#' => {
                    while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// The next token and where it starts.
    pub fn next(&mut self) -> Result<(Tok, usize), LexError> {
        self.skip();
        let start = self.pos;
        let Some(&c) = self.src.get(self.pos) else { return Ok((Tok::Eof, start)) };
        self.pos += 1;
        let two = |l: &mut Self, next: u8, yes: Tok, no: Tok| {
            if l.peek_at(0) == next {
                l.pos += 1;
                yes
            } else {
                no
            }
        };
        let t = match c {
            b'\n' => Tok::Newline,
            b'{' => Tok::LBrace,
            b'}' => Tok::RBrace,
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'[' => Tok::LBracket,
            b']' => Tok::RBracket,
            b';' => Tok::Semi,
            b',' => Tok::Comma,
            b'?' => Tok::Question,
            b':' => Tok::Colon,
            b'~' => Tok::Tilde,
            b'$' => Tok::Dollar,
            b'+' => match self.peek_at(0) {
                b'+' => {
                    self.pos += 1;
                    Tok::Incr
                }
                b'=' => {
                    self.pos += 1;
                    Tok::AddAssign
                }
                _ => Tok::Plus,
            },
            b'-' => match self.peek_at(0) {
                b'-' => {
                    self.pos += 1;
                    Tok::Decr
                }
                b'=' => {
                    self.pos += 1;
                    Tok::SubAssign
                }
                _ => Tok::Minus,
            },
            b'*' => {
                if self.peek_at(0) == b'*' {
                    self.pos += 1;
                    two(self, b'=', Tok::PowAssign, Tok::Caret)
                } else {
                    two(self, b'=', Tok::MulAssign, Tok::Star)
                }
            }
            b'/' => two(self, b'=', Tok::DivAssign, Tok::Slash),
            b'%' => two(self, b'=', Tok::ModAssign, Tok::Percent),
            b'^' => two(self, b'=', Tok::PowAssign, Tok::Caret),
            b'!' => match self.peek_at(0) {
                b'=' => {
                    self.pos += 1;
                    Tok::Ne
                }
                b'~' => {
                    self.pos += 1;
                    Tok::NoMatch
                }
                _ => Tok::Not,
            },
            b'>' => match self.peek_at(0) {
                b'=' => {
                    self.pos += 1;
                    Tok::Ge
                }
                b'>' => {
                    self.pos += 1;
                    Tok::Append
                }
                _ => Tok::Gt,
            },
            b'<' => two(self, b'=', Tok::Le, Tok::Lt),
            b'=' => two(self, b'=', Tok::Eq, Tok::Assign),
            b'&' if self.peek_at(0) == b'&' => {
                self.pos += 1;
                Tok::And
            }
            b'|' => two(self, b'|', Tok::Or, Tok::Pipe),
            b'"' => Tok::Str(self.string(start)?),
            b'0'..=b'9' | b'.' if c != b'.' || self.peek_at(0).is_ascii_digit() => Tok::Num(self.number(start)),
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while self.peek_at(0).is_ascii_alphanumeric() || self.peek_at(0) == b'_' {
                    self.pos += 1;
                }
                let word = String::from_utf8_lossy(&self.src[start..self.pos]).into_owned();
                match keyword(&word) {
                    Some(t) => t,
                    None if self.peek_at(0) == b'(' => Tok::FuncName(word),
                    None => Tok::Name(word),
                }
            }
            _ => return Err(("syntax error".into(), start)),
        };
        Ok((t, start))
    }

    fn number(&mut self, start: usize) -> f64 {
        let s = self.src;
        // Hexadecimal constants, as gawk allows in program text.
        if s[start] == b'0' && matches!(self.peek_at(0), b'x' | b'X') && self.peek_at(1).is_ascii_hexdigit() {
            self.pos += 1;
            let h = self.pos;
            while self.peek_at(0).is_ascii_hexdigit() {
                self.pos += 1;
            }
            return u64::from_str_radix(std::str::from_utf8(&s[h..self.pos]).unwrap_or("0"), 16).unwrap_or(0) as f64;
        }
        while self.peek_at(0).is_ascii_digit() {
            self.pos += 1;
        }
        // gawk reads `010` in program text as octal (when it is valid).
        let int = &s[start..self.pos];
        if int.len() > 1
            && int[0] == b'0'
            && int.iter().all(|b| (b'0'..=b'7').contains(b))
            && !matches!(self.peek_at(0), b'.' | b'e' | b'E')
        {
            return int.iter().fold(0u64, |a, b| a * 8 + (b - b'0') as u64) as f64;
        }
        if s[start] != b'.' && self.peek_at(0) == b'.' {
            self.pos += 1;
        }
        while self.peek_at(0).is_ascii_digit() {
            self.pos += 1;
        }
        if matches!(self.peek_at(0), b'e' | b'E') {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek_at(0), b'+' | b'-') {
                self.pos += 1;
            }
            if self.peek_at(0).is_ascii_digit() {
                while self.peek_at(0).is_ascii_digit() {
                    self.pos += 1;
                }
            } else {
                self.pos = save;
            }
        }
        std::str::from_utf8(&s[start..self.pos]).ok().and_then(|t| t.parse().ok()).unwrap_or(0.0)
    }

    fn string(&mut self, start: usize) -> Result<Vec<u8>, LexError> {
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.src.get(self.pos) else { return Err(("unterminated string".into(), start)) };
            self.pos += 1;
            match c {
                b'"' => return Ok(out),
                b'\n' => return Err(("unterminated string".into(), start)),
                b'\\' => {
                    let Some(&e) = self.src.get(self.pos) else { return Err(("unterminated string".into(), start)) };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'\\' => out.push(b'\\'),
                        b'"' => out.push(b'"'),
                        b'/' => out.push(b'/'),
                        b'a' => out.push(7),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'v' => out.push(11),
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.src.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'x' if self.peek_at(0).is_ascii_hexdigit() => {
                            let mut v = 0u32;
                            for _ in 0..2 {
                                match (self.peek_at(0) as char).to_digit(16) {
                                    Some(d) => {
                                        v = v * 16 + d;
                                        self.pos += 1;
                                    }
                                    None => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        // gawk keeps the backslash of an unknown escape
                        // (with a warning); regex metacharacters need it.
                        e => {
                            out.push(b'\\');
                            out.push(e);
                        }
                    }
                }
                c => out.push(c),
            }
        }
    }

    /// Scan a regex literal whose `/` is at `start`; returns its body
    /// (escapes kept for the regex compiler, `\/` made `/`).
    pub fn regex(&mut self, start: usize) -> Result<Vec<u8>, LexError> {
        self.pos = start + 1;
        let mut out = Vec::new();
        let mut in_bracket = false;
        loop {
            let Some(&c) = self.src.get(self.pos) else { return Err(("unterminated regexp".into(), start)) };
            self.pos += 1;
            match c {
                b'\n' => return Err(("unterminated regexp".into(), start)),
                b'\\' => {
                    let Some(&e) = self.src.get(self.pos) else { return Err(("unterminated regexp".into(), start)) };
                    self.pos += 1;
                    if e == b'/' {
                        out.push(b'/');
                    } else if e != b'\n' {
                        out.push(b'\\');
                        out.push(e);
                    }
                }
                b'[' if !in_bracket => {
                    in_bracket = true;
                    out.push(c);
                    if self.peek_at(0) == b'^' {
                        out.push(b'^');
                        self.pos += 1;
                    }
                    if self.peek_at(0) == b']' {
                        out.push(b']');
                        self.pos += 1;
                    }
                }
                b'[' if self.peek_at(0) == b':' => {
                    // A character class inside a bracket: copy through `:]`.
                    out.push(c);
                    while let Some(&d) = self.src.get(self.pos) {
                        out.push(d);
                        self.pos += 1;
                        if d == b']' && out.len() >= 2 && out[out.len() - 2] == b':' {
                            break;
                        }
                    }
                }
                b']' if in_bracket => {
                    in_bracket = false;
                    out.push(c);
                }
                b'/' if !in_bracket => return Ok(out),
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        let mut l = Lexer::new(s.as_bytes());
        let mut v = Vec::new();
        loop {
            let (t, _) = l.next().unwrap();
            if t == Tok::Eof {
                return v;
            }
            v.push(t);
        }
    }

    #[test]
    fn tokens() {
        assert_eq!(
            toks("x+=1.5e2 # c\n$NF**2 a>=b"),
            vec![
                Tok::Name("x".into()),
                Tok::AddAssign,
                Tok::Num(150.0),
                Tok::Newline,
                Tok::Dollar,
                Tok::Name("NF".into()),
                Tok::Caret,
                Tok::Num(2.0),
                Tok::Name("a".into()),
                Tok::Ge,
                Tok::Name("b".into())
            ]
        );
        assert_eq!(toks(r#""a\tb\"\101\/""#), vec![Tok::Str(b"a\tb\"A/".to_vec())]);
        assert_eq!(
            toks("f(x) length \\\n!~"),
            vec![
                Tok::FuncName("f".into()),
                Tok::LParen,
                Tok::Name("x".into()),
                Tok::RParen,
                Tok::Builtin(Builtin::Length),
                Tok::NoMatch
            ]
        );
        assert_eq!(toks(".5 1e 0x1F"), vec![Tok::Num(0.5), Tok::Num(1.0), Tok::Name("e".into()), Tok::Num(31.0)]);
    }

    #[test]
    fn regex_literals() {
        let mut l = Lexer::new(br"/a\/b[/]c/ x");
        assert_eq!(l.regex(0).unwrap(), b"a/b[/]c".to_vec());
        assert_eq!(l.next().unwrap().0, Tok::Name("x".into()));
        let mut l = Lexer::new(b"/abc");
        assert_eq!(l.regex(0).unwrap_err().0, "unterminated regexp");
    }
}
