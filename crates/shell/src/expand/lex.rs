//! The word lexer: turns the raw text of one shell word (as the parser
//! delimited it, quotes included) into parts — literal text, quoted text,
//! parameter expansions, command and arithmetic substitutions, tildes.
//! Expansion then walks these parts.

/// One piece of a word.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Unquoted literal text (subject to globbing).
    Lit(String),
    /// Quoted literal text: `'..'`, `$'..'`, `\x`.
    Quoted(String),
    /// `"..."`.
    Dq(Vec<Part>),
    /// `~` or `~user` at the start of a word (or after `:` in assignments).
    Tilde(String),
    Param(Box<Param>),
    /// `$(..)` or a backquoted command (already unescaped).
    Cmd(String),
    /// `$((..))` or `$[..]`.
    Arith(String),
}

/// A parameter expansion.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// `x`, `10`, `@`, `*`, `#`, `?`, `-`, `$`, `!`, `0`.
    pub name: String,
    /// Raw subscript text for `name[...]`.
    pub index: Option<String>,
    /// `${!x}`: use the value of `x` as the name.
    pub indirect: bool,
    pub op: ParamOp,
    /// The whole `${...}` text, for error messages.
    pub raw: String,
}

/// What to do with the parameter's value.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#x}`
    Length,
    /// `${!prefix*}` / `${!prefix@}`
    PrefixNames,
    /// `${!a[@]}`
    Keys,
    /// `-`, `=`, `?`, `+` with the `:` flag and the raw operand word.
    Test {
        op: char,
        colon: bool,
        word: String,
    },
    /// `#`/`##` (`suffix` false) or `%`/`%%`.
    Remove {
        suffix: bool,
        longest: bool,
        pat: String,
    },
    /// `/`, `//`, `/#`, `/%`: mode is `'1'`, `'a'`, `'#'`, `'%'`.
    Replace {
        mode: char,
        pat: String,
        rep: String,
    },
    /// `${x:off}` / `${x:off:len}` (raw arithmetic texts).
    Substr {
        off: String,
        len: Option<String>,
    },
    /// `^`, `^^`, `,`, `,,`.
    Case {
        upper: bool,
        all: bool,
        pat: String,
    },
    /// `@Q`, `@U`, ...
    Transform(char),
    /// Not valid syntax: "bad substitution" at expansion time.
    Bad,
}

/// How the text being lexed is quoted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Unquoted,
    /// Inside `"..."`.
    Double,
    /// A here-document body: like `Double` but `"` is ordinary.
    Heredoc,
}

/// Lex a whole word. `assign` enables tilde expansion after `:` and `=`.
pub fn lex(word: &str, assign: bool) -> Vec<Part> {
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    lex_until(&chars, &mut i, Mode::Unquoted, None, assign)
}

/// Lex text in a given mode (here-doc bodies, operands in quotes).
pub fn lex_mode(text: &str, mode: Mode) -> Vec<Part> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    lex_until(&chars, &mut i, mode, None, false)
}

fn push_lit(parts: &mut Vec<Part>, c: char, mode: Mode) {
    if mode == Mode::Unquoted {
        if let Some(Part::Lit(s)) = parts.last_mut() {
            s.push(c);
            return;
        }
        parts.push(Part::Lit(c.to_string()));
    } else {
        push_quoted(parts, c);
    }
}

fn push_quoted(parts: &mut Vec<Part>, c: char) {
    if let Some(Part::Quoted(s)) = parts.last_mut() {
        s.push(c);
        return;
    }
    parts.push(Part::Quoted(c.to_string()));
}

fn lex_until(chars: &[char], i: &mut usize, mode: Mode, stop: Option<char>, assign: bool) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut at_tilde_point = mode == Mode::Unquoted;
    while *i < chars.len() {
        let c = chars[*i];
        if Some(c) == stop {
            return parts;
        }
        if at_tilde_point && c == '~' {
            let mut j = *i + 1;
            while j < chars.len() && chars[j] != '/' && !(assign && chars[j] == ':') {
                if !(chars[j].is_alphanumeric() || matches!(chars[j], '_' | '-' | '+' | '.')) {
                    break;
                }
                j += 1;
            }
            if j == chars.len() || chars[j] == '/' || (assign && chars[j] == ':') {
                parts.push(Part::Tilde(chars[*i + 1..j].iter().collect()));
                *i = j;
                at_tilde_point = false;
                continue;
            }
        }
        at_tilde_point = assign && mode == Mode::Unquoted && (c == ':' || (c == '=' && !parts.is_empty()));
        match c {
            '\\' => {
                let next = chars.get(*i + 1).copied();
                match (mode, next) {
                    (_, None) => push_lit(&mut parts, '\\', mode),
                    (_, Some('\n')) => *i += 1,
                    (Mode::Unquoted, Some(n)) => {
                        push_quoted(&mut parts, n);
                        *i += 1;
                    }
                    (Mode::Double, Some(n @ ('$' | '`' | '"' | '\\')))
                    | (Mode::Heredoc, Some(n @ ('$' | '`' | '\\'))) => {
                        push_quoted(&mut parts, n);
                        *i += 1;
                    }
                    _ => push_quoted(&mut parts, '\\'),
                }
                *i += 1;
            }
            '\'' if mode == Mode::Unquoted => {
                let start = *i + 1;
                let mut j = start;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                let s: String = chars[start..j.min(chars.len())].iter().collect();
                parts.push(Part::Quoted(s));
                *i = j + 1;
            }
            '"' if mode == Mode::Unquoted => {
                *i += 1;
                let inner = lex_until(chars, i, Mode::Double, Some('"'), false);
                parts.push(Part::Dq(inner));
                *i += 1;
            }
            '`' => {
                let mut j = *i + 1;
                let mut body = String::new();
                while j < chars.len() && chars[j] != '`' {
                    if chars[j] == '\\' && j + 1 < chars.len() {
                        let n = chars[j + 1];
                        if matches!(n, '$' | '`' | '\\') || (n == '"' && mode != Mode::Unquoted) {
                            body.push(n);
                            j += 2;
                            continue;
                        }
                    }
                    body.push(chars[j]);
                    j += 1;
                }
                parts.push(Part::Cmd(body));
                *i = j + 1;
            }
            '$' => lex_dollar(chars, i, mode, &mut parts),
            _ => {
                push_lit(&mut parts, c, mode);
                *i += 1;
            }
        }
    }
    parts
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Lex what follows a `$` at `chars[*i]`.
fn lex_dollar(chars: &[char], i: &mut usize, mode: Mode, parts: &mut Vec<Part>) {
    let next = chars.get(*i + 1).copied();
    match next {
        Some('\'') if mode == Mode::Unquoted => {
            let mut j = *i + 2;
            let mut raw = String::new();
            while j < chars.len() && chars[j] != '\'' {
                if chars[j] == '\\' && j + 1 < chars.len() {
                    raw.push('\\');
                    j += 1;
                }
                raw.push(chars[j]);
                j += 1;
            }
            parts.push(Part::Quoted(ansi_c(&raw)));
            *i = j + 1;
        }
        Some('"') if mode == Mode::Unquoted => {
            *i += 2;
            let inner = lex_until(chars, i, Mode::Double, Some('"'), false);
            parts.push(Part::Dq(inner));
            *i += 1;
        }
        Some('(') => {
            if chars.get(*i + 2) == Some(&'(')
                && let Some(end) = arith_end(chars, *i + 2)
            {
                parts.push(Part::Arith(chars[*i + 3..end].iter().collect()));
                *i = end + 2;
                return;
            }
            let end = match_close(chars, *i + 1, '(', ')');
            parts.push(Part::Cmd(chars[*i + 2..end.min(chars.len())].iter().collect()));
            *i = end + 1;
        }
        Some('[') => {
            let end = match_close(chars, *i + 1, '[', ']');
            parts.push(Part::Arith(chars[*i + 2..end.min(chars.len())].iter().collect()));
            *i = end + 1;
        }
        Some('{') => {
            let end = match_close(chars, *i + 1, '{', '}');
            let inner: String = chars[*i + 2..end.min(chars.len())].iter().collect();
            let raw: String = chars[*i..(end + 1).min(chars.len())].iter().collect();
            parts.push(Part::Param(Box::new(parse_braced(&inner, raw))));
            *i = end + 1;
        }
        Some(c) if is_name_start(c) => {
            let mut j = *i + 1;
            while j < chars.len() && is_name_char(chars[j]) {
                j += 1;
            }
            let name: String = chars[*i + 1..j].iter().collect();
            parts.push(Part::Param(Box::new(simple_param(name))));
            *i = j;
        }
        Some(c) if c.is_ascii_digit() || matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!') => {
            parts.push(Part::Param(Box::new(simple_param(c.to_string()))));
            *i += 2;
        }
        _ => {
            push_lit(parts, '$', mode);
            *i += 1;
        }
    }
}

fn simple_param(name: String) -> Param {
    let raw = format!("${name}");
    Param { name, index: None, indirect: false, op: ParamOp::Plain, raw }
}

/// If `$((` at `open` (the second paren) closes with `))`, the index of the
/// first of those closing parens.
fn arith_end(chars: &[char], open: usize) -> Option<usize> {
    let end = match_close(chars, open, '(', ')');
    (end + 1 < chars.len() && chars[end + 1] == ')').then_some(end)
}

/// Index of the bracket closing the one at `open`, skipping quotes and
/// nested groups; `chars.len()` if unterminated.
pub fn match_close(chars: &[char], open: usize, o: char, c: char) -> usize {
    let mut depth = 0;
    let mut j = open;
    while j < chars.len() {
        let ch = chars[j];
        if ch == '\\' {
            j += 2;
            continue;
        }
        if ch == '\'' && o != '[' {
            // Single quotes are literal inside ${..} only when unquoted;
            // skipping them is right for $(..) and ${..} operands alike.
            j += 1;
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
        } else if ch == '"' {
            j += 1;
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                } else if chars[j] == '$' && matches!(chars.get(j + 1), Some('(') | Some('{')) {
                    let (oo, cc) = if chars[j + 1] == '(' { ('(', ')') } else { ('{', '}') };
                    j = match_close(chars, j + 1, oo, cc);
                }
                j += 1;
            }
        } else if ch == o {
            depth += 1;
        } else if ch == c {
            depth -= 1;
            if depth == 0 {
                return j;
            }
        }
        j += 1;
    }
    chars.len()
}

/// Parse the inside of `${...}`.
fn parse_braced(inner: &str, raw: String) -> Param {
    let bad = |raw: String| Param { name: String::new(), index: None, indirect: false, op: ParamOp::Bad, raw };
    let chars: Vec<char> = inner.chars().collect();
    let mut i = 0;
    let mut length = false;
    let mut indirect = false;
    if chars.first() == Some(&'#') && chars.len() > 1 {
        length = true;
        i = 1;
    } else if chars.first() == Some(&'!') && chars.len() > 1 {
        indirect = true;
        i = 1;
    }
    let start = i;
    match chars.get(i) {
        Some(&c) if is_name_start(c) => {
            while i < chars.len() && is_name_char(chars[i]) {
                i += 1;
            }
        }
        Some(c) if c.is_ascii_digit() => {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
        }
        Some('@' | '*' | '#' | '?' | '-' | '$' | '!') => i += 1,
        _ => return bad(raw),
    }
    let name: String = chars[start..i].iter().collect();
    let mut index = None;
    if chars.get(i) == Some(&'[') {
        let end = match_close(&chars, i, '[', ']');
        if end >= chars.len() {
            return bad(raw);
        }
        index = Some(chars[i + 1..end].iter().collect::<String>());
        i = end + 1;
    }
    let rest: String = chars[i..].iter().collect();
    let mk = |op| Param { name: name.clone(), index: index.clone(), indirect, op, raw: raw.clone() };
    if length {
        return if rest.is_empty() { mk(ParamOp::Length) } else { bad(raw) };
    }
    if indirect {
        if matches!(rest.as_str(), "*" | "@") && index.is_none() {
            return Param { indirect: false, ..mk(ParamOp::PrefixNames) };
        }
        if rest.is_empty() && matches!(index.as_deref(), Some("@") | Some("*")) {
            return Param { indirect: false, ..mk(ParamOp::Keys) };
        }
    }
    if rest.is_empty() {
        return mk(ParamOp::Plain);
    }
    let r: Vec<char> = rest.chars().collect();
    let tail = |n: usize| r[n..].iter().collect::<String>();
    let op = match r[0] {
        ':' if matches!(r.get(1), Some('-' | '=' | '?' | '+')) => {
            ParamOp::Test { op: r[1], colon: true, word: tail(2) }
        }
        '-' | '=' | '?' | '+' => ParamOp::Test { op: r[0], colon: false, word: tail(1) },
        ':' => {
            let body = tail(1);
            match split_top(&body, ':') {
                Some((off, len)) => ParamOp::Substr { off, len: Some(len) },
                None => ParamOp::Substr { off: body, len: None },
            }
        }
        '#' | '%' => {
            let longest = r.get(1) == Some(&r[0]);
            ParamOp::Remove { suffix: r[0] == '%', longest, pat: tail(if longest { 2 } else { 1 }) }
        }
        '/' => {
            let (mode, skip) = match r.get(1) {
                Some('/') => ('a', 2),
                Some('#') => ('#', 2),
                Some('%') => ('%', 2),
                _ => ('1', 1),
            };
            let body = tail(skip);
            match split_top(&body, '/') {
                Some((pat, rep)) => ParamOp::Replace { mode, pat, rep },
                None => ParamOp::Replace { mode, pat: body, rep: String::new() },
            }
        }
        '^' | ',' => {
            let all = r.get(1) == Some(&r[0]);
            ParamOp::Case { upper: r[0] == '^', all, pat: tail(if all { 2 } else { 1 }) }
        }
        '@' if r.len() == 2 && "QEPAaUuLK".contains(r[1]) => ParamOp::Transform(r[1]),
        _ => return bad(raw),
    };
    mk(op)
}

/// Split at the first `sep` outside quotes, escapes and brackets.
fn split_top(s: &str, sep: char) -> Option<(String, String)> {
    let chars: Vec<char> = s.chars().collect();
    let mut j = 0;
    let mut depth = 0;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 1,
            '\'' => {
                j += 1;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
            }
            '"' => {
                j += 1;
                while j < chars.len() && chars[j] != '"' {
                    if chars[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                }
            }
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth -= 1,
            c if c == sep && depth == 0 => {
                return Some((chars[..j].iter().collect(), chars[j + 1..].iter().collect()));
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// Decode the body of `$'...'`.
pub fn ansi_c(raw: &str) -> String {
    let c: Vec<char> = raw.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        if c[i] != '\\' || i + 1 >= c.len() {
            out.push(c[i]);
            i += 1;
            continue;
        }
        i += 1;
        let e = c[i];
        i += 1;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' | '\'' | '"' | '?' => out.push(e),
            'c' if i < c.len() => {
                out.push(char::from((c[i] as u8 & 0x1f) as u32 as u8));
                i += 1;
            }
            'x' | 'u' | 'U' => {
                let max = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let start = i;
                while i < c.len() && i - start < max && c[i].is_ascii_hexdigit() {
                    i += 1;
                }
                if i == start {
                    out.push('\\');
                    out.push(e);
                    continue;
                }
                let v = u32::from_str_radix(&c[start..i].iter().collect::<String>(), 16).unwrap_or(0);
                if e == 'x' {
                    out.push(char::from(v as u8));
                } else if let Some(ch) = char::from_u32(v) {
                    out.push(ch);
                }
            }
            '0'..='7' => {
                let start = i - 1;
                while i < c.len() && i - start < 3 && ('0'..='7').contains(&c[i]) {
                    i += 1;
                }
                let v = u32::from_str_radix(&c[start..i].iter().collect::<String>(), 8).unwrap_or(0);
                out.push(char::from((v & 0xff) as u8));
            }
            _ => {
                out.push('\\');
                out.push(e);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_parts() {
        assert_eq!(lex("abc", false), vec![Part::Lit("abc".into())]);
        assert_eq!(lex("'a b'c", false), vec![Part::Quoted("a b".into()), Part::Lit("c".into())]);
        assert_eq!(lex("a\\ b", false), vec![Part::Lit("a".into()), Part::Quoted(" ".into()), Part::Lit("b".into())]);
        assert_eq!(lex("~/x", false), vec![Part::Tilde(String::new()), Part::Lit("/x".into())]);
        assert_eq!(lex("$(echo hi)", false), vec![Part::Cmd("echo hi".into())]);
        assert_eq!(lex("$((1+2))", false), vec![Part::Arith("1+2".into())]);
        assert_eq!(lex("$", false), vec![Part::Lit("$".into())]);
    }

    #[test]
    fn params() {
        let p = |w: &str| match lex(w, false).remove(0) {
            Part::Param(p) => *p,
            other => panic!("{other:?}"),
        };
        assert_eq!(p("${#x}").op, ParamOp::Length);
        assert_eq!(p("${x:-a b}").op, ParamOp::Test { op: '-', colon: true, word: "a b".into() });
        assert_eq!(p("${x##*/}").op, ParamOp::Remove { suffix: false, longest: true, pat: "*/".into() });
        assert_eq!(p("${x//-/_}").op, ParamOp::Replace { mode: 'a', pat: "-".into(), rep: "_".into() });
        assert_eq!(p("${x: -2:1}").op, ParamOp::Substr { off: " -2".into(), len: Some("1".into()) });
        assert_eq!(p("${!pre_*}").op, ParamOp::PrefixNames);
        assert_eq!(p("${!a[@]}").op, ParamOp::Keys);
        assert_eq!(p("${a[1]}").index.as_deref(), Some("1"));
        assert_eq!(p("${x!}").op, ParamOp::Bad);
        assert_eq!(p("${x@Q}").op, ParamOp::Transform('Q'));
        assert!(p("${!name}").indirect);
    }

    #[test]
    fn ansi() {
        assert_eq!(ansi_c("a\\tb"), "a\tb");
        assert_eq!(ansi_c("\\x41\\101\\'"), "AA'");
        assert_eq!(ansi_c("\\u0041"), "A");
    }
}
