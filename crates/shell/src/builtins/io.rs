//! Input builtins: `read` and `mapfile`/`readarray`.
//!
//! `read` must not consume past its delimiter (the rest belongs to the
//! next reader of the descriptor), so it reads a byte at a time from
//! pipes and, on seekable files, reads ahead and seeks back.

use agentos_kernel::Task;
use agentos_kernel::abi::{Fd, Whence};

use crate::state::{Ctl, Res, Shell};

struct ReadOpts {
    raw: bool,
    array: Option<String>,
    delim: u8,
    nchars: Option<usize>,
    exact: bool,
    fd: Fd,
    names: Vec<String>,
}

/// Read one record; returns (bytes, escaped mask, hit EOF before the
/// delimiter).
fn read_record(t: &Task, o: &ReadOpts) -> (Vec<u8>, Vec<bool>, bool) {
    let seekable = t.lseek(o.fd, 0, Whence::Cur).is_ok();
    let mut buf = vec![0u8; if seekable { 4096 } else { 1 }];
    let mut data = Vec::new();
    let mut esc = Vec::new();
    let mut pending_backslash = false;
    let mut count = 0;
    loop {
        let n = match t.read(o.fd, &mut buf) {
            Ok(0) | Err(_) => return (data, esc, true),
            Ok(n) => n,
        };
        for (k, &b) in buf[..n].iter().enumerate() {
            let done = |t: &Task| {
                if seekable && k + 1 < n {
                    let _ = t.lseek(o.fd, -((n - k - 1) as i64), Whence::Cur);
                }
            };
            if pending_backslash {
                pending_backslash = false;
                if b != b'\n' {
                    data.push(b);
                    esc.push(true);
                    count += 1;
                }
            } else if !o.raw && b == b'\\' {
                pending_backslash = true;
                continue;
            } else if b == o.delim && !o.exact {
                done(t);
                return (data, esc, false);
            } else {
                data.push(b);
                esc.push(false);
                count += 1;
            }
            if o.nchars.is_some_and(|lim| count >= lim) {
                done(t);
                return (data, esc, false);
            }
        }
    }
}

fn is_ifs_ws(c: char, ifs: &str) -> bool {
    matches!(c, ' ' | '\t' | '\n') && ifs.contains(c)
}

/// Split `chars` into `want` fields (the last takes the rest), or into
/// all fields when `want` is `None`.
fn split(chars: &[char], esc: &[bool], ifs: &str, want: Option<usize>) -> Vec<String> {
    let is_sep = |i: usize| !esc[i] && ifs.contains(chars[i]);
    let is_ws = |i: usize| !esc[i] && is_ifs_ws(chars[i], ifs);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() && is_ws(i) {
        i += 1;
    }
    while i < chars.len() {
        if want.is_some_and(|w| out.len() + 1 == w) {
            let mut end = chars.len();
            while end > i && is_ws(end - 1) {
                end -= 1;
            }
            out.push(chars[i..end].iter().collect());
            return out;
        }
        let start = i;
        while i < chars.len() && !is_sep(i) {
            i += 1;
        }
        out.push(chars[start..i].iter().collect());
        while i < chars.len() && is_ws(i) {
            i += 1;
        }
        if i < chars.len() && is_sep(i) {
            i += 1;
            while i < chars.len() && is_ws(i) {
                i += 1;
            }
        }
    }
    out
}

pub fn read(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut o =
        ReadOpts { raw: false, array: None, delim: b'\n', nchars: None, exact: false, fd: 0, names: Vec::new() };
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if !a.starts_with('-') || a.len() < 2 {
            break;
        }
        if a == "--" {
            i += 1;
            break;
        }
        let flags: Vec<char> = a[1..].chars().collect();
        for (k, &c) in flags.iter().enumerate() {
            let takes = matches!(c, 'a' | 'd' | 'n' | 'N' | 'p' | 't' | 'u' | 'i');
            let val = if takes {
                let inline: String = flags[k + 1..].iter().collect();
                if inline.is_empty() {
                    i += 1;
                    argv.get(i).cloned().unwrap_or_default()
                } else {
                    inline
                }
            } else {
                String::new()
            };
            match c {
                'r' => o.raw = true,
                's' | 'e' => {}
                'a' => o.array = Some(val),
                'd' => o.delim = val.bytes().next().unwrap_or(0),
                'n' | 'N' => {
                    o.nchars = val.parse().ok();
                    o.exact = c == 'N';
                }
                'u' => o.fd = val.parse().unwrap_or(0),
                'p' | 't' | 'i' => {}
                _ => {
                    sh.error(t, &format!("read: -{c}: invalid option"));
                    return Ok(2);
                }
            }
            if takes {
                break;
            }
        }
        i += 1;
    }
    o.names = argv[i..].to_vec();
    let (data, esc, eof) = read_record(t, &o);
    let text = String::from_utf8_lossy(&data).into_owned();
    let chars: Vec<char> = text.chars().collect();
    let esc: Vec<bool> = if chars.len() == esc.len() { esc } else { vec![false; chars.len()] };
    let ifs = sh.ifs();
    let status = if eof { 1 } else { 0 };
    let r = if let Some(arr) = &o.array {
        let fields = split(&chars, &esc, &ifs, None);
        sh.vars.set_array(arr, fields);
        Ok(())
    } else if o.names.is_empty() {
        sh.assign_ref(t, "REPLY", None, &text)
    } else {
        let fields = split(&chars, &esc, &ifs, Some(o.names.len()));
        let mut r = Ok(());
        for (k, name) in o.names.iter().enumerate() {
            let v = fields.get(k).cloned().unwrap_or_default();
            r = r.and(sh.assign_ref(t, name, None, &v));
        }
        r
    };
    match r {
        Ok(()) => Ok(status),
        Err(Ctl::Abort(s)) => Ok(s),
        Err(e) => Err(e),
    }
}

pub fn mapfile(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut strip = false;
    let mut skip = 0usize;
    let mut max = 0usize;
    let mut delim = b'\n';
    let mut fd: Fd = 0;
    let mut origin = 0i64;
    let mut name = "MAPFILE".to_string();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        let mut val = || {
            i += 1;
            argv.get(i).cloned().unwrap_or_default()
        };
        match a {
            "-t" => strip = true,
            "-s" => skip = val().parse().unwrap_or(0),
            "-n" => max = val().parse().unwrap_or(0),
            "-d" => delim = val().bytes().next().unwrap_or(0),
            "-u" => fd = val().parse().unwrap_or(0),
            "-O" => origin = val().parse().unwrap_or(0),
            "-C" | "-c" => {
                val();
            }
            _ => name = a.to_string(),
        }
        i += 1;
    }
    let data = t.read_to_end(fd).unwrap_or_default();
    let mut items = Vec::new();
    let mut start = 0;
    for (k, &b) in data.iter().enumerate() {
        if b == delim {
            let end = if strip { k } else { k + 1 };
            items.push(String::from_utf8_lossy(&data[start..end]).into_owned());
            start = k + 1;
        }
    }
    if start < data.len() {
        items.push(String::from_utf8_lossy(&data[start..]).into_owned());
    }
    let items: Vec<String> = items.into_iter().skip(skip).take(if max == 0 { usize::MAX } else { max }).collect();
    let map = items.into_iter().enumerate().map(|(k, s)| (origin + k as i64, s)).collect();
    let var = sh.vars.get_mut_or_create(&name);
    var.value = Some(crate::vars::Value::Indexed(map));
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::split;

    fn s(line: &str, ifs: &str, want: Option<usize>) -> Vec<String> {
        let c: Vec<char> = line.chars().collect();
        split(&c, &vec![false; c.len()], ifs, want)
    }

    #[test]
    fn fields() {
        assert_eq!(s("one two three four", " \t\n", Some(3)), ["one", "two", "three four"]);
        assert_eq!(s("1,2,3,4", ",", Some(3)), ["1", "2", "3,4"]);
        assert_eq!(s("   lead and trail   ", " \t\n", Some(1)), ["lead and trail"]);
        assert_eq!(s("x y  z", " \t\n", None), ["x", "y", "z"]);
        assert_eq!(s("usr:local:bin", ":", None), ["usr", "local", "bin"]);
    }
}
