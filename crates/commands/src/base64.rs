//! `base64 [-d] [-i] [-w COLS] [FILE]`: encode or decode RFC 4648 base64.

use std::io::Write;

use agentos_kernel::Task;
use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};

/// Decoding tolerates non-zero trailing bits, as GNU does.
const LENIENT: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::STANDARD, GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true));

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "base64";

const LONG: &[(&str, Arg, char)] =
    &[("decode", Arg::No, 'd'), ("ignore-garbage", Arg::No, 'i'), ("wrap", Arg::Req, 'w'), ("help", Arg::No, 'H')];

/// Encode, wrapping at `wrap` columns (0 = never).
pub fn encode(data: &[u8], wrap: usize) -> Vec<u8> {
    let s = STANDARD.encode(data);
    if s.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(s.len() + s.len() / wrap.max(1) + 1);
    if wrap == 0 {
        out.extend_from_slice(s.as_bytes());
    } else {
        for (i, chunk) in s.as_bytes().chunks(wrap).enumerate() {
            if i > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(chunk);
        }
    }
    if wrap > 0 {
        out.push(b'\n');
    }
    out
}

/// Decode; on invalid input return what decoded before it and `false`.
pub fn decode(data: &[u8], ignore_garbage: bool) -> (Vec<u8>, bool) {
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=';
    let clean: Vec<u8> = data.iter().copied().filter(|&b| b != b'\n' && (!ignore_garbage || alphabet(b))).collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let mut q = chunk.to_vec();
        if q.len() < 4 {
            if !ignore_garbage || q.iter().any(|&b| b != b'=') {
                // Unpadded tail: GNU accepts it only if it is valid.
                while q.len() < 4 {
                    q.push(b'=');
                }
            } else {
                break;
            }
        }
        match LENIENT.decode(&q) {
            Ok(v) => out.extend(v),
            Err(_) => return (out, false),
        }
        if chunk.len() < 4 {
            return (out, false);
        }
    }
    (out, true)
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("diw:", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]");
    }
    let wrap = match p.last('w').map(|w| w.parse::<usize>()) {
        None => 76,
        Some(Ok(w)) => w,
        Some(Err(_)) => {
            util::error(task, NAME, &format!("invalid wrap size: {}", util::quote(p.last('w').unwrap_or(""))));
            return 1;
        }
    };
    if p.operands.len() > 1 {
        return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(&p.operands[1])), 1);
    }
    let f = p.operands.first().cloned().unwrap_or_else(|| "-".into());
    let data = match Input::open(task, &f) {
        Ok(mut i) => match i.read_all() {
            Ok(d) => d,
            Err(e) => {
                util::error(task, NAME, &format!("read error: {}", e.strerror()));
                return 1;
            }
        },
        Err(e) => {
            util::error_file(task, NAME, &f, e);
            return 1;
        }
    };
    let task: &Task = task;
    let mut w = task.stdout();
    if p.has('d') {
        let (out, ok) = decode(&data, p.has('i'));
        let _ = w.write_all(&out);
        let _ = w.flush();
        if !ok {
            util::error(task, NAME, "invalid input");
            return 1;
        }
        return util::finish(task, NAME, &mut w, 0);
    }
    let _ = w.write_all(&encode(&data, wrap));
    util::finish(task, NAME, &mut w, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(encode(b"hello world", 76), b"aGVsbG8gd29ybGQ=\n");
        assert_eq!(encode(b"", 76), b"");
        assert_eq!(encode(b"abcdefgh", 4), b"YWJj\nZGVm\nZ2g=\n");
        assert_eq!(decode(b"aGVsbG8gd29ybGQ=\n", false), (b"hello world".to_vec(), true));
        assert_eq!(decode(b"aGVs\nbG8=\n", false), (b"hello".to_vec(), true));
        assert_eq!(decode(b"aGV*sbG8=\n", true), (b"hello".to_vec(), true));
        assert!(!decode(b"not valid base64!!\n", false).1);
        assert_eq!(decode(b"YWJ", false), (b"ab".to_vec(), false));
    }
}
