//! `tr [-cdst] SET1 [SET2]`: translate, delete or squeeze bytes. Sets know
//! escapes, ranges (`a-z`), classes (`[:alpha:]`), equivalence classes
//! (`[=c=]`) and repeats (`[c*n]`, `[c*]`). A short SET2 is padded with its
//! last byte, as GNU does (unless `-t`).

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "tr";

const LONG: &[(&str, Arg, char)] = &[
    ("complement", Arg::No, 'c'),
    ("delete", Arg::No, 'd'),
    ("squeeze-repeats", Arg::No, 's'),
    ("truncate-set1", Arg::No, 't'),
    ("help", Arg::No, 'H'),
];

fn class(name: &str) -> Option<Vec<u8>> {
    let f: fn(&u8) -> bool = match name {
        "alpha" => u8::is_ascii_alphabetic,
        "digit" => u8::is_ascii_digit,
        "alnum" => u8::is_ascii_alphanumeric,
        "lower" => u8::is_ascii_lowercase,
        "upper" => u8::is_ascii_uppercase,
        "space" => |c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
        "blank" => |c| *c == b' ' || *c == b'\t',
        "punct" => u8::is_ascii_punctuation,
        "print" => |c| (32..127).contains(c),
        "graph" => u8::is_ascii_graphic,
        "cntrl" => u8::is_ascii_control,
        "xdigit" => u8::is_ascii_hexdigit,
        _ => return None,
    };
    Some((0..=255u8).filter(f).collect())
}

/// One element of a set before expansion.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Bytes(Vec<u8>),
    /// `[c*n]`; n = 0 means "fill".
    Repeat(u8, usize),
}

fn unescape_one(s: &[u8], i: &mut usize) -> u8 {
    let c = s[*i];
    *i += 1;
    if c != b'\\' || *i >= s.len() {
        return c;
    }
    let e = s[*i];
    *i += 1;
    match e {
        b'a' => 7,
        b'b' => 8,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        b'0'..=b'7' => {
            let mut v = (e - b'0') as u32;
            let mut n = 1;
            while n < 3 && *i < s.len() && (b'0'..=b'7').contains(&s[*i]) {
                v = v * 8 + (s[*i] - b'0') as u32;
                *i += 1;
                n += 1;
            }
            v as u8
        }
        other => other,
    }
}

/// Parse a set into items.
fn parse(s: &[u8]) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'[' && i + 1 < s.len() {
            // [:class:], [=c=], [c*n]
            if s[i + 1] == b':'
                && let Some(end) = s[i + 2..].windows(2).position(|w| w == b":]")
            {
                let name = String::from_utf8_lossy(&s[i + 2..i + 2 + end]).into_owned();
                match class(&name) {
                    Some(v) => {
                        items.push(Item::Bytes(v));
                        i += end + 4;
                        continue;
                    }
                    None => return Err(format!("invalid character class {}", util::quote(&name))),
                }
            }
            if s[i + 1] == b'=' && i + 4 < s.len() + 1 && s.get(i + 3) == Some(&b'=') && s.get(i + 4) == Some(&b']') {
                items.push(Item::Bytes(vec![s[i + 2]]));
                i += 5;
                continue;
            }
            let mut j = i + 1;
            let c = unescape_one(s, &mut j);
            if s.get(j) == Some(&b'*')
                && let Some(close) = s[j..].iter().position(|&b| b == b']')
            {
                let num = std::str::from_utf8(&s[j + 1..j + close]).unwrap_or("");
                let n = if num.is_empty() {
                    0
                } else if num.starts_with('0') {
                    usize::from_str_radix(num, 8)
                        .map_err(|_| format!("invalid repeat count {} in [c*n] construct", util::quote(num)))?
                } else {
                    num.parse().map_err(|_| format!("invalid repeat count {} in [c*n] construct", util::quote(num)))?
                };
                items.push(Item::Repeat(c, n));
                i = j + close + 1;
                continue;
            }
        }
        let c = unescape_one(s, &mut i);
        if i + 1 < s.len() + 1 && s.get(i) == Some(&b'-') && i + 1 < s.len() {
            let mut j = i + 1;
            let hi = unescape_one(s, &mut j);
            if hi < c {
                return Err(format!(
                    "range-endpoints of '{}-{}' are in reverse collating sequence order",
                    c as char, hi as char
                ));
            }
            items.push(Item::Bytes((c..=hi).collect()));
            i = j;
            continue;
        }
        items.push(Item::Bytes(vec![c]));
    }
    Ok(items)
}

/// Expand items; a fill repeat takes whatever makes the set `target` long.
fn expand(items: &[Item], target: usize) -> Vec<u8> {
    let fixed: usize = items
        .iter()
        .map(|it| match it {
            Item::Bytes(b) => b.len(),
            Item::Repeat(_, n) => *n,
        })
        .sum();
    let mut out = Vec::new();
    for it in items {
        match it {
            Item::Bytes(b) => out.extend_from_slice(b),
            Item::Repeat(c, 0) => out.extend(std::iter::repeat_n(*c, target.saturating_sub(fixed))),
            Item::Repeat(c, n) => out.extend(std::iter::repeat_n(*c, *n)),
        }
    }
    out
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("cCdst", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... STRING1 [STRING2]");
    }
    let complement = p.has('c') || p.has('C');
    let (delete, squeeze, truncate) = (p.has('d'), p.has('s'), p.has('t'));
    let ops = &p.operands;
    let need_two = !(delete || squeeze && ops.len() == 1);
    if ops.is_empty() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    if need_two && ops.len() == 1 {
        let msg = format!("missing operand after {}", util::quote(&ops[0]));
        util::error(task, NAME, &msg);
        let _ = task.write_all(2, b"Two strings must be given when translating.\n");
        util::try_help(task, NAME);
        return 1;
    }
    let max = if delete && squeeze || need_two { 2 } else { 1 };
    if ops.len() > max {
        let mut msg = format!("extra operand {}", util::quote(&ops[max]));
        if delete && !squeeze && ops.len() == 2 {
            msg.push_str("\nOnly one string may be given when deleting without squeezing repeats.");
        }
        return util::usage_error(task, NAME, &msg, 1);
    }
    let s1 = match parse(ops[0].as_bytes()) {
        Ok(s) => s,
        Err(m) => {
            util::error(task, NAME, &m);
            return 1;
        }
    };
    let s2 = match ops.get(1).map(|s| parse(s.as_bytes())).transpose() {
        Ok(s) => s,
        Err(m) => {
            util::error(task, NAME, &m);
            return 1;
        }
    };
    let mut set1 = expand(&s1, 0);
    if complement {
        let mut inset = [false; 256];
        for &b in &set1 {
            inset[b as usize] = true;
        }
        set1 = (0..=255u8).filter(|b| !inset[*b as usize]).collect();
    }
    let mut in1 = [false; 256];
    for &b in &set1 {
        in1[b as usize] = true;
    }
    let mut map: [u8; 256] = std::array::from_fn(|i| i as u8);
    let mut squeeze_set = [false; 256];
    let translating = !delete && s2.is_some();
    if translating {
        let mut set2 = expand(s2.as_deref().unwrap_or(&[]), set1.len());
        if truncate {
            set1.truncate(set2.len());
        } else if set2.len() < set1.len() {
            match set2.last() {
                Some(&l) => set2.resize(set1.len(), l),
                None => {
                    util::error(task, NAME, "when not truncating set1, string2 must be non-empty");
                    return 1;
                }
            }
        }
        for (a, b) in set1.iter().zip(&set2) {
            map[*a as usize] = *b;
        }
        if squeeze {
            for &b in &set2 {
                squeeze_set[b as usize] = true;
            }
        }
    } else if squeeze {
        let src: Vec<u8> = if delete { expand(s2.as_deref().unwrap_or(&[]), 0) } else { set1.clone() };
        for b in src {
            squeeze_set[b as usize] = true;
        }
    }
    let task: &Task = task;
    let mut w = task.stdout();
    let mut input = Input::fd(task, 0);
    let mut last: Option<u8> = None;
    let mut out = Vec::new();
    loop {
        let chunk = match input.chunk() {
            Ok([]) => break,
            Ok(c) => c,
            Err(e) => {
                util::error(task, NAME, &format!("read error: {}", e.strerror()));
                return 1;
            }
        };
        out.clear();
        for &b in chunk {
            if delete && in1[b as usize] {
                continue;
            }
            let c = if translating { map[b as usize] } else { b };
            if squeeze && squeeze_set[c as usize] && last == Some(c) {
                continue;
            }
            last = Some(c);
            out.push(c);
        }
        let _ = w.write_all(&out);
    }
    util::finish(task, NAME, &mut w, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str) -> Vec<u8> {
        expand(&parse(s.as_bytes()).unwrap(), 0)
    }

    #[test]
    fn sets() {
        assert_eq!(set("a-e"), b"abcde");
        assert_eq!(set("[:digit:]"), b"0123456789");
        assert_eq!(set("\\n\\t\\101"), b"\n\tA");
        assert_eq!(set("a-c\\-"), b"abc-");
        assert_eq!(expand(&parse(b"x[y*]z").unwrap(), 5), b"xyyyz");
        assert_eq!(set("[a*3]"), b"aaa");
        assert!(parse(b"z-a").is_err());
        assert!(parse(b"[:nope:]").is_err());
    }
}
