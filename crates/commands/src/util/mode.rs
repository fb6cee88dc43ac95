//! File mode arguments as `chmod`, `mkdir -m` and `install -m` take them:
//! octal (`755`) or symbolic (`u+x,go-w,a=r`, `+X`, `u=g`).

/// Apply a mode specification to `old` (permission bits only, `07777`).
/// `is_dir` matters for `X`; `umask` limits clauses without a `who`.
/// `None` for an invalid specification.
pub fn apply(spec: &str, old: u32, is_dir: bool, umask: u32) -> Option<u32> {
    if !spec.is_empty() && spec.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        if spec.len() > 4 {
            return None;
        }
        let v = u32::from_str_radix(spec, 8).ok()?;
        // GNU keeps a directory's set-id bits unless 5 digits clear them.
        let keep = if is_dir && spec.len() < 5 { old & 0o6000 } else { 0 };
        return Some(v | keep);
    }
    let mut mode = old & 0o7777;
    for clause in spec.split(',') {
        let b = clause.as_bytes();
        let mut i = 0;
        let mut who = 0u32;
        while i < b.len() && matches!(b[i], b'u' | b'g' | b'o' | b'a') {
            who |= match b[i] {
                b'u' => 0o4700,
                b'g' => 0o2070,
                b'o' => 0o1007,
                _ => 0o7777,
            };
            i += 1;
        }
        let implicit = who == 0;
        if i >= b.len() {
            return None;
        }
        while i < b.len() {
            let op = b[i];
            if !matches!(op, b'+' | b'-' | b'=') {
                return None;
            }
            i += 1;
            let mut bits = 0u32;
            // A copy of another class's bits: u=g, o+u...
            if i < b.len() && matches!(b[i], b'u' | b'g' | b'o') {
                let src = match b[i] {
                    b'u' => (mode >> 6) & 7,
                    b'g' => (mode >> 3) & 7,
                    _ => mode & 7,
                };
                bits = src * 0o111;
                i += 1;
            } else {
                while i < b.len() && matches!(b[i], b'r' | b'w' | b'x' | b'X' | b's' | b't') {
                    bits |= match b[i] {
                        b'r' => 0o444,
                        b'w' => 0o222,
                        b'x' => 0o111,
                        b'X' => {
                            if is_dir || mode & 0o111 != 0 {
                                0o111
                            } else {
                                0
                            }
                        }
                        b's' => 0o6000,
                        _ => 0o1000,
                    };
                    i += 1;
                }
            }
            let mask = if implicit { 0o7777 & !(umask & 0o777) } else { who };
            let eff = bits & mask;
            match op {
                b'+' => mode |= eff,
                b'-' => mode &= !eff,
                _ => {
                    let clear = if implicit { 0o7777 } else { who };
                    // `=` leaves a directory's set-id bits alone unless named.
                    let keep = if is_dir { mode & 0o6000 & !(bits & 0o6000) } else { 0 };
                    mode = (mode & !clear) | eff | (keep & clear);
                }
            }
        }
    }
    Some(mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_and_symbolic() {
        assert_eq!(apply("755", 0o644, false, 0o022), Some(0o755));
        assert_eq!(apply("0600", 0o644, false, 0o022), Some(0o600));
        assert_eq!(apply("999", 0o644, false, 0o022), None);
        assert_eq!(apply("u+x,g+w", 0o644, false, 0o022), Some(0o764));
        assert_eq!(apply("a-r", 0o764, false, 0o022), Some(0o320));
        assert_eq!(apply("o=rx", 0o320, false, 0o022), Some(0o325));
        assert_eq!(apply("+x", 0o644, false, 0o022), Some(0o755));
        assert_eq!(apply("+w", 0o644, false, 0o022), Some(0o644));
        assert_eq!(apply("a+w", 0o644, false, 0o022), Some(0o666));
        assert_eq!(apply("a+X", 0o644, true, 0o022), Some(0o755));
        assert_eq!(apply("a+X", 0o644, false, 0o022), Some(0o644));
        assert_eq!(apply("u+s,o+t", 0o755, false, 0o022), Some(0o5755));
        assert_eq!(apply("go=u", 0o700, false, 0o022), Some(0o777));
        assert_eq!(apply("u=rw,go=", 0o777, false, 0o022), Some(0o600));
        assert_eq!(apply("=r", 0o777, false, 0o022), Some(0o444));
        assert_eq!(apply("x", 0o777, false, 0o022), None);
        assert_eq!(apply("u+q", 0o777, false, 0o022), None);
    }
}
