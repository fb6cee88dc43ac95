//! awk values: numbers, strings, and "strnums" (input that looks numeric,
//! which compares as a number), plus the number↔string conversions with
//! C `printf` formatting (`%.6g`, integers printed as integers).
//!
//! Strings are bytes (the C locale), shared with `Rc`.

use std::rc::Rc;

pub type Str = Rc<[u8]>;

#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
    Uninit,
    Num(f64),
    Str(Str),
    /// Input data that looks like a number.
    StrNum(Str, f64),
}

impl Value {
    pub fn str(s: &[u8]) -> Value {
        Value::Str(Rc::from(s))
    }

    /// A value from input (fields, `getline var`, `split` elements...).
    pub fn input(s: &[u8]) -> Value {
        match looks_numeric(s) {
            Some(n) => Value::StrNum(Rc::from(s), n),
            None => Value::Str(Rc::from(s)),
        }
    }

    pub fn to_num(&self) -> f64 {
        match self {
            Value::Uninit => 0.0,
            Value::Num(n) | Value::StrNum(_, n) => *n,
            Value::Str(s) => str_to_num(s),
        }
    }

    /// Truthiness: numbers are true when non-zero, strings when non-empty,
    /// strnums by their numeric value.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Uninit => false,
            Value::Num(n) | Value::StrNum(_, n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
        }
    }

    /// The string form, numbers converted with `convfmt`.
    pub fn to_str(&self, convfmt: &[u8]) -> Str {
        match self {
            Value::Uninit => Rc::from(&b""[..]),
            Value::Str(s) | Value::StrNum(s, _) => s.clone(),
            Value::Num(n) => Rc::from(num_to_str(*n, convfmt)),
        }
    }

    /// Whether the value compares as a number.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Value::Num(_) | Value::StrNum(..) | Value::Uninit)
    }
}

/// Skip leading blanks as `strtod` does.
fn skip_space(s: &[u8]) -> usize {
    s.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)).unwrap_or(s.len())
}

/// The length of the longest decimal-number prefix of `s` (after sign).
fn number_len(s: &[u8]) -> usize {
    let mut i = 0;
    if matches!(s.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let ds = i;
    while s.get(i).is_some_and(|b| b.is_ascii_digit()) {
        i += 1;
    }
    let mut digits = i - ds;
    if s.get(i) == Some(&b'.') {
        i += 1;
        let fs = i;
        while s.get(i).is_some_and(|b| b.is_ascii_digit()) {
            i += 1;
        }
        digits += i - fs;
    }
    if digits == 0 {
        return 0;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if s.get(j).is_some_and(|b| b.is_ascii_digit()) {
            while s.get(j).is_some_and(|b| b.is_ascii_digit()) {
                j += 1;
            }
            i = j;
        }
    }
    i
}

fn parse_f64(s: &[u8]) -> f64 {
    // Fast path for plain integers.
    if s.len() <= 15 && !s.is_empty() && s.iter().all(|b| b.is_ascii_digit()) {
        return s.iter().fold(0u64, |a, b| a * 10 + (b - b'0') as u64) as f64;
    }
    std::str::from_utf8(s).ok().and_then(|t| t.parse().ok()).unwrap_or(0.0)
}

/// awk's string-to-number: the longest numeric prefix, else 0. gawk also
/// accepts `+inf`, `-inf`, `+nan`, `-nan`.
pub fn str_to_num(s: &[u8]) -> f64 {
    let s = &s[skip_space(s)..];
    let n = number_len(s);
    if n == 0 {
        return special(s).unwrap_or(0.0);
    }
    parse_f64(&s[..n])
}

fn special(s: &[u8]) -> Option<f64> {
    if s.len() < 4 {
        return None;
    }
    let neg = match s[0] {
        b'+' => false,
        b'-' => true,
        _ => return None,
    };
    let v = match &s[1..4].to_ascii_lowercase()[..] {
        b"inf" => f64::INFINITY,
        b"nan" => f64::NAN,
        _ => return None,
    };
    Some(if neg { -v } else { v })
}

/// Whether input text is a number (the whole of it, blanks aside).
pub fn looks_numeric(s: &[u8]) -> Option<f64> {
    let start = skip_space(s);
    let t = &s[start..];
    let end = t.len() - t.iter().rev().position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')).unwrap_or(t.len());
    let t = &t[..end];
    if t.is_empty() {
        return None;
    }
    let n = number_len(t);
    if n == t.len() {
        return Some(parse_f64(t));
    }
    if n == 0 && t.len() == 4 {
        return special(t);
    }
    None
}

/// Number to string: integers as integers, others with `fmt` (CONVFMT or
/// OFMT).
pub fn num_to_str(n: f64, fmt: &[u8]) -> Vec<u8> {
    if n.fract() == 0.0 && n.is_finite() {
        if n.abs() < 1e18 {
            return (n as i64).to_string().into_bytes();
        }
        return format!("{n:.0}").into_bytes();
    }
    if !n.is_finite() {
        return nonfinite(n).into_bytes();
    }
    if fmt == b"%.6g" {
        return fmt_g(n, 6, false, false).into_bytes();
    }
    super::format::sprintf_num(fmt, n)
}

/// gawk's spelling of infinities and NaNs.
pub fn nonfinite(n: f64) -> String {
    let sign = if n.is_sign_negative() { '-' } else { '+' };
    if n.is_nan() { format!("{sign}nan") } else { format!("{sign}inf") }
}

/// C `%.*e`: `d.ddde±XX`.
pub fn fmt_e(n: f64, prec: usize, upper: bool) -> String {
    let s = format!("{:.*e}", prec, n);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    let e = if upper { 'E' } else { 'e' };
    format!("{mant}{e}{sign}{:02}", exp.abs())
}

/// C `%.*f`.
pub fn fmt_f(n: f64, prec: usize) -> String {
    format!("{:.*}", prec, n)
}

/// C `%.*g`; `alt` is the `#` flag (keep trailing zeros).
pub fn fmt_g(n: f64, prec: usize, upper: bool, alt: bool) -> String {
    let p = if prec == 0 { 1 } else { prec };
    if n == 0.0 {
        let z = if n.is_sign_negative() { "-0" } else { "0" };
        return if alt { format!("{z}.{}", "0".repeat(p - 1)) } else { z.to_string() };
    }
    // The exponent after rounding to p significant digits.
    let e = fmt_e(n, p - 1, false);
    let x: i32 = e.rsplit_once('e').and_then(|(_, x)| x.parse().ok()).unwrap_or(0);
    let mut s =
        if x < -4 || x >= p as i32 { fmt_e(n, p - 1, upper) } else { fmt_f(n, (p as i32 - 1 - x).max(0) as usize) };
    if !alt {
        // Strip trailing zeros of the fraction (before any exponent).
        let (body, exp) = match s.find(['e', 'E']) {
            Some(i) => (s[..i].to_string(), s[i..].to_string()),
            None => (s.clone(), String::new()),
        };
        let body = if body.contains('.') { body.trim_end_matches('0').trim_end_matches('.').to_string() } else { body };
        s = body + &exp;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: f64) -> String {
        String::from_utf8(num_to_str(n, b"%.6g")).unwrap()
    }

    #[test]
    fn number_to_string() {
        assert_eq!(s(3.0), "3");
        assert_eq!(s(-0.0), "0");
        assert_eq!(s(0.1 + 0.2), "0.3");
        assert_eq!(s(1.234567891), "1.23457");
        assert_eq!(s(1e16), "10000000000000000");
        assert_eq!(s(1e20), "100000000000000000000");
        assert_eq!(s(123456.7), "123457");
        assert_eq!(s(1234567.5), "1.23457e+06");
        assert_eq!(s(0.0001), "0.0001");
        assert_eq!(s(0.00001234), "1.234e-05");
        assert_eq!(s(f64::INFINITY), "+inf");
        assert_eq!(s(-f64::INFINITY), "-inf");
        assert_eq!(String::from_utf8(num_to_str(1.23456, b"%.2g")).unwrap(), "1.2");
    }

    #[test]
    fn c_formats() {
        assert_eq!(fmt_e(1234.5, 2, false), "1.23e+03");
        assert_eq!(fmt_e(0.0, 3, true), "0.000E+00");
        assert_eq!(fmt_f(2.5, 0), "2");
        assert_eq!(fmt_f(1.005, 2), "1.00");
        assert_eq!(fmt_g(100000.0, 6, false, false), "100000");
        assert_eq!(fmt_g(1e6, 6, false, false), "1e+06");
        assert_eq!(fmt_g(0.5, 6, false, true), "0.500000");
    }

    #[test]
    fn string_to_number() {
        assert_eq!(str_to_num(b"  12abc"), 12.0);
        assert_eq!(str_to_num(b"-3.5e2x"), -350.0);
        assert_eq!(str_to_num(b".5"), 0.5);
        assert_eq!(str_to_num(b"0x1A"), 0.0);
        assert_eq!(str_to_num(b"e5"), 0.0);
        assert_eq!(str_to_num(b"1e"), 1.0);
        assert_eq!(looks_numeric(b" 10 "), Some(10.0));
        assert_eq!(looks_numeric(b"10a"), None);
        assert_eq!(looks_numeric(b""), None);
        assert_eq!(looks_numeric(b"+inf"), Some(f64::INFINITY));
        assert_eq!(looks_numeric(b"."), None);
    }
}
