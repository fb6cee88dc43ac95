//! `file [-b] [-L] FILE...`: guess what a file holds, in the words of
//! libmagic's `file` 5.44 for the common types agents meet: text (ASCII,
//! UTF-8, line terminators, very long lines), scripts by `#!`, JSON, XML,
//! HTML, PDF, PNG, GIF, JPEG, gzip, zip, tar, WebAssembly, ELF, empty files,
//! directories and symlinks. Anything else is `data`.

use std::io::Write;

use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "file";
/// How much of a file the guess looks at (libmagic reads about as much).
const PEEK: usize = 1 << 20;

pub fn main(task: &mut Task) -> i32 {
    const LONG: &[(&str, Arg, char)] =
        &[("brief", Arg::No, 'b'), ("dereference", Arg::No, 'L'), ("help", Arg::No, 'H')];
    let p = match opts::parse(&Spec::new("bLh", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[-bL] FILE...");
    }
    if p.operands.is_empty() {
        util::error(task, NAME, "Usage: file [-bL] FILE...");
        return 1;
    }
    let task: &Task = task;
    let width = p.operands.iter().map(|f| f.chars().count()).max().unwrap_or(0) + 1;
    let mut w = task.stdout();
    for f in &p.operands {
        let what = describe(task, f, p.has('L'));
        if p.has('b') {
            let _ = writeln!(w, "{what}");
        } else {
            let label = format!("{f}:");
            let _ = writeln!(w, "{label:<width$} {what}", width = width);
        }
    }
    util::finish(task, NAME, &mut w, 0)
}

fn describe(task: &Task, path: &str, follow: bool) -> String {
    let st = if follow { task.stat(path) } else { task.lstat(path) };
    let st = match st {
        Ok(st) => st,
        Err(e) => return format!("cannot open `{path}' ({})", e.strerror()),
    };
    if st.is_symlink() {
        let target = task.readlink(path).unwrap_or_default();
        return if task.stat(path).is_ok() {
            format!("symbolic link to {target}")
        } else {
            format!("broken symbolic link to {target}")
        };
    }
    if st.is_dir() {
        return "directory".into();
    }
    if !st.is_file() {
        return match st.file_type() {
            agentos_kernel::abi::FileType::CharDevice => "character special".into(),
            agentos_kernel::abi::FileType::Fifo => "fifo (named pipe)".into(),
            agentos_kernel::abi::FileType::Socket => "socket".into(),
            _ => "data".into(),
        };
    }
    let data = match read_head(task, path) {
        Ok(d) => d,
        Err(e) => return format!("cannot open `{path}' ({})", e.strerror()),
    };
    if data.is_empty() {
        return "empty".into();
    }
    magic(&data).unwrap_or_else(|| text(&data))
}

fn read_head(task: &Task, path: &str) -> agentos_kernel::KResult<Vec<u8>> {
    let fd = task.open(path, OFlags::RDONLY, 0)?;
    let mut buf = vec![0u8; PEEK];
    let mut n = 0;
    let r = loop {
        match task.read(fd, &mut buf[n..]) {
            Ok(0) => break Ok(()),
            Ok(k) => {
                n += k;
                if n == buf.len() {
                    break Ok(());
                }
            }
            Err(e) => break Err(e),
        }
    };
    let _ = task.close(fd);
    r?;
    buf.truncate(n);
    Ok(buf)
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Binary formats recognised by their magic numbers.
fn magic(d: &[u8]) -> Option<String> {
    if d.starts_with(b"\0asm") {
        let v = d.get(4..8).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).unwrap_or(0);
        return Some(format!("WebAssembly (wasm) binary module version {v:#x}{}", if v == 1 { " (MVP)" } else { "" }));
    }
    if d.starts_with(b"\x7fELF") {
        let bits = if d.get(4) == Some(&2) { "64-bit" } else { "32-bit" };
        let endian = if d.get(5) == Some(&2) { "MSB" } else { "LSB" };
        let kind = match d.get(16) {
            Some(1) => "relocatable",
            Some(2) => "executable",
            Some(3) => "shared object",
            Some(4) => "core file",
            _ => "unknown type",
        };
        return Some(format!("ELF {bits} {endian} {kind}"));
    }
    if d.starts_with(b"\x89PNG\r\n\x1a\n") {
        let (w, h) = (be32(d, 16)?, be32(d, 20)?);
        let depth = d.get(24).copied().unwrap_or(8);
        let color = match d.get(25) {
            Some(0) => "grayscale",
            Some(2) => "RGB",
            Some(3) => "colormap",
            Some(4) => "gray+alpha",
            Some(6) => "RGBA",
            _ => "unknown",
        };
        let lace = if d.get(28) == Some(&1) { "interlaced" } else { "non-interlaced" };
        return Some(format!("PNG image data, {w} x {h}, {depth}-bit/color {color}, {lace}"));
    }
    if d.starts_with(b"GIF87a") || d.starts_with(b"GIF89a") {
        let v = String::from_utf8_lossy(&d[3..6]).to_string();
        return Some(match (d.get(6..8), d.get(8..10)) {
            (Some(w), Some(h)) => {
                format!(
                    "GIF image data, version {v}, {} x {}",
                    u16::from_le_bytes([w[0], w[1]]),
                    u16::from_le_bytes([h[0], h[1]])
                )
            }
            _ => format!("GIF image data, version {v},"),
        });
    }
    if d.starts_with(b"\xff\xd8\xff") {
        return Some("JPEG image data".into());
    }
    if let Some(rest) = d.strip_prefix(b"%PDF-") {
        let v: String = rest.iter().take_while(|b| b.is_ascii_digit() || **b == b'.').map(|b| *b as char).collect();
        return Some(format!("PDF document, version {v}"));
    }
    if d.starts_with(b"\x1f\x8b") {
        return Some("gzip compressed data".into());
    }
    if d.starts_with(b"BZh") {
        return Some("bzip2 compressed data".into());
    }
    if d.starts_with(b"PK\x03\x04") && d.len() >= 30 {
        return Some("Zip archive data".into());
    }
    if d.len() >= 263 && &d[257..262] == b"ustar" {
        return Some(if &d[257..263] == b"ustar " { "POSIX tar archive (GNU)" } else { "POSIX tar archive" }.into());
    }
    None
}

/// Text (and `data`) classification with libmagic's annotations.
fn text(d: &[u8]) -> String {
    let ascii = d.iter().all(|&b| matches!(b, 0x20..=0x7e | b'\t' | b'\n' | b'\r' | 0x0c | 0x08 | 0x1b | 0x07));
    let utf8 = !ascii
        && std::str::from_utf8(d).is_ok()
        && !d.iter().any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x08 | 0x1b | 0x07));
    if !ascii && !utf8 {
        return "data".into();
    }
    let charset = if ascii { "ASCII text" } else { "Unicode text, UTF-8 text" };
    let mut notes = Vec::new();
    let longest = d.split(|&b| b == b'\n' || b == b'\r').map(|l| l.len()).max().unwrap_or(0);
    if longest > 300 {
        notes.push(format!("with very long lines ({longest})"));
    }
    let crlf = d.windows(2).any(|w| w == b"\r\n");
    let lone_cr = d.iter().enumerate().any(|(i, &b)| b == b'\r' && d.get(i + 1) != Some(&b'\n'));
    let lone_lf = d.iter().enumerate().any(|(i, &b)| b == b'\n' && (i == 0 || d[i - 1] != b'\r'));
    match (crlf, lone_cr, lone_lf) {
        (false, false, false) => notes.push("with no line terminators".into()),
        (true, false, false) => notes.push("with CRLF line terminators".into()),
        (false, true, false) => notes.push("with CR line terminators".into()),
        (true, false, true) => notes.push("with CRLF, LF line terminators".into()),
        (false, true, true) => notes.push("with CR, LF line terminators".into()),
        (true, true, _) => notes.push("with CRLF, CR line terminators".into()),
        (false, false, true) => {}
    }
    let body = if notes.is_empty() { charset.to_string() } else { format!("{charset}, {}", notes.join(", ")) };
    if let Some(kind) = script(d) {
        return match kind {
            Script::Suffix(name) => format!("{name}, {body} executable"),
            Script::Prefix(name) => format!("{name} executable, {body}"),
        };
    }
    let trimmed = trim_start(d);
    if trimmed.starts_with(b"<?xml version=\"1.0\"") {
        return format!("XML 1.0 document, {body}");
    }
    let lower: Vec<u8> = trimmed.iter().take(16).map(|b| b.to_ascii_lowercase()).collect();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return format!("HTML document, {body}");
    }
    if ascii && matches!(trimmed.first(), Some(b'{') | Some(b'[')) && serde_json_like(d) {
        return "JSON text data".into();
    }
    body
}

enum Script {
    /// `NAME, ASCII text executable`.
    Suffix(String),
    /// `NAME executable, ASCII text` (libmagic words Node.js this way).
    Prefix(String),
}

fn script(d: &[u8]) -> Option<Script> {
    let line = d.strip_prefix(b"#!")?;
    let line = &line[..line.iter().position(|&b| b == b'\n').unwrap_or(line.len())];
    let line = String::from_utf8_lossy(line);
    let mut words = line.split_whitespace();
    let mut interp = words.next()?.rsplit('/').next()?.to_string();
    if interp == "env" {
        interp = words.find(|w| !w.starts_with('-'))?.to_string();
    }
    let base: String = interp.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.').to_string();
    Some(match base.as_str() {
        "sh" | "dash" => Script::Suffix("POSIX shell script".into()),
        "bash" => Script::Suffix("Bourne-Again shell script".into()),
        "zsh" => Script::Suffix("Paul Falstad's zsh script".into()),
        "python" => Script::Suffix("Python script".into()),
        "node" | "nodejs" => Script::Prefix("Node.js script".into()),
        "perl" => Script::Suffix("Perl script text".into()),
        "ruby" => Script::Suffix("Ruby script".into()),
        _ => Script::Suffix(format!("a {} script", line.split_whitespace().next().unwrap_or(""))),
    })
}

fn trim_start(d: &[u8]) -> &[u8] {
    let i = d.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(d.len());
    &d[i..]
}

/// A structural check that the text is one JSON object or array.
fn serde_json_like(d: &[u8]) -> bool {
    let s = std::str::from_utf8(d).unwrap_or("").trim();
    if s.is_empty() {
        return false;
    }
    let mut depth = 0i32;
    let mut in_str = false;
    let mut esc = false;
    for (i, c) in s.char_indices() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                if depth == 0 && i + 1 != s.len() {
                    return false;
                }
                if depth < 0 {
                    return false;
                }
            }
            c if c.is_whitespace() || ",:.-+eE".contains(c) || c.is_ascii_alphanumeric() => {}
            _ => return false,
        }
    }
    depth == 0 && !in_str
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_kinds() {
        assert_eq!(text(b"hello\n"), "ASCII text");
        assert_eq!(text("café\n".as_bytes()), "Unicode text, UTF-8 text");
        assert_eq!(text(b"a\r\nb\r\n"), "ASCII text, with CRLF line terminators");
        assert_eq!(text(b"no newline"), "ASCII text, with no line terminators");
        assert_eq!(text(b"\x00\x01\x02"), "data");
        assert_eq!(text(b"#!/bin/sh\necho\n"), "POSIX shell script, ASCII text executable");
        assert_eq!(text(b"#!/usr/bin/env node\nx\n"), "Node.js script executable, ASCII text");
        assert_eq!(text(b"{\"a\": [1, 2]}\n"), "JSON text data");
    }

    #[test]
    fn magic_numbers() {
        assert_eq!(magic(b"\0asm\x01\0\0\0").as_deref(), Some("WebAssembly (wasm) binary module version 0x1 (MVP)"));
        assert_eq!(magic(b"%PDF-1.4\n").as_deref(), Some("PDF document, version 1.4"));
        assert_eq!(magic(b"hello"), None);
    }
}
