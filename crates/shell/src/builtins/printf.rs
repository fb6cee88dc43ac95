//! `printf`: C-style formats (`%d %i %u %o %x %X %f %e %g %c %s`), bash's
//! `%b` and `%q`, `*` widths, format reuse until the arguments run out,
//! and `-v var`.

use agentos_kernel::Task;

use super::fallback::echo_escapes;
use super::out;
use crate::state::{Ctl, Res, Shell};

/// One conversion's flags, width and precision.
#[derive(Default)]
struct Spec {
    left: bool,
    zero: bool,
    plus: bool,
    space: bool,
    alt: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

struct Args<'a> {
    items: &'a [String],
    pos: usize,
    /// Set when a numeric argument was invalid.
    bad: Vec<String>,
}

impl Args<'_> {
    fn next(&mut self) -> Option<&str> {
        let v = self.items.get(self.pos).map(|s| s.as_str());
        self.pos += 1;
        v
    }

    fn int(&mut self) -> i64 {
        let Some(s) = self.next().map(str::to_string) else { return 0 };
        match parse_int(&s) {
            Some(v) => v,
            None => {
                let digits: String = s.trim().chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
                self.bad.push(s);
                digits.parse().unwrap_or(0)
            }
        }
    }

    fn float(&mut self) -> f64 {
        let Some(s) = self.next().map(str::to_string) else { return 0.0 };
        let st = s.trim();
        if let Some(c) = st.strip_prefix('\'').or_else(|| st.strip_prefix('"')) {
            return c.chars().next().map(|c| c as u32 as f64).unwrap_or(0.0);
        }
        match st.parse::<f64>() {
            Ok(v) => v,
            Err(_) => match parse_int(st) {
                Some(v) => v as f64,
                None => {
                    self.bad.push(s.clone());
                    0.0
                }
            },
        }
    }
}

/// An integer argument: decimal, `0x` hex, `0` octal, or `'c`.
fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return Some(c.chars().next().map(|c| c as i64).unwrap_or(0));
    }
    let (neg, d) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = if let Some(h) = d.strip_prefix("0x").or_else(|| d.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if d.len() > 1 && d.starts_with('0') {
        i64::from_str_radix(&d[1..], 8).ok()?
    } else {
        d.parse::<i64>().ok()?
    };
    Some(if neg { v.wrapping_neg() } else { v })
}

fn pad(s: String, spec: &Spec, numeric: bool) -> String {
    let w = spec.width.unwrap_or(0);
    let len = s.chars().count();
    if len >= w {
        return s;
    }
    let fill = w - len;
    if spec.left {
        format!("{s}{}", " ".repeat(fill))
    } else if spec.zero && numeric {
        let (sign, digits) = match s.strip_prefix(['-', '+', ' ']) {
            Some(d) => (&s[..1], d),
            None => ("", s.as_str()),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

fn sign(v: f64, spec: &Spec) -> &'static str {
    if v.is_sign_negative() {
        ""
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    }
}

/// `%e` with C's two-digit signed exponent.
fn fmt_e(v: f64, prec: usize, upper: bool) -> String {
    let s = format!("{v:.prec$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    let out = format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    if upper { out.to_uppercase() } else { out }
}

/// `%g`: the shorter of `%e` and `%f`, trailing zeros removed.
fn fmt_g(v: f64, prec: usize, upper: bool, alt: bool) -> String {
    let p = if prec == 0 { 1 } else { prec };
    if v == 0.0 {
        return "0".into();
    }
    let e = fmt_e(v, p - 1, false);
    let exp: i32 = e.rsplit_once('e').and_then(|(_, x)| x.parse().ok()).unwrap_or(0);
    let mut s = if exp < -4 || exp >= p as i32 {
        let (m, x) = e.split_once('e').unwrap_or((&e, ""));
        let m = if alt || !m.contains('.') {
            m.to_string()
        } else {
            m.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        format!("{m}e{x}")
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let f = format!("{v:.decimals$}");
        if alt || !f.contains('.') { f } else { f.trim_end_matches('0').trim_end_matches('.').to_string() }
    };
    if upper {
        s = s.to_uppercase();
    }
    s
}

/// `%q`: quote for reuse as shell input.
pub fn shell_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    if s.chars().any(|c| c.is_control()) {
        return crate::expand::param::quote(s);
    }
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        let special = matches!(
            c,
            ' ' | '\''
                | '"'
                | '\\'
                | '$'
                | '`'
                | '!'
                | '*'
                | '?'
                | '['
                | ']'
                | '('
                | ')'
                | '{'
                | '}'
                | '<'
                | '>'
                | '|'
                | '&'
                | ';'
        ) || (c == '#' && i == 0)
            || (c == '~' && i == 0);
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Format one pass of `fmt` over the arguments. Returns true if `\c`
/// stopped output.
fn format_once(fmt: &[u8], args: &mut Args, buf: &mut Vec<u8>) -> bool {
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c == b'\\' {
            let (bytes, used) = format_escape(&fmt[i..]);
            buf.extend_from_slice(&bytes);
            i += used;
            continue;
        }
        if c != b'%' {
            buf.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if fmt.get(i) == Some(&b'%') {
            buf.push(b'%');
            i += 1;
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' => spec.left = true,
                b'0' => spec.zero = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                _ => break,
            }
            i += 1;
        }
        if fmt.get(i) == Some(&b'*') {
            let w = args.int();
            if w < 0 {
                spec.left = true;
            }
            spec.width = Some(w.unsigned_abs() as usize);
            i += 1;
        } else {
            let start = i;
            while fmt.get(i).is_some_and(|b| b.is_ascii_digit()) {
                i += 1;
            }
            if i > start {
                spec.width = std::str::from_utf8(&fmt[start..i]).ok().and_then(|s| s.parse().ok());
            }
        }
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            if fmt.get(i) == Some(&b'*') {
                spec.prec = Some(args.int().max(0) as usize);
                i += 1;
            } else {
                let start = i;
                while fmt.get(i).is_some_and(|b| b.is_ascii_digit()) {
                    i += 1;
                }
                spec.prec = Some(std::str::from_utf8(&fmt[start..i]).ok().and_then(|s| s.parse().ok()).unwrap_or(0));
            }
        }
        while matches!(fmt.get(i), Some(b'l' | b'h' | b'j' | b'z' | b't' | b'L')) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            buf.push(b'%');
            break;
        };
        i += 1;
        let text = match conv {
            b'd' | b'i' => {
                let v = args.int();
                let mut s = v.abs().to_string();
                if let Some(p) = spec.prec
                    && s.len() < p
                {
                    s = format!("{}{s}", "0".repeat(p - s.len()));
                }
                let sg = if v < 0 { "-" } else { sign(v as f64, &spec) };
                pad(format!("{sg}{s}"), &spec, spec.prec.is_none())
            }
            b'u' | b'o' | b'x' | b'X' => {
                let v = args.int() as u64;
                let mut s = match conv {
                    b'o' => format!("{v:o}"),
                    b'x' => format!("{v:x}"),
                    b'X' => format!("{v:X}"),
                    _ => v.to_string(),
                };
                if let Some(p) = spec.prec
                    && s.len() < p
                {
                    s = format!("{}{s}", "0".repeat(p - s.len()));
                }
                if spec.alt && v != 0 {
                    s = match conv {
                        b'o' => format!("0{s}"),
                        b'x' => format!("0x{s}"),
                        b'X' => format!("0X{s}"),
                        _ => s,
                    };
                }
                pad(s, &spec, true)
            }
            b'f' | b'F' | b'e' | b'E' | b'g' | b'G' => {
                let v = args.float();
                let p = spec.prec.unwrap_or(6);
                let body = match conv {
                    b'f' | b'F' => format!("{v:.p$}"),
                    b'e' | b'E' => fmt_e(v, p, conv == b'E'),
                    _ => fmt_g(v, p, conv == b'G', spec.alt),
                };
                pad(format!("{}{body}", sign(v, &spec)), &spec, true)
            }
            b'c' => {
                let s: String = args.next().and_then(|s| s.chars().next()).map(String::from).unwrap_or_default();
                pad(s, &spec, false)
            }
            b's' | b'q' | b'b' => {
                let arg = args.next().unwrap_or("").to_string();
                let mut s = match conv {
                    b'q' => shell_quote(&arg),
                    b'b' => {
                        let (bytes, stop) = echo_escapes(&arg, true);
                        let s = String::from_utf8_lossy(&bytes).into_owned();
                        if stop {
                            buf.extend_from_slice(pad(s, &spec, false).as_bytes());
                            return true;
                        }
                        s
                    }
                    _ => arg,
                };
                if let Some(p) = spec.prec {
                    s = s.chars().take(p).collect();
                }
                pad(s, &spec, false)
            }
            other => {
                buf.push(b'%');
                buf.push(other);
                continue;
            }
        };
        buf.extend_from_slice(text.as_bytes());
    }
    false
}

/// One escape of a format string; returns the bytes and how much input
/// it used.
fn format_escape(f: &[u8]) -> (Vec<u8>, usize) {
    let Some(&e) = f.get(1) else { return (vec![b'\\'], 1) };
    let simple = |b: u8| (vec![b], 2);
    match e {
        b'n' => simple(b'\n'),
        b't' => simple(b'\t'),
        b'r' => simple(b'\r'),
        b'a' => simple(7),
        b'b' => simple(8),
        b'f' => simple(12),
        b'v' => simple(11),
        b'e' | b'E' => simple(0x1b),
        b'\\' => simple(b'\\'),
        b'"' => simple(b'"'),
        b'\'' => simple(b'\''),
        b'?' => simple(b'?'),
        b'0'..=b'7' => {
            let mut j = 1;
            while j < f.len() && j < 4 && (b'0'..=b'7').contains(&f[j]) {
                j += 1;
            }
            let v = std::str::from_utf8(&f[1..j]).ok().and_then(|d| u32::from_str_radix(d, 8).ok()).unwrap_or(0);
            (vec![v as u8], j)
        }
        b'x' | b'u' | b'U' => {
            let max = match e {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let mut j = 2;
            while j < f.len() && j - 2 < max && f[j].is_ascii_hexdigit() {
                j += 1;
            }
            if j == 2 {
                return (vec![b'\\', e], 2);
            }
            let v = std::str::from_utf8(&f[2..j]).ok().and_then(|d| u32::from_str_radix(d, 16).ok()).unwrap_or(0);
            if e == b'x' {
                (vec![v as u8], j)
            } else {
                let c = char::from_u32(v).unwrap_or('\u{fffd}');
                (c.to_string().into_bytes(), j)
            }
        }
        _ => (vec![b'\\', e], 2),
    }
}

pub fn printf(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut rest = &argv[1..];
    let mut var = None;
    if rest.first().map(|s| s.as_str()) == Some("-v") && rest.len() >= 2 {
        var = Some(rest[1].clone());
        rest = &rest[2..];
    }
    if rest.first().map(|s| s.as_str()) == Some("--") {
        rest = &rest[1..];
    }
    let Some(fmt) = rest.first() else {
        sh.error(t, "printf: usage: printf [-v var] format [arguments]");
        return Ok(2);
    };
    let mut args = Args { items: &rest[1..], pos: 0, bad: Vec::new() };
    let mut buf = Vec::new();
    loop {
        let before = args.pos;
        if format_once(fmt.as_bytes(), &mut args, &mut buf) {
            break;
        }
        if args.pos >= args.items.len() || args.pos == before {
            break;
        }
    }
    let mut status = 0;
    for b in &args.bad {
        sh.error(t, &format!("printf: {b}: invalid number"));
        status = 1;
    }
    match var {
        Some(v) => match sh.assign_ref(t, &v, None, &String::from_utf8_lossy(&buf)) {
            Ok(()) => Ok(status),
            Err(Ctl::Abort(s)) => Ok(s),
            Err(e) => Err(e),
        },
        None => {
            let s = out(sh, t, "printf", &buf);
            Ok(if s != 0 { s } else { status })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, args: &[&str]) -> String {
        let items: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut a = Args { items: &items, pos: 0, bad: Vec::new() };
        let mut buf = Vec::new();
        loop {
            let before = a.pos;
            format_once(fmt.as_bytes(), &mut a, &mut buf);
            if a.pos >= a.items.len() || a.pos == before {
                break;
            }
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn formats() {
        assert_eq!(
            f("%s|%d|%5.2f|%x|%X|%o|%%\n", &["word", "42", "3.14159", "255", "255", "8"]),
            "word|42| 3.14|ff|FF|10|%\n"
        );
        assert_eq!(
            f("[%-10s][%10s][%05d][%-5d][%+d]", &["left", "right", "42", "7", "5"]),
            "[left      ][     right][00042][7    ][+5]"
        );
        assert_eq!(f("%s=%s\n", &["a", "1", "b", "2", "c"]), "a=1\nb=2\nc=\n");
        assert_eq!(
            f("%e %g %G %.0f %.1f", &["12345.678", "0.0001", "1e20", "2.5", "0.05"]),
            "1.234568e+04 0.0001 1E+20 2 0.1"
        );
        assert_eq!(f("%d %d %d %d", &["0x10", "010", "'A", "-5"]), "16 8 65 -5");
        assert_eq!(f("[%*d][%-*s]", &["5", "42", "4", "ab"]), "[   42][ab  ]");
        assert_eq!(f("%c%c%c", &["hello", "world", "x"]), "hwx");
        assert_eq!(f("[%.3s][%8.3s][%-8.2s]", &["abcdef", "abcdef", "abcdef"]), "[abc][     abc][ab      ]");
        assert_eq!(shell_quote("it's a test"), "it\\'s\\ a\\ test");
    }
}
