//! `od [-A RADIX] [-t TYPE]... [-j SKIP] [-N COUNT] [-w WIDTH] [-v]
//! [-bcdosx] [FILE]...`: dump bytes in octal, hex, decimal, characters or
//! floats, little-endian, with GNU's column alignment and `*` for repeated
//! lines.

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts, size};

const NAME: &str = "od";

const LONG: &[(&str, Arg, char)] = &[
    ("address-radix", Arg::Req, 'A'),
    ("skip-bytes", Arg::Req, 'j'),
    ("read-bytes", Arg::Req, 'N'),
    ("format", Arg::Req, 't'),
    ("output-duplicates", Arg::No, 'v'),
    ("width", Arg::Opt, 'w'),
    ("endian", Arg::Req, '\u{1}'),
    ("help", Arg::No, 'H'),
];

/// One output type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Named,
    Char,
    Signed,
    Unsigned,
    Octal,
    Hex,
    Float,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fmt {
    pub kind: Kind,
    pub size: usize,
}

impl Fmt {
    /// Characters one value takes, before the separating space.
    pub fn width(&self) -> usize {
        match (self.kind, self.size) {
            (Kind::Named | Kind::Char, _) => 3,
            (Kind::Octal, 1) => 3,
            (Kind::Octal, 2) => 6,
            (Kind::Octal, 4) => 11,
            (Kind::Octal, _) => 22,
            (Kind::Hex, s) => s * 2,
            (Kind::Unsigned, 1) => 3,
            (Kind::Unsigned, 2) => 5,
            (Kind::Unsigned, 4) => 10,
            (Kind::Unsigned, _) => 20,
            (Kind::Signed, 1) => 4,
            (Kind::Signed, 2) => 6,
            (Kind::Signed, 4) => 11,
            (Kind::Signed, _) => 20,
            (Kind::Float, 4) => 15,
            (Kind::Float, _) => 24,
        }
    }

    fn render(&self, b: &[u8]) -> String {
        let mut v = [0u8; 8];
        v[..b.len()].copy_from_slice(b);
        let u = u64::from_le_bytes(v);
        match self.kind {
            Kind::Char => char_name(b[0]),
            Kind::Named => named(b[0]),
            Kind::Octal => format!("{u:0w$o}", w = self.width()),
            Kind::Hex => format!("{u:0w$x}", w = self.width()),
            Kind::Unsigned => u.to_string(),
            Kind::Signed => {
                let s = match self.size {
                    1 => u as u8 as i8 as i64,
                    2 => u as u16 as i16 as i64,
                    4 => u as u32 as i32 as i64,
                    _ => u as i64,
                };
                s.to_string()
            }
            Kind::Float => {
                if self.size == 4 {
                    let f = f32::from_bits(u as u32);
                    fmt_g(f as f64, 9)
                } else {
                    fmt_g(f64::from_bits(u), 17)
                }
            }
        }
    }
}

fn fmt_g(v: f64, digits: usize) -> String {
    let c = crate::printf::Conv { prec: Some(digits), ..Default::default() };
    let s = crate::printf::fmt_float('g', &c, v);
    // Prefer the shortest form that reads back the same, as GNU does.
    for p in 1..digits {
        let c = crate::printf::Conv { prec: Some(p), ..Default::default() };
        let t = crate::printf::fmt_float('g', &c, v);
        let back: Option<f64> = t.parse().ok();
        let same = if digits == 9 { back.map(|x| x as f32 == v as f32) } else { back.map(|x| x == v) };
        if same == Some(true) {
            return t;
        }
    }
    s
}

fn char_name(b: u8) -> String {
    match b {
        0 => "\\0".into(),
        7 => "\\a".into(),
        8 => "\\b".into(),
        12 => "\\f".into(),
        b'\n' => "\\n".into(),
        b'\r' => "\\r".into(),
        b'\t' => "\\t".into(),
        11 => "\\v".into(),
        32..=126 => (b as char).to_string(),
        _ => format!("{b:03o}"),
    }
}

fn named(b: u8) -> String {
    const N: [&str; 33] = [
        "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr", "so", "si", "dle",
        "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us", "sp",
    ];
    let c = b & 0x7f;
    match c {
        0..=32 => N[c as usize].into(),
        127 => "del".into(),
        _ => (c as char).to_string(),
    }
}

/// Parse a `-t` type string, e.g. `x1`, `d2`, `c`, `fD`, `u`.
/// Parse a `-t` type string; also whether a `z` (show printable
/// characters) suffix was given.
pub fn parse_types_z(s: &str) -> Result<(Vec<Fmt>, bool), String> {
    let z = s.ends_with('z');
    let body = if z { &s[..s.len() - 1] } else { s };
    parse_types(body).map(|v| (v, z)).map_err(|_| format!("invalid type string {}", util::quote(s)))
}

pub fn parse_types(s: &str) -> Result<Vec<Fmt>, String> {
    let b = s.as_bytes();
    let mut v = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let kind = match b[i] {
            b'a' => Kind::Named,
            b'c' => Kind::Char,
            b'd' => Kind::Signed,
            b'u' => Kind::Unsigned,
            b'o' => Kind::Octal,
            b'x' => Kind::Hex,
            b'f' => Kind::Float,
            _ => return Err(format!("invalid type string {}", util::quote(s))),
        };
        i += 1;
        let mut size = match kind {
            Kind::Named | Kind::Char => 1,
            Kind::Float => 8,
            _ => 4,
        };
        if !matches!(kind, Kind::Named | Kind::Char) && i < b.len() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i > start {
                size = s[start..i].parse().unwrap_or(0);
            } else {
                match (kind, b[i]) {
                    (Kind::Float, b'F') => {
                        size = 4;
                        i += 1;
                    }
                    (Kind::Float, b'D') | (Kind::Float, b'L') => {
                        size = 8;
                        i += 1;
                    }
                    (_, b'C') => {
                        size = 1;
                        i += 1;
                    }
                    (_, b'S') => {
                        size = 2;
                        i += 1;
                    }
                    (_, b'I') => {
                        size = 4;
                        i += 1;
                    }
                    (_, b'L') => {
                        size = 8;
                        i += 1;
                    }
                    _ => {}
                }
            }
            let ok = if kind == Kind::Float { size == 4 || size == 8 } else { matches!(size, 1 | 2 | 4 | 8) };
            if !ok {
                return Err(format!(
                    "invalid type string {};\nthis system doesn't provide a {size}-byte integral type",
                    util::quote(s)
                ));
            }
        }
        v.push(Fmt { kind, size });
    }
    Ok(v)
}

/// Render a whole dump.
pub fn dump(data: &[u8], fmts: &[Fmt], radix: char, offset: u64, width: usize, all: bool) -> String {
    dump_z(data, fmts, &[], radix, offset, width, all)
}

/// [`dump`], with `z[k]` saying whether format `k` shows `>text<`.
pub fn dump_z(data: &[u8], fmts: &[Fmt], z: &[bool], radix: char, offset: u64, width: usize, all: bool) -> String {
    let addr = |a: u64| match radix {
        'd' => format!("{a:07}"),
        'x' => format!("{a:06x}"),
        'n' => String::new(),
        _ => format!("{a:07o}"),
    };
    // Every format gets the same number of characters per byte.
    // The widest format per byte sets the pace: (chars, bytes) as a ratio.
    let (pn, pd) = fmts
        .iter()
        .map(|f| (f.width() + 1, f.size))
        .fold((0, 1), |(an, ad), (bn, bd)| if bn * ad > an * bd { (bn, bd) } else { (an, ad) });
    let mut out = String::new();
    let mut prev: Option<&[u8]> = None;
    let mut starred = false;
    let mut pos = 0;
    while pos < data.len() {
        let line = &data[pos..(pos + width).min(data.len())];
        if !all && line.len() == width && prev == Some(line) {
            if !starred {
                out.push_str("*\n");
                starred = true;
            }
            pos += width;
            continue;
        }
        starred = false;
        prev = Some(line);
        for (k, f) in fmts.iter().enumerate() {
            if k == 0 {
                out.push_str(&addr(offset + pos as u64));
            } else if radix != 'n' {
                out.push_str(&" ".repeat(addr(0).len()));
            }
            let field = (pn * f.size).div_ceil(pd);
            for chunk in line.chunks(f.size) {
                let s = f.render(chunk);
                out.push_str(&format!("{s:>field$}"));
            }
            if z.get(k).copied().unwrap_or(false) {
                let missing = (width - line.len()).div_ceil(f.size) * field;
                let text: String = line.iter().map(|&b| if (32..127).contains(&b) { b as char } else { '.' }).collect();
                out.push_str(&format!("{}  >{text}<", " ".repeat(missing)));
            }
            out.push('\n');
        }
        pos += width;
    }
    if radix != 'n' {
        out.push_str(&addr(offset + data.len() as u64));
        out.push('\n');
    }
    out
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("A:j:N:t:vw::abcdfilosxDeFHLOSX", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.opts.iter().any(|(c, _)| *c == 'H') && task.argv.iter().any(|a| a == "--help") {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let mut fmts = Vec::new();
    let mut zs: Vec<bool> = Vec::new();
    let mut radix = 'o';
    let mut skip = 0u64;
    let mut limit: Option<u64> = None;
    let mut width = 16usize;
    for (c, v) in &p.opts {
        let v = v.as_deref().unwrap_or("");
        let t = match c {
            'A' => {
                match v {
                    "d" | "o" | "x" | "n" => radix = v.chars().next().unwrap_or('o'),
                    _ => {
                        util::error(
                            task,
                            NAME,
                            &format!("invalid output address radix '{v}'; it must be one character from [doxn]"),
                        );
                        return 1;
                    }
                }
                continue;
            }
            'j' | 'N' => {
                let n = if let Some(h) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
                    u64::from_str_radix(h, 16).ok()
                } else if v.len() > 1 && v.starts_with('0') {
                    u64::from_str_radix(&v[1..], 8).ok()
                } else {
                    size::parse_size(v)
                };
                match n {
                    Some(n) if *c == 'j' => skip = n,
                    Some(n) => limit = Some(n),
                    None => {
                        util::error(task, NAME, &format!("invalid argument {}", util::quote(v)));
                        return 1;
                    }
                }
                continue;
            }
            'w' => {
                width = if v.is_empty() { 32 } else { v.parse().unwrap_or(16) };
                continue;
            }
            't' => v.to_string(),
            'a' => "a".into(),
            'b' => "o1".into(),
            'c' => "c".into(),
            'd' => "u2".into(),
            'D' => "u4".into(),
            'f' => "f4".into(),
            'F' => "f8".into(),
            'e' => "f8".into(),
            'i' => "d4".into(),
            'I' | 'L' | 'l' => "d8".into(),
            'o' => "o2".into(),
            'O' => "o4".into(),
            's' => "d2".into(),
            'x' => "x2".into(),
            'X' => "x4".into(),
            'S' => "a".into(),
            'v' => continue,
            _ => continue,
        };
        match parse_types_z(&t) {
            Ok((f, z)) => {
                zs.resize(fmts.len(), false);
                zs.extend(f.iter().map(|_| false));
                fmts.extend(f);
                if let Some(last) = zs.last_mut() {
                    *last = z;
                }
            }
            Err(m) => {
                util::error(task, NAME, &m);
                return 1;
            }
        }
    }
    if fmts.is_empty() {
        fmts.push(Fmt { kind: Kind::Octal, size: 2 });
    }
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut data = Vec::new();
    let mut status = 0;
    let mut opened = false;
    for f in &files {
        match util::input::slurp(task, f) {
            Ok(d) => {
                opened = true;
                data.extend(d);
            }
            Err(util::input::ReadError::Open(e)) => {
                util::error_file(task, NAME, f, e);
                status = 1;
            }
            Err(util::input::ReadError::Read(e)) => {
                opened = true;
                util::error_file(task, NAME, f, e);
                status = 1;
            }
        }
    }
    // Nothing could be opened: GNU prints no dump at all.
    if !opened {
        return status;
    }
    if skip > data.len() as u64 {
        util::error(task, NAME, "cannot skip past end of combined input");
        return 1;
    }
    let mut d = &data[skip as usize..];
    if let Some(n) = limit {
        d = &d[..(n.min(d.len() as u64) as usize)];
    }
    let task: &Task = task;
    let mut w = task.stdout();
    let _ = w.write_all(dump_z(d, &fmts, &zs, radix, skip, width.max(1), p.has('v')).as_bytes());
    util::finish(task, NAME, &mut w, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn od(data: &[u8], t: &str, radix: char) -> String {
        dump(data, &parse_types(t).unwrap(), radix, 0, 16, false)
    }

    #[test]
    fn dumps() {
        assert_eq!(od(b"abc", "o2", 'o'), "0000000 061141 000143\n0000003\n");
        assert_eq!(od(b"hi\n\t\x01", "c", 'o'), "0000000   h   i  \\n  \\t 001\n0000005\n");
        assert_eq!(od(b"AB", "x2", 'o'), "0000000 4241\n0000002\n");
        assert_eq!(od(b"ABCD", "x1", 'n'), " 41 42 43 44\n");
        assert_eq!(od(b"\xff\x01", "d1", 'n'), "   -1    1\n");
        assert_eq!(od(b"\xff\x01", "u1", 'n'), " 255   1\n");
        assert_eq!(od(b"abc", "x1c", 'n'), "  61  62  63\n   a   b   c\n");
        assert_eq!(od(&[0u8; 33], "c", 'o'), format!("0000000{}\n*\n0000040  \\0\n0000041\n", "  \\0".repeat(16)));
        assert_eq!(od(b"a\x1b\x7f\x80", "a", 'o'), "0000000   a esc del nul\n0000004\n");
        assert_eq!(od(b"hello", "d4", 'o'), "0000000  1819043176         111\n0000005\n");
    }
}
