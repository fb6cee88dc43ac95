//! `md5sum`, `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum`,
//! `sha512sum` (`[-bct] [--tag] [--quiet] [--status] [-w] [FILE]...`) and
//! `cksum` (POSIX CRC). Check mode (`-c`) reads `HASH  NAME`, `HASH *NAME`
//! and `ALGO (NAME) = HASH` lines, with GNU's messages and summary warnings.

use std::io::Write;

use agentos_kernel::Task;
use md5::Digest;

use crate::util::{self, Arg, Input, Spec, opts};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algo {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algo {
    fn cmd(self) -> &'static str {
        match self {
            Algo::Md5 => "md5sum",
            Algo::Sha1 => "sha1sum",
            Algo::Sha224 => "sha224sum",
            Algo::Sha256 => "sha256sum",
            Algo::Sha384 => "sha384sum",
            Algo::Sha512 => "sha512sum",
        }
    }
    fn tag(self) -> &'static str {
        match self {
            Algo::Md5 => "MD5",
            Algo::Sha1 => "SHA1",
            Algo::Sha224 => "SHA224",
            Algo::Sha256 => "SHA256",
            Algo::Sha384 => "SHA384",
            Algo::Sha512 => "SHA512",
        }
    }
    fn hex_len(self) -> usize {
        match self {
            Algo::Md5 => 32,
            Algo::Sha1 => 40,
            Algo::Sha224 => 56,
            Algo::Sha256 => 64,
            Algo::Sha384 => 96,
            Algo::Sha512 => 128,
        }
    }
}

enum Hasher {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    fn new(a: Algo) -> Hasher {
        match a {
            Algo::Md5 => Hasher::Md5(md5::Md5::new()),
            Algo::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            Algo::Sha224 => Hasher::Sha224(sha2::Sha224::new()),
            Algo::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algo::Sha384 => Hasher::Sha384(sha2::Sha384::new()),
            Algo::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }
    fn update(&mut self, d: &[u8]) {
        match self {
            Hasher::Md5(h) => h.update(d),
            Hasher::Sha1(h) => h.update(d),
            Hasher::Sha224(h) => h.update(d),
            Hasher::Sha256(h) => h.update(d),
            Hasher::Sha384(h) => h.update(d),
            Hasher::Sha512(h) => h.update(d),
        }
    }
    fn hex(self) -> String {
        let bytes: Vec<u8> = match self {
            Hasher::Md5(h) => h.finalize().to_vec(),
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha224(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Hash of the bytes of `data` (for tests and small inputs).
pub fn digest(a: Algo, data: &[u8]) -> String {
    let mut h = Hasher::new(a);
    h.update(data);
    h.hex()
}

fn hash_file(task: &Task, a: Algo, f: &str) -> agentos_kernel::KResult<String> {
    let mut input = Input::open(task, f)?;
    let mut h = Hasher::new(a);
    loop {
        match input.chunk()? {
            [] => return Ok(h.hex()),
            c => h.update(c),
        }
    }
}

/// GNU escapes names with `\` or newline and marks the line with `\`.
fn escape_name(name: &str) -> (bool, String) {
    if name.contains('\\') || name.contains('\n') || name.contains('\r') {
        (true, name.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r"))
    } else {
        (false, name.to_string())
    }
}

fn unescape_name(name: &str) -> String {
    let mut out = String::new();
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('\\') => out.push('\\'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Parse one checksum line into (hex, name).
fn parse_line(a: Algo, line: &str) -> Option<(String, String)> {
    let (escaped, line) = match line.strip_prefix('\\') {
        Some(l) => (true, l),
        None => (false, line),
    };
    let fix = |n: &str| if escaped { unescape_name(n) } else { n.to_string() };
    // Tagged: ALGO (NAME) = HEX
    if let Some(rest) = line.strip_prefix(a.tag())
        && let Some(rest) = rest.strip_prefix(" (")
        && let Some(i) = rest.rfind(") = ")
    {
        let hex = &rest[i + 4..];
        if hex.len() == a.hex_len() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some((hex.to_ascii_lowercase(), fix(&rest[..i])));
        }
        return None;
    }
    let hl = a.hex_len();
    if line.len() < hl + 2 || !line.is_char_boundary(hl) {
        return None;
    }
    let (hex, rest) = line.split_at(hl);
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let name = rest.strip_prefix("  ").or_else(|| rest.strip_prefix(" *")).or_else(|| rest.strip_prefix(' '))?;
    if name.is_empty() {
        return None;
    }
    Some((hex.to_ascii_lowercase(), fix(name)))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn check(task: &Task, a: Algo, files: &[String], quiet: bool, status_only: bool, strict: bool, warn: bool) -> i32 {
    let name = a.cmd();
    let mut status = 0;
    let task_out = task;
    let mut w = task_out.stdout();
    for f in files {
        let data = match Input::open(task, f).and_then(|mut i| i.read_all()) {
            Ok(d) => d,
            Err(e) => {
                let _ = w.flush();
                util::error_file(task, name, f, e);
                status = 1;
                continue;
            }
        };
        let text = String::from_utf8_lossy(&data).into_owned();
        let (mut bad_lines, mut failed, mut unreadable, mut ok_lines) = (0usize, 0usize, 0usize, 0usize);
        for (lineno, line) in text.lines().enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.starts_with('#') {
                continue;
            }
            let Some((want, target)) = parse_line(a, line) else {
                bad_lines += 1;
                if warn {
                    let _ = w.flush();
                    let shown = if f == "-" { "standard input" } else { f.as_str() };
                    util::error(
                        task,
                        name,
                        &format!("{shown}: {}: improperly formatted {} checksum line", lineno + 1, a.tag()),
                    );
                }
                continue;
            };
            ok_lines += 1;
            match hash_file(task, a, &target) {
                Ok(got) => {
                    if got == want {
                        if !quiet && !status_only {
                            let _ = writeln!(w, "{target}: OK");
                        }
                    } else {
                        failed += 1;
                        if !status_only {
                            let _ = writeln!(w, "{target}: FAILED");
                        }
                    }
                }
                Err(e) => {
                    unreadable += 1;
                    if !status_only {
                        let _ = w.flush();
                        util::error_file(task, name, &target, e);
                        let _ = writeln!(w, "{target}: FAILED open or read");
                    }
                }
            }
        }
        let _ = w.flush();
        if ok_lines == 0 {
            let shown = if f == "-" { "standard input" } else { f.as_str() };
            util::error(task, name, &format!("{}: no properly formatted checksum lines found", util::quotef(shown)));
            status = 1;
            continue;
        }
        if !status_only {
            if bad_lines > 0 {
                util::error(
                    task,
                    name,
                    &format!("WARNING: {} improperly formatted", plural(bad_lines, "line is", "lines are")),
                );
            }
            if unreadable > 0 {
                util::error(
                    task,
                    name,
                    &format!("WARNING: {} could not be read", plural(unreadable, "listed file", "listed files")),
                );
            }
            if failed > 0 {
                util::error(
                    task,
                    name,
                    &format!("WARNING: {} did NOT match", plural(failed, "computed checksum", "computed checksums")),
                );
            }
        }
        if failed > 0 || unreadable > 0 || (strict && bad_lines > 0) {
            status = 1;
        }
    }
    let _ = w.flush();
    status
}

fn run(task: &mut Task, a: Algo) -> i32 {
    let name = a.cmd();
    const LONG: &[(&str, Arg, char)] = &[
        ("binary", Arg::No, 'b'),
        ("check", Arg::No, 'c'),
        ("tag", Arg::No, '\u{1}'),
        ("text", Arg::No, 't'),
        ("zero", Arg::No, 'z'),
        ("ignore-missing", Arg::No, '\u{2}'),
        ("quiet", Arg::No, '\u{3}'),
        ("status", Arg::No, '\u{4}'),
        ("strict", Arg::No, '\u{5}'),
        ("warn", Arg::No, 'w'),
        ("help", Arg::No, 'H'),
    ];
    let p = match opts::parse(&Spec::new("bctzw", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, name, &m, 1),
    };
    if p.has('H') {
        return util::help(task, name, "[OPTION]... [FILE]...");
    }
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    if p.has('c') {
        return check(task, a, &files, p.has('\u{3}'), p.has('\u{4}'), p.has('\u{5}'), p.has('w'));
    }
    let binary = p.opts.iter().rev().find_map(|(c, _)| match c {
        'b' => Some(true),
        't' => Some(false),
        _ => None,
    }) == Some(true);
    let task: &Task = task;
    let mut w = task.stdout();
    let mut status = 0;
    let term = if p.has('z') { "\0" } else { "\n" };
    for f in &files {
        match hash_file(task, a, f) {
            Ok(h) => {
                let (esc, shown) = if p.has('z') { (false, f.clone()) } else { escape_name(f) };
                let prefix = if esc { "\\" } else { "" };
                if p.has('\u{1}') {
                    let _ = write!(w, "{prefix}{} ({shown}) = {h}{term}", a.tag());
                } else {
                    let _ = write!(w, "{prefix}{h} {}{shown}{term}", if binary { '*' } else { ' ' });
                }
            }
            Err(e) => {
                let _ = w.flush();
                util::error_file(task, name, f, e);
                status = 1;
            }
        }
    }
    util::finish(task, name, &mut w, status)
}

pub fn md5_main(task: &mut Task) -> i32 {
    run(task, Algo::Md5)
}
pub fn sha1_main(task: &mut Task) -> i32 {
    run(task, Algo::Sha1)
}
pub fn sha224_main(task: &mut Task) -> i32 {
    run(task, Algo::Sha224)
}
pub fn sha256_main(task: &mut Task) -> i32 {
    run(task, Algo::Sha256)
}
pub fn sha384_main(task: &mut Task) -> i32 {
    run(task, Algo::Sha384)
}
pub fn sha512_main(task: &mut Task) -> i32 {
    run(task, Algo::Sha512)
}

/// The POSIX `cksum` CRC-32 of `data` (length appended).
pub fn posix_crc(data: &[u8]) -> u32 {
    let mut crc: u32 = 0;
    let step = |crc: u32, b: u8| {
        let mut c = crc ^ ((b as u32) << 24);
        for _ in 0..8 {
            c = if c & 0x8000_0000 != 0 { (c << 1) ^ 0x04c1_1db7 } else { c << 1 };
        }
        c
    };
    for &b in data {
        crc = step(crc, b);
    }
    let mut len = data.len() as u64;
    while len > 0 {
        crc = step(crc, (len & 0xff) as u8);
        len >>= 8;
    }
    !crc
}

/// `cksum [FILE]...`: POSIX CRC and byte count.
pub fn cksum_main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].iter().filter(|a| *a != "--").cloned().collect();
    let implicit = args.is_empty();
    let files = if implicit { vec!["-".to_string()] } else { args };
    let mut status = 0;
    let mut out = String::new();
    for f in &files {
        match Input::open(task, f).and_then(|mut i| i.read_all()) {
            Ok(d) => {
                let name = if implicit { String::new() } else { format!(" {f}") };
                out.push_str(&format!("{} {}{name}\n", posix_crc(&d), d.len()));
            }
            Err(e) => {
                util::out(task, out.as_bytes());
                out.clear();
                util::error_file(task, "cksum", f, e);
                status = 1;
            }
        }
    }
    util::out(task, out.as_bytes());
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        assert_eq!(digest(Algo::Md5, b"hello\n"), "b1946ac92492d2347c6235b4d2611184");
        assert_eq!(digest(Algo::Sha1, b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(digest(Algo::Sha256, b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(posix_crc(b"hello\n"), 3015617425);
    }

    #[test]
    fn check_lines() {
        let h = "b1946ac92492d2347c6235b4d2611184";
        assert_eq!(parse_line(Algo::Md5, &format!("{h}  a b")), Some((h.into(), "a b".into())));
        assert_eq!(parse_line(Algo::Md5, &format!("{h} *f")), Some((h.into(), "f".into())));
        assert_eq!(parse_line(Algo::Md5, &format!("MD5 (f) = {h}")), Some((h.into(), "f".into())));
        assert_eq!(parse_line(Algo::Md5, "garbage line"), None);
        assert_eq!(escape_name("a\\b"), (true, "a\\\\b".into()));
    }
}
