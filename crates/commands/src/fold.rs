//! `fold [-bs] [-w WIDTH] [FILE]...`: wrap lines at WIDTH columns (bytes
//! with `-b`), at the last blank with `-s`.

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "fold";

const LONG: &[(&str, Arg, char)] =
    &[("bytes", Arg::No, 'b'), ("spaces", Arg::No, 's'), ("width", Arg::Req, 'w'), ("help", Arg::No, 'H')];

fn advance(col: usize, c: u8, bytes: bool) -> usize {
    if bytes {
        return col + 1;
    }
    match c {
        b'\t' => (col / 8 + 1) * 8,
        8 => col.saturating_sub(1),
        b'\r' => 0,
        _ => col + 1,
    }
}

/// Fold one line (without its newline).
pub fn fold_line(line: &[u8], width: usize, bytes: bool, spaces: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let mut col = 0;
    let mut i = 0;
    while i < line.len() {
        let c = line[i];
        let next = advance(col, c, bytes);
        if next > width && !cur.is_empty() {
            if spaces && let Some(pos) = cur.iter().rposition(|&b| b == b' ' || b == b'\t') {
                let rest = cur.split_off(pos + 1);
                out.extend_from_slice(&cur);
                out.push(b'\n');
                cur = rest;
                col = cur.iter().fold(0, |c, &b| advance(c, b, bytes));
                continue;
            }
            out.extend_from_slice(&cur);
            out.push(b'\n');
            cur.clear();
            col = 0;
            continue;
        }
        cur.push(c);
        col = next;
        i += 1;
    }
    out.extend_from_slice(&cur);
    out
}

pub fn main(task: &mut Task) -> i32 {
    let mut args = task.argv[1..].to_vec();
    // Obsolete `-N` means `-w N`.
    for a in args.iter_mut() {
        if a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit()) {
            *a = format!("-w{}", &a[1..]);
        }
    }
    let p = match opts::parse(&Spec::new("bsw:", LONG), &args) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let width = match p.last('w').map(|w| w.parse::<usize>()) {
        None => 80,
        Some(Ok(w)) if w > 0 => w,
        Some(_) => {
            util::error(task, NAME, &format!("invalid number of columns: {}", util::quote(p.last('w').unwrap_or(""))));
            return 1;
        }
    };
    let task: &Task = task;
    let mut w = task.stdout();
    let (bytes, spaces) = (p.has('b'), p.has('s'));
    util::input::for_each_line(task, NAME, &p.operands, &mut w, |w, body, nl| {
        let _ = w.write_all(&fold_line(body, width, bytes, spaces));
        if nl {
            let _ = w.write_all(b"\n");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold_line(b"abcdefghijklmnop", 5, false, false), b"abcde\nfghij\nklmno\np");
        assert_eq!(fold_line(b"the quick brown fox jumps", 10, false, true), b"the quick \nbrown fox \njumps");
        assert_eq!(fold_line(b"abcdef", 4, true, false), b"abcd\nef");
        assert_eq!(fold_line(b"", 4, false, false), b"");
    }
}
