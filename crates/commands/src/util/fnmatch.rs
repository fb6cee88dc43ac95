//! Shell wildcard matching, `fnmatch(3)`: `*`, `?`, bracket expressions
//! (`[a-z]`, `[!x]`, `[^x]`, `[[:alpha:]]`) and `\` quoting — for `find
//! -name/-path`, `grep --include`, and anything else that matches names.
//!
//! Analogue: glibc `fnmatch` with `FNM_PATHNAME`, `FNM_PERIOD` and
//! `FNM_CASEFOLD` as flags. Works on bytes (the C locale).

/// `fnmatch` flags.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    /// `*`, `?` and brackets never match `/` (`FNM_PATHNAME`).
    pub pathname: bool,
    /// A leading `.` must be matched by a literal `.` (`FNM_PERIOD`).
    pub period: bool,
    /// Ignore ASCII case (`FNM_CASEFOLD`).
    pub casefold: bool,
}

/// Whether `name` matches `pattern`.
pub fn fnmatch(pattern: &[u8], name: &[u8], flags: Flags) -> bool {
    if flags.period && name.first() == Some(&b'.') && pattern.first() != Some(&b'.') {
        return false;
    }
    matches(pattern, name, flags)
}

fn eq(a: u8, b: u8, fold: bool) -> bool {
    a == b || (fold && a.eq_ignore_ascii_case(&b))
}

/// Iterative matching with one backtrack point (the last `*`).
fn matches(p: &[u8], s: &[u8], f: Flags) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                b'*' => {
                    while pi < p.len() && p[pi] == b'*' {
                        pi += 1;
                    }
                    star = Some((pi, si));
                    continue;
                }
                b'?' if si < s.len() && !(f.pathname && s[si] == b'/') => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                b'[' if si < s.len() => {
                    if let Some((ok, next)) = bracket(p, pi, s[si], f) {
                        if ok && !(f.pathname && s[si] == b'/') {
                            pi = next;
                            si += 1;
                            continue;
                        }
                    } else if s[si] == b'[' {
                        // An unclosed `[` is literal.
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
                b'\\' if pi + 1 < p.len() && si < s.len() && eq(p[pi + 1], s[si], f.casefold) => {
                    pi += 2;
                    si += 1;
                    continue;
                }
                b'\\' if pi + 1 < p.len() => {}
                c if c != b'?' && c != b'[' && si < s.len() && eq(c, s[si], f.casefold) => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                _ => {}
            }
        } else if si == s.len() {
            return true;
        }
        // Mismatch: let the last `*` swallow one more byte.
        match star {
            Some((sp, ss)) if ss < s.len() && !(f.pathname && s[ss] == b'/') => {
                star = Some((sp, ss + 1));
                pi = sp;
                si = ss + 1;
            }
            _ => return false,
        }
    }
}

/// Match byte `c` against the bracket expression at `p[i] == '['`.
/// Returns whether it matched and the index after `]`, or `None` if the
/// bracket is not closed.
fn bracket(p: &[u8], i: usize, c: u8, f: Flags) -> Option<(bool, usize)> {
    let mut j = i + 1;
    let negate = matches!(p.get(j), Some(b'!' | b'^'));
    if negate {
        j += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let &b = p.get(j)?;
        if b == b']' && !first {
            j += 1;
            break;
        }
        first = false;
        if b == b'[' && p.get(j + 1) == Some(&b':') {
            let end = p[j + 2..].windows(2).position(|w| w == b":]")? + j + 2;
            let name = &p[j + 2..end];
            hit |= class(name, c)
                || (f.casefold && (class(name, c.to_ascii_lowercase()) || class(name, c.to_ascii_uppercase())));
            j = end + 2;
            continue;
        }
        let (lo, next) = if b == b'\\' && j + 1 < p.len() { (p[j + 1], j + 2) } else { (b, j + 1) };
        if p.get(next) == Some(&b'-') && p.get(next + 1).is_some_and(|&x| x != b']') {
            let (hi, after) = if p[next + 1] == b'\\' && next + 2 < p.len() {
                (p[next + 2], next + 3)
            } else {
                (p[next + 1], next + 2)
            };
            let in_range = |x: u8| lo <= x && x <= hi;
            hit |=
                in_range(c) || (f.casefold && (in_range(c.to_ascii_lowercase()) || in_range(c.to_ascii_uppercase())));
            j = after;
        } else {
            hit |= eq(lo, c, f.casefold);
            j = next;
        }
    }
    Some((hit != negate, j))
}

fn class(name: &[u8], c: u8) -> bool {
    match name {
        b"alpha" => c.is_ascii_alphabetic(),
        b"digit" => c.is_ascii_digit(),
        b"alnum" => c.is_ascii_alphanumeric(),
        b"upper" => c.is_ascii_uppercase(),
        b"lower" => c.is_ascii_lowercase(),
        b"space" => c.is_ascii_whitespace() || c == 0x0b,
        b"blank" => c == b' ' || c == b'\t',
        b"punct" => c.is_ascii_punctuation(),
        b"print" => c.is_ascii_graphic() || c == b' ',
        b"graph" => c.is_ascii_graphic(),
        b"cntrl" => c.is_ascii_control(),
        b"xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        fnmatch(p.as_bytes(), s.as_bytes(), Flags::default())
    }

    #[test]
    fn wildcards() {
        assert!(m("*.rs", "main.rs"));
        assert!(!m("*.rs", "main.rsx"));
        assert!(m("*", ".hidden"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*a*b*", "xxaxxbxx"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[!a-c]x", "bx"));
        assert!(m("[^a-c]x", "dx"));
        assert!(m("[]]", "]"));
        assert!(m("[[:digit:]]*", "1abc"));
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("[", "["));
        assert!(m("a*/b", "a/x/b"));
        let pf = Flags { pathname: true, ..Flags::default() };
        assert!(!fnmatch(b"a*/b", b"a/x/b", pf));
        assert!(fnmatch(b"a/*/b", b"a/x/b", pf));
        let ci = Flags { casefold: true, ..Flags::default() };
        assert!(fnmatch(b"*.TXT", b"a.txt", ci));
        assert!(fnmatch(b"[A-C]", b"b", ci));
        let per = Flags { period: true, ..Flags::default() };
        assert!(!fnmatch(b"*", b".x", per));
        assert!(fnmatch(b".*", b".x", per));
    }
}
