//! `tail [-n [+]N] [-c [+]N] [-f] [-qvz] [FILE]...`: the last lines or
//! bytes (or everything from line/byte N with `+N`). `-f` keeps polling
//! the files for growth (sleeping through the kernel) until killed, or
//! until the `--pid` process is gone.

use std::io::Write;
use std::time::Duration;

use agentos_kernel::Task;
use agentos_kernel::abi::{OFlags, Whence};

use crate::head::parse_count;
use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "tail";

const LONG: &[(&str, Arg, char)] = &[
    ("bytes", Arg::Req, 'c'),
    ("lines", Arg::Req, 'n'),
    ("follow", Arg::Opt, 'f'),
    ("quiet", Arg::No, 'q'),
    ("silent", Arg::No, 'q'),
    ("verbose", Arg::No, 'v'),
    ("zero-terminated", Arg::No, 'z'),
    ("sleep-interval", Arg::Req, 's'),
    ("pid", Arg::Req, '\u{1}'),
    ("retry", Arg::No, '\u{2}'),
    ("help", Arg::No, 'H'),
];

/// Obsolete forms: `-N`, `+N`, `-Nc`, `+Nc` as the first argument.
fn obsolete(args: &[String]) -> Vec<String> {
    let mut v = args.to_vec();
    if let Some(first) = v.first() {
        let b = first.as_bytes();
        if b.len() > 1 && (b[0] == b'-' || b[0] == b'+') {
            let body = &first[1..];
            let digits = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
            let rest = &body[digits..];
            if digits > 0 && matches!(rest, "" | "l" | "c" | "f" | "lf" | "cf") {
                let sign = if b[0] == b'+' { "+" } else { "" };
                let opt = if rest.starts_with('c') { "-c" } else { "-n" };
                let mut new = vec![opt.to_string(), format!("{sign}{}", &body[..digits])];
                if rest.ends_with('f') {
                    new.push("-f".into());
                }
                v.splice(0..1, new);
            }
        }
    }
    v
}

/// The output for one whole input.
fn select(data: &[u8], bytes: bool, from_start: bool, n: u64, delim: u8) -> &[u8] {
    let n = n.min(usize::MAX as u64) as usize;
    if bytes {
        return if from_start {
            &data[n.saturating_sub(1).min(data.len())..]
        } else {
            &data[data.len().saturating_sub(n)..]
        };
    }
    if from_start {
        // Skip n-1 records.
        let mut pos = 0;
        for _ in 1..n.max(1) {
            match data[pos..].iter().position(|&b| b == delim) {
                Some(i) => pos += i + 1,
                None => return &[],
            }
        }
        return &data[pos..];
    }
    if n == 0 {
        return &[];
    }
    // Walk back n delimiters (a final unterminated line counts as one).
    let mut end = data.len();
    if data.last() == Some(&delim) {
        end -= 1;
    }
    let mut count = 0;
    let mut start = 0;
    for i in (0..end).rev() {
        if data[i] == delim {
            count += 1;
            if count == n {
                start = i + 1;
                break;
            }
        }
    }
    &data[start..]
}

pub fn main(task: &mut Task) -> i32 {
    let args = obsolete(&task.argv[1..]);
    let p = match opts::parse(&Spec::new("c:n:fFqvzs:", LONG), &args) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let mut bytes = false;
    let mut from_start = false;
    let mut n = 10u64;
    for (c, v) in &p.opts {
        if *c == 'n' || *c == 'c' {
            let v = v.as_deref().unwrap_or("");
            match parse_count(v) {
                Some((_, k)) => {
                    n = k;
                    from_start = v.starts_with('+');
                }
                None => {
                    let what = if *c == 'n' { "lines" } else { "bytes" };
                    util::error(task, NAME, &format!("invalid number of {what}: {}", util::quote(v)));
                    return 1;
                }
            }
            bytes = *c == 'c';
        }
    }
    let follow = p.has('f') || p.has('F');
    let interval = p.last('s').and_then(|s| s.parse::<f64>().ok()).unwrap_or(1.0).max(0.01);
    let pid: Option<i32> = p.last('\u{1}').and_then(|s| s.parse().ok());
    let delim = if p.has('z') { 0 } else { b'\n' };
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let headers = p.has('v') || (files.len() > 1 && !p.has('q'));
    let task: &Task = task;
    let mut w = task.stdout();
    let mut status = 0;
    // (name, path, offset) of files to follow.
    let mut followed: Vec<(String, u64)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let data = match Input::open(task, f).and_then(|mut x| x.read_all()) {
            Ok(d) => d,
            Err(e) => {
                let _ = w.flush();
                let msg = if e == agentos_kernel::Errno::EISDIR {
                    format!("error reading {}: {}", util::quote(f), e.strerror())
                } else {
                    format!("cannot open {} for reading: {}", util::quote(f), e.strerror())
                };
                util::error(task, NAME, &msg);
                status = 1;
                continue;
            }
        };
        if headers {
            let shown = if f == "-" { "standard input" } else { f.as_str() };
            let _ = writeln!(w, "{}==> {shown} <==", if i > 0 { "\n" } else { "" });
        }
        let _ = w.write_all(select(&data, bytes, from_start, n, delim));
        if follow && f != "-" {
            followed.push((f.clone(), data.len() as u64));
        }
    }
    if followed.is_empty() {
        return util::finish(task, NAME, &mut w, status);
    }
    let _ = w.flush();
    let mut last = followed.len() - 1;
    loop {
        if let Some(pid) = pid
            && task.kill(pid, 0).is_err()
        {
            break;
        }
        if task.sleep(Duration::from_secs_f64(interval)).is_err() {
            break;
        }
        for (i, (f, off)) in followed.iter_mut().enumerate() {
            let Ok(st) = task.stat(f) else { continue };
            if st.size < *off {
                util::error(task, NAME, &format!("{}: file truncated", util::quotef(f)));
                *off = 0;
            }
            if st.size == *off {
                continue;
            }
            let Ok(fd) = task.open(f, OFlags::RDONLY, 0) else { continue };
            let _ = task.lseek(fd, *off as i64, Whence::Set);
            let mut buf = vec![0u8; (st.size - *off).min(1 << 20) as usize];
            let got = task.read(fd, &mut buf).unwrap_or(0);
            let _ = task.close(fd);
            if got > 0 {
                if headers && i != last {
                    let _ = writeln!(w, "\n==> {f} <==");
                    last = i;
                }
                let _ = w.write_all(&buf[..got]);
                *off += got as u64;
            }
        }
        let _ = w.flush();
    }
    util::finish(task, NAME, &mut w, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection() {
        assert_eq!(select(b"1\n2\n3\n4\n5\n", false, false, 2, b'\n'), b"4\n5\n");
        assert_eq!(select(b"1\n2\n3\n4\n5\n", false, true, 3, b'\n'), b"3\n4\n5\n");
        assert_eq!(select(b"abcdef", true, true, 3, b'\n'), b"cdef");
        assert_eq!(select(b"abcdef", true, false, 2, b'\n'), b"ef");
        assert_eq!(select(b"a\nb\nc", false, false, 2, b'\n'), b"b\nc");
        assert_eq!(select(b"", false, false, 3, b'\n'), b"");
        assert_eq!(select(b"x\n", false, false, 0, b'\n'), b"");
        let v: Vec<String> = ["+3c", "f"].iter().map(|s| s.to_string()).collect();
        assert_eq!(obsolete(&v), ["-c", "+3", "f"]);
    }
}
