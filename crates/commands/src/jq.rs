//! `jq [OPTIONS] FILTER [FILE]...`: the JSON processor, with the filter
//! language of jaq (`jaq-core` + `jaq-std` + `jaq-json`) and jq 1.6's
//! output: two-space indentation, `"key": value`, numbers as doubles
//! printed with 17 significant digits at most (`1e+17`), control
//! characters as `\u00XX`, no colours. Options: `-r -j -c -n -s -e -S
//! --tab --indent N --arg --argjson -a`. Exit 5 on a runtime error, 3
//! on a compile error, 2 on bad input, 1/4 with `-e`.

use agentos_kernel::Task;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;

use crate::util;

const NAME: &str = "jq";

/// Output settings.
#[derive(Clone, Debug)]
pub struct Fmt {
    /// Indent unit; `None` for compact output.
    pub indent: Option<String>,
    pub sort_keys: bool,
    pub ascii: bool,
}

/// A number as jq 1.6 prints it (via a double).
pub fn fmt_num(f: f64) -> String {
    if f.is_nan() {
        return "null".into();
    }
    let f = f.clamp(f64::MIN, f64::MAX);
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mant) = match mant.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mant),
    };
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let n = digits.len() as i32;
    let decpt = exp + 1;
    if decpt <= -4 || decpt > n + 15 {
        let m = if n > 1 { format!("{}.{}", &digits[..1], &digits[1..]) } else { digits.clone() };
        let es = if exp < 0 { "-" } else { "+" };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    if decpt <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize))
    } else if decpt >= n {
        format!("{sign}{digits}{}", "0".repeat((decpt - n) as usize))
    } else {
        format!("{sign}{}.{}", &digits[..decpt as usize], &digits[decpt as usize..])
    }
}

fn fmt_str(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if ascii && !c.is_ascii() => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn num_f64(n: &jaq_json::Val) -> f64 {
    match n {
        Val::Num(n) => n.to_string().parse().unwrap_or(f64::NAN),
        _ => f64::NAN,
    }
}

fn text(v: &Val) -> String {
    match v {
        Val::TStr(b) | Val::BStr(b) => String::from_utf8_lossy(b).into_owned(),
        _ => String::new(),
    }
}

/// Serialise `v` as jq does.
pub fn write(out: &mut String, v: &Val, f: &Fmt, level: usize) {
    let nl = |out: &mut String, level: usize| {
        if let Some(ind) = &f.indent {
            out.push('\n');
            for _ in 0..level {
                out.push_str(ind);
            }
        }
    };
    match v {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(_) => out.push_str(&fmt_num(num_f64(v))),
        Val::TStr(_) | Val::BStr(_) => fmt_str(out, &text(v), f.ascii),
        Val::Arr(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, level + 1);
                write(out, x, f, level + 1);
            }
            nl(out, level);
            out.push(']');
        }
        Val::Obj(o) => {
            if o.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            let mut items: Vec<(&Val, &Val)> = o.iter().collect();
            if f.sort_keys {
                items.sort_by_key(|a| text(a.0));
            }
            for (i, (k, x)) in items.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, level + 1);
                match k {
                    Val::TStr(_) | Val::BStr(_) => fmt_str(out, &text(k), f.ascii),
                    k => {
                        let mut s = String::new();
                        write(&mut s, k, f, 0);
                        fmt_str(out, &s, f.ascii);
                    }
                }
                out.push(':');
                if f.indent.is_some() {
                    out.push(' ');
                }
                write(out, x, f, level + 1);
            }
            nl(out, level);
            out.push('}');
        }
    }
}

/// A compiled filter and how to run it.
pub struct Program {
    filter: jaq_core::Filter<data::JustLut<Val>>,
    values: Vec<Val>,
}

/// Compile `code` with named variables (`$name`) bound to `vars`.
pub fn compile(code: &str, vars: Vec<(String, Val)>) -> Result<Program, String> {
    let names: Vec<String> = vars.iter().map(|(n, _)| format!("${n}")).collect();
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
    let funs = jaq_core::funs().chain(jaq_std::funs()).chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let modules = loader.load(&arena, File { code, path: () }).map_err(|errs| {
        let n = errs.len();
        format!(
            "jq: error: syntax error in filter {}\njq: {n} compile error{}",
            util::quote(code),
            if n == 1 { "" } else { "s" }
        )
    })?;
    let filter = Compiler::default()
        .with_funs(funs.map(|(n, a, f)| -> (&str, _, _) { (n, a, f) }))
        .with_global_vars(names.iter().map(String::as_str))
        .compile(modules)
        .map_err(|errs| {
            let n = errs.len();
            format!(
                "jq: error: {} is not defined\njq: {n} compile error{}",
                util::quote(code),
                if n == 1 { "" } else { "s" }
            )
        })?;
    Ok(Program { filter, values: vars.into_iter().map(|(_, v)| v).collect() })
}

impl Program {
    /// Run on one input; each output, or the error message.
    pub fn run(&self, input: Val) -> Vec<Result<Val, String>> {
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.filter.lut, Vars::new(self.values.clone()));
        self.filter
            .id
            .run((ctx, input))
            .map(unwrap_valr)
            .map(|r| {
                r.map_err(|e| {
                    let s = e.to_string();
                    s.strip_prefix("error: ").unwrap_or(&s).to_string()
                })
            })
            .collect()
    }
}

/// Parse a whole input stream of JSON values.
pub fn parse_all(data: &[u8]) -> Result<Vec<Val>, String> {
    jaq_json::read::parse_many(data).map(|r| r.map_err(|e| e.to_string())).collect()
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let mut fmt = Fmt { indent: Some("  ".into()), sort_keys: false, ascii: false };
    let (mut raw, mut join, mut null_in, mut slurp, mut exit_status, mut raw_in) =
        (false, false, false, false, false, false);
    let mut vars: Vec<(String, Val)> = Vec::new();
    let mut positional: Vec<String> = Vec::new();
    let mut i = 0;
    let mut after_dashdash = false;
    while i < args.len() {
        let a = args[i].clone();
        i += 1;
        if after_dashdash || !a.starts_with('-') || a == "-" {
            positional.push(a);
            continue;
        }
        let mut need = |n: usize| -> Option<Vec<String>> {
            let v = args.get(i..i + n)?.to_vec();
            i += n;
            Some(v)
        };
        match a.as_str() {
            "--" => after_dashdash = true,
            "-r" | "--raw-output" => raw = true,
            "-j" | "--join-output" => {
                raw = true;
                join = true
            }
            "-c" | "--compact-output" => fmt.indent = None,
            "-n" | "--null-input" => null_in = true,
            "-s" | "--slurp" => slurp = true,
            "-R" | "--raw-input" => raw_in = true,
            "-e" | "--exit-status" => exit_status = true,
            "-S" | "--sort-keys" => fmt.sort_keys = true,
            "-a" | "--ascii-output" => fmt.ascii = true,
            "-M" | "--monochrome-output" | "-C" | "--color-output" => {}
            "--tab" => fmt.indent = Some("\t".into()),
            "--indent" => match need(1).and_then(|v| v[0].parse::<usize>().ok()) {
                Some(0) => fmt.indent = None,
                Some(n) if n <= 7 => fmt.indent = Some(" ".repeat(n)),
                _ => {
                    util::error(task, NAME, "Cannot indent more than 7 characters");
                    return 2;
                }
            },
            "--arg" => match need(2) {
                Some(v) => vars.push((v[0].clone(), Val::from(v[1].clone()))),
                None => {
                    util::error(task, NAME, "--arg takes two parameters (e.g. --arg varname value)");
                    return 2;
                }
            },
            "--argjson" => match need(2) {
                Some(v) => match jaq_json::read::parse_single(v[1].as_bytes()) {
                    Ok(j) => vars.push((v[0].clone(), j)),
                    Err(_) => {
                        util::error(task, NAME, "Invalid JSON text passed to --argjson");
                        util::try_help(task, NAME);
                        return 2;
                    }
                },
                None => {
                    util::error(task, NAME, "--argjson takes two parameters (e.g. --argjson varname text)");
                    return 2;
                }
            },
            "-h" | "--help" => return util::help(task, NAME, "[OPTIONS] FILTER [FILES...]"),
            "--version" => {
                util::out(task, b"jq-1.6\n");
                return 0;
            }
            s if s.len() > 2 && !s.starts_with("--") && s[1..].chars().all(|c| "rjcnsReSaM".contains(c)) => {
                for c in s[1..].chars() {
                    match c {
                        'r' => raw = true,
                        'j' => {
                            raw = true;
                            join = true
                        }
                        'c' => fmt.indent = None,
                        'n' => null_in = true,
                        's' => slurp = true,
                        'R' => raw_in = true,
                        'e' => exit_status = true,
                        'S' => fmt.sort_keys = true,
                        'a' => fmt.ascii = true,
                        _ => {}
                    }
                }
            }
            s => {
                util::error(task, NAME, &format!("Unknown option: {s}"));
                let _ = task.write_all(2, b"Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n");
                return 2;
            }
        }
    }
    if positional.is_empty() {
        let _ = task.write_all(2, b"Usage:\tjq [OPTIONS] FILTER [FILES...]\n");
        return 2;
    }
    let code = positional.remove(0);
    // $ENV and $__loc__-free named args, as jq provides.
    let env: jaq_json::Map = task.env.iter().map(|(k, v)| (Val::from(k.clone()), Val::from(v.clone()))).collect();
    vars.push(("ENV".into(), Val::obj(env)));
    let prog = match compile(&code, vars) {
        Ok(p) => p,
        Err(e) => {
            let _ = task.write_all(2, format!("{e}\n").as_bytes());
            return 3;
        }
    };
    let files = if positional.is_empty() { vec!["-".to_string()] } else { positional };
    let mut data = Vec::new();
    for f in &files {
        match util::input::read_file(task, f) {
            Ok(d) => data.extend(d),
            Err(e) => {
                util::error(task, NAME, &format!("error: Could not open {f}: {}", e.strerror()));
                return 2;
            }
        }
    }
    let inputs: Vec<Val> = if null_in {
        vec![Val::Null]
    } else {
        let vals = if raw_in {
            let t = String::from_utf8_lossy(&data).into_owned();
            if slurp { vec![Val::from(t)] } else { t.lines().map(|l| Val::from(l.to_string())).collect() }
        } else {
            match parse_all(&data) {
                Ok(v) => v,
                Err(e) => {
                    util::error(task, NAME, &format!("error (at <stdin>:0): Cannot parse input: {e}"));
                    return 2;
                }
            }
        };
        if slurp && !raw_in { vec![Val::Arr(vals.into())] } else { vals }
    };
    let mut status = 0;
    let mut last: Option<Val> = None;
    let mut out = String::new();
    for input in inputs {
        for r in prog.run(input) {
            match r {
                Ok(v) => {
                    match (&v, raw) {
                        (Val::TStr(_) | Val::BStr(_), true) => out.push_str(&text(&v)),
                        _ => write(&mut out, &v, &fmt, 0),
                    }
                    if !join {
                        out.push('\n');
                    }
                    last = Some(v);
                }
                Err(e) => {
                    util::out(task, out.as_bytes());
                    out.clear();
                    util::error(task, NAME, &format!("error (at <stdin>:0): {e}"));
                    status = 5;
                }
            }
        }
    }
    util::out(task, out.as_bytes());
    if status == 0 && exit_status {
        status = match last {
            None => 4,
            Some(Val::Null | Val::Bool(false)) => 1,
            Some(_) => 0,
        };
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jq(code: &str, input: &str, compact: bool) -> String {
        let p = compile(code, vec![]).unwrap();
        let f = Fmt { indent: if compact { None } else { Some("  ".into()) }, sort_keys: false, ascii: false };
        let mut out = String::new();
        for v in parse_all(input.as_bytes()).unwrap() {
            for r in p.run(v) {
                write(&mut out, &r.unwrap(), &f, 0);
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn numbers_like_jq_16() {
        assert_eq!(fmt_num(1000000.0), "1000000");
        assert_eq!(fmt_num(1e17), "1e+17");
        assert_eq!(fmt_num(123456789012345678901.0), "123456789012345680000");
        assert_eq!(fmt_num(0.0001), "0.0001");
        assert_eq!(fmt_num(0.00001), "1e-05");
        assert_eq!(fmt_num(1.5e-7), "1.5e-07");
        assert_eq!(fmt_num(1.25), "1.25");
        assert_eq!(fmt_num(-0.0), "-0");
        assert_eq!(fmt_num(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(fmt_num(f64::INFINITY), "1.7976931348623157e+308");
    }

    #[test]
    fn filters_and_layout() {
        assert_eq!(jq(".a", r#"{"a":[1,{}],"b":[]}"#, false), "[\n  1,\n  {}\n]\n");
        assert_eq!(jq("{b:.a, c:[]}", r#"{"a":1}"#, true), "{\"b\":1,\"c\":[]}\n");
        assert_eq!(jq("map(.+1)", "[1,2]", true), "[2,3]\n");
        assert_eq!(jq(".[] | select(. > 1)", "[1,2,3]", true), "2\n3\n");
        assert_eq!(jq("keys", r#"{"b":1,"a":2}"#, true), "[\"a\",\"b\"]\n");
        assert_eq!(jq("\"a\\u0001\"", "null", true), "\"a\\u0001\"\n");
    }
}
