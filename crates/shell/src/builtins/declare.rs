//! Variable declaration builtins: `declare`/`typeset`, `local`, `export`,
//! `readonly`, and `unset`.

use agentos_kernel::Task;
use brush_parser::ast;

use crate::exec::command::DeclArg;
use crate::state::{Ctl, Res, Shell};
use crate::vars::{Value, is_name};

#[derive(Default)]
struct Flags {
    array: bool,
    assoc: bool,
    integer: bool,
    lower: bool,
    upper: bool,
    readonly: bool,
    export: bool,
    unexport: bool,
    global: bool,
    print: bool,
    funcs: bool,
    func_names: bool,
}

/// Entry point when called without parser-recognized assignments.
pub fn plain(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let args = argv[1..].iter().cloned().map(DeclArg::Word).collect();
    run_decl(sh, t, &argv[0], args)
}

/// `declare`-family builtins with their arguments.
pub fn run_decl(sh: &mut Shell, t: &mut Task, name: &str, args: Vec<DeclArg>) -> Res {
    let mut f = Flags::default();
    match name {
        "export" => f.export = true,
        "readonly" => f.readonly = true,
        _ => {}
    }
    if name == "local" && !sh.vars.in_function() {
        sh.error(t, "local: can only be used in a function");
        return Ok(1);
    }
    let mut rest = Vec::new();
    let mut options_done = false;
    for a in args {
        match a {
            DeclArg::Word(w) if !options_done && (w.starts_with('-') || w.starts_with('+')) && w.len() > 1 => {
                if w == "--" {
                    options_done = true;
                    continue;
                }
                let on = w.starts_with('-');
                for c in w[1..].chars() {
                    match c {
                        'a' => f.array = on,
                        'A' => f.assoc = on,
                        'i' => f.integer = on,
                        'l' => f.lower = on,
                        'u' => f.upper = on,
                        'r' => f.readonly = on,
                        'x' if on => f.export = true,
                        'x' => f.unexport = true,
                        'n' if name == "export" => f.unexport = true,
                        'g' => f.global = on,
                        'p' => f.print = true,
                        'f' => f.funcs = true,
                        'F' => f.func_names = true,
                        _ => {
                            sh.error(t, &format!("{name}: {w}: invalid option"));
                            return Ok(2);
                        }
                    }
                }
            }
            other => {
                options_done = true;
                rest.push(other);
            }
        }
    }
    if f.funcs || f.func_names {
        let mut names: Vec<&String> = sh.funcs.keys().collect();
        names.sort();
        let mut text = String::new();
        for n in names {
            text.push_str(&format!("declare -f {n}\n"));
        }
        return Ok(super::out(sh, t, name, text.as_bytes()));
    }
    if rest.is_empty() {
        return Ok(list(sh, t, name, &f));
    }
    let mut status = 0;
    for a in rest {
        if f.print {
            if let DeclArg::Word(w) = &a {
                match describe(sh, w) {
                    Some(line) => status |= super::out(sh, t, name, format!("{line}\n").as_bytes()),
                    None => {
                        sh.error(t, &format!("{name}: {w}: not found"));
                        status = 1;
                    }
                }
            }
            continue;
        }
        match declare_one(sh, t, name, &f, a) {
            Ok(s) => status |= s,
            Err(Ctl::Abort(s)) => status = s,
            Err(e) => return Err(e),
        }
    }
    Ok(status)
}

/// `name[index]=value` from a plain word: (index, value, append).
type WordAssign = (Option<String>, String, bool);

fn declare_one(sh: &mut Shell, t: &mut Task, builtin: &str, f: &Flags, a: DeclArg) -> Res {
    let (var, assignment, word_value): (String, Option<&ast::Assignment>, Option<WordAssign>) = match &a {
        DeclArg::Assign(asg) => {
            let n = match &asg.name {
                ast::AssignmentName::VariableName(n) | ast::AssignmentName::ArrayElementName(n, _) => n.clone(),
            };
            (n, Some(*asg), None)
        }
        DeclArg::Word(w) => match w.split_once('=') {
            Some((lhs, value)) => {
                let (lhs, append) = match lhs.strip_suffix('+') {
                    Some(l) => (l, true),
                    None => (lhs, false),
                };
                let (n, idx) = match lhs.split_once('[') {
                    Some((n, i)) => (n.to_string(), Some(i.trim_end_matches(']').to_string())),
                    None => (lhs.to_string(), None),
                };
                (n, None, Some((idx, value.to_string(), append)))
            }
            None => (w.clone(), None, None),
        },
    };
    if !is_name(&var) {
        let shown = match &a {
            DeclArg::Word(w) => w.clone(),
            DeclArg::Assign(asg) => asg.to_string(),
        };
        sh.error(t, &format!("{builtin}: `{shown}': not a valid identifier"));
        return Ok(1);
    }
    let make_local =
        (builtin == "local" || (matches!(builtin, "declare" | "typeset") && !f.global)) && sh.vars.in_function();
    if make_local {
        sh.vars.make_local(&var);
    }
    if sh.vars.get(&var).is_some_and(|v| v.attrs.readonly) && (assignment.is_some() || word_value.is_some()) {
        sh.error(t, &format!("{var}: readonly variable"));
        return Ok(1);
    }
    {
        let v = sh.vars.get_mut_or_create(&var);
        if f.integer {
            v.attrs.integer = true;
        }
        if f.lower {
            v.attrs.lower = true;
            v.attrs.upper = false;
        }
        if f.upper {
            v.attrs.upper = true;
            v.attrs.lower = false;
        }
        if f.export {
            v.attrs.export = true;
        }
        if f.unexport {
            v.attrs.export = false;
        }
        if f.assoc && !matches!(v.value, Some(Value::Assoc(_))) {
            v.value = Some(Value::Assoc(Default::default()));
        } else if f.array && v.value.is_none() {
            v.value = Some(Value::Indexed(Default::default()));
        } else if f.array
            && let Some(Value::Str(s)) = &v.value
        {
            v.value = Some(Value::Indexed([(0, s.clone())].into()));
        }
    }
    if let Some(asg) = assignment {
        sh.assign(t, asg, f.assoc)?;
    } else if let Some((idx, value, append)) = word_value {
        sh.assign_full(t, &var, idx.as_deref(), &value, append)?;
    }
    if f.readonly
        && let Some(v) = sh.vars.get_mut(&var)
    {
        v.attrs.readonly = true;
    }
    Ok(0)
}

/// Double-quote a value the way `declare -p` prints it.
fn dq(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The `declare -p` line for `name`.
pub fn describe(sh: &Shell, name: &str) -> Option<String> {
    let v = sh.vars.get(name)?;
    let mut flags = sh.attr_flags(name);
    if flags.is_empty() {
        flags.push('-');
    }
    Some(match &v.value {
        None => format!("declare -{flags} {name}"),
        Some(Value::Str(s)) => format!("declare -{flags} {name}={}", dq(s)),
        Some(Value::Indexed(m)) => {
            let items: Vec<String> = m.iter().map(|(k, v)| format!("[{k}]={}", dq(v))).collect();
            format!("declare -{flags} {name}=({})", items.join(" "))
        }
        Some(Value::Assoc(m)) => {
            let mut s = format!("declare -{flags} {name}=(");
            for (k, v) in m {
                s.push_str(&format!("[{k}]={} ", dq(v)));
            }
            s.push(')');
            s
        }
    })
}

/// `declare`/`export`/`readonly` with no names: list variables.
fn list(sh: &Shell, t: &Task, builtin: &str, f: &Flags) -> i32 {
    let mut text = String::new();
    for n in sh.vars.names() {
        let Some(v) = sh.vars.get(&n) else { continue };
        let show = match builtin {
            "export" => v.attrs.export,
            "readonly" => v.attrs.readonly,
            _ => (!f.export || v.attrs.export) && (!f.readonly || v.attrs.readonly),
        };
        if !show {
            continue;
        }
        if let Some(line) = describe(sh, &n) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    super::out(sh, t, builtin, text.as_bytes())
}

/// `unset [-v|-f] name...`.
pub fn unset(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut funcs = false;
    let mut vars_only = false;
    let mut status = 0;
    for a in &argv[1..] {
        match a.as_str() {
            "-f" => {
                funcs = true;
                continue;
            }
            "-v" => {
                vars_only = true;
                continue;
            }
            _ => {}
        }
        if funcs {
            sh.funcs.remove(a);
            continue;
        }
        if let Some(open) = a.find('[')
            && a.ends_with(']')
        {
            let (name, idx) = (&a[..open], &a[open + 1..a.len() - 1]);
            let is_assoc = matches!(sh.vars.get(name).and_then(|v| v.value.as_ref()), Some(Value::Assoc(_)));
            let key = if is_assoc {
                sh.expand_str(t, idx).ok()
            } else {
                let text = sh.expand_str(t, idx)?;
                let mut i = sh.arith(t, &text)?;
                if i < 0
                    && let Some(Value::Indexed(m)) = sh.vars.get(name).and_then(|v| v.value.as_ref())
                {
                    i += m.keys().next_back().map(|k| k + 1).unwrap_or(0);
                }
                Some(i.to_string())
            };
            if let (Some(v), Some(key)) = (sh.vars.get_mut(name), key) {
                match &mut v.value {
                    Some(Value::Assoc(m)) => {
                        m.remove(&key);
                    }
                    Some(Value::Indexed(m)) => {
                        if let Ok(k) = key.parse::<i64>() {
                            m.remove(&k);
                        }
                    }
                    Some(Value::Str(_)) if key == "0" => v.value = None,
                    _ => {}
                }
            }
            continue;
        }
        if !is_name(a) {
            sh.error(t, &format!("unset: `{a}': not a valid identifier"));
            status = 1;
            continue;
        }
        match sh.vars.get(a) {
            Some(v) if v.attrs.readonly => {
                sh.error(t, &format!("unset: {a}: cannot unset: readonly variable"));
                status = 1;
            }
            Some(_) => sh.vars.unset(a),
            None if !vars_only => {
                sh.funcs.remove(a);
            }
            None => {}
        }
    }
    Ok(status)
}
