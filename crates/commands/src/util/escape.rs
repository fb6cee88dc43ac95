//! Backslash escapes as bash expands them: `echo -e`, `printf` formats and
//! `printf %b` arguments differ only in how octal escapes are spelled and in
//! which quote escapes they know.

/// Which dialect of escapes to expand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `echo -e`: octal only as `\0NNN`.
    Echo,
    /// A `printf` format: octal as `\NNN`; `\"` and `\'` lose the backslash.
    Format,
    /// A `printf %b` argument: `\0NNN` and `\NNN`.
    PercentB,
}

fn hex(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// Expand escapes in `s`. Returns the bytes and whether `\c` asked to stop
/// all further output.
pub fn unescape(s: &[u8], mode: Mode) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' || i >= s.len() {
            out.push(c);
            continue;
        }
        let e = s[i];
        i += 1;
        match e {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'e' | b'E' => out.push(0x1b),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'c' => return (out, true),
            b'"' | b'\'' | b'?' if mode == Mode::Format => out.push(e),
            b'0'..=b'7' => {
                let (first, max) = match (mode, e) {
                    (Mode::Echo, b'0') | (Mode::PercentB, b'0') => (0u32, 3),
                    (Mode::Echo, _) => {
                        out.push(b'\\');
                        out.push(e);
                        continue;
                    }
                    _ => ((e - b'0') as u32, 2),
                };
                let mut v = first;
                let mut n = 0;
                while n < max && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                    v = v * 8 + (s[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            b'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < s.len() && hex(s[i]).is_some() {
                    v = v * 16 + hex(s[i]).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            b'u' | b'U' => {
                let max = if e == b'u' { 4 } else { 8 };
                let mut v = 0u32;
                let mut n = 0;
                while n < max && i < s.len() && hex(s[i]).is_some() {
                    v = v * 16 + hex(s[i]).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.push(b'\\');
                    out.push(e);
                } else {
                    let ch = char::from_u32(v).unwrap_or('\u{fffd}');
                    let mut b = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                }
            }
            _ => {
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialects() {
        let s = br"a\101b\0101c\x41\q";
        assert_eq!(unescape(s, Mode::Echo).0, b"a\\101bAcA\\q");
        assert_eq!(unescape(s, Mode::Format).0, b"aAb\x081cA\\q");
        assert_eq!(unescape(s, Mode::PercentB).0, b"aAbAcA\\q");
        assert_eq!(unescape(br#"\"\t"#, Mode::Format).0, b"\"\t");
        assert_eq!(unescape(br#"\""#, Mode::Echo).0, b"\\\"");
        assert_eq!(unescape(br"x\cy", Mode::Echo), (b"x".to_vec(), true));
        assert_eq!(unescape(br"\u00e9\x4g\x", Mode::Echo).0, b"\xc3\xa9\x04g\\x");
        assert_eq!(unescape(br"end\", Mode::Format).0, b"end\\");
    }
}
