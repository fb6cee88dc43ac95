//! `cmp [-b] [-l | -s] [-i SKIP] [-n LIMIT] FILE1 [FILE2]`: compare two
//! files byte by byte, as GNU diffutils 3.8's cmp (whose first-difference
//! line says `char`, and whose EOF notice goes to standard error).
//! Exit status 0 if the same, 1 if different, 2 on trouble.

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "cmp";

const LONG: &[(&str, Arg, char)] = &[
    ("print-bytes", Arg::No, 'b'),
    ("ignore-initial", Arg::Req, 'i'),
    ("verbose", Arg::No, 'l'),
    ("bytes", Arg::Req, 'n'),
    ("quiet", Arg::No, 's'),
    ("silent", Arg::No, 's'),
    ("help", Arg::No, 'H'),
    ("version", Arg::No, 'v'),
];

/// A byte as `cmp -b` shows it (`cat -v` style).
fn show(b: u8) -> String {
    let mut v = Vec::new();
    crate::cat::show_nonprinting(b, true, &mut v);
    String::from_utf8_lossy(&v).into_owned()
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let p = match opts::parse(&Spec::new("bi:ln:s", LONG), &args) {
        Ok(p) => p,
        Err(e) => return util::usage_error(task, NAME, &e, 2),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... FILE1 [FILE2 [SKIP1 [SKIP2]]]");
    }
    if p.has('v') {
        util::out(task, b"cmp (GNU diffutils) 3.8\n");
        return 0;
    }
    let (print, verbose, silent) = (p.has('b'), p.has('l'), p.has('s'));
    if verbose && silent {
        return util::usage_error(task, NAME, "options -l and -s are incompatible", 2);
    }
    let num = |s: &str| util::size::parse_size(s);
    let mut skip = [0u64; 2];
    if let Some(v) = p.last('i') {
        let (x, y) = v.split_once(':').unwrap_or((v, v));
        match (num(x), num(y)) {
            (Some(a), Some(b)) => skip = [a, b],
            _ => {
                return util::usage_error(task, NAME, &format!("invalid --ignore-initial value {}", util::quote(v)), 2);
            }
        }
    }
    let limit = match p.last('n').map(num) {
        Some(None) => {
            let v = p.last('n').unwrap_or_default();
            return util::usage_error(task, NAME, &format!("invalid --bytes value {}", util::quote(v)), 2);
        }
        Some(Some(n)) => Some(n),
        None => None,
    };
    let ops = &p.operands;
    if ops.is_empty() {
        return util::usage_error(task, NAME, "missing operand after 'cmp'", 2);
    }
    if ops.len() > 4 {
        return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(&ops[4])), 2);
    }
    for (i, s) in ops.iter().skip(2).enumerate() {
        match num(s) {
            Some(n) => skip[i] = n,
            None => {
                return util::usage_error(task, NAME, &format!("invalid --ignore-initial value {}", util::quote(s)), 2);
            }
        }
    }
    let names = [ops[0].clone(), ops.get(1).cloned().unwrap_or_else(|| "-".into())];
    let mut data = Vec::new();
    for (i, n) in names.iter().enumerate() {
        match util::input::read_file(task, n) {
            Ok(d) => {
                let s = (skip[i] as usize).min(d.len());
                data.push(d[s..].to_vec());
            }
            Err(e) => {
                if !silent {
                    util::error_file(task, NAME, n, e);
                }
                return 2;
            }
        }
    }
    let (a, b) = (&data[0], &data[1]);
    let lim = |n: usize| limit.map_or(n, |l| n.min(l as usize));
    let common = lim(a.len().min(b.len()));
    let mut out = String::new();
    let mut differ = false;
    let width = lim(a.len().min(b.len())).max(1).to_string().len();
    let mut line = 1u64;
    for i in 0..common {
        if a[i] != b[i] {
            differ = true;
            if silent {
                break;
            }
            if verbose {
                if print {
                    out.push_str(&format!(
                        "{:>width$} {:3o} {:<4} {:3o} {}\n",
                        i + 1,
                        a[i],
                        show(a[i]),
                        b[i],
                        show(b[i])
                    ));
                } else {
                    out.push_str(&format!("{:>width$} {:3o} {:3o}\n", i + 1, a[i], b[i]));
                }
                continue;
            }
            let (x, y) = (&names[0], &names[1]);
            if print {
                out.push_str(&format!(
                    "{x} {y} differ: byte {}, line {line} is {:3o} {} {:3o} {}\n",
                    i + 1,
                    a[i],
                    show(a[i]),
                    b[i],
                    show(b[i])
                ));
            } else {
                out.push_str(&format!("{x} {y} differ: char {}, line {line}\n", i + 1));
            }
            break;
        }
        if a[i] == b'\n' {
            line += 1;
        }
    }
    util::out(task, out.as_bytes());
    if differ && !verbose {
        return 1;
    }
    // One file is a prefix of the other (within the limit).
    if lim(a.len()) != lim(b.len()) {
        if !silent {
            let (short, n) = if a.len() < b.len() { (&names[0], a.len()) } else { (&names[1], b.len()) };
            let msg = if n == 0 {
                format!("EOF on {short} which is empty")
            } else if verbose {
                format!("EOF on {short} after byte {n}")
            } else {
                format!("EOF on {short} after byte {n}, in line {line}")
            };
            util::error(task, NAME, &msg);
        }
        return 1;
    }
    i32::from(differ)
}
