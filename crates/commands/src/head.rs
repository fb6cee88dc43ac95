//! `head [-n [-]N] [-c [-]N] [-qvz] [FILE]...`: the first (or all but the
//! last) lines or bytes of each file, with `==> NAME <==` headers when
//! there are several.

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Input, Spec, opts, size};

const NAME: &str = "head";

const LONG: &[(&str, Arg, char)] = &[
    ("bytes", Arg::Req, 'c'),
    ("lines", Arg::Req, 'n'),
    ("quiet", Arg::No, 'q'),
    ("silent", Arg::No, 'q'),
    ("verbose", Arg::No, 'v'),
    ("zero-terminated", Arg::No, 'z'),
    ("help", Arg::No, 'H'),
];

/// `[-]N[suffix]` as head and tail take it: (all-but, count).
pub fn parse_count(s: &str) -> Option<(bool, u64)> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    size::parse_size(body).map(|n| (neg, n)).or_else(|| {
        // Huge counts mean "everything".
        (!body.is_empty() && body.bytes().all(|b| b.is_ascii_digit())).then_some((neg, u64::MAX))
    })
}

/// Turn the obsolete `-N` into `-n N`.
pub fn obsolete_count(args: &[String]) -> Vec<String> {
    let mut v = args.to_vec();
    if let Some(first) = v.first()
        && first.len() > 1
        && first.starts_with('-')
        && first[1..].bytes().all(|b| b.is_ascii_digit())
    {
        let n = first[1..].to_string();
        v.splice(0..1, ["-n".to_string(), n]);
    }
    v
}

pub fn main(task: &mut Task) -> i32 {
    let args = obsolete_count(&task.argv[1..]);
    let p = match opts::parse(&Spec::new("c:n:qvz", LONG), &args) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let mut bytes = false;
    let mut count = (false, 10u64);
    for (c, v) in &p.opts {
        if *c == 'n' || *c == 'c' {
            let v = v.as_deref().unwrap_or("");
            match parse_count(v) {
                Some(n) => count = n,
                None => {
                    let what = if *c == 'n' { "lines" } else { "bytes" };
                    util::error(task, NAME, &format!("invalid number of {what}: {}", util::quote(v)));
                    return 1;
                }
            }
            bytes = *c == 'c';
        }
    }
    let delim = if p.has('z') { 0 } else { b'\n' };
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let headers = p.has('v') || (files.len() > 1 && !p.has('q'));
    let task: &Task = task;
    let mut w = task.stdout();
    let mut status = 0;
    for (i, f) in files.iter().enumerate() {
        let mut input = match Input::open(task, f) {
            Ok(x) => x,
            Err(e) => {
                let _ = w.flush();
                util::error(task, NAME, &format!("cannot open {} for reading: {}", util::quote(f), e.strerror()));
                status = 1;
                continue;
            }
        };
        if headers {
            let shown = if f == "-" { "standard input" } else { f.as_str() };
            let _ = writeln!(w, "{}==> {shown} <==", if i > 0 { "\n" } else { "" });
        }
        let r = (|| -> agentos_kernel::KResult<()> {
            let (all_but, n) = count;
            match (bytes, all_but) {
                (true, false) => {
                    let mut left = n;
                    let mut buf = vec![0u8; 64 * 1024];
                    while left > 0 {
                        let want = buf.len().min(left.min(usize::MAX as u64) as usize);
                        let got = input.read(&mut buf[..want])?;
                        if got == 0 {
                            break;
                        }
                        let _ = w.write_all(&buf[..got]);
                        left -= got as u64;
                    }
                }
                (true, true) => {
                    let data = input.read_all()?;
                    let keep = data.len().saturating_sub(n.min(usize::MAX as u64) as usize);
                    let _ = w.write_all(&data[..keep]);
                }
                (false, false) => {
                    let mut line = Vec::new();
                    for _ in 0..n {
                        line.clear();
                        if !input.read_until(delim, &mut line)? {
                            break;
                        }
                        let _ = w.write_all(&line);
                    }
                }
                (false, true) => {
                    let data = input.read_all()?;
                    let (recs, terminated) = util::input::split_records(&data, delim);
                    let keep = recs.len().saturating_sub(n.min(usize::MAX as u64) as usize);
                    for (j, r) in recs[..keep].iter().enumerate() {
                        let _ = w.write_all(r);
                        if j + 1 < recs.len() || terminated {
                            let _ = w.write_all(&[delim]);
                        }
                    }
                }
            }
            Ok(())
        })();
        if let Err(e) = r {
            let _ = w.flush();
            util::error(task, NAME, &format!("error reading {}: {}", util::quote(f), e.strerror()));
            status = 1;
        }
    }
    // GNU head names the stream when a write fails while copying, and
    // says "write error" when only the final flush fails.
    if let Some(e) = util::StickyError::sticky_error(&w) {
        util::error(task, NAME, &format!("error writing 'standard output': {}", e.strerror()));
        return 1;
    }
    util::finish(task, NAME, &mut w, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(parse_count("5"), Some((false, 5)));
        assert_eq!(parse_count("-2"), Some((true, 2)));
        assert_eq!(parse_count("1K"), Some((false, 1024)));
        assert_eq!(parse_count("x"), None);
        let v: Vec<String> = ["-2", "f"].iter().map(|s| s.to_string()).collect();
        assert_eq!(obsolete_count(&v), ["-n", "2", "f"]);
    }
}
