//! `split [-l N | -b SIZE | -n CHUNKS] [-d] [-a LEN]
//! [--additional-suffix=S] [FILE [PREFIX]]`: split a file into pieces
//! named PREFIXaa, PREFIXab, ... (or 00, 01 with `-d`).

use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;

use crate::util::{self, Arg, Input, Spec, opts, size};

const NAME: &str = "split";

const LONG: &[(&str, Arg, char)] = &[
    ("lines", Arg::Req, 'l'),
    ("bytes", Arg::Req, 'b'),
    ("number", Arg::Req, 'n'),
    ("line-bytes", Arg::Req, 'C'),
    ("numeric-suffixes", Arg::Opt, 'd'),
    ("hex-suffixes", Arg::Opt, 'x'),
    ("suffix-length", Arg::Req, 'a'),
    ("additional-suffix", Arg::Req, '\u{1}'),
    ("verbose", Arg::No, '\u{2}'),
    ("elide-empty-files", Arg::No, 'e'),
    ("separator", Arg::Req, 't'),
    ("help", Arg::No, 'H'),
];

/// The suffix of piece `i`, or `None` when the suffix space is exhausted.
pub fn suffix(mut i: usize, len: usize, numeric: Option<u32>) -> Option<String> {
    let (radix, digits): (usize, &[u8]) = match numeric {
        Some(16) => (16, b"0123456789abcdef"),
        Some(_) => (10, b"0123456789"),
        None => (26, b"abcdefghijklmnopqrstuvwxyz"),
    };
    let mut s = vec![0u8; len];
    for slot in s.iter_mut().rev() {
        *slot = digits[i % radix];
        i /= radix;
    }
    if i > 0 {
        return None;
    }
    String::from_utf8(s).ok()
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("l:b:n:C:d::x::a:et:", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE [PREFIX]]");
    }
    if p.operands.len() > 2 {
        return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(&p.operands[2])), 1);
    }
    let input_name = p.operands.first().cloned().unwrap_or_else(|| "-".into());
    let prefix = p.operands.get(1).cloned().unwrap_or_else(|| "x".into());
    let numeric = if p.has('d') {
        Some(10)
    } else if p.has('x') {
        Some(16)
    } else {
        None
    };
    let start: usize = p.last('d').or(p.last('x')).and_then(|s| s.parse().ok()).unwrap_or(0);
    let extra = p.last('\u{1}').unwrap_or("").to_string();
    let explicit_len = p.last('a').and_then(|a| a.parse::<usize>().ok());
    if let Some(a) = p.last('a')
        && explicit_len.is_none()
    {
        util::error(task, NAME, &format!("{}: invalid suffix length", util::quote(a)));
        return 1;
    }
    let mode = p.opts.iter().rev().find(|(c, _)| matches!(c, 'l' | 'b' | 'n' | 'C')).cloned();
    let data = match Input::open(task, &input_name).and_then(|mut i| i.read_all()) {
        Ok(d) => d,
        Err(e) => {
            util::error(task, NAME, &format!("cannot open {} for reading: {}", util::quote(&input_name), e.strerror()));
            return 1;
        }
    };
    let sep = p.last('t').map(|t| t.as_bytes().first().copied().unwrap_or(b'\n')).unwrap_or(b'\n');
    let mut pieces: Vec<&[u8]> = Vec::new();
    match mode.clone() {
        None | Some(('l', _)) => {
            let n = match mode.as_ref().and_then(|(_, v)| v.as_deref()).map(|v| v.parse::<usize>()) {
                None => 1000,
                Some(Ok(n)) if n > 0 => n,
                _ => {
                    util::error(
                        task,
                        NAME,
                        &format!("invalid number of lines: {}", util::quote(p.last('l').unwrap_or(""))),
                    );
                    return 1;
                }
            };
            let mut start = 0;
            let mut count = 0;
            for (i, &b) in data.iter().enumerate() {
                if b == sep {
                    count += 1;
                    if count == n {
                        pieces.push(&data[start..=i]);
                        start = i + 1;
                        count = 0;
                    }
                }
            }
            if start < data.len() {
                pieces.push(&data[start..]);
            }
        }
        Some(('b', v)) | Some(('C', v)) => {
            let v = v.unwrap_or_default();
            let n = match size::parse_size(&v) {
                Some(n) if n > 0 => n as usize,
                _ => {
                    util::error(task, NAME, &format!("invalid number of bytes: {}", util::quote(&v)));
                    return 1;
                }
            };
            if p.has('C') {
                // Whole lines up to n bytes.
                let mut start = 0;
                while start < data.len() {
                    let end = (start + n).min(data.len());
                    let cut = if end == data.len() {
                        end
                    } else {
                        data[start..end].iter().rposition(|&b| b == sep).map(|i| start + i + 1).unwrap_or(end)
                    };
                    pieces.push(&data[start..cut]);
                    start = cut;
                }
            } else {
                pieces.extend(data.chunks(n));
            }
        }
        Some((_, v)) => {
            let v = v.unwrap_or_default();
            let k = match v.parse::<usize>() {
                Ok(k) if k > 0 => k,
                _ => {
                    util::error(task, NAME, &format!("invalid number of chunks: {}", util::quote(&v)));
                    return 1;
                }
            };
            let len = data.len();
            for i in 0..k {
                let a = i * len / k;
                let b = if i + 1 == k { len } else { (i + 1) * len / k };
                pieces.push(&data[a..b]);
            }
            if p.has('e') {
                pieces.retain(|x| !x.is_empty());
            }
        }
    }
    // GNU widens the suffix automatically for -n; otherwise 2 letters.
    let mut len = explicit_len.unwrap_or(2);
    if explicit_len.is_none() && mode.as_ref().is_some_and(|(c, _)| *c == 'n') {
        while suffix(pieces.len().saturating_sub(1) + start, len, numeric).is_none() {
            len += 1;
        }
    }
    for (i, piece) in pieces.iter().enumerate() {
        let Some(s) = suffix(i + start, len, numeric) else {
            util::error(task, NAME, "output file suffixes exhausted");
            return 1;
        };
        let name = format!("{prefix}{s}{extra}");
        if p.has('\u{2}') {
            util::out(task, format!("creating file {}\n", util::quote(&name)).as_bytes());
        }
        let fd = match task.open(&name, OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC, 0o666) {
            Ok(fd) => fd,
            Err(e) => {
                util::error_file(task, NAME, &name, e);
                return 1;
            }
        };
        let r = task.write_all(fd, piece);
        let _ = task.close(fd);
        if let Err(e) = r {
            util::error_file(task, NAME, &name, e);
            return 1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(suffix(0, 2, None).as_deref(), Some("aa"));
        assert_eq!(suffix(27, 2, None).as_deref(), Some("bb"));
        assert_eq!(suffix(676, 2, None), None);
        assert_eq!(suffix(3, 2, Some(10)).as_deref(), Some("03"));
        assert_eq!(suffix(255, 2, Some(16)).as_deref(), Some("ff"));
    }
}
