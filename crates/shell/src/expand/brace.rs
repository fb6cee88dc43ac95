//! Brace expansion (`a{b,c}d`, `{1..10..2}`, `{a..e}`), the first step of
//! word expansion. Works on the raw word text, so quoted and escaped braces
//! and `${...}` are left alone.

/// Expand the braces of one raw word into one or more raw words.
pub fn expand(word: &str) -> Vec<String> {
    if !word.contains('{') {
        return vec![word.to_string()];
    }
    let mut out = Vec::new();
    expand_into(word, &mut out);
    out
}

fn expand_into(word: &str, out: &mut Vec<String>) {
    let b = word.as_bytes();
    let mut i = 0;
    while let Some(open) = next_open(b, i) {
        if let Some((close, commas)) = find_close(b, open) {
            let inner = &word[open + 1..close];
            let pre = &word[..open];
            let post = &word[close + 1..];
            if !commas.is_empty() {
                let mut start = open + 1;
                for &c in commas.iter().chain(std::iter::once(&close)) {
                    let alt = &word[start..c];
                    expand_into(&format!("{pre}{alt}{post}"), out);
                    start = c + 1;
                }
                return;
            }
            if let Some(items) = sequence(inner) {
                for it in items {
                    expand_into(&format!("{pre}{it}{post}"), out);
                }
                return;
            }
        }
        i = open + 1;
    }
    out.push(word.to_string());
}

/// The next unquoted `{` at or after `from` that is not part of `${`.
fn next_open(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'\'' => i = skip_single(b, i),
            b'"' => i = skip_double(b, i),
            b'$' if b.get(i + 1) == Some(&b'{') || b.get(i + 1) == Some(&b'(') => {
                i = skip_group(b, i + 1);
            }
            b'{' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn skip_single(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() && b[j] != b'\'' {
        j += 1;
    }
    j
}

fn skip_double(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() && b[j] != b'"' {
        if b[j] == b'\\' {
            j += 1;
        }
        j += 1;
    }
    j
}

/// Skip a `{...}` or `(...)` group starting at `i`; returns its last index.
fn skip_group(b: &[u8], i: usize) -> usize {
    let (open, close) = (b[i], if b[i] == b'{' { b'}' } else { b')' });
    let mut depth = 0;
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 1,
            b'\'' => j = skip_single(b, j),
            b'"' => j = skip_double(b, j),
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
        j += 1;
    }
    j
}

/// The `}` matching the `{` at `open`, and the top-level commas between.
fn find_close(b: &[u8], open: usize) -> Option<(usize, Vec<usize>)> {
    let mut depth = 0;
    let mut commas = Vec::new();
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'\'' => i = skip_single(b, i),
            b'"' => i = skip_double(b, i),
            b'$' if b.get(i + 1) == Some(&b'{') || b.get(i + 1) == Some(&b'(') => i = skip_group(b, i + 1),
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((i, commas));
                }
            }
            b',' if depth == 1 => commas.push(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// `1..5`, `a..e`, `01..10`, `1..10..3`.
fn sequence(inner: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    if parts.len() != 2 && parts.len() != 3 {
        return None;
    }
    let step: i64 = match parts.get(2) {
        Some(s) => s.parse().ok()?,
        None => 1,
    };
    let step = step.unsigned_abs().max(1) as i64;
    let (a, b) = (parts[0], parts[1]);
    if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
        let pad = |s: &str| {
            let d = s.trim_start_matches('-');
            if d.len() > 1 && d.starts_with('0') { s.len() } else { 0 }
        };
        let width = pad(a).max(pad(b));
        let mut out = Vec::new();
        let mut v = x;
        loop {
            out.push(if width > 0 {
                if v < 0 { format!("-{:0w$}", -v, w = width - 1) } else { format!("{v:0width$}") }
            } else {
                v.to_string()
            });
            if (x <= y && v + step > y) || (x > y && v - step < y) {
                break;
            }
            v = if x <= y { v + step } else { v - step };
        }
        return Some(out);
    }
    let (ca, cb) = (single_char(a)?, single_char(b)?);
    let (x, y) = (ca as i64, cb as i64);
    let mut out = Vec::new();
    let mut v = x;
    loop {
        out.push(char::from_u32(v as u32)?.to_string());
        if (x <= y && v + step > y) || (x > y && v - step < y) {
            break;
        }
        v = if x <= y { v + step } else { v - step };
    }
    Some(out)
}

fn single_char(s: &str) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    (it.next().is_none() && c.is_ascii_alphabetic()).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(s: &str) -> String {
        expand(s).join(" ")
    }

    #[test]
    fn lists() {
        assert_eq!(e("{a,b,c}"), "a b c");
        assert_eq!(e("x{1,2}y"), "x1y x2y");
        assert_eq!(e("{a,b}{1,2}"), "a1 a2 b1 b2");
        assert_eq!(e("{a,{b,c}}"), "a b c");
        assert_eq!(e("pre{,fix}"), "pre prefix");
        assert_eq!(e("{x,}{y,}"), "xy x y ");
        assert_eq!(e("{a} {} {a..}"), "{a} {} {a..}");
        assert_eq!(e("\"{a,b}\""), "\"{a,b}\"");
        assert_eq!(e("${x:-{a,b}}"), "${x:-{a,b}}");
        assert_eq!(e("{1..$n}"), "{1..$n}");
    }

    #[test]
    fn sequences() {
        assert_eq!(e("{1..5}"), "1 2 3 4 5");
        assert_eq!(e("{5..1}"), "5 4 3 2 1");
        assert_eq!(e("{a..e}"), "a b c d e");
        assert_eq!(e("{1..10..3}"), "1 4 7 10");
        assert_eq!(e("{01..10}"), "01 02 03 04 05 06 07 08 09 10");
        assert_eq!(e("{-2..2}"), "-2 -1 0 1 2");
        assert_eq!(e("{a..k..3}"), "a d g j");
        assert_eq!(e("{e..a}"), "e d c b a");
    }
}
