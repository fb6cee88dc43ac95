//! `nl [-b STYLE] [-n FORMAT] [-w N] [-s SEP] [-v N] [-i N] [FILE]...`:
//! number lines (body section only; `\:` page delimiters are honoured as
//! section breaks that reset numbering).

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "nl";

const LONG: &[(&str, Arg, char)] = &[
    ("body-numbering", Arg::Req, 'b'),
    ("header-numbering", Arg::Req, 'h'),
    ("footer-numbering", Arg::Req, 'f'),
    ("number-format", Arg::Req, 'n'),
    ("number-width", Arg::Req, 'w'),
    ("number-separator", Arg::Req, 's'),
    ("starting-line-number", Arg::Req, 'v'),
    ("line-increment", Arg::Req, 'i'),
    ("no-renumber", Arg::No, 'p'),
    ("join-blank-lines", Arg::Req, 'l'),
    ("section-delimiter", Arg::Req, 'd'),
    ("help", Arg::No, 'H'),
];

/// Format a line number as `-n ln|rn|rz` in `width` columns.
pub fn format_number(n: i64, style: &str, width: usize) -> String {
    match style {
        "ln" => format!("{n:<width$}"),
        "rz" => {
            if n < 0 {
                format!("-{:0>w$}", -n, w = width.saturating_sub(1))
            } else {
                format!("{n:0>width$}")
            }
        }
        _ => format!("{n:>width$}"),
    }
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("b:h:f:n:w:s:v:i:pl:d:", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let style = p.last('b').unwrap_or("t").to_string();
    let fmt = p.last('n').unwrap_or("rn").to_string();
    if !matches!(fmt.as_str(), "ln" | "rn" | "rz") {
        return util::usage_error(task, NAME, &format!("invalid line numbering format: {}", util::quote(&fmt)), 1);
    }
    let num = |c: char, d: i64| -> Result<i64, String> {
        match p.last(c) {
            Some(v) => v.parse().map_err(|_| v.to_string()),
            None => Ok(d),
        }
    };
    let (width, start, incr) = match (num('w', 6), num('v', 1), num('i', 1)) {
        (Ok(w), Ok(v), Ok(i)) if w > 0 => (w as usize, v, i),
        (Ok(w), ..) if w <= 0 => {
            util::error(task, NAME, &format!("invalid line number field width: {}", util::quote(&w.to_string())));
            return 1;
        }
        (Err(v), ..) | (_, Err(v), _) | (_, _, Err(v)) => {
            util::error(task, NAME, &format!("invalid argument: {}", util::quote(&v)));
            return 1;
        }
        _ => (6, 1, 1),
    };
    let sep = p.last('s').unwrap_or("\t").to_string();
    let regex = match style.strip_prefix('p') {
        Some(r) => match regex::bytes::Regex::new(r) {
            Ok(re) => Some(re),
            Err(_) => {
                util::error(task, NAME, &format!("invalid body numbering style: {}", util::quote(&style)));
                return 1;
            }
        },
        None => None,
    };
    if regex.is_none() && !matches!(style.as_str(), "a" | "t" | "n") {
        util::error(task, NAME, &format!("invalid body numbering style: {}", util::quote(&style)));
        return 1;
    }
    let task: &Task = task;
    let mut w = task.stdout();
    let mut n = start;
    let keep_numbering = p.has('p');
    util::input::for_each_line(task, NAME, &p.operands, &mut w, |w, body, nl| {
        if matches!(body, b"\\:\\:\\:" | b"\\:\\:" | b"\\:") {
            if !keep_numbering {
                n = start;
            }
            let _ = w.write_all(b"\n");
            return;
        }
        let numbered = match style.as_str() {
            "a" => true,
            "n" => false,
            "t" => !body.is_empty(),
            _ => regex.as_ref().is_some_and(|r| r.is_match(body)),
        };
        if numbered {
            let _ = write!(w, "{}{sep}", format_number(n, &fmt, width));
            n += incr;
        } else {
            let _ = write!(w, "{}", " ".repeat(width + sep.len()));
        }
        let _ = w.write_all(body);
        if nl {
            let _ = w.write_all(b"\n");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(format_number(1, "rn", 6), "     1");
        assert_eq!(format_number(1, "ln", 6), "1     ");
        assert_eq!(format_number(1, "rz", 3), "001");
        assert_eq!(format_number(-1, "rz", 3), "-01");
    }
}
