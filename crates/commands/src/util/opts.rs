//! A GNU `getopt_long`-style parser: combined short flags (`-la`), short
//! options with attached or separate arguments (`-n5`, `-n 5`), long
//! options with unique-prefix abbreviation (`--num`, `--lines=5`,
//! `--lines 5`), `--`, and operands mixed with options (permutation),
//! unless the command stops at the first operand (`env`, `timeout`).

/// Whether an option takes an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    No,
    Req,
    /// Only as `--long=value` (or `-xvalue` for short options).
    Opt,
}

/// The options a command accepts.
pub struct Spec<'a> {
    /// getopt-style: `"ab:c::"` — `:` requires an argument, `::` allows one.
    pub short: &'a str,
    /// `(name, argument, id)`; the id is reported as the option's char.
    pub long: &'a [(&'a str, Arg, char)],
    /// Stop at the first operand (POSIX order) instead of permuting.
    pub stop_at_operand: bool,
    /// Treat `-5`, `-1.5` (a dash then a digit or dot) as an operand.
    pub negative_numbers: bool,
}

impl<'a> Spec<'a> {
    pub const fn new(short: &'a str, long: &'a [(&'a str, Arg, char)]) -> Spec<'a> {
        Spec { short, long, stop_at_operand: false, negative_numbers: false }
    }

    fn short_arg(&self, c: char) -> Option<Arg> {
        let chars: Vec<char> = self.short.chars().collect();
        let i = chars.iter().position(|&x| x == c && x != ':')?;
        Some(match (chars.get(i + 1), chars.get(i + 2)) {
            (Some(':'), Some(':')) => Arg::Opt,
            (Some(':'), _) => Arg::Req,
            _ => Arg::No,
        })
    }
}

/// Parsed command line: options in order, then operands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub opts: Vec<(char, Option<String>)>,
    pub operands: Vec<String>,
}

impl Parsed {
    /// Whether option `c` was given.
    pub fn has(&self, c: char) -> bool {
        self.opts.iter().any(|(o, _)| *o == c)
    }
    /// The argument of the last occurrence of `c`.
    pub fn last(&self, c: char) -> Option<&str> {
        self.opts.iter().rev().find(|(o, _)| *o == c).and_then(|(_, v)| v.as_deref())
    }
    /// Arguments of every occurrence of `c`.
    pub fn all(&self, c: char) -> Vec<&str> {
        self.opts.iter().filter(|(o, _)| *o == c).filter_map(|(_, v)| v.as_deref()).collect()
    }
}

/// Parse `args` (without `argv[0]`). Errors are GNU's message texts.
pub fn parse(spec: &Spec<'_>, args: &[String]) -> Result<Parsed, String> {
    let mut p = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            p.operands.extend(args[i..].iter().cloned());
            break;
        }
        let is_num = spec.negative_numbers
            && a.len() > 1
            && a.as_bytes()[0] == b'-'
            && (a.as_bytes()[1].is_ascii_digit() || a.as_bytes()[1] == b'.');
        if a == "-" || !a.starts_with('-') || is_num {
            p.operands.push(a.clone());
            if spec.stop_at_operand {
                p.operands.extend(args[i..].iter().cloned());
                break;
            }
            continue;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let exact = spec.long.iter().find(|(n, _, _)| *n == name);
            let cands: Vec<&(&str, Arg, char)> = match exact {
                Some(e) => vec![e],
                None => spec.long.iter().filter(|(n, _, _)| n.starts_with(name)).collect(),
            };
            let first = match cands.first() {
                None => return Err(format!("unrecognized option '--{name}'")),
                Some(f) => *f,
            };
            if cands.iter().any(|c| c.2 != first.2 || c.1 != first.1) {
                let list: Vec<String> = cands.iter().map(|c| format!("'--{}'", c.0)).collect();
                return Err(format!("option '--{name}' is ambiguous; possibilities: {}", list.join(" ")));
            }
            let (full, kind, id) = *first;
            match (kind, value) {
                (Arg::No, Some(_)) => return Err(format!("option '--{full}' doesn't allow an argument")),
                (Arg::No, None) => p.opts.push((id, None)),
                (Arg::Opt, v) => p.opts.push((id, v)),
                (Arg::Req, Some(v)) => p.opts.push((id, Some(v))),
                (Arg::Req, None) => match args.get(i) {
                    Some(v) => {
                        p.opts.push((id, Some(v.clone())));
                        i += 1;
                    }
                    None => return Err(format!("option '--{full}' requires an argument")),
                },
            }
            continue;
        }
        // A cluster of short options.
        let chars: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            j += 1;
            let kind = match spec.short_arg(c) {
                Some(k) => k,
                None => return Err(format!("invalid option -- '{c}'")),
            };
            match kind {
                Arg::No => p.opts.push((c, None)),
                Arg::Opt => {
                    let rest: String = chars[j..].iter().collect();
                    p.opts.push((c, (!rest.is_empty()).then_some(rest)));
                    break;
                }
                Arg::Req => {
                    let rest: String = chars[j..].iter().collect();
                    if !rest.is_empty() {
                        p.opts.push((c, Some(rest)));
                    } else if let Some(v) = args.get(i) {
                        p.opts.push((c, Some(v.clone())));
                        i += 1;
                    } else {
                        return Err(format!("option requires an argument -- '{c}'"));
                    }
                    break;
                }
            }
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    const LONG: &[(&str, Arg, char)] =
        &[("lines", Arg::Req, 'n'), ("all", Arg::No, 'a'), ("almost-all", Arg::No, 'A'), ("color", Arg::Opt, 'C')];

    #[test]
    fn combined_short_and_args() {
        let s = Spec::new("aAln:", LONG);
        let p = parse(&s, &v(&["-la", "x", "-n5", "-n", "7", "y"])).unwrap();
        assert_eq!(p.opts, vec![('l', None), ('a', None), ('n', Some("5".into())), ('n', Some("7".into()))]);
        assert_eq!(p.operands, v(&["x", "y"]));
        assert_eq!(p.last('n'), Some("7"));
    }

    #[test]
    fn long_options() {
        let s = Spec::new("aAln:", LONG);
        let p = parse(&s, &v(&["--lines=3", "--lin", "4", "--color", "--color=never", "--", "-a"])).unwrap();
        assert_eq!(
            p.opts,
            vec![('n', Some("3".into())), ('n', Some("4".into())), ('C', None), ('C', Some("never".into()))]
        );
        assert_eq!(p.operands, v(&["-a"]));
        assert_eq!(
            parse(&s, &v(&["--al"])).unwrap_err(),
            "option '--al' is ambiguous; possibilities: '--all' '--almost-all'"
        );
        assert_eq!(parse(&s, &v(&["--nope"])).unwrap_err(), "unrecognized option '--nope'");
        assert_eq!(parse(&s, &v(&["--all=x"])).unwrap_err(), "option '--all' doesn't allow an argument");
        assert_eq!(parse(&s, &v(&["--lines"])).unwrap_err(), "option '--lines' requires an argument");
    }

    #[test]
    fn errors_and_ordering() {
        let s = Spec::new("aAln:", LONG);
        assert_eq!(parse(&s, &v(&["-z"])).unwrap_err(), "invalid option -- 'z'");
        assert_eq!(parse(&s, &v(&["-n"])).unwrap_err(), "option requires an argument -- 'n'");
        let mut s2 = Spec::new("iu:", &[]);
        s2.stop_at_operand = true;
        let p = parse(&s2, &v(&["-i", "cmd", "-u", "x"])).unwrap();
        assert_eq!(p.opts, vec![('i', None)]);
        assert_eq!(p.operands, v(&["cmd", "-u", "x"]));
        let mut s3 = Spec::new("s:w", &[]);
        s3.negative_numbers = true;
        let p = parse(&s3, &v(&["-3", "-w", "-1.5"])).unwrap();
        assert_eq!(p.operands, v(&["-3", "-1.5"]));
        assert_eq!(parse(&s, &v(&["-", "a"])).unwrap().operands, v(&["-", "a"]));
    }
}
