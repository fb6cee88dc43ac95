//! `strings [-a] [-n MIN] [-t d|o|x] [FILE]...`: print runs of at least
//! MIN (default 4) printable characters, like GNU binutils strings (which
//! scans whole files by default).

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "strings";

const LONG: &[(&str, Arg, char)] = &[
    ("all", Arg::No, 'a'),
    ("bytes", Arg::Req, 'n'),
    ("radix", Arg::Req, 't'),
    ("print-file-name", Arg::No, 'f'),
    ("help", Arg::No, 'h'),
    ("version", Arg::No, 'v'),
];

/// The printable runs of `data`: (offset, text).
pub fn runs(data: &[u8], min: usize) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &b) in data.iter().chain(std::iter::once(&0)).enumerate() {
        let ok = b == b'\t' || (0x20..0x7f).contains(&b);
        match (ok, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= min {
                    out.push((s, &data[s..i]));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

pub fn main(task: &mut Task) -> i32 {
    // `-5` means `-n 5`.
    let args: Vec<String> = task.argv[1..]
        .iter()
        .map(|a| {
            if a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit()) {
                format!("-n{}", &a[1..])
            } else {
                a.clone()
            }
        })
        .collect();
    let p = match opts::parse(&Spec::new("an:t:fhvo", LONG), &args) {
        Ok(p) => p,
        Err(e) => return util::usage_error(task, NAME, &e, 1),
    };
    if p.has('h') {
        return util::help(task, NAME, "[option(s)] [file(s)]");
    }
    let min = match p.last('n').map(|v| v.parse::<usize>()) {
        None => 4,
        Some(Ok(n)) if n > 0 => n,
        _ => {
            util::error(task, NAME, &format!("invalid minimum string length {}", p.last('n').unwrap_or_default()));
            return 1;
        }
    };
    let radix = if p.has('o') { Some("o") } else { p.last('t') };
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut status = 0;
    let mut out = Vec::new();
    for f in &files {
        let data = match util::input::read_file(task, f) {
            Ok(d) => d,
            Err(e) => {
                util::error(task, NAME, &format!("'{f}': {}", e.strerror()));
                status = 1;
                continue;
            }
        };
        for (off, s) in runs(&data, min) {
            if p.has('f') {
                out.extend_from_slice(format!("{f}: ").as_bytes());
            }
            match radix {
                Some("d") => out.extend_from_slice(format!("{off:7} ").as_bytes()),
                Some("o") => out.extend_from_slice(format!("{off:7o} ").as_bytes()),
                Some("x") => out.extend_from_slice(format!("{off:7x} ").as_bytes()),
                _ => {}
            }
            out.extend_from_slice(s);
            out.push(b'\n');
        }
    }
    util::out(task, &out);
    status
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_runs() {
        let r = super::runs(b"\x00abcd\x01ab\x02hello world", 4);
        assert_eq!(r, vec![(1, &b"abcd"[..]), (9, &b"hello world"[..])]);
    }
}
