//! `tac [-b] [-s SEP] [FILE]...`: files with their records in reverse
//! order. The separator follows each record (precedes it with `-b`).

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "tac";

const LONG: &[(&str, Arg, char)] =
    &[("before", Arg::No, 'b'), ("separator", Arg::Req, 's'), ("regex", Arg::No, 'r'), ("help", Arg::No, 'H')];

/// Reverse the records of `data` separated by `sep`.
pub fn reverse(data: &[u8], sep: &[u8], before: bool) -> Vec<u8> {
    let mut recs: Vec<&[u8]> = Vec::new();
    if sep.is_empty() {
        return data.to_vec();
    }
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= data.len() {
        if &data[i..i + sep.len()] == sep {
            if before {
                if i > start || i > 0 {
                    recs.push(&data[start..i]);
                }
                start = i;
            } else {
                recs.push(&data[start..i + sep.len()]);
                start = i + sep.len();
            }
            i += sep.len();
        } else {
            i += 1;
        }
    }
    if start < data.len() {
        recs.push(&data[start..]);
    }
    recs.reverse();
    recs.concat()
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("brs:", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let sep = p.last('s').unwrap_or("\n").as_bytes().to_vec();
    let sep = if sep.is_empty() { vec![0] } else { sep };
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let task: &Task = task;
    let mut w = task.stdout();
    let mut status = 0;
    for f in &files {
        match Input::open(task, f).and_then(|mut i| i.read_all()) {
            Ok(d) => {
                let _ = w.write_all(&reverse(&d, &sep, p.has('b')));
            }
            Err(e) => {
                let _ = w.flush();
                let msg = if e == agentos_kernel::Errno::EISDIR {
                    // GNU tac tries to seek in it first.
                    format!("{}: read error: {}", util::quotef(f), agentos_kernel::Errno::EINVAL.strerror())
                } else {
                    format!("failed to open {} for reading: {}", util::quote(f), e.strerror())
                };
                util::error(task, NAME, &msg);
                status = 1;
            }
        }
    }
    util::finish(task, NAME, &mut w, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversal() {
        assert_eq!(reverse(b"1\n2\n3\n", b"\n", false), b"3\n2\n1\n");
        assert_eq!(reverse(b"1\n2\n3", b"\n", false), b"32\n1\n");
        assert_eq!(reverse(b"a,b,c,", b",", false), b"c,b,a,");
        assert_eq!(reverse(b"", b"\n", false), b"");
        assert_eq!(reverse(b"a\nb\n", b"\n", true), b"\n\nba");
    }
}
