//! Hex dumps: `xxd` (vim's: default, `-p`, `-i`, `-b`, `-r`, `-l`, `-s`,
//! `-c`, `-g`, `-u`) and `hexdump` / `hd` (util-linux: the default 16-bit
//! word dump, `-C` canonical, `-v`), with `*` for repeated lines.

use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;

use crate::util::{self, Arg, Spec, opts};

fn printable(b: u8) -> char {
    if (0x20..0x7f).contains(&b) { b as char } else { '.' }
}

fn parse_num(s: &str) -> Option<i64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if s.len() > 1 && s.starts_with('0') {
        i64::from_str_radix(&s[1..], 8).ok()?
    } else {
        s.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

/// xxd's default (or `-b`) layout of `data` starting at display offset `base`.
pub fn xxd_dump(data: &[u8], base: u64, cols: usize, group: usize, bits: bool, upper: bool) -> String {
    let mut out = String::new();
    let bw = if bits { 8 } else { 2 };
    let group = if group == 0 { cols } else { group };
    let width = cols * bw + cols.div_ceil(group);
    for (n, chunk) in data.chunks(cols.max(1)).enumerate() {
        let mut line = format!("{:08x}: ", base + (n * cols) as u64);
        let mut hex = String::new();
        for (i, b) in chunk.iter().enumerate() {
            if bits {
                hex.push_str(&format!("{b:08b}"));
            } else if upper {
                hex.push_str(&format!("{b:02X}"));
            } else {
                hex.push_str(&format!("{b:02x}"));
            }
            if (i + 1) % group == 0 {
                hex.push(' ');
            }
        }
        line.push_str(&format!("{hex:<width$} "));
        line.extend(chunk.iter().map(|b| printable(*b)));
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Undo a dump: plain hex with `plain`, else `offset: hex  ascii` lines.
pub fn xxd_reverse(text: &str, plain: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let hexval = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    if plain {
        let digits: Vec<u8> = text.bytes().filter_map(hexval).collect();
        for p in digits.chunks(2) {
            out.push(if p.len() == 2 { p[0] << 4 | p[1] } else { p[0] << 4 });
        }
        return out;
    }
    for line in text.lines() {
        let Some((off, rest)) = line.split_once(':') else { continue };
        let Ok(off) = usize::from_str_radix(off.trim(), 16) else { continue };
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        let hex = rest.split("  ").next().unwrap_or("");
        let digits: Vec<u8> = hex.bytes().filter(|b| *b != b' ').map_while(hexval).collect();
        let bytes: Vec<u8> = digits.chunks(2).filter(|p| p.len() == 2).map(|p| p[0] << 4 | p[1]).collect();
        if out.len() < off {
            out.resize(off, 0);
        }
        let end = off + bytes.len();
        if out.len() < end {
            out.resize(end, 0);
        }
        out[off..end].copy_from_slice(&bytes);
    }
    out
}

const XXD_LONG: &[(&str, Arg, char)] = &[("help", Arg::No, 'h'), ("version", Arg::No, 'v')];

pub fn xxd_main(task: &mut Task) -> i32 {
    const NAME: &str = "xxd";
    // xxd accepts `-l5`, `-l 5` and `-len 5`-style long single-dash names.
    let args: Vec<String> = task.argv[1..]
        .iter()
        .map(|a| match a.as_str() {
            "-ps" | "-postscript" | "-plain" => "-p".into(),
            "-cols" => "-c".into(),
            "-len" => "-l".into(),
            "-seek" => "-s".into(),
            "-groupsize" => "-g".into(),
            "-revert" => "-r".into(),
            "-include" => "-i".into(),
            "-bits" => "-b".into(),
            _ => a.clone(),
        })
        .collect();
    let mut spec = Spec::new("bc:eg:hil:prs:uvC", XXD_LONG);
    spec.negative_numbers = false;
    let p = match opts::parse(&spec, &args) {
        Ok(p) => p,
        Err(e) => {
            util::error(task, NAME, &e);
            return 1;
        }
    };
    if p.has('h') {
        return util::help(task, NAME, "[options] [infile [outfile]]");
    }
    if p.has('v') {
        util::out(task, b"xxd 2022-01-14 by Juergen Weigert et al.\n");
        return 0;
    }
    let (plain, bits, include, rev, upper) = (p.has('p'), p.has('b'), p.has('i'), p.has('r'), p.has('u'));
    let num = |c: char| p.last(c).and_then(parse_num);
    let cols = num('c').map(|n| n as usize).unwrap_or(if plain {
        30
    } else if bits {
        6
    } else if include {
        12
    } else {
        16
    });
    let group = num('g').map(|n| n as usize).unwrap_or(if bits { 1 } else { 2 });
    let input = p.operands.first().cloned().unwrap_or_else(|| "-".into());
    let mut data = match util::input::read_file(task, &input) {
        Ok(d) => d,
        Err(e) => {
            util::error(task, NAME, &format!("{input}: {}", e.strerror()));
            return 2;
        }
    };
    let out = if rev {
        xxd_reverse(&String::from_utf8_lossy(&data), plain)
    } else {
        let seek = num('s').unwrap_or(0);
        let start =
            if seek < 0 { data.len().saturating_sub((-seek) as usize) } else { (seek as usize).min(data.len()) };
        data.drain(..start);
        if let Some(l) = num('l') {
            data.truncate(l.max(0) as usize);
        }
        let text = if plain {
            let mut s = String::new();
            for chunk in data.chunks(cols.max(1)) {
                for b in chunk {
                    s.push_str(&if upper { format!("{b:02X}") } else { format!("{b:02x}") });
                }
                s.push('\n');
            }
            s
        } else if include {
            let ident: String = input.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
            let mut s = String::new();
            if input != "-" {
                s.push_str(&format!("unsigned char {ident}[] = {{\n"));
            }
            let lines: Vec<String> = data
                .chunks(cols.max(1))
                .map(|c| {
                    let items: Vec<String> =
                        c.iter().map(|b| if upper { format!("0X{b:02X}") } else { format!("0x{b:02x}") }).collect();
                    format!("  {}", items.join(", "))
                })
                .collect();
            if !lines.is_empty() {
                s.push_str(&lines.join(",\n"));
                s.push('\n');
            }
            if input != "-" {
                s.push_str(&format!("}};\nunsigned int {ident}_len = {};\n", data.len()));
            }
            s
        } else {
            xxd_dump(&data, start as u64, cols, group, bits, upper)
        };
        text.into_bytes()
    };
    match p.operands.get(1) {
        Some(path) => {
            let flags = OFlags::WRONLY | OFlags::CREAT | if rev { OFlags::RDONLY } else { OFlags::TRUNC };
            match task.open(path, flags, 0o666) {
                Ok(fd) => {
                    let _ = task.write_all(fd, &out);
                    let _ = task.close(fd);
                }
                Err(e) => {
                    util::error(task, NAME, &format!("{path}: {}", e.strerror()));
                    return 3;
                }
            }
        }
        None => util::out(task, &out),
    }
    0
}

/// `hexdump -C` of `data`.
pub fn canonical(data: &[u8], squeeze: bool) -> String {
    dump_lines(data, squeeze, |off, chunk| {
        let mut hex = String::new();
        for (i, b) in chunk.iter().enumerate() {
            hex.push_str(&format!("{b:02x} "));
            if i == 7 {
                hex.push(' ');
            }
        }
        let ascii: String = chunk.iter().map(|b| printable(*b)).collect();
        format!("{off:08x}  {hex:<49} |{ascii}|\n")
    }) + &if data.is_empty() { String::new() } else { format!("{:08x}\n", data.len()) }
}

/// The default `hexdump` format: 16-bit little-endian words in hex.
pub fn words(data: &[u8], squeeze: bool) -> String {
    let mut s = dump_lines(data, squeeze, |off, chunk| {
        let mut line = format!("{off:07x}");
        for w in chunk.chunks(2) {
            let v = w[0] as u16 | (*w.get(1).unwrap_or(&0) as u16) << 8;
            line.push_str(&format!(" {v:04x}"));
        }
        format!("{line:<47}\n")
    });
    if !data.is_empty() {
        s.push_str(&format!("{:07x}\n", data.len()));
    }
    s
}

fn dump_lines(data: &[u8], squeeze: bool, fmt: impl Fn(usize, &[u8]) -> String) -> String {
    let mut out = String::new();
    let mut prev: Option<&[u8]> = None;
    let mut starred = false;
    for (n, chunk) in data.chunks(16).enumerate() {
        if squeeze && chunk.len() == 16 && prev == Some(chunk) {
            if !starred {
                out.push_str("*\n");
                starred = true;
            }
            continue;
        }
        starred = false;
        prev = Some(chunk);
        out.push_str(&fmt(n * 16, chunk));
    }
    out
}

const HD_LONG: &[(&str, Arg, char)] = &[
    ("canonical", Arg::No, 'C'),
    ("length", Arg::Req, 'n'),
    ("skip", Arg::Req, 's'),
    ("no-squeezing", Arg::No, 'v'),
    ("help", Arg::No, 'h'),
    ("version", Arg::No, 'V'),
];

fn hexdump(task: &mut Task, name: &str, canon: bool) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let p = match opts::parse(&Spec::new("Cn:s:vhV", HD_LONG), &args) {
        Ok(p) => p,
        Err(e) => return util::usage_error(task, name, &e, 1),
    };
    if p.has('h') {
        return util::help(task, name, "[options] <file>...");
    }
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut data = Vec::new();
    let mut status = 0;
    for f in &files {
        match util::input::read_file(task, f) {
            Ok(d) => data.extend(d),
            Err(e) => {
                util::error_file(task, name, f, e);
                status = 1;
            }
        }
    }
    let skip = p.last('s').and_then(parse_num).unwrap_or(0).max(0) as usize;
    let mut data = data.split_off(skip.min(data.len()));
    if let Some(n) = p.last('n').and_then(parse_num) {
        data.truncate(n.max(0) as usize);
    }
    let squeeze = !p.has('v');
    let text = if canon || p.has('C') { canonical(&data, squeeze) } else { words(&data, squeeze) };
    // Offsets continue from the skip.
    let text = if skip > 0 { shift_offsets(&text, skip, canon || p.has('C')) } else { text };
    util::out(task, text.as_bytes());
    status
}

fn shift_offsets(text: &str, by: usize, canon: bool) -> String {
    let w = if canon { 8 } else { 7 };
    text.lines()
        .map(|l| {
            if l.len() >= w
                && let Ok(o) = usize::from_str_radix(&l[..w], 16)
            {
                return format!("{:0w$x}{}\n", o + by, &l[w..]);
            }
            format!("{l}\n")
        })
        .collect()
}

pub fn hexdump_main(task: &mut Task) -> i32 {
    hexdump(task, "hexdump", false)
}

pub fn hd_main(task: &mut Task) -> i32 {
    hexdump(task, "hd", true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xxd_layouts() {
        assert_eq!(xxd_dump(b"abc", 0, 16, 2, false, false), format!("00000000: 6162 63{}abc\n", " ".repeat(34)));
        assert_eq!(xxd_dump(b"Hello, w", 0, 8, 4, false, false), "00000000: 48656c6c 6f2c2077  Hello, w\n");
        assert_eq!(xxd_reverse("48656c6c6f0a", true), b"Hello\n");
        assert_eq!(
            xxd_reverse(&xxd_dump(b"round trip!\x00\xff", 0, 16, 2, false, false), false),
            b"round trip!\x00\xff"
        );
    }

    #[test]
    fn hexdump_layouts() {
        assert_eq!(
            canonical(b"Hello", true),
            "00000000  48 65 6c 6c 6f                                    |Hello|\n00000005\n"
        );
        assert_eq!(words(b"abc", true), format!("0000000 6261 0063{}\n0000003\n", " ".repeat(30)));
        let z = [0u8; 48];
        assert_eq!(canonical(&z, true).lines().nth(1), Some("*"));
    }
}
