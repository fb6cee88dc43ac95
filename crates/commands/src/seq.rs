//! `seq [-s SEP] [-w] [-f FORMAT] [FIRST [INCREMENT]] LAST`: print a
//! sequence. Decimal arguments are stepped exactly (scaled integers), so
//! `seq 1 0.1 1.3` ends at 1.3; the output precision is the larger of
//! FIRST's and INCREMENT's, as in GNU seq.

use agentos_kernel::Task;

use crate::printf::{Conv, fmt_float};
use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "seq";

const LONG: &[(&str, Arg, char)] =
    &[("separator", Arg::Req, 's'), ("equal-width", Arg::No, 'w'), ("format", Arg::Req, 'f'), ("help", Arg::No, 'H')];

/// A parsed operand: its value and how many fraction digits it shows.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Num {
    v: f64,
    prec: usize,
    /// Plain decimal (no exponent, not inf/nan): exact stepping possible.
    decimal: bool,
    /// The exact value of an integer operand (any size up to i128).
    int: Option<i128>,
}

fn parse_num(s: &str) -> Option<Num> {
    let t = s.trim_start().strip_prefix('+').unwrap_or(s.trim_start());
    if t.is_empty() || t.starts_with(['+', ' ']) {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let v: f64 = lower.parse().ok()?;
    if lower.contains("0x") {
        return None;
    }
    let (mant, exp) = match lower.split_once('e') {
        Some((m, e)) => (m, e.parse::<i64>().ok()?),
        None => (lower.as_str(), 0),
    };
    let frac = mant.split_once('.').map(|(_, f)| f.len()).unwrap_or(0) as i64;
    let prec = (frac - exp).max(0) as usize;
    let decimal = !lower.contains('e') && v.is_finite();
    let int = if lower.bytes().all(|b| b.is_ascii_digit() || b == b'-') { lower.parse::<i128>().ok() } else { None };
    Some(Num { v, prec, decimal, int })
}

/// Render one value with `-f FORMAT` (one float conversion).
fn with_format(fmt: &str, v: f64) -> String {
    let b = fmt.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            let n = fmt[i..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
            out.push_str(&fmt[i..i + n]);
            i += n;
            continue;
        }
        if b.get(i + 1) == Some(&b'%') {
            out.push('%');
            i += 2;
            continue;
        }
        i += 1;
        let mut c = Conv::default();
        while i < b.len() && matches!(b[i], b'-' | b'+' | b' ' | b'#' | b'0' | b'\'') {
            match b[i] {
                b'-' => c.left = true,
                b'+' => c.plus = true,
                b' ' => c.space = true,
                b'#' => c.alt = true,
                b'0' => c.zero = true,
                _ => {}
            }
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_digit() {
            c.width = c.width * 10 + (b[i] - b'0') as usize;
            i += 1;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            let mut p = 0;
            while i < b.len() && b[i].is_ascii_digit() {
                p = p * 10 + (b[i] - b'0') as usize;
                i += 1;
            }
            c.prec = Some(p);
        }
        if i < b.len() && b[i] == b'L' {
            i += 1;
        }
        let conv = b.get(i).map(|&x| x as char).unwrap_or('g');
        i += 1;
        out.push_str(&fmt_float(conv, &c, v));
    }
    out
}

fn valid_format(fmt: &str) -> Result<(), String> {
    let b = fmt.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if b.get(i + 1) == Some(&b'%') {
                i += 2;
                continue;
            }
            let mut j = i + 1;
            while j < b.len() && (b"-+ #0'.L".contains(&b[j]) || b[j].is_ascii_digit()) {
                j += 1;
            }
            match b.get(j) {
                Some(c) if b"eEfFgGaA".contains(c) => count += 1,
                None => return Err(format!("format {} ends in %", util::quote(fmt))),
                _ => return Err(format!("format {} has unknown %{} directive", util::quote(fmt), b[j] as char)),
            }
            i = j + 1;
            continue;
        }
        i += 1;
    }
    match count {
        0 => Err(format!("format {} has no % directive", util::quote(fmt))),
        1 => Ok(()),
        _ => Err(format!("format {} has too many % directives", util::quote(fmt))),
    }
}

/// Generate the sequence's text (without the final newline).
fn generate(first: Num, step: Num, last: Num, sep: &str, width: bool, fmt: Option<&str>) -> Vec<String> {
    let prec = first.prec.max(step.prec);
    if let (Some(a), Some(d), Some(l), None) = (first.int, step.int, last.int, fmt) {
        let mut out = Vec::new();
        let mut x = a;
        while (d > 0 && x <= l) || (d < 0 && x >= l) {
            out.push(x.to_string());
            x += d;
            if out.len() > 50_000_000 {
                break;
            }
        }
        if width {
            let w = out.iter().map(|s| s.len()).max().unwrap_or(0).max(l.to_string().len());
            for s in out.iter_mut() {
                if s.len() < w {
                    let (sign, digits) = if let Some(d) = s.strip_prefix('-') { ("-", d) } else { ("", s.as_str()) };
                    *s = format!("{sign}{}{digits}", "0".repeat(w - s.len()));
                }
            }
        }
        return out;
    }
    let mut vals: Vec<f64> = Vec::new();
    let exact = first.decimal && step.decimal && last.decimal && prec <= 18;
    if exact {
        let scale = 10f64.powi(prec as i32);
        let to_int = |v: f64| (v * scale).round() as i128;
        let (a, d) = (to_int(first.v), to_int(step.v));
        // LAST is compared at full precision: floor/ceil at this scale.
        let l = if d > 0 { (last.v * scale + 1e-9).floor() as i128 } else { (last.v * scale - 1e-9).ceil() as i128 };
        let mut x = a;
        while (d > 0 && x <= l) || (d < 0 && x >= l) {
            vals.push(x as f64 / scale);
            x += d;
            if vals.len() > 50_000_000 {
                break;
            }
        }
    } else {
        let mut i = 0f64;
        loop {
            let x = first.v + i * step.v;
            if (step.v > 0.0 && x > last.v) || (step.v < 0.0 && x < last.v) || !x.is_finite() && vals.len() > 1 {
                break;
            }
            vals.push(x);
            i += 1.0;
            if vals.len() > 50_000_000 {
                break;
            }
        }
    }
    let _ = sep;
    let mut out: Vec<String> = vals
        .iter()
        .map(|&v| match fmt {
            Some(f) => with_format(f, v),
            None => {
                if exact || prec > 0 || first.v.fract() != 0.0 || step.v.fract() != 0.0 || v.abs() < 1e18 {
                    format!("{v:.prec$}")
                } else {
                    fmt_float('g', &Conv::default(), v)
                }
            }
        })
        .collect();
    if width && fmt.is_none() {
        let w = out.iter().map(|s| s.len()).max().unwrap_or(0).max(format!("{:.prec$}", last.v).len());
        for s in out.iter_mut() {
            if s.len() < w {
                let (sign, digits) = if let Some(d) = s.strip_prefix('-') { ("-", d) } else { ("", s.as_str()) };
                *s = format!("{sign}{}{digits}", "0".repeat(w - s.len()));
            }
        }
    }
    out
}

pub fn main(task: &mut Task) -> i32 {
    let mut spec = Spec::new("s:wf:", LONG);
    spec.negative_numbers = true;
    let p = match opts::parse(&spec, &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... LAST");
    }
    let ops = &p.operands;
    if ops.is_empty() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    if ops.len() > 3 {
        return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(&ops[3])), 1);
    }
    let mut nums = Vec::new();
    for o in ops {
        match parse_num(o) {
            Some(n) if !n.v.is_nan() => nums.push(n),
            _ => {
                return util::usage_error(
                    task,
                    NAME,
                    &format!("invalid floating point argument: {}", util::quote(o)),
                    1,
                );
            }
        }
    }
    let one = Num { v: 1.0, prec: 0, decimal: true, int: Some(1) };
    let (first, step, last) = match nums.len() {
        1 => (one, one, nums[0]),
        2 => (nums[0], one, nums[1]),
        _ => (nums[0], nums[1], nums[2]),
    };
    if step.v == 0.0 {
        return util::usage_error(task, NAME, &format!("invalid Zero increment value: {}", util::quote(&ops[1])), 1);
    }
    let fmt = p.last('f');
    if let Some(f) = fmt {
        if p.has('w') {
            return util::usage_error(
                task,
                NAME,
                "format string may not be specified when printing equal width strings",
                1,
            );
        }
        if let Err(m) = valid_format(f) {
            util::error(task, NAME, &m);
            return 1;
        }
    }
    let sep = p.last('s').unwrap_or("\n");
    let items = generate(first, step, last, sep, p.has('w'), fmt);
    if items.is_empty() {
        return 0;
    }
    let mut out = items.join(sep);
    out.push('\n');
    util::out(task, out.as_bytes());
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str], w: bool, fmt: Option<&str>) -> Vec<String> {
        let n: Vec<Num> = args.iter().map(|a| parse_num(a).unwrap()).collect();
        let one = Num { v: 1.0, prec: 0, decimal: true, int: Some(1) };
        let (f, s, l) = match n.len() {
            1 => (one, one, n[0]),
            2 => (n[0], one, n[1]),
            _ => (n[0], n[1], n[2]),
        };
        generate(f, s, l, "\n", w, fmt)
    }

    #[test]
    fn sequences() {
        assert_eq!(run(&["3"], false, None), ["1", "2", "3"]);
        assert_eq!(run(&["10", "-3", "1"], false, None), ["10", "7", "4", "1"]);
        assert_eq!(run(&["1", "0.1", "1.3"], false, None), ["1.0", "1.1", "1.2", "1.3"]);
        assert_eq!(run(&["0.5", "2"], false, None), ["0.5", "1.5"]);
        assert_eq!(run(&["1e2", "1e2"], false, None), ["100"]);
        assert_eq!(run(&["8", "11"], true, None), ["08", "09", "10", "11"]);
        assert_eq!(run(&["-5", "-3"], true, None), ["-5", "-4", "-3"]);
        assert_eq!(run(&["1", "3"], false, Some("item%03g")), ["item001", "item002", "item003"]);
        assert_eq!(run(&["0", "0.5", "1.5"], false, Some("%.2f")), ["0.00", "0.50", "1.00", "1.50"]);
        assert_eq!(run(&["5", "1"], false, None), Vec::<String>::new());
        assert_eq!(run(&["1", "0.25", "2"], false, None), ["1.00", "1.25", "1.50", "1.75", "2.00"]);
    }
}
