//! `printf FORMAT [ARGUMENT]...`: bash's builtin and GNU's `printf(1)`.
//!
//! The two differ only in diagnostics (`printf: abc: invalid number` vs
//! `printf: 'abc': expected a numeric value`) and in `%q` (backslashes vs
//! single quotes); [`builtin_main`] is what the shell runs for `printf`,
//! [`main`] is `/usr/bin/printf`. The format is reused while arguments
//! remain; missing arguments read as empty or zero.

use agentos_kernel::Task;

use crate::util::escape::{Mode, unescape};
use crate::util::{self, time};

/// Which implementation's diagnostics and `%q` to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Bash,
    Gnu,
}

/// Flags and sizes of one conversion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Conv {
    pub left: bool,
    pub plus: bool,
    pub space: bool,
    pub alt: bool,
    pub zero: bool,
    pub width: usize,
    pub prec: Option<usize>,
}

fn pad(conv: &Conv, body: String, numeric_zero: bool) -> String {
    let len = body.chars().count();
    if len >= conv.width {
        return body;
    }
    let fill = conv.width - len;
    if conv.left {
        return body + &" ".repeat(fill);
    }
    if numeric_zero && conv.zero {
        // Zeros go after the sign and any 0x prefix.
        let split = body.char_indices().find(|(_, c)| !matches!(c, '+' | '-' | ' ')).map(|(i, _)| i).unwrap_or(0);
        let split = if body[split..].starts_with("0x") || body[split..].starts_with("0X") { split + 2 } else { split };
        return format!("{}{}{}", &body[..split], "0".repeat(fill), &body[split..]);
    }
    " ".repeat(fill) + &body
}

/// Format an integer conversion (`d i o u x X`).
pub fn fmt_int(c: char, conv: &Conv, v: i64) -> String {
    let (neg, mag): (bool, u64) = match c {
        'd' | 'i' => (v < 0, v.unsigned_abs()),
        _ => (false, v as u64),
    };
    let mut digits = match c {
        'o' => format!("{mag:o}"),
        'x' => format!("{mag:x}"),
        'X' => format!("{mag:X}"),
        _ => mag.to_string(),
    };
    if let Some(p) = conv.prec {
        if p == 0 && mag == 0 {
            digits.clear();
        } else if digits.len() < p {
            digits = "0".repeat(p - digits.len()) + &digits;
        }
    }
    if conv.alt && c == 'o' && !digits.starts_with('0') {
        digits.insert(0, '0');
    }
    let prefix = match c {
        'd' | 'i' if neg => "-",
        'd' | 'i' if conv.plus => "+",
        'd' | 'i' if conv.space => " ",
        'x' if conv.alt && mag != 0 => "0x",
        'X' if conv.alt && mag != 0 => "0X",
        _ => "",
    };
    pad(conv, format!("{prefix}{digits}"), conv.prec.is_none())
}

/// `d.ddde±XX` with `prec` fraction digits.
fn exp_form(v: f64, prec: usize, upper: bool, alt: bool) -> String {
    if v == 0.0 {
        let frac = if prec > 0 {
            format!(".{}", "0".repeat(prec))
        } else if alt {
            ".".into()
        } else {
            String::new()
        };
        return format!("0{frac}{}+00", if upper { 'E' } else { 'e' });
    }
    let s = format!("{:.*e}", prec, v.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mant = if alt && prec == 0 { format!("{mant}.") } else { mant.to_string() };
    let e = if upper { 'E' } else { 'e' };
    format!("{mant}{e}{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
}

fn strip_zeros(s: &str) -> String {
    if !s.contains('.') {
        return s.to_string();
    }
    let (m, e) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let m = m.trim_end_matches('0').trim_end_matches('.');
    format!("{m}{e}")
}

/// Format a floating conversion (`f F e E g G a A`).
pub fn fmt_float(c: char, conv: &Conv, v: f64) -> String {
    let upper = c.is_ascii_uppercase();
    let sign = if v.is_sign_negative() && !v.is_nan() {
        "-"
    } else if conv.plus {
        "+"
    } else if conv.space {
        " "
    } else {
        ""
    };
    if !v.is_finite() {
        let t = if v.is_nan() { "nan" } else { "inf" };
        let t = if upper { t.to_uppercase() } else { t.to_string() };
        return pad(&Conv { zero: false, ..*conv }, format!("{sign}{t}"), false);
    }
    let a = v.abs();
    let prec = conv.prec.unwrap_or(6);
    let body = match c {
        'f' | 'F' => {
            let s = format!("{a:.prec$}");
            if conv.alt && prec == 0 { s + "." } else { s }
        }
        'e' | 'E' | 'a' | 'A' => exp_form(a, prec, upper, conv.alt),
        _ => {
            let p = if prec == 0 { 1 } else { prec };
            let x = if a == 0.0 {
                0
            } else {
                let s = format!("{:.*e}", p - 1, a);
                s.split_once('e').and_then(|(_, e)| e.parse::<i32>().ok()).unwrap_or(0)
            };
            let s = if x < -4 || x >= p as i32 {
                exp_form(a, p - 1, upper, conv.alt)
            } else {
                let fp = (p as i32 - 1 - x).max(0) as usize;
                format!("{a:.fp$}")
            };
            if conv.alt { s } else { strip_zeros(&s) }
        }
    };
    pad(conv, format!("{sign}{body}"), true)
}

/// bash's `printf %q`: backslashes, or `$'...'` when unprintable.
fn bash_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    if s.chars().any(|c| c.is_ascii_control()) {
        let mut o = String::from("$'");
        for c in s.chars() {
            match c {
                '\n' => o.push_str("\\n"),
                '\t' => o.push_str("\\t"),
                '\r' => o.push_str("\\r"),
                '\x1b' => o.push_str("\\E"),
                '\x07' => o.push_str("\\a"),
                '\x08' => o.push_str("\\b"),
                '\x0b' => o.push_str("\\v"),
                '\x0c' => o.push_str("\\f"),
                '\'' => o.push_str("\\'"),
                '\\' => o.push_str("\\\\"),
                c if c.is_ascii_control() => o.push_str(&format!("\\{:03o}", c as u32)),
                c => o.push(c),
            }
        }
        o.push('\'');
        return o;
    }
    let mut o = String::new();
    for (i, c) in s.chars().enumerate() {
        let special = matches!(
            c,
            ' ' | '\''
                | '"'
                | '\\'
                | '|'
                | '&'
                | ';'
                | '('
                | ')'
                | '<'
                | '>'
                | '!'
                | '{'
                | '}'
                | '*'
                | '['
                | '?'
                | ']'
                | '^'
                | '$'
                | '`'
                | ','
        ) || (i == 0 && matches!(c, '~' | '#'));
        if special {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// The state of one `printf` run.
struct Run<'a> {
    flavor: Flavor,
    args: &'a [String],
    next: usize,
    errors: Vec<String>,
    now: agentos_kernel::abi::Timespec,
}

impl Run<'_> {
    fn arg(&mut self) -> Option<&str> {
        let a = self.args.get(self.next).map(|s| s.as_str());
        if a.is_some() {
            self.next += 1;
        }
        a
    }

    fn bad_number(&mut self, a: &str, partial: bool) {
        self.errors.push(match (self.flavor, partial) {
            (Flavor::Bash, _) => format!("{a}: invalid number"),
            (Flavor::Gnu, false) => format!("{}: expected a numeric value", util::quote(a)),
            (Flavor::Gnu, true) => format!("{}: value not completely converted", util::quote(a)),
        });
    }

    /// An integer argument, as `strtoimax(.., 0)` plus `'c` forms.
    fn int_arg(&mut self) -> i64 {
        let Some(a) = self.arg().map(str::to_string) else { return 0 };
        let (v, ok, partial) = parse_int(&a);
        if !ok {
            if v == i64::MAX || v == i64::MIN {
                self.errors.push(format!("{}: Numerical result out of range", self.show(&a)));
            } else {
                self.bad_number(&a, partial);
            }
        }
        v
    }

    fn show(&self, a: &str) -> String {
        if self.flavor == Flavor::Gnu { util::quote(a) } else { a.to_string() }
    }

    fn float_arg(&mut self) -> f64 {
        let Some(a) = self.arg().map(str::to_string) else { return 0.0 };
        let (v, ok, partial) = parse_float(&a);
        if !ok {
            self.bad_number(&a, partial);
        }
        v
    }

    /// Expand `fmt` once. Returns whether output must stop (`\c`).
    fn pass(&mut self, fmt: &[u8], out: &mut Vec<u8>) -> bool {
        let mut i = 0;
        while i < fmt.len() {
            let c = fmt[i];
            if c == b'\\' {
                // One escape sequence at a time.
                let mut j = i + 1;
                if j < fmt.len() {
                    j += 1;
                    let lead = fmt[i + 1];
                    let maxlen = match lead {
                        b'0'..=b'7' => 2,
                        b'x' => 2,
                        b'u' => 4,
                        b'U' => 8,
                        _ => 0,
                    };
                    let mut k = 0;
                    while k < maxlen && j < fmt.len() && (fmt[j] as char).is_ascii_hexdigit() {
                        if matches!(lead, b'0'..=b'7') && !(b'0'..=b'7').contains(&fmt[j]) {
                            break;
                        }
                        j += 1;
                        k += 1;
                    }
                }
                let (bytes, stop) = unescape(&fmt[i..j], Mode::Format);
                out.extend_from_slice(&bytes);
                if stop {
                    return true;
                }
                i = j;
                continue;
            }
            if c != b'%' {
                out.push(c);
                i += 1;
                continue;
            }
            i += 1;
            if i >= fmt.len() {
                out.push(b'%');
                break;
            }
            if fmt[i] == b'%' {
                out.push(b'%');
                i += 1;
                continue;
            }
            let start = i - 1;
            let mut conv = Conv::default();
            while i < fmt.len() {
                match fmt[i] {
                    b'-' => conv.left = true,
                    b'+' => conv.plus = true,
                    b' ' => conv.space = true,
                    b'#' => conv.alt = true,
                    b'0' => conv.zero = true,
                    _ => break,
                }
                i += 1;
            }
            if i < fmt.len() && fmt[i] == b'*' {
                let w = self.int_arg();
                if w < 0 {
                    conv.left = true;
                }
                conv.width = w.unsigned_abs() as usize;
                i += 1;
            } else {
                while i < fmt.len() && fmt[i].is_ascii_digit() {
                    conv.width = conv.width * 10 + (fmt[i] - b'0') as usize;
                    i += 1;
                }
            }
            if i < fmt.len() && fmt[i] == b'.' {
                i += 1;
                if i < fmt.len() && fmt[i] == b'*' {
                    let p = self.int_arg();
                    conv.prec = (p >= 0).then_some(p as usize);
                    i += 1;
                } else {
                    let mut p = 0;
                    while i < fmt.len() && fmt[i].is_ascii_digit() {
                        p = p * 10 + (fmt[i] - b'0') as usize;
                        i += 1;
                    }
                    conv.prec = Some(p);
                }
            }
            // Length modifiers are accepted and ignored.
            while i < fmt.len() && matches!(fmt[i], b'h' | b'l' | b'L' | b'j' | b'z' | b't') {
                i += 1;
            }
            if i >= fmt.len() {
                self.errors.push(format!(
                    "{}: invalid conversion specification",
                    self.show(&String::from_utf8_lossy(&fmt[start..]))
                ));
                return true;
            }
            let ch = fmt[i] as char;
            i += 1;
            match ch {
                's' => {
                    let a = self.arg().unwrap_or("").to_string();
                    let s = match conv.prec {
                        Some(p) => a.chars().take(p).collect(),
                        None => a,
                    };
                    out.extend_from_slice(pad(&conv, s, false).as_bytes());
                }
                'b' => {
                    let a = self.arg().unwrap_or("").to_string();
                    let (bytes, stop) = unescape(a.as_bytes(), Mode::PercentB);
                    let mut s = bytes;
                    if let Some(p) = conv.prec {
                        s.truncate(p);
                    }
                    if s.len() < conv.width {
                        let fill = vec![b' '; conv.width - s.len()];
                        if conv.left {
                            s.extend(fill);
                        } else {
                            s.splice(0..0, fill);
                        }
                    }
                    out.extend_from_slice(&s);
                    if stop {
                        return true;
                    }
                }
                'q' => {
                    let a = self.arg().unwrap_or("").to_string();
                    let q = match self.flavor {
                        Flavor::Bash => bash_quote(&a),
                        Flavor::Gnu => util::shell_quote(&a, false, false),
                    };
                    out.extend_from_slice(pad(&conv, q, false).as_bytes());
                }
                'c' => {
                    let a = self.arg().unwrap_or("").as_bytes().first().map(|b| vec![*b]).unwrap_or_default();
                    let mut s = a;
                    if conv.width > s.len() {
                        let fill = vec![b' '; conv.width - s.len()];
                        if conv.left {
                            s.extend(fill);
                        } else {
                            s.splice(0..0, fill);
                        }
                    }
                    out.extend_from_slice(&s);
                }
                'd' | 'i' | 'o' | 'u' | 'x' | 'X' => {
                    let v = self.int_arg();
                    out.extend_from_slice(fmt_int(ch, &conv, v).as_bytes());
                }
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A' => {
                    let v = self.float_arg();
                    out.extend_from_slice(fmt_float(ch, &conv, v).as_bytes());
                }
                '(' if self.flavor == Flavor::Bash => {
                    // %(strftime)T
                    let close = fmt[i..].iter().position(|&b| b == b')');
                    match close {
                        Some(k) if fmt.get(i + k + 1) == Some(&b'T') => {
                            let tf = String::from_utf8_lossy(&fmt[i..i + k]).into_owned();
                            i += k + 2;
                            let v = match self.arg() {
                                None | Some("") | Some("-1") => self.now,
                                Some(_) => {
                                    self.next -= 1;
                                    agentos_kernel::abi::Timespec { sec: self.int_arg(), nsec: 0 }
                                }
                            };
                            let s = time::strftime(if tf.is_empty() { "%X" } else { &tf }, v);
                            out.extend_from_slice(pad(&conv, s, false).as_bytes());
                        }
                        _ => {
                            self.errors.push("`(': invalid format character".to_string());
                            return true;
                        }
                    }
                }
                other => {
                    self.errors.push(match self.flavor {
                        Flavor::Bash => format!("`{other}': invalid format character"),
                        Flavor::Gnu => format!(
                            "{}: invalid conversion specification",
                            util::quote(&String::from_utf8_lossy(&fmt[start..i]))
                        ),
                    });
                    return true;
                }
            }
        }
        false
    }
}

/// `strtoimax(s, .., 0)` with bash's extras. Returns (value, fully valid,
/// partially converted).
pub fn parse_int(a: &str) -> (i64, bool, bool) {
    let t = a.trim_start();
    if let Some(rest) = t.strip_prefix(['\'', '"']) {
        return (rest.chars().next().map(|c| c as i64).unwrap_or(0), true, false);
    }
    if t.is_empty() {
        return (0, a.is_empty(), false);
    }
    let (neg, body) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, h)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    let end = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
    if end == 0 && radix != 8 {
        return (0, false, false);
    }
    let mag = u128::from_str_radix(&digits[..end], radix).unwrap_or(if end == 0 { 0 } else { u128::MAX });
    let v = if neg { -(mag.min(i64::MAX as u128 + 1) as i128) } else { mag.min(i64::MAX as u128) as i128 };
    let overflow = if neg { mag > i64::MAX as u128 + 1 } else { mag > i64::MAX as u128 };
    let full = end == digits.len();
    (v as i64, full && !overflow, !full)
}

/// `strtold` for the float conversions.
pub fn parse_float(a: &str) -> (f64, bool, bool) {
    let t = a.trim_start();
    if let Some(rest) = t.strip_prefix(['\'', '"']) {
        return (rest.chars().next().map(|c| c as u32 as f64).unwrap_or(0.0), true, false);
    }
    if t.is_empty() {
        return (0.0, a.is_empty(), false);
    }
    if let Ok(v) = t.parse::<f64>() {
        return (v, true, false);
    }
    if t.contains("0x") || t.contains("0X") {
        let (v, ok, p) = parse_int(t);
        return (v as f64, ok, p);
    }
    // Longest valid prefix.
    for end in (1..t.len()).rev() {
        if !t.is_char_boundary(end) {
            continue;
        }
        if let Ok(v) = t[..end].parse::<f64>() {
            return (v, false, true);
        }
    }
    (0.0, false, false)
}

/// Run printf over `args` (format first). Returns output, diagnostics and
/// the exit status.
pub fn render(flavor: Flavor, args: &[String], now: agentos_kernel::abi::Timespec) -> (Vec<u8>, Vec<String>) {
    let fmt = args[0].as_bytes();
    let mut run = Run { flavor, args: &args[1..], next: 0, errors: Vec::new(), now };
    let mut out = Vec::new();
    loop {
        let before = run.next;
        if run.pass(fmt, &mut out) {
            break;
        }
        if run.next >= run.args.len() || run.next == before {
            break;
        }
    }
    if flavor == Flavor::Gnu && run.next < run.args.len() && run.next == 0 {
        run.errors.push(format!("warning: ignoring excess arguments, starting with {}", util::quote(&run.args[0])));
    }
    (out, run.errors)
}

fn run(task: &mut Task, flavor: Flavor) -> i32 {
    let mut args: Vec<String> = task.argv.iter().skip(1).cloned().collect();
    if flavor == Flavor::Gnu && args.len() == 1 {
        match args[0].as_str() {
            "--help" => return util::help(task, "printf", "FORMAT [ARGUMENT]..."),
            "--version" => {
                util::out(task, b"printf (GNU coreutils) 9.1\n");
                return 0;
            }
            _ => {}
        }
    }
    if args.first().map(|s| s.as_str()) == Some("--") {
        args.remove(0);
    }
    if args.is_empty() {
        return match flavor {
            Flavor::Bash => {
                util::error(task, "printf", "usage: printf [-v var] format [arguments]");
                2
            }
            Flavor::Gnu => util::usage_error(task, "printf", "missing operand", 1),
        };
    }
    let (out, errors) = render(flavor, &args, task.now());
    // A failed write is reported and fails the command, as bash's builtin
    // and GNU's printf do (`printf x > /dev/full`).
    let written = if out.is_empty() { Ok(()) } else { task.write_all(1, &out) };
    let warn_only = errors.iter().all(|e| e.starts_with("warning:"));
    for e in &errors {
        util::error(task, "printf", e);
    }
    if let Err(e) = written {
        util::error(task, "printf", &format!("write error: {}", e.strerror()));
        return 1;
    }
    if errors.is_empty() || warn_only { 0 } else { 1 }
}

/// `/usr/bin/printf` (GNU coreutils).
pub fn main(task: &mut Task) -> i32 {
    run(task, Flavor::Gnu)
}

/// The shell's `printf` builtin (bash).
pub fn builtin_main(task: &mut Task) -> i32 {
    run(task, Flavor::Bash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(flavor: Flavor, args: &[&str]) -> (String, Vec<String>) {
        let a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (o, e) = render(flavor, &a, Default::default());
        (String::from_utf8_lossy(&o).into_owned(), e)
    }

    fn b(args: &[&str]) -> String {
        p(Flavor::Bash, args).0
    }

    #[test]
    fn strings_and_reuse() {
        assert_eq!(b(&["%s-%d\n", "a", "1", "b", "2"]), "a-1\nb-2\n");
        assert_eq!(b(&["%s %s\n", "a", "b", "c"]), "a b\nc \n");
        assert_eq!(b(&["x\n", "a", "b"]), "x\n");
        assert_eq!(
            b(&["%5.2s|%-5d|%05d|%+d|% d|%#x|%#o|%.3d\n", "abcdef", "3", "-42", "5", "5", "255", "8", "7"]),
            "   ab|3    |-0042|+5| 5|0xff|010|007\n"
        );
        assert_eq!(b(&["%c%c\n", "hello", ""]), "h\n");
        assert_eq!(b(&["%i|%u|%x\n", "-1", "-1", "-1"]), "-1|18446744073709551615|ffffffffffffffff\n");
        assert_eq!(b(&["%d %d %d %d\n", "0x1f", "010", "'A", "-5"]), "31 8 65 -5\n");
        assert_eq!(b(&["%*d|%-*d|%.*f\n", "4", "7", "3", "1", "2", "3.14159"]), "   7|1  |3.14\n");
        assert_eq!(b(&["%%|%s\n"]), "%|\n");
    }

    #[test]
    fn floats() {
        assert_eq!(
            b(&["%e %E %g %g %g %G %f\n", "1234.5678", "0.000123", "1234567", "0.0001", "100", "1e-10", "3.14159265"]),
            "1.234568e+03 1.230000E-04 1.23457e+06 0.0001 100 1E-10 3.141593\n"
        );
        assert_eq!(b(&["%5.1f|%-4s|%x\n", "3.14159", "ab", "255"]), "  3.1|ab  |ff\n");
        assert_eq!(b(&["%.0f %.0f %g %g %#g\n", "2.5", "3.5", "0", "1e100", "1"]), "2 4 0 1e+100 1.00000\n");
        assert_eq!(b(&["%08.3f|%-8.2e|%+.2f\n", "-3.14159", "12345", "2"]), "-003.142|1.23e+04|+2.00\n");
    }

    #[test]
    fn escapes_and_stop() {
        assert_eq!(b(&["a\\tb\\n\\101\\n"]), "a\tb\nA\n");
        assert_eq!(b(&["%b\n", "x\\ny"]), "x\ny\n");
        assert_eq!(b(&["%b|%s\n", "a\\cb", "z"]), "a");
        assert_eq!(b(&["a\\0101\\n"]), "a\x081\n");
    }

    #[test]
    fn quoting() {
        assert_eq!(b(&["%q\n", "a b"]), "a\\ b\n");
        assert_eq!(b(&["%q %q %q %q\n", "it's", "~x", "", "a\nb"]), "it\\'s \\~x '' $'a\\nb'\n");
        assert_eq!(p(Flavor::Gnu, &["%q %q\n", "a b", "x"]).0, "'a b' x\n");
    }

    #[test]
    fn errors() {
        assert_eq!(p(Flavor::Bash, &["%d\n", "abc"]), ("0\n".into(), vec!["abc: invalid number".into()]));
        assert_eq!(p(Flavor::Bash, &["%d\n", "12abc"]), ("12\n".into(), vec!["12abc: invalid number".into()]));
        assert_eq!(
            p(Flavor::Gnu, &["%d\n", "notanumber"]),
            ("0\n".into(), vec!["'notanumber': expected a numeric value".into()])
        );
        assert_eq!(
            p(Flavor::Gnu, &["%d\n", "12abc"]),
            ("12\n".into(), vec!["'12abc': value not completely converted".into()])
        );
        assert_eq!(p(Flavor::Bash, &["%k\n"]).1, vec!["`k': invalid format character".to_string()]);
    }
}
