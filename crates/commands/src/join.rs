//! `join [-i] [-t C] [-1 F] [-2 F] [-a N] [-v N] [-e S] [-o LIST] FILE1
//! FILE2`: join lines of two sorted files on a common field.

use std::cmp::Ordering;
use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "join";

const LONG: &[(&str, Arg, char)] = &[
    ("ignore-case", Arg::No, 'i'),
    ("check-order", Arg::No, '\u{1}'),
    ("nocheck-order", Arg::No, '\u{2}'),
    ("header", Arg::No, '\u{3}'),
    ("zero-terminated", Arg::No, 'z'),
    ("help", Arg::No, 'H'),
];

/// Where an output field comes from: 0 = the join field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OutField {
    Join,
    Field(usize, usize),
}

fn split_fields(line: &[u8], sep: Option<u8>) -> Vec<Vec<u8>> {
    match sep {
        Some(s) => line.split(|&b| b == s).map(|f| f.to_vec()).collect(),
        None => line.split(|&b| b == b' ' || b == b'\t').filter(|f| !f.is_empty()).map(|f| f.to_vec()).collect(),
    }
}

fn parse_format(s: &str) -> Result<Vec<OutField>, String> {
    let mut v = Vec::new();
    for item in s.split([',', ' ']).filter(|x| !x.is_empty()) {
        if item == "0" {
            v.push(OutField::Join);
            continue;
        }
        let bad = || format!("invalid field specifier: {}", util::quote(item));
        let (f, n) = item.split_once('.').ok_or_else(bad)?;
        let f: usize = f.parse().map_err(|_| bad())?;
        let n: usize = n.parse().map_err(|_| bad())?;
        if !(f == 1 || f == 2) || n == 0 {
            return Err(bad());
        }
        v.push(OutField::Field(f, n));
    }
    Ok(v)
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("a:e:ij:o:t:v:1:2:z", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... FILE1 FILE2");
    }
    let field = |c: char| -> Result<Option<usize>, String> {
        match p.last(c) {
            None => Ok(None),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n > 0 => Ok(Some(n - 1)),
                _ => Err(format!("invalid field number: {}", util::quote(v))),
            },
        }
    };
    let (j1, j2, jj) = match (field('1'), field('2'), field('j')) {
        (Ok(a), Ok(b), Ok(j)) => (a, b, j),
        (Err(m), ..) | (_, Err(m), _) | (.., Err(m)) => {
            util::error(task, NAME, &m);
            return 1;
        }
    };
    let k1 = j1.or(jj).unwrap_or(0);
    let k2 = j2.or(jj).unwrap_or(0);
    let sep = match p.last('t') {
        Some(t) if t.len() == 1 => Some(t.as_bytes()[0]),
        Some("") => Some(b'\n'),
        Some(t) => {
            util::error(task, NAME, &format!("multi-character tab {}", util::quote(t)));
            return 1;
        }
        None => None,
    };
    let mut unpaired = [false, false];
    for a in p.all('a').into_iter().chain(p.all('v')) {
        match a {
            "1" => unpaired[0] = true,
            "2" => unpaired[1] = true,
            _ => {
                util::error(task, NAME, &format!("invalid field number: {}", util::quote(a)));
                return 1;
            }
        }
    }
    let only_unpaired = p.has('v');
    let empty = p.last('e').map(|s| s.as_bytes().to_vec());
    let format = match p.last('o') {
        Some("auto") | None => None,
        Some(o) => match parse_format(o) {
            Ok(f) => Some(f),
            Err(m) => {
                util::error(task, NAME, &m);
                return 1;
            }
        },
    };
    let auto = p.last('o') == Some("auto");
    if p.operands.len() != 2 {
        let m = if p.operands.len() < 2 {
            "missing operand".to_string()
        } else {
            format!("extra operand {}", util::quote(&p.operands[2]))
        };
        return util::usage_error(task, NAME, &m, 1);
    }
    let eol = if p.has('z') { 0 } else { b'\n' };
    let mut files = Vec::new();
    for f in &p.operands {
        match util::input::slurp(task, f) {
            Ok(d) => files
                .push(util::input::split_records(&d, eol).0.iter().map(|l| split_fields(l, sep)).collect::<Vec<_>>()),
            Err(util::input::ReadError::Open(e)) => {
                util::error_file(task, NAME, f, e);
                return 1;
            }
            Err(util::input::ReadError::Read(e)) => {
                util::error(task, NAME, &format!("read error: {}", e.strerror()));
                return 1;
            }
        }
    }
    let icase = p.has('i');
    let key = |fs: &[Vec<u8>], k: usize| -> Vec<u8> {
        let f = fs.get(k).cloned().unwrap_or_default();
        if icase { f.to_ascii_lowercase() } else { f }
    };
    let osep = sep.map(|s| vec![s]).unwrap_or_else(|| b" ".to_vec());
    let width =
        [files[0].iter().map(|l| l.len()).max().unwrap_or(0), files[1].iter().map(|l| l.len()).max().unwrap_or(0)];
    let render = |a: Option<&Vec<Vec<u8>>>, b: Option<&Vec<Vec<u8>>>| -> Vec<u8> {
        let jf = a
            .map(|l| l.get(k1).cloned().unwrap_or_default())
            .or_else(|| b.map(|l| l.get(k2).cloned().unwrap_or_default()))
            .unwrap_or_default();
        let mut parts: Vec<Vec<u8>> = Vec::new();
        let fmt: Option<Vec<OutField>> = format.clone().or_else(|| {
            auto.then(|| {
                let mut v = vec![OutField::Join];
                v.extend((0..width[0]).filter(|i| *i != k1).map(|i| OutField::Field(1, i + 1)));
                v.extend((0..width[1]).filter(|i| *i != k2).map(|i| OutField::Field(2, i + 1)));
                v
            })
        });
        match fmt {
            Some(fmt) => {
                for f in fmt {
                    let v = match f {
                        OutField::Join => Some(jf.clone()),
                        OutField::Field(1, n) => a.and_then(|l| l.get(n - 1).cloned()),
                        OutField::Field(_, n) => b.and_then(|l| l.get(n - 1).cloned()),
                    };
                    parts.push(v.or_else(|| empty.clone()).unwrap_or_default());
                }
            }
            None => {
                parts.push(jf);
                if let Some(l) = a {
                    parts.extend(l.iter().enumerate().filter(|(i, _)| *i != k1).map(|(_, f)| f.clone()));
                }
                if let Some(l) = b {
                    parts.extend(l.iter().enumerate().filter(|(i, _)| *i != k2).map(|(_, f)| f.clone()));
                }
            }
        }
        let mut out = parts.join(&osep[..]);
        out.push(eol);
        out
    };
    let task: &Task = task;
    let mut w = task.stdout();
    let (a, b) = (&files[0], &files[1]);
    let (mut i, mut j) = (0, 0);
    if p.has('\u{3}') && !a.is_empty() && !b.is_empty() {
        let _ = w.write_all(&render(Some(&a[0]), Some(&b[0])));
        i = 1;
        j = 1;
    }
    while i < a.len() || j < b.len() {
        let ord = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => key(x, k1).cmp(&key(y, k2)),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match ord {
            Ordering::Less => {
                if unpaired[0] {
                    let _ = w.write_all(&render(Some(&a[i]), None));
                }
                i += 1;
            }
            Ordering::Greater => {
                if unpaired[1] {
                    let _ = w.write_all(&render(None, Some(&b[j])));
                }
                j += 1;
            }
            Ordering::Equal => {
                let k = key(&a[i], k1);
                let i_end = (i..a.len()).find(|&x| key(&a[x], k1) != k).unwrap_or(a.len());
                let j_end = (j..b.len()).find(|&x| key(&b[x], k2) != k).unwrap_or(b.len());
                if !only_unpaired {
                    for x in &a[i..i_end] {
                        for y in &b[j..j_end] {
                            let _ = w.write_all(&render(Some(x), Some(y)));
                        }
                    }
                }
                i = i_end;
                j = j_end;
            }
        }
    }
    util::finish(task, NAME, &mut w, 0)
}
