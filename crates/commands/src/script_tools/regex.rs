//! POSIX regular expressions (BRE, ERE, and awk's dialect) translated to
//! the `regex` crate's syntax, byte-oriented as in the C locale.
//!
//! Analogue: glibc's `regcomp` with GNU extensions (`\+ \? \|` in BREs,
//! `\< \> \b \B \w \W \s \S \` \'`). Not supported: back-references inside
//! a pattern, and POSIX leftmost-longest alternation (the `regex` crate is
//! leftmost-first).

use regex::bytes::{Regex, RegexBuilder};

/// Which POSIX dialect a pattern is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Basic: `\( \) \{ \}` group and count; `+ ? |` are GNU `\+ \? \|`.
    Basic,
    /// Extended (`sed -E`, `grep -E`).
    Extended,
    /// awk: extended, and backslash escapes work inside brackets.
    Awk,
}

/// Compile `pat`. Errors are GNU-style messages (`Unmatched ( or \(`).
pub fn compile(pat: &[u8], dialect: Dialect, icase: bool, multiline: bool) -> Result<Regex, String> {
    let translated = translate(pat, dialect)?;
    RegexBuilder::new(&translated)
        .unicode(false)
        .dot_matches_new_line(true)
        .case_insensitive(icase)
        .multi_line(multiline)
        .size_limit(64 << 20)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => "Regular expression too big".to_string(),
            _ => "Invalid regular expression".to_string(),
        })
}

/// Push a literal byte, escaped for the `regex` crate.
fn lit(out: &mut String, b: u8) {
    if b.is_ascii_alphanumeric() || b == b'_' || b == b' ' {
        out.push(b as char);
    } else if b.is_ascii_graphic() {
        out.push('\\');
        out.push(b as char);
    } else {
        out.push_str(&format!("\\x{b:02X}"));
    }
}

/// The byte a backslash escape such as `\n` stands for, if any.
fn escape_byte(c: u8) -> Option<u8> {
    Some(match c {
        b'n' => b'\n',
        b't' => b'\t',
        b'r' => b'\r',
        b'f' => 0x0c,
        b'v' => 0x0b,
        b'a' => 0x07,
        _ => return None,
    })
}

/// Translate to `regex` syntax.
pub fn translate(p: &[u8], dialect: Dialect) -> Result<String, String> {
    let ere = dialect != Dialect::Basic;
    let mut out = String::with_capacity(p.len() * 2);
    let mut i = 0;
    let mut depth = 0usize;
    // Whether the previous token can take a repetition operator, and
    // whether we are at the start of an expression (after `(`, `|`, `^`).
    let mut at_start = true;
    let mut last_was_rep = false;
    while i < p.len() {
        let c = p[i];
        i += 1;
        let mut start_next = false;
        let mut rep = false;
        match c {
            b'\\' => {
                let Some(&e) = p.get(i) else { return Err("Trailing backslash".into()) };
                i += 1;
                match e {
                    b'(' if !ere => {
                        out.push('(');
                        depth += 1;
                        start_next = true;
                    }
                    b')' if !ere => {
                        if depth == 0 {
                            return Err("Unmatched ) or \\)".into());
                        }
                        depth -= 1;
                        out.push(')');
                    }
                    b'|' if !ere => {
                        out.push('|');
                        start_next = true;
                    }
                    b'{' if !ere => {
                        if at_start {
                            return Err("Invalid preceding regular expression".into());
                        }
                        i = interval(p, i, true, &mut out)?.ok_or("Unmatched \\{")?;
                        rep = true;
                    }
                    b'+' | b'?' if !ere => {
                        if at_start {
                            lit(&mut out, e);
                        } else if !last_was_rep {
                            out.push(e as char);
                            rep = true;
                        }
                    }
                    b'<' | b'>' | b'b' => out.push_str("\\b"),
                    b'B' => out.push_str("\\B"),
                    b'w' => out.push_str("[0-9A-Za-z_]"),
                    b'W' => out.push_str("[^0-9A-Za-z_]"),
                    b's' => out.push_str("[\\t\\n\\v\\f\\r ]"),
                    b'S' => out.push_str("[^\\t\\n\\v\\f\\r ]"),
                    b'`' => out.push_str("\\A"),
                    b'\'' => out.push_str("\\z"),
                    b'1'..=b'9' => return Err("Back-references are not supported".into()),
                    // GNU escapes for bytes: \xHH, \oNNN, \dNNN.
                    b'x' | b'o' | b'd' if dialect != Dialect::Awk || e == b'x' => {
                        let (radix, max) = match e {
                            b'x' => (16, 2),
                            b'o' => (8, 3),
                            _ => (10, 3),
                        };
                        let mut v: u32 = 0;
                        let mut n = 0;
                        while n < max
                            && let Some(d) = p.get(i).and_then(|c| (*c as char).to_digit(radix))
                        {
                            v = v * radix + d;
                            i += 1;
                            n += 1;
                        }
                        if n == 0 || v > 255 {
                            lit(&mut out, e);
                        } else {
                            lit(&mut out, v as u8);
                        }
                    }
                    _ => match escape_byte(e) {
                        Some(b) => lit(&mut out, b),
                        None => lit(&mut out, e),
                    },
                }
            }
            b'^' => {
                if ere || at_start {
                    out.push('^');
                    start_next = !ere || at_start;
                } else {
                    lit(&mut out, c);
                }
            }
            b'$' => {
                let at_end =
                    ere || i == p.len() || p[i..].starts_with(b"\\)") && depth > 0 || p[i..].starts_with(b"\\|");
                if at_end {
                    out.push('$');
                } else {
                    lit(&mut out, c);
                }
            }
            b'.' => out.push('.'),
            b'[' => i = bracket(p, i, dialect, &mut out)?,
            b'*' => {
                if at_start {
                    lit(&mut out, c);
                } else if !last_was_rep {
                    out.push('*');
                    rep = true;
                } else {
                    rep = true;
                }
            }
            b'+' | b'?' if ere => {
                if at_start {
                    lit(&mut out, c);
                } else if !last_was_rep {
                    out.push(c as char);
                    rep = true;
                } else {
                    rep = true;
                }
            }
            b'{' if ere => match if at_start { None } else { interval(p, i, false, &mut out)? } {
                Some(n) => {
                    i = n;
                    rep = true;
                }
                None => lit(&mut out, c),
            },
            b'(' if ere => {
                out.push('(');
                depth += 1;
                start_next = true;
            }
            b')' if ere => {
                if depth == 0 {
                    lit(&mut out, c);
                } else {
                    depth -= 1;
                    out.push(')');
                }
            }
            b'|' if ere => {
                out.push('|');
                start_next = true;
            }
            _ => lit(&mut out, c),
        }
        at_start = start_next;
        last_was_rep = rep;
    }
    if depth > 0 {
        return Err("Unmatched ( or \\(".into());
    }
    Ok(out)
}

/// Parse `m,n}` (or `m,n\}` in a BRE) after the `{`; push `{m,n}`. `None`
/// if it is not a valid interval (ERE: then `{` is literal).
fn interval(p: &[u8], mut i: usize, bre: bool, out: &mut String) -> Result<Option<usize>, String> {
    let num = |i: &mut usize| {
        let s = *i;
        while *i < p.len() && p[*i].is_ascii_digit() {
            *i += 1;
        }
        std::str::from_utf8(&p[s..*i]).ok().and_then(|t| t.parse::<u32>().ok())
    };
    let lo = num(&mut i);
    let mut hi = lo;
    let mut comma = false;
    if p.get(i) == Some(&b',') {
        i += 1;
        comma = true;
        hi = num(&mut i);
    }
    let close: &[u8] = if bre { b"\\}" } else { b"}" };
    if !p[i..].starts_with(close) {
        return if bre { Err("Unmatched \\{".into()) } else { Ok(None) };
    }
    if lo.is_none() && !comma {
        return if bre { Err("Invalid content of \\{\\}".into()) } else { Ok(None) };
    }
    let lo = lo.unwrap_or(0);
    if let Some(h) = hi
        && h < lo
    {
        return Err("Invalid content of \\{\\}".into());
    }
    if lo > 32767 || hi.is_some_and(|h| h > 32767) {
        return Err("Regular expression too big".into());
    }
    match (comma, hi) {
        (false, _) => out.push_str(&format!("{{{lo}}}")),
        (true, None) => out.push_str(&format!("{{{lo},}}")),
        (true, Some(h)) => out.push_str(&format!("{{{lo},{h}}}")),
    }
    Ok(Some(i + close.len()))
}

/// Translate a bracket expression starting after `[`; returns the index
/// after its `]`.
fn bracket(p: &[u8], mut i: usize, dialect: Dialect, out: &mut String) -> Result<usize, String> {
    out.push('[');
    if p.get(i) == Some(&b'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = p.get(i) else { return Err("Unmatched [, [^, [:, [., or [=".into()) };
        if c == b']' && !first {
            out.push(']');
            return Ok(i + 1);
        }
        first = false;
        if c == b'[' && matches!(p.get(i + 1), Some(b':' | b'=' | b'.')) {
            let kind = p[i + 1];
            let body = i + 2;
            let end = (body..p.len().saturating_sub(1)).find(|&j| p[j] == kind && p[j + 1] == b']');
            let Some(end) = end else { return Err("Unmatched [, [^, [:, [., or [=".into()) };
            let name = &p[body..end];
            if kind == b':' {
                let n = std::str::from_utf8(name).unwrap_or("");
                const CLASSES: &[&str] = &[
                    "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "print", "graph", "cntrl",
                    "xdigit",
                ];
                if !CLASSES.contains(&n) {
                    return Err("Invalid character class name".into());
                }
                out.push_str(&format!("[:{n}:]"));
            } else {
                for &b in name {
                    lit(out, b);
                }
            }
            i = end + 2;
            continue;
        }
        let (lo, next) = member(p, i, dialect);
        i = next;
        if p.get(i) == Some(&b'-') && p.get(i + 1).is_some_and(|&b| b != b']') {
            let (hi, next) = member(p, i + 1, dialect);
            if hi < lo {
                return Err("Invalid range end".into());
            }
            i = next;
            lit(out, lo);
            out.push('-');
            lit(out, hi);
        } else {
            lit(out, lo);
        }
    }
}

/// One bracket member byte (awk interprets backslash escapes there).
fn member(p: &[u8], i: usize, dialect: Dialect) -> (u8, usize) {
    let c = p[i];
    if c == b'\\' && dialect == Dialect::Awk && i + 1 < p.len() {
        let e = p[i + 1];
        return (escape_byte(e).unwrap_or(e), i + 2);
    }
    (c, i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(p: &str, d: Dialect) -> String {
        translate(p.as_bytes(), d).unwrap()
    }

    #[test]
    fn basic_syntax() {
        assert_eq!(t(r"a\(b\)*c", Dialect::Basic), r"a(b)*c");
        assert_eq!(t(r"a+b?{1}", Dialect::Basic), r"a\+b\?\{1\}");
        assert_eq!(t(r"x\{2,3\}", Dialect::Basic), "x{2,3}");
        assert_eq!(t(r"*a", Dialect::Basic), r"\*a");
        assert_eq!(t(r"a^b$c$", Dialect::Basic), r"a\^b\$c$");
        assert_eq!(t(r"^\(^a\)", Dialect::Basic), "^(^a)");
        assert_eq!(t(r"a\|b\+", Dialect::Basic), "a|b+");
    }

    #[test]
    fn extended_and_brackets() {
        assert_eq!(t("(a|b)+{x", Dialect::Extended), r"(a|b)+\{x");
        assert_eq!(t("a{2}", Dialect::Extended), "a{2}");
        assert_eq!(t("[]a-]", Dialect::Extended), r"[\]a\-]");
        assert_eq!(t("[^[:digit:]&]", Dialect::Extended), r"[^[:digit:]\&]");
        assert_eq!(t(r"[\/]", Dialect::Extended), r"[\\\/]");
        assert_eq!(t(r"[\/]", Dialect::Awk), r"[\/]");
        assert_eq!(t("\u{e9}", Dialect::Extended), r"\xC3\xA9");
        assert!(translate(b"[a", Dialect::Extended).is_err());
        assert!(translate(br"\(a", Dialect::Basic).is_err());
    }

    #[test]
    fn matching() {
        let r = compile(br"\(ab\)\{2\}", Dialect::Basic, false, false).unwrap();
        assert!(r.is_match(b"xababy"));
        assert!(!r.is_match(b"xaby"));
        let r = compile(b"a.b", Dialect::Basic, false, false).unwrap();
        assert!(r.is_match(b"a\nb"));
        let r = compile(b"HELLO", Dialect::Extended, true, false).unwrap();
        assert!(r.is_match(b"say hello"));
    }
}
