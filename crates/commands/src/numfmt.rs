//! `numfmt [OPTION]... [NUMBER]...`: convert numbers to and from
//! human-readable form like GNU numfmt: `--from=none|si|iec|iec-i|auto`,
//! `--to=…`, `--suffix`, `--padding`, `--round`, `--field`, `-d`,
//! `--header`. Numbers come from the operands or standard input lines.

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "numfmt";

const LONG: &[(&str, Arg, char)] = &[
    ("from", Arg::Req, 'f'),
    ("to", Arg::Req, 't'),
    ("suffix", Arg::Req, 's'),
    ("padding", Arg::Req, 'p'),
    ("round", Arg::Req, 'r'),
    ("field", Arg::Req, 'F'),
    ("delimiter", Arg::Req, 'd'),
    ("header", Arg::Opt, 'h'),
    ("from-unit", Arg::Req, 'u'),
    ("to-unit", Arg::Req, 'U'),
    ("invalid", Arg::Req, 'i'),
    ("help", Arg::No, 'H'),
    ("version", Arg::No, 'V'),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    None,
    Si,
    Iec,
    IecI,
    Auto,
}

fn scale(s: &str) -> Option<Scale> {
    Some(match s {
        "none" => Scale::None,
        "si" => Scale::Si,
        "iec" => Scale::Iec,
        "iec-i" => Scale::IecI,
        "auto" => Scale::Auto,
        _ => return None,
    })
}

const UNITS: &[u8] = b"KMGTPEZYRQ";

/// Parse a number with an optional unit suffix (per `from`).
pub fn parse(s: &str, from: Scale) -> Result<f64, String> {
    let t = s.trim_start();
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+')).unwrap_or(t.len());
    let (num, rest) = t.split_at(end);
    let v: f64 = num.parse().map_err(|_| format!("invalid number: {}", util::quote(s)))?;
    if rest.is_empty() {
        return Ok(v);
    }
    let c = rest.as_bytes()[0].to_ascii_uppercase();
    let Some(pow) = UNITS.iter().position(|u| *u == c || (c == b'K' && *u == b'K')) else {
        return Err(format!("invalid suffix in input: {}", util::quote(s)));
    };
    let has_i = rest.len() > 1 && rest.as_bytes()[1] == b'i';
    let base = match from {
        Scale::None => return Err(format!("rejecting suffix in input: {} (consider using --from)", util::quote(s))),
        Scale::Si => 1000f64,
        Scale::Iec => 1024f64,
        Scale::IecI if has_i => 1024f64,
        Scale::IecI => return Err(format!("missing 'i' suffix in input: {} (e.g. Ki/Mi/Gi)", util::quote(s))),
        Scale::Auto if has_i => 1024f64,
        Scale::Auto => 1000f64,
    };
    let used = 1 + usize::from(has_i && from != Scale::Si && from != Scale::Iec);
    if rest.len() > used {
        return Err(format!("invalid suffix in input: {}", util::quote(s)));
    }
    Ok(v * base.powi(pow as i32 + 1))
}

fn round(x: f64, mode: &str) -> f64 {
    match mode {
        "up" => x.ceil(),
        "down" => x.floor(),
        "towards-zero" => x.trunc(),
        "nearest" => x.round(),
        _ => {
            if x < 0.0 {
                x.floor()
            } else {
                x.ceil()
            }
        }
    }
}

/// Format `v` for `to`.
pub fn format(v: f64, to: Scale, rmode: &str) -> String {
    let base = match to {
        Scale::None | Scale::Auto => return format!("{v}"),
        Scale::Si => 1000f64,
        Scale::Iec | Scale::IecI => 1024f64,
    };
    let mut x = v.abs();
    let mut power = 0;
    while x >= base && power < UNITS.len() {
        x /= base;
        power += 1;
    }
    let sign = if v < 0.0 { "-" } else { "" };
    if power == 0 {
        return format!("{}", round(v, rmode));
    }
    let rnd = |x: f64, ten: bool| {
        let s = if v < 0.0 { -x } else { x };
        let r = if ten { round(s, rmode) } else { round(s * 10.0, rmode) / 10.0 };
        r.abs()
    };
    let mut r = rnd(x, x >= 10.0);
    if r >= base {
        r /= base;
        power += 1;
    }
    let unit = UNITS[power - 1] as char;
    let i = if to == Scale::IecI { "i" } else { "" };
    if r < 10.0 { format!("{sign}{r:.1}{unit}{i}") } else { format!("{sign}{r:.0}{unit}{i}") }
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let mut spec = Spec::new("d:", LONG);
    spec.negative_numbers = true;
    let p = match opts::parse(&spec, &args) {
        Ok(p) => p,
        Err(e) => return util::usage_error(task, NAME, &e, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [NUMBER]...");
    }
    let mut from = Scale::None;
    let mut to = Scale::None;
    for (c, v) in &p.opts {
        let v = v.as_deref().unwrap_or("");
        match c {
            'f' | 't' => match scale(v) {
                Some(s) if *c == 'f' => from = s,
                Some(s) => to = s,
                None => {
                    let opt = if *c == 'f' { "--from" } else { "--to" };
                    util::error(task, NAME, &format!("invalid argument {} for '{opt}'", util::quote(v)));
                    return 1;
                }
            },
            _ => {}
        }
    }
    let suffix = p.last('s').unwrap_or("").to_string();
    let rmode = p.last('r').unwrap_or("from-zero").to_string();
    let padding: i64 = match p.last('p').map(|v| v.parse::<i64>()) {
        None => 0,
        Some(Ok(n)) if n != 0 => n,
        _ => {
            util::error(task, NAME, &format!("invalid padding value {}", util::quote(p.last('p').unwrap_or(""))));
            return 1;
        }
    };
    let field: usize = p.last('F').and_then(|f| f.parse().ok()).unwrap_or(1);
    let delim = p.last('d').map(str::to_string);
    let header: usize = if p.has('h') { p.last('h').and_then(|h| h.parse().ok()).unwrap_or(1) } else { 0 };
    let convert = |s: &str| -> Result<String, String> {
        let body = s.strip_suffix(suffix.as_str()).filter(|_| !suffix.is_empty()).unwrap_or(s);
        let v = parse(body, from)?;
        let mut out = format(v, to, &rmode);
        out.push_str(&suffix);
        let w = padding.unsigned_abs() as usize;
        Ok(if padding > 0 {
            format!("{out:>w$}")
        } else if padding < 0 {
            format!("{out:<w$}")
        } else {
            out
        })
    };
    let mut out = String::new();
    let mut status = 0;
    let line = |l: &str, out: &mut String| -> bool {
        let fields: Vec<&str> = match &delim {
            Some(d) => l.split(d.as_str()).collect(),
            None => l.split(' ').collect(),
        };
        let mut res: Vec<String> = Vec::new();
        let mut nonempty = 0;
        let mut ok = true;
        for f in fields.iter() {
            let is_field = delim.is_some() || !f.is_empty();
            if is_field {
                nonempty += 1;
            }
            if is_field && nonempty == field {
                match convert(f) {
                    // Without -d, a converted field keeps the input's width.
                    Ok(s) if delim.is_none() && padding == 0 => res.push(format!("{s:>w$}", w = f.len())),
                    Ok(s) => res.push(s),
                    Err(e) => {
                        util::error(task, NAME, &e);
                        ok = false;
                        res.push(f.to_string());
                    }
                }
            } else {
                res.push(f.to_string());
            }
        }
        out.push_str(&res.join(delim.as_deref().unwrap_or(" ")));
        out.push('\n');
        ok
    };
    if p.operands.is_empty() {
        let data = util::input::read_file(task, "-").unwrap_or_default();
        let text = String::from_utf8_lossy(&data).into_owned();
        for (i, l) in text.lines().enumerate() {
            if i < header {
                out.push_str(l);
                out.push('\n');
                continue;
            }
            if !line(l, &mut out) {
                status = 2;
                break;
            }
        }
    } else {
        for a in &p.operands {
            match convert(a) {
                Ok(s) => {
                    out.push_str(&s);
                    out.push('\n');
                }
                Err(e) => {
                    util::out(task, out.as_bytes());
                    out.clear();
                    util::error(task, NAME, &e);
                    status = 2;
                    break;
                }
            }
        }
    }
    util::out(task, out.as_bytes());
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_human() {
        let f = |v: f64, s: Scale| format(v, s, "from-zero");
        assert_eq!(f(999.0, Scale::Si), "999");
        assert_eq!(f(1000.0, Scale::Si), "1.0K");
        assert_eq!(f(1500.0, Scale::Si), "1.5K");
        assert_eq!(f(123456.0, Scale::Si), "124K");
        assert_eq!(f(999999.0, Scale::Si), "1.0M");
        assert_eq!(f(1023.0, Scale::Iec), "1023");
        assert_eq!(f(10240000.0, Scale::Iec), "9.8M");
        assert_eq!(f(2048.0, Scale::IecI), "2.0Ki");
    }

    #[test]
    fn from_human() {
        assert_eq!(parse("1K", Scale::Si), Ok(1000.0));
        assert_eq!(parse("1.5M", Scale::Si), Ok(1500000.0));
        assert_eq!(parse("1K", Scale::Iec), Ok(1024.0));
        assert_eq!(parse("1Ki", Scale::Auto), Ok(1024.0));
        assert_eq!(parse("2K", Scale::Auto), Ok(2000.0));
        assert!(parse("1K", Scale::None).unwrap_err().starts_with("rejecting suffix"));
        assert_eq!(parse("abc", Scale::None), Err("invalid number: 'abc'".into()));
    }
}
