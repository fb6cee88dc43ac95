//! Text produced by commands: `s` replacements with GNU case conversion,
//! and the `l` command's escaped, wrapped listing.

use super::parse::Repl;

/// Expand a replacement, applying `\U \L \u \l \E`.
pub fn expand<'a>(out: &mut Vec<u8>, repl: &[Repl], group: impl Fn(usize) -> Option<&'a [u8]>) {
    let mut mode = 0u8; // b'U', b'L' or 0
    let mut once = 0u8; // b'u', b'l' or 0
    let put = |out: &mut Vec<u8>, text: &[u8], mode: u8, once: &mut u8| {
        for &b in text {
            let b = match (*once, mode) {
                (b'u', _) => b.to_ascii_uppercase(),
                (b'l', _) => b.to_ascii_lowercase(),
                (_, b'U') => b.to_ascii_uppercase(),
                (_, b'L') => b.to_ascii_lowercase(),
                _ => b,
            };
            *once = 0;
            out.push(b);
        }
    };
    for r in repl {
        match r {
            Repl::Lit(t) => put(out, t, mode, &mut once),
            Repl::Group(n) => {
                if let Some(t) = group(*n) {
                    put(out, t, mode, &mut once);
                }
            }
            Repl::Case(c @ (b'u' | b'l')) => once = *c,
            Repl::Case(b'E') => {
                mode = 0;
                once = 0;
            }
            Repl::Case(c) => {
                mode = *c;
                once = 0;
            }
        }
    }
}

/// `l`: the pattern space with C escapes, wrapped at `width` columns.
pub fn list(ps: &[u8], width: usize, delim: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(ps.len() + 8);
    let mut col = 0;
    for &b in ps {
        let esc: Vec<u8> = match b {
            b'\\' => b"\\\\".to_vec(),
            7 => b"\\a".to_vec(),
            8 => b"\\b".to_vec(),
            12 => b"\\f".to_vec(),
            b'\n' => b"\\n".to_vec(),
            b'\r' => b"\\r".to_vec(),
            b'\t' => b"\\t".to_vec(),
            11 => b"\\v".to_vec(),
            32..=126 => vec![b],
            _ => format!("\\{b:03o}").into_bytes(),
        };
        if width > 1 && col + esc.len() > width - 1 {
            out.extend_from_slice(b"\\\n");
            col = 0;
        }
        col += esc.len();
        out.extend_from_slice(&esc);
    }
    out.push(b'$');
    out.push(delim);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_escapes_and_wraps() {
        assert_eq!(list(b"a\tb\\c\x01", 70, b'\n'), b"a\\tb\\\\c\\001$\n");
        assert_eq!(list(b"abcdef", 4, b'\n'), b"abc\\\ndef$\n");
        assert_eq!(list(b"abcdef", 0, b'\n'), b"abcdef$\n");
    }

    #[test]
    fn case_conversion() {
        let mut out = Vec::new();
        let repl = vec![
            Repl::Case(b'U'),
            Repl::Group(0),
            Repl::Case(b'E'),
            Repl::Lit(b"-x".to_vec()),
            Repl::Case(b'u'),
            Repl::Lit(b"yz".to_vec()),
        ];
        expand(&mut out, &repl, |_| Some(b"ab".as_slice()));
        assert_eq!(out, b"AB-xYz");
    }
}
