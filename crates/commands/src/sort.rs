//! `sort [OPTION]... [FILE]...`: GNU sort in the C locale. Keys (`-k`),
//! separators (`-t`), the orderings `-n -g -h -M -V -R -d -f -i -b -r`,
//! `-u`, `-s`, `-c`/`-C`, `-o`, `-z`. Like GNU, lines that compare equal on
//! every key are ordered by a last-resort byte comparison unless `-s` or
//! `-u`. `--parallel`, `-S` and `-T` are accepted and ignored.

use std::cmp::Ordering;

use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "sort";

const LONG: &[(&str, Arg, char)] = &[
    ("ignore-leading-blanks", Arg::No, 'b'),
    ("dictionary-order", Arg::No, 'd'),
    ("ignore-case", Arg::No, 'f'),
    ("general-numeric-sort", Arg::No, 'g'),
    ("human-numeric-sort", Arg::No, 'h'),
    ("ignore-nonprinting", Arg::No, 'i'),
    ("month-sort", Arg::No, 'M'),
    ("numeric-sort", Arg::No, 'n'),
    ("random-sort", Arg::No, 'R'),
    ("reverse", Arg::No, 'r'),
    ("version-sort", Arg::No, 'V'),
    ("sort", Arg::Req, '\u{1}'),
    ("check", Arg::Opt, 'c'),
    ("key", Arg::Req, 'k'),
    ("merge", Arg::No, 'm'),
    ("output", Arg::Req, 'o'),
    ("stable", Arg::No, 's'),
    ("field-separator", Arg::Req, 't'),
    ("unique", Arg::No, 'u'),
    ("zero-terminated", Arg::No, 'z'),
    ("parallel", Arg::Req, '\u{2}'),
    ("buffer-size", Arg::Req, 'S'),
    ("temporary-directory", Arg::Req, 'T'),
    ("debug", Arg::No, '\u{3}'),
    ("files0-from", Arg::Req, '\u{4}'),
    ("help", Arg::No, 'H'),
    ("version", Arg::No, '\u{5}'),
];

/// Ordering options of a key (or the global defaults).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyOpts {
    pub blank_start: bool,
    pub blank_end: bool,
    pub dict: bool,
    pub fold: bool,
    pub general: bool,
    pub human: bool,
    pub nonprint: bool,
    pub month: bool,
    pub numeric: bool,
    pub random: bool,
    pub reverse: bool,
    pub version: bool,
}

impl KeyOpts {
    fn is_default(&self) -> bool {
        *self == KeyOpts::default()
    }

    /// Apply one option letter; false if it is not an ordering option.
    fn set(&mut self, c: char) -> bool {
        match c {
            'b' => {
                self.blank_start = true;
                self.blank_end = true;
            }
            'd' => self.dict = true,
            'f' => self.fold = true,
            'g' => self.general = true,
            'h' => self.human = true,
            'i' => self.nonprint = true,
            'M' => self.month = true,
            'n' => self.numeric = true,
            'R' => self.random = true,
            'r' => self.reverse = true,
            'V' => self.version = true,
            _ => return false,
        }
        true
    }
}

/// A `-k` key: fields and characters are 1-based; `end_field` 0 means the
/// end of the line, `end_char` 0 the end of the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub start_field: usize,
    pub start_char: usize,
    pub end_field: usize,
    pub end_char: usize,
    pub opts: KeyOpts,
}

/// Parse a `-k` argument such as `2,2n` or `1.3b,1.5`.
pub fn parse_key(s: &str) -> Result<Key, String> {
    let (start, end) = match s.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let mut opts = KeyOpts::default();
    let pos = |p: &str, is_start: bool, opts: &mut KeyOpts| -> Result<(usize, usize), String> {
        let digits_end = p.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(p.len());
        let (num, flags) = p.split_at(digits_end);
        let (f, c) = match num.split_once('.') {
            Some((f, c)) => (f, Some(c)),
            None => (num, None),
        };
        let f: usize = f
            .parse()
            .map_err(|_| format!("invalid number at field start: invalid count at start of {}", util::quote(p)))?;
        if is_start && f == 0 {
            return Err(format!("invalid number at field start: invalid count at start of {}", util::quote(p)));
        }
        let c: usize = match c {
            Some(c) => c
                .parse()
                .map_err(|_| format!("invalid number after '.': invalid count at start of {}", util::quote(p)))?,
            None => 0,
        };
        if is_start && c == 0 && num.contains('.') {
            return Err(format!("character offset is zero: invalid field specification {}", util::quote(s)));
        }
        for ch in flags.chars() {
            let mut k = *opts;
            if ch == 'b' {
                if is_start {
                    k.blank_start = true;
                } else {
                    k.blank_end = true;
                }
            } else if !k.set(ch) {
                return Err(format!("stray character in field spec: invalid field specification {}", util::quote(s)));
            }
            *opts = k;
        }
        Ok((f, if is_start { c.max(1) } else { c }))
    };
    let (sf, sc) = pos(start, true, &mut opts)?;
    let (ef, ec) = match end {
        Some(e) => pos(e, false, &mut opts)?,
        None => (0, 0),
    };
    Ok(Key { start_field: sf, start_char: sc, end_field: ef, end_char: ec, opts })
}

/// Everything that decides how two lines compare.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub keys: Vec<Key>,
    pub global: KeyOpts,
    pub sep: Option<u8>,
    pub stable: bool,
    pub unique: bool,
    pub salt: u64,
}

fn blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Byte ranges of the fields of `line`.
fn fields(line: &[u8], sep: Option<u8>) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    match sep {
        Some(s) => {
            let mut start = 0;
            for (i, &b) in line.iter().enumerate() {
                if b == s {
                    v.push((start, i));
                    start = i + 1;
                }
            }
            v.push((start, line.len()));
        }
        None => {
            let mut pos = 0;
            while pos < line.len() {
                let start = pos;
                while pos < line.len() && blank(line[pos]) {
                    pos += 1;
                }
                while pos < line.len() && !blank(line[pos]) {
                    pos += 1;
                }
                v.push((start, pos));
            }
        }
    }
    v
}

/// The bytes of `key` in `line`.
fn extract<'a>(line: &'a [u8], key: &Key, sep: Option<u8>) -> &'a [u8] {
    let f = fields(line, sep);
    let len = line.len();
    let start = match f.get(key.start_field - 1) {
        None => len,
        Some(&(s, e)) => {
            let mut p = s;
            if key.opts.blank_start {
                while p < e && blank(line[p]) {
                    p += 1;
                }
            }
            (p + key.start_char - 1).min(if sep.is_some() { e } else { len }).min(len)
        }
    };
    let end = if key.end_field == 0 {
        len
    } else {
        match f.get(key.end_field - 1) {
            None => len,
            Some(&(s, e)) => {
                if key.end_char == 0 {
                    e
                } else {
                    let mut p = s;
                    if key.opts.blank_end {
                        while p < e && blank(line[p]) {
                            p += 1;
                        }
                    }
                    (p + key.end_char).min(e)
                }
            }
        }
    };
    if end <= start { &[] } else { &line[start..end] }
}

fn skip_blanks(s: &[u8]) -> &[u8] {
    let i = s.iter().position(|&b| !(blank(b) || b == b'\n')).unwrap_or(s.len());
    &s[i..]
}

/// A number as `sort -n` reads it: sign, integer digits (no leading zeros),
/// fraction digits (no trailing zeros).
fn numeric_parts(s: &[u8]) -> (bool, &[u8], &[u8]) {
    let s = skip_blanks(s);
    let (neg, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let int_end = s.iter().position(|b| !b.is_ascii_digit()).unwrap_or(s.len());
    let mut int = &s[..int_end];
    while int.first() == Some(&b'0') {
        int = &int[1..];
    }
    let mut frac: &[u8] = &[];
    if s.get(int_end) == Some(&b'.') {
        let rest = &s[int_end + 1..];
        let fe = rest.iter().position(|b| !b.is_ascii_digit()).unwrap_or(rest.len());
        frac = &rest[..fe];
        while frac.last() == Some(&b'0') {
            frac = &frac[..frac.len() - 1];
        }
    }
    let zero = int.is_empty() && frac.is_empty();
    (neg && !zero, int, frac)
}

fn cmp_magnitude(ai: &[u8], af: &[u8], bi: &[u8], bf: &[u8]) -> Ordering {
    ai.len().cmp(&bi.len()).then_with(|| ai.cmp(bi)).then_with(|| af.cmp(bf))
}

/// `sort -n` comparison.
pub fn numeric_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (an, ai, af) = numeric_parts(a);
    let (bn, bi, bf) = numeric_parts(b);
    match (an, bn) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => cmp_magnitude(ai, af, bi, bf),
        (true, true) => cmp_magnitude(bi, bf, ai, af),
    }
}

/// `sort -h` comparison: sign, then SI suffix, then value.
pub fn human_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let unit = |s: &[u8]| -> usize {
        let s = skip_blanks(s);
        let s = s.strip_prefix(b"-").unwrap_or(s);
        let i = s.iter().position(|b| !(b.is_ascii_digit() || *b == b'.')).unwrap_or(s.len());
        match s.get(i) {
            Some(c) => b"KMGTPEZYRQ".iter().position(|u| *u == c.to_ascii_uppercase()).map(|p| p + 1).unwrap_or(0),
            None => 0,
        }
    };
    let (an, ai, af) = numeric_parts(a);
    let (bn, bi, bf) = numeric_parts(b);
    let sign = |neg: bool, i: &[u8], f: &[u8]| {
        if neg {
            -1
        } else if i.is_empty() && f.is_empty() {
            0
        } else {
            1
        }
    };
    let (sa, sb) = (sign(an, ai, af), sign(bn, bi, bf));
    if sa != sb {
        return sa.cmp(&sb);
    }
    let r = unit(a).cmp(&unit(b)).then_with(|| cmp_magnitude(ai, af, bi, bf));
    if sa < 0 { r.reverse() } else { r }
}

/// `sort -g`: non-numbers first, then NaN, then by value.
pub fn general_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let parse = |s: &[u8]| -> Option<f64> {
        let s = String::from_utf8_lossy(skip_blanks(s)).into_owned();
        let mut best = None;
        for end in (1..=s.len()).rev() {
            if !s.is_char_boundary(end) {
                continue;
            }
            let t = &s[..end];
            if t.ends_with(|c: char| c.is_whitespace()) {
                continue;
            }
            if let Ok(v) = t.parse::<f64>() {
                best = Some(v);
                break;
            }
        }
        best
    };
    let rank = |v: Option<f64>| match v {
        None => 0,
        Some(x) if x.is_nan() => 1,
        Some(_) => 2,
    };
    let (x, y) = (parse(a), parse(b));
    rank(x).cmp(&rank(y)).then_with(|| match (x, y) {
        (Some(p), Some(q)) if !p.is_nan() && !q.is_nan() => p.partial_cmp(&q).unwrap_or(Ordering::Equal),
        _ => Ordering::Equal,
    })
}

/// `sort -M`: unknown < JAN < ... < DEC.
pub fn month_cmp(a: &[u8], b: &[u8]) -> Ordering {
    const M: [&[u8]; 12] =
        [b"JAN", b"FEB", b"MAR", b"APR", b"MAY", b"JUN", b"JUL", b"AUG", b"SEP", b"OCT", b"NOV", b"DEC"];
    let m = |s: &[u8]| {
        let s = skip_blanks(s);
        if s.len() < 3 {
            return 0;
        }
        let up: Vec<u8> = s[..3].iter().map(|c| c.to_ascii_uppercase()).collect();
        M.iter().position(|x| *x == up.as_slice()).map(|p| p + 1).unwrap_or(0)
    };
    m(a).cmp(&m(b))
}

fn order(s: &[u8], pos: usize) -> i32 {
    match s.get(pos) {
        None => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => *c as i32,
        Some(b'~') => -2,
        Some(c) => *c as i32 + 256,
    }
}

fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let mut first_diff = 0i32;
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (x, y) = (order(a, i), order(b, j));
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        while i < a.len() && j < b.len() && a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            if first_diff == 0 {
                first_diff = a[i] as i32 - b[j] as i32;
            }
            i += 1;
            j += 1;
        }
        if i < a.len() && a[i].is_ascii_digit() {
            return Ordering::Greater;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            return Ordering::Less;
        }
        if first_diff != 0 {
            return first_diff.cmp(&0);
        }
    }
    Ordering::Equal
}

/// Length of `s` without its file suffix `(\.[A-Za-z~][A-Za-z0-9~]*)*$`.
fn prefix_len(s: &[u8]) -> usize {
    let mut prefix = s.len();
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'.' && i + 1 < s.len() && (s[i + 1].is_ascii_alphabetic() || s[i + 1] == b'~') {
            let start = i;
            i += 2;
            while i < s.len() && (s[i].is_ascii_alphanumeric() || s[i] == b'~') {
                i += 1;
            }
            if prefix == s.len() || prefix > start {
                prefix = start;
            }
            if i < s.len() && s[i] != b'.' {
                prefix = s.len();
            }
        } else {
            i += 1;
            prefix = s.len();
        }
    }
    prefix
}

/// GNU `filevercmp`, as `sort -V` and `ls -v` use it.
pub fn version_cmp(a: &[u8], b: &[u8]) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    for special in [&b""[..], b".", b".."] {
        if a == special {
            return Ordering::Less;
        }
        if b == special {
            return Ordering::Greater;
        }
    }
    match (a.first() == Some(&b'.'), b.first() == Some(&b'.')) {
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    let (pa, pb) = (prefix_len(a), prefix_len(b));
    let r = if pa == pb && a[..pa] == b[..pb] { verrevcmp(a, b) } else { verrevcmp(&a[..pa], &b[..pb]) };
    r.then_with(|| a.cmp(b))
}

fn filtered(s: &[u8], o: &KeyOpts) -> Vec<u8> {
    s.iter()
        .filter(|&&c| !o.dict || c.is_ascii_alphanumeric() || blank(c))
        .filter(|&&c| !o.nonprint || (32..127).contains(&c))
        .map(|&c| if o.fold { c.to_ascii_uppercase() } else { c })
        .collect()
}

fn hash(salt: u64, s: &[u8]) -> u64 {
    // FNV-1a, salted: a random but consistent order for -R.
    let mut h = 0xcbf29ce484222325u64 ^ salt;
    for &b in s {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn key_cmp(a: &[u8], b: &[u8], o: &KeyOpts, salt: u64) -> Ordering {
    let r = if o.numeric {
        numeric_cmp(a, b)
    } else if o.general {
        general_cmp(a, b)
    } else if o.human {
        human_cmp(a, b)
    } else if o.month {
        month_cmp(a, b)
    } else if o.version {
        version_cmp(a, b)
    } else if o.random {
        hash(salt, &filtered(a, o)).cmp(&hash(salt, &filtered(b, o)))
    } else if o.dict || o.fold || o.nonprint {
        filtered(a, o).cmp(&filtered(b, o))
    } else {
        a.cmp(b)
    };
    if o.reverse { r.reverse() } else { r }
}

/// Compare on the keys only (what `-u` and `-c` use).
pub fn compare_keys(a: &[u8], b: &[u8], cfg: &Config) -> Ordering {
    if cfg.keys.is_empty() {
        let (x, y) = if cfg.global.blank_start { (skip_blanks(a), skip_blanks(b)) } else { (a, b) };
        return key_cmp(x, y, &cfg.global, cfg.salt);
    }
    for k in &cfg.keys {
        let mut k = k.clone();
        if k.opts.is_default() {
            k.opts = cfg.global;
        }
        let r = key_cmp(extract(a, &k, cfg.sep), extract(b, &k, cfg.sep), &k.opts, cfg.salt);
        if r != Ordering::Equal {
            return r;
        }
    }
    Ordering::Equal
}

/// Full comparison, with the last-resort byte comparison.
pub fn compare(a: &[u8], b: &[u8], cfg: &Config) -> Ordering {
    let r = compare_keys(a, b, cfg);
    if r != Ordering::Equal || cfg.stable || cfg.unique {
        return r;
    }
    let plain = cfg.keys.is_empty()
        && !cfg.global.numeric
        && !cfg.global.general
        && !cfg.global.human
        && !cfg.global.month
        && !cfg.global.version
        && !cfg.global.random
        && !cfg.global.dict
        && !cfg.global.fold
        && !cfg.global.nonprint
        && !cfg.global.blank_start;
    if plain {
        return r;
    }
    if cfg.global.reverse { b.cmp(a) } else { a.cmp(b) }
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("bdfghiMnRrVc::Ck:mo:st:uzS:T:", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 2),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let mut cfg = Config::default();
    let mut check: Option<bool> = None; // Some(quiet)
    let mut output = None;
    let mut delim = b'\n';
    for (c, v) in &p.opts {
        match c {
            'k' => match parse_key(v.as_deref().unwrap_or("")) {
                Ok(k) => cfg.keys.push(k),
                Err(m) => {
                    util::error(task, NAME, &m);
                    return 2;
                }
            },
            't' => {
                let s = v.as_deref().unwrap_or("");
                let b = s.as_bytes();
                if b.len() == 2 && b == b"\\0" {
                    cfg.sep = Some(0);
                } else if b.len() != 1 {
                    let m = if b.is_empty() {
                        "empty tab".to_string()
                    } else {
                        format!("multi-character tab {}", util::quote(s))
                    };
                    util::error(task, NAME, &m);
                    return 2;
                } else {
                    cfg.sep = Some(b[0]);
                }
            }
            'c' => {
                check = Some(matches!(v.as_deref(), Some("quiet") | Some("status")));
            }
            'C' => check = Some(true),
            'o' => output = v.clone(),
            's' => cfg.stable = true,
            'u' => cfg.unique = true,
            'z' => delim = 0,
            '\u{1}' => {
                let c = match v.as_deref() {
                    Some("general-numeric") => 'g',
                    Some("human-numeric") => 'h',
                    Some("month") => 'M',
                    Some("numeric") => 'n',
                    Some("random") => 'R',
                    Some("version") => 'V',
                    _ => ' ',
                };
                cfg.global.set(c);
            }
            c => {
                cfg.global.set(*c);
            }
        }
    }
    if cfg.global.random {
        let mut b = [0u8; 8];
        task.random(&mut b);
        cfg.salt = u64::from_le_bytes(b);
    }
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    if let Some(quiet) = check {
        if files.len() > 1 {
            return util::usage_error(
                task,
                NAME,
                &format!("extra operand {} not allowed with -c", util::quote(&files[1])),
                2,
            );
        }
        let data = match Input::open(task, &files[0]).and_then(|mut i| i.read_all()) {
            Ok(d) => d,
            Err(e) => {
                util::error(task, NAME, &format!("cannot read: {}: {}", util::quotef(&files[0]), e.strerror()));
                return 2;
            }
        };
        let (lines, _) = crate::util::input::split_records(&data, delim);
        for i in 1..lines.len() {
            let r = compare(&lines[i - 1], &lines[i], &cfg);
            if r == Ordering::Greater || (cfg.unique && r == Ordering::Equal) {
                if !quiet {
                    let line = String::from_utf8_lossy(&lines[i]);
                    util::error(task, NAME, &format!("{}:{}: disorder: {line}", files[0], i + 1));
                }
                return 1;
            }
        }
        return 0;
    }
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for f in &files {
        let data = match Input::open(task, f) {
            Ok(mut i) => match i.read_all() {
                Ok(d) => d,
                Err(e) => {
                    util::error(task, NAME, &format!("read failed: {}: {}", util::quotef(f), e.strerror()));
                    return 2;
                }
            },
            Err(e) => {
                util::error(task, NAME, &format!("cannot read: {}: {}", util::quotef(f), e.strerror()));
                return 2;
            }
        };
        lines.extend(crate::util::input::split_records(&data, delim).0);
    }
    lines.sort_by(|a, b| compare(a, b, &cfg));
    if cfg.unique {
        lines.dedup_by(|b, a| compare_keys(a, b, &cfg) == Ordering::Equal);
    }
    let mut out = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in &lines {
        out.extend_from_slice(l);
        out.push(delim);
    }
    match output {
        Some(o) if o != "-" => {
            let fd = match task.open(&o, OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC, 0o666) {
                Ok(fd) => fd,
                Err(e) => {
                    util::error(task, NAME, &format!("open failed: {}: {}", util::quotef(&o), e.strerror()));
                    return 2;
                }
            };
            let r = task.write_all(fd, &out);
            let _ = task.close(fd);
            if let Err(e) = r {
                util::error(task, NAME, &format!("write failed: {}: {}", util::quotef(&o), e.strerror()));
                return 2;
            }
            0
        }
        _ => match task.write_all(1, &out) {
            Ok(()) => 0,
            Err(e) => {
                util::error(task, NAME, &format!("fflush failed: 'standard output': {}", e.strerror()));
                util::error(task, NAME, "write error");
                2
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(lines: &[&str], cfg: &Config) -> Vec<String> {
        let mut v: Vec<Vec<u8>> = lines.iter().map(|s| s.as_bytes().to_vec()).collect();
        v.sort_by(|a, b| compare(a, b, cfg));
        if cfg.unique {
            v.dedup_by(|b, a| compare_keys(a, b, cfg) == Ordering::Equal);
        }
        v.into_iter().map(|l| String::from_utf8(l).unwrap()).collect()
    }

    fn cfg(global: &str, keys: &[&str], sep: Option<u8>) -> Config {
        let mut c = Config { sep, ..Default::default() };
        for ch in global.chars() {
            match ch {
                's' => c.stable = true,
                'u' => c.unique = true,
                ch => {
                    c.global.set(ch);
                }
            }
        }
        c.keys = keys.iter().map(|k| parse_key(k).unwrap()).collect();
        c
    }

    #[test]
    fn key_parsing() {
        let k = parse_key("2,2n").unwrap();
        assert_eq!((k.start_field, k.start_char, k.end_field, k.end_char), (2, 1, 2, 0));
        assert!(k.opts.numeric);
        let k = parse_key("1.3b,1.5").unwrap();
        assert_eq!((k.start_field, k.start_char, k.end_field, k.end_char), (1, 3, 1, 5));
        assert!(k.opts.blank_start && !k.opts.blank_end);
        assert!(parse_key("0").is_err());
        assert!(parse_key("1x").is_err());
    }

    #[test]
    fn orders() {
        assert_eq!(
            sorted(&["banana", "apple", "Cherry", "10", "9"], &cfg("", &[], None)),
            ["10", "9", "Cherry", "apple", "banana"]
        );
        assert_eq!(sorted(&["10", "9", "100", "-1", "3.5"], &cfg("n", &[], None)), ["-1", "3.5", "9", "10", "100"]);
        assert_eq!(sorted(&["10", "9", "100", "-1"], &cfg("nr", &[], None)), ["100", "10", "9", "-1"]);
        assert_eq!(
            sorted(&["bob:30", "alice:25", "carol:35"], &cfg("n", &["2"], Some(b':'))),
            ["alice:25", "bob:30", "carol:35"]
        );
        assert_eq!(sorted(&["b 2", "a 2", "c 1"], &cfg("", &["2,2", "1,1"], None)), ["c 1", "a 2", "b 2"]);
        assert_eq!(sorted(&["b 1", "a 2", "b 0", "a 1"], &cfg("s", &["1,1"], None)), ["a 2", "a 1", "b 1", "b 0"]);
        assert_eq!(sorted(&["b", "a", "b", "c", "a"], &cfg("u", &[], None)), ["a", "b", "c"]);
        assert_eq!(sorted(&["1K", "2M", "512", "1G", "3K"], &cfg("h", &[], None)), ["512", "1K", "3K", "2M", "1G"]);
        assert_eq!(
            sorted(&["file10", "file2", "file1", "file1.5"], &cfg("V", &[], None)),
            ["file1", "file1.5", "file2", "file10"]
        );
        assert_eq!(sorted(&["b", "A", "a", "B"], &cfg("f", &[], None)), ["A", "a", "B", "b"]);
        assert_eq!(sorted(&["  b", "a", " c"], &cfg("b", &[], None)), ["a", "  b", " c"]);
        assert_eq!(sorted(&["Mar", "Jan", "Feb"], &cfg("M", &[], None)), ["Jan", "Feb", "Mar"]);
        assert_eq!(sorted(&["1e3", "5", "2e1"], &cfg("g", &[], None)), ["5", "2e1", "1e3"]);
        assert_eq!(sorted(&["x", "-0", "0", "abc"], &cfg("n", &[], None)), ["-0", "0", "abc", "x"]);
    }

    #[test]
    fn versions() {
        assert_eq!(version_cmp(b"a1", b"a1~"), Ordering::Greater);
        assert_eq!(version_cmp(b"foo-1.10.tar.gz", b"foo-1.9.tar.gz"), Ordering::Greater);
        assert_eq!(version_cmp(b".hidden", b"a"), Ordering::Less);
        assert_eq!(version_cmp(b"a01", b"a1"), Ordering::Less);
    }
}
