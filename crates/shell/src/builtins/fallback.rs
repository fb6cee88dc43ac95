//! The shell's own `echo`, `printf` and `test`/`[`, kept until the
//! commands crate offers shared ones. Errors carry the shell's
//! `bash: line N:` prefix, as bash's builtins do.

use agentos_kernel::Task;

use super::out;
use crate::exec::test::{file_binary, unary};
use crate::state::{Res, Shell};

/// Interpret `echo -e`/`%b` escapes. Returns the text and whether `\c`
/// stopped output.
pub fn echo_escapes(s: &str, printf_b: bool) -> (Vec<u8>, bool) {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let e = b[i + 1];
        i += 2;
        match e {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'c' => return (out, true),
            b'e' | b'E' => out.push(0x1b),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'0'..=b'7' if e == b'0' || printf_b => {
                let start = if e == b'0' { i } else { i - 1 };
                let mut j = start;
                while j < b.len() && j - start < 3 && (b'0'..=b'7').contains(&b[j]) {
                    j += 1;
                }
                let v =
                    std::str::from_utf8(&b[start..j]).ok().and_then(|d| u32::from_str_radix(d, 8).ok()).unwrap_or(0);
                out.push(v as u8);
                i = j;
            }
            b'x' => {
                let mut j = i;
                while j < b.len() && j - i < 2 && b[j].is_ascii_hexdigit() {
                    j += 1;
                }
                if j == i {
                    out.extend_from_slice(b"\\x");
                } else {
                    let v =
                        std::str::from_utf8(&b[i..j]).ok().and_then(|d| u8::from_str_radix(d, 16).ok()).unwrap_or(0);
                    out.push(v);
                    i = j;
                }
            }
            b'u' | b'U' => {
                let max = if e == b'u' { 4 } else { 8 };
                let mut j = i;
                while j < b.len() && j - i < max && b[j].is_ascii_hexdigit() {
                    j += 1;
                }
                let ch = std::str::from_utf8(&b[i..j])
                    .ok()
                    .and_then(|d| u32::from_str_radix(d, 16).ok())
                    .and_then(char::from_u32);
                match ch {
                    Some(c) => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        i = j;
                    }
                    None => out.extend_from_slice(&[b'\\', e]),
                }
            }
            _ => out.extend_from_slice(&[b'\\', e]),
        }
    }
    (out, false)
}

pub fn echo(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a.len() < 2 || !a.starts_with('-') || !a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for c in a[1..].chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut buf = Vec::new();
    for (k, a) in argv[i..].iter().enumerate() {
        if k > 0 {
            buf.push(b' ');
        }
        if escapes {
            let (bytes, stop) = echo_escapes(a, false);
            buf.extend_from_slice(&bytes);
            if stop {
                return Ok(out(sh, t, "echo", &buf));
            }
        } else {
            buf.extend_from_slice(a.as_bytes());
        }
    }
    if newline {
        buf.push(b'\n');
    }
    Ok(out(sh, t, "echo", &buf))
}

pub use super::printf::printf;

/// `test` / `[`.
pub fn test(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let name = argv[0].as_str();
    let mut args: Vec<&str> = argv[1..].iter().map(|s| s.as_str()).collect();
    if name == "[" {
        if args.last() != Some(&"]") {
            sh.error(t, "[: missing `]'");
            return Ok(2);
        }
        args.pop();
    }
    let mut p = TestParser { sh, t, args: &args, pos: 0, name };
    match p.run() {
        Ok(b) => Ok(if b { 0 } else { 1 }),
        Err(msg) => {
            p.sh.error(p.t, &format!("{name}: {msg}"));
            Ok(2)
        }
    }
}

struct TestParser<'a> {
    sh: &'a Shell,
    t: &'a Task,
    args: &'a [&'a str],
    pos: usize,
    name: &'a str,
}

const BINARY: [&str; 15] =
    ["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "=~"];

impl TestParser<'_> {
    fn run(&mut self) -> Result<bool, String> {
        let n = self.args.len();
        let r = match n {
            0 => Ok(false),
            1 => Ok(!self.args[0].is_empty()),
            2 if self.args[0] == "!" => Ok(self.args[1].is_empty()),
            2 => self.unary(self.args[0], self.args[1]),
            3 if BINARY.contains(&self.args[1]) => self.binary(self.args[0], self.args[1], self.args[2]),
            3 if self.args[0] == "!" => {
                self.pos = 1;
                let v = self.or()?;
                Ok(!v)
            }
            3 if self.args[0] == "(" && self.args[2] == ")" => Ok(!self.args[1].is_empty()),
            _ => {
                let v = self.or()?;
                if self.pos < n {
                    return Err(format!("{}: unexpected operator", self.args[self.pos]));
                }
                Ok(v)
            }
        };
        let _ = self.name;
        r
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut v = self.and()?;
        while self.args.get(self.pos) == Some(&"-o") {
            self.pos += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut v = self.not()?;
        while self.args.get(self.pos) == Some(&"-a") {
            self.pos += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> Result<bool, String> {
        if self.args.get(self.pos) == Some(&"!") {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, String> {
        let a = self.args;
        let Some(&first) = a.get(self.pos) else { return Err("argument expected".into()) };
        if first == "(" {
            self.pos += 1;
            let v = self.or()?;
            if a.get(self.pos) != Some(&")") {
                return Err("`)' expected".into());
            }
            self.pos += 1;
            return Ok(v);
        }
        if let Some(&op) = a.get(self.pos + 1)
            && BINARY.contains(&op)
            && self.pos + 2 < a.len()
        {
            let r = self.binary(first, op, a[self.pos + 2]);
            self.pos += 3;
            return r;
        }
        if first.starts_with('-') && first.len() == 2 && self.pos + 1 < a.len() {
            let r = self.unary(first, a[self.pos + 1]);
            self.pos += 2;
            return r;
        }
        self.pos += 1;
        Ok(!first.is_empty())
    }

    fn unary(&self, op: &str, a: &str) -> Result<bool, String> {
        unary(self.sh, self.t, op, a).ok_or_else(|| format!("{op}: unary operator expected"))
    }

    fn int(&self, s: &str) -> Result<i64, String> {
        s.trim().parse::<i64>().map_err(|_| format!("{s}: integer expression expected"))
    }

    fn binary(&self, a: &str, op: &str, b: &str) -> Result<bool, String> {
        Ok(match op {
            "=" | "==" => a == b,
            "!=" => a != b,
            "<" => a < b,
            ">" => a > b,
            "-nt" | "-ot" | "-ef" => file_binary(self.t, op, a, b),
            "=~" => return Err(format!("{op}: binary operator expected")),
            _ => {
                let (x, y) = (self.int(a)?, self.int(b)?);
                match op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    _ => x >= y,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::echo_escapes;

    #[test]
    fn escapes() {
        assert_eq!(echo_escapes("x\\x41y\\101z\\0102", false).0, b"xAy\\101zB");
        assert_eq!(echo_escapes("stop\\cignored", false), (b"stop".to_vec(), true));
        assert_eq!(echo_escapes("oct:\\0101", true).0, b"oct:A");
    }
}
