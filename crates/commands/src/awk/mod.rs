//! `awk [-F fs] [-v var=value] [-f progfile | 'program'] [file ...]`: the
//! pattern scanning language, POSIX awk plus the common gawk extensions
//! (`gensub`, `match` with an array, regex `RS` and `RT`, `nextfile`,
//! `IGNORECASE` is accepted but ignored), with gawk 5's messages. Also
//! installed as `gawk`.
//!
//! Split: [`lexer`] → [`parser`]/[`parse_expr`] build an [`ast`] with
//! variables resolved to slots; [`interp`] runs it with [`eval`],
//! [`builtins`] and [`streams`]; [`record`] splits fields lazily; [`value`]
//! and [`format`] convert numbers like C's printf.

mod array;
mod ast;
mod builtins;
mod eval;
mod format;
mod interp;
mod io;
mod lexer;
mod parse_expr;
mod parser;
mod record;
mod streams;
mod value;

use agentos_kernel::Task;

use crate::util;
use ast::Var;
use interp::Interp;
use value::Value;

const USAGE: &str = "Usage: awk [POSIX or GNU style options] -f progfile [--] file ...\n\
Usage: awk [POSIX or GNU style options] [--] 'program' file ...\n";

/// `name=value` with a valid awk identifier as name.
pub fn split_assignment(arg: &[u8]) -> Option<(&[u8], &[u8])> {
    let eq = arg.iter().position(|&b| b == b'=')?;
    let name = &arg[..eq];
    let first = *name.first()?;
    if !(first.is_ascii_alphabetic() || first == b'_') || !name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        return None;
    }
    Some((name, &arg[eq + 1..]))
}

/// Escape sequences in `-v` values and command-line assignments, as in
/// string literals.
pub fn process_escapes(s: &[u8]) -> Vec<u8> {
    let mut quoted = Vec::with_capacity(s.len() + 2);
    quoted.push(b'"');
    for &b in s {
        if b == b'"' {
            quoted.push(b'\\');
        }
        if b == b'\n' {
            quoted.extend_from_slice(b"\\n");
            continue;
        }
        quoted.push(b);
    }
    if s.last() == Some(&b'\\') && !s.ends_with(b"\\\\") {
        quoted.push(b'\\');
    }
    quoted.push(b'"');
    match lexer::Lexer::new(&quoted).next() {
        Ok((lexer::Tok::Str(v), _)) => v,
        _ => s.to_vec(),
    }
}

/// Where program text came from, for messages.
struct Source {
    start: usize,
    name: String,
}

fn report_parse_error(task: &Task, src: &[u8], sources: &[Source], msg: &str, pos: usize) -> i32 {
    if pos == usize::MAX {
        util::error(task, "awk", &format!("cmd. line:1: fatal: {msg}"));
        return 2;
    }
    let pos = pos.min(src.len().saturating_sub(1));
    let s = sources.iter().rev().find(|s| s.start <= pos).unwrap_or(&sources[0]);
    let line_start = src[..pos].iter().rposition(|&b| b == b'\n').map(|i| i + 1).unwrap_or(0).max(s.start);
    let mut line_end = src[pos..].iter().position(|&b| b == b'\n').map(|i| pos + i).unwrap_or(src.len());
    if src.get(pos) == Some(&b'\n') && pos > line_start {
        line_end = pos;
    }
    let line_no = 1 + src[s.start..line_start].iter().filter(|&&b| b == b'\n').count();
    let text = String::from_utf8_lossy(&src[line_start..line_end]);
    let col = pos - line_start;
    let prefix = format!("awk: {}:{line_no}: ", s.name);
    let m = format!("{prefix}{text}\n{prefix}{}^ {msg}\n", " ".repeat(col));
    let _ = task.write_all(2, m.as_bytes());
    1
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let mut fs: Option<Vec<u8>> = None;
    let mut assigns: Vec<Vec<u8>> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let take = |i: &mut usize, rest: &str| -> Option<String> {
            if !rest.is_empty() {
                Some(rest.to_string())
            } else {
                *i += 1;
                args.get(*i).cloned()
            }
        };
        if a == "--" {
            i += 1;
            break;
        }
        if a == "--version" || a == "-V" {
            util::out(task, b"GNU Awk 5.2.1, API 3.2\n");
            return 0;
        }
        if a == "--help" || a == "-h" {
            util::out(task, USAGE.as_bytes());
            return 0;
        }
        let (opt, rest) = if let Some(l) = a.strip_prefix("--") {
            let (n, v) = l.split_once('=').unwrap_or((l, ""));
            let short = match n {
                "field-separator" => "F",
                "assign" => "v",
                "file" => "f",
                _ => {
                    util::error(task, "awk", &format!("unrecognized option '--{n}'"));
                    let _ = task.write_all(2, USAGE.as_bytes());
                    return 2;
                }
            };
            (short, v)
        } else if a.len() > 1 && a.starts_with('-') {
            (&a[1..2], &a[2..])
        } else {
            break;
        };
        match opt {
            "F" => match take(&mut i, rest) {
                Some(v) => fs = Some(process_escapes(v.as_bytes())),
                None => return missing_arg(task, 'F'),
            },
            "v" => match take(&mut i, rest) {
                Some(v) => {
                    if split_assignment(v.as_bytes()).is_none() {
                        util::error(task, "awk", &format!("fatal: `{v}' is not a legal variable name"));
                        return 2;
                    }
                    assigns.push(v.into_bytes());
                }
                None => return missing_arg(task, 'v'),
            },
            "f" => match take(&mut i, rest) {
                Some(v) => files.push(v),
                None => return missing_arg(task, 'f'),
            },
            "b" | "c" | "P" | "r" | "S" | "O" | "N" | "s" => {}
            _ => {
                util::error(task, "awk", &format!("invalid option -- '{}'", opt));
                let _ = task.write_all(2, USAGE.as_bytes());
                return 2;
            }
        }
        i += 1;
    }
    let mut src = Vec::new();
    let mut sources = Vec::new();
    if files.is_empty() {
        let Some(p) = args.get(i) else {
            let _ = task.write_all(2, USAGE.as_bytes());
            return 2;
        };
        i += 1;
        sources.push(Source { start: 0, name: "cmd. line".into() });
        src.extend_from_slice(p.as_bytes());
        src.push(b'\n');
    } else {
        for f in &files {
            match util::input::read_file(task, f) {
                Ok(text) => {
                    sources.push(Source { start: src.len(), name: f.clone() });
                    src.extend_from_slice(&text);
                    src.push(b'\n');
                }
                Err(e) => {
                    util::error(
                        task,
                        "awk",
                        &format!("fatal: can't open source file `{f}' for reading: {}", e.strerror()),
                    );
                    return 2;
                }
            }
        }
    }
    let prog = match parser::parse(&src) {
        Ok(p) => p,
        Err((msg, pos)) => return report_parse_error(task, &src, &sources, &msg, pos),
    };
    let mut argv = vec!["awk".to_string()];
    argv.extend(args[i..].iter().cloned());
    let mut it = match Interp::new(task, prog) {
        Ok(it) => it,
        Err(e) => {
            util::error(task, "awk", &format!("cmd. line:1: fatal: {e}"));
            return 2;
        }
    };
    it.set_argv(&argv);
    if let Some(fs) = fs
        && let Err(interp::Jump::Fatal(m)) = it.set_var(Var::Global(ast::Special::Fs as usize), Value::str(&fs))
    {
        return it.die(&m);
    }
    for a in &assigns {
        let Some((name, value)) = split_assignment(a) else { continue };
        let v = process_escapes(value);
        let slot = it.prog.globals.iter().position(|g| g.as_bytes() == name);
        if let Some(slot) = slot
            && let Err(interp::Jump::Fatal(m)) = it.set_var(Var::Global(slot), Value::input(&v))
        {
            return it.die(&m);
        }
    }
    it.run()
}

fn missing_arg(task: &Task, c: char) -> i32 {
    util::error(task, "awk", &format!("option requires an argument -- {c}"));
    let _ = task.write_all(2, USAGE.as_bytes());
    2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_and_escapes() {
        assert_eq!(split_assignment(b"x=1"), Some((&b"x"[..], &b"1"[..])));
        assert_eq!(split_assignment(b"_a9=b=c"), Some((&b"_a9"[..], &b"b=c"[..])));
        assert_eq!(split_assignment(b"9x=1"), None);
        assert_eq!(split_assignment(b"./f=1"), None);
        assert_eq!(process_escapes(br"a\tb"), b"a\tb");
        assert_eq!(process_escapes(br#"q"x\\"#), b"q\"x\\");
        assert_eq!(process_escapes(br"end\"), b"end\\");
    }
}
