//! Options and positional parameters: `set`, `shopt`, `shift`.

use agentos_kernel::Task;

use super::out;
use crate::state::{Res, Shell};

/// Every `set -o` option bash lists, in its order.
const SET_O: [&str; 27] = [
    "allexport",
    "braceexpand",
    "emacs",
    "errexit",
    "errtrace",
    "functrace",
    "hashall",
    "histexpand",
    "history",
    "ignoreeof",
    "interactive-comments",
    "keyword",
    "monitor",
    "noclobber",
    "noexec",
    "noglob",
    "nolog",
    "notify",
    "nounset",
    "onecmd",
    "physical",
    "pipefail",
    "posix",
    "privileged",
    "verbose",
    "vi",
    "xtrace",
];

/// Current value of a `set -o` option; `None` if unknown.
pub fn option_value(sh: &Shell, name: &str) -> Option<bool> {
    Some(match name {
        "allexport" => sh.opts.allexport,
        "errexit" => sh.opts.errexit,
        "nounset" => sh.opts.nounset,
        "xtrace" => sh.opts.xtrace,
        "pipefail" => sh.opts.pipefail,
        "noglob" => sh.opts.noglob,
        "noclobber" => sh.opts.noclobber,
        "verbose" => sh.opts.verbose,
        "noexec" => sh.opts.noexec,
        "braceexpand" | "hashall" | "interactive-comments" => true,
        n if SET_O.contains(&n) => false,
        _ => return None,
    })
}

fn set_option(sh: &mut Shell, name: &str, on: bool) -> bool {
    match name {
        "allexport" => sh.opts.allexport = on,
        "errexit" => sh.opts.errexit = on,
        "nounset" => sh.opts.nounset = on,
        "xtrace" => sh.opts.xtrace = on,
        "pipefail" => sh.opts.pipefail = on,
        "noglob" => sh.opts.noglob = on,
        "noclobber" => sh.opts.noclobber = on,
        "verbose" => sh.opts.verbose = on,
        "noexec" => sh.opts.noexec = on,
        n => return SET_O.contains(&n),
    }
    true
}

/// Apply a single-letter flag; false if unknown.
pub fn set_flag(sh: &mut Shell, c: char, on: bool) -> bool {
    let name = match c {
        'e' => "errexit",
        'u' => "nounset",
        'x' => "xtrace",
        'f' => "noglob",
        'C' => "noclobber",
        'a' => "allexport",
        'v' => "verbose",
        'n' => "noexec",
        'h' | 'B' | 'H' | 'm' | 'b' | 'k' | 'p' | 'P' | 'T' | 'E' => return true,
        _ => return false,
    };
    set_option(sh, name, on)
}

pub fn set(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    if argv.len() == 1 {
        let mut text = String::new();
        for n in sh.vars.names() {
            if let Some(v) = sh.vars.get_str(&n) {
                text.push_str(&format!("{n}={}\n", crate::exec::command::xtrace_quote(v)));
            }
        }
        return Ok(out(sh, t, "set", text.as_bytes()));
    }
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        if a == "--" {
            sh.positional = argv[i + 1..].to_vec();
            return Ok(0);
        }
        if a == "-" {
            sh.opts.xtrace = false;
            sh.opts.verbose = false;
            sh.positional = argv[i + 1..].to_vec();
            return Ok(0);
        }
        let on = a.starts_with('-');
        if !(on || a.starts_with('+')) || a.len() < 2 {
            sh.positional = argv[i..].to_vec();
            return Ok(0);
        }
        for c in a[1..].chars() {
            if c == 'o' {
                i += 1;
                match argv.get(i) {
                    Some(name) => {
                        if !set_option(sh, name, on) {
                            sh.error(t, &format!("set: {name}: invalid option name"));
                            return Ok(1);
                        }
                    }
                    None => return Ok(list_options(sh, t, on)),
                }
            } else if !set_flag(sh, c, on) {
                sh.error(t, &format!("set: {}{c}: invalid option", &a[..1]));
                sh.error_plain(t, "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]");
                return Ok(2);
            }
        }
        i += 1;
    }
    Ok(0)
}

fn list_options(sh: &Shell, t: &Task, minus: bool) -> i32 {
    let mut text = String::new();
    for name in SET_O {
        let on = option_value(sh, name).unwrap_or(false);
        if minus {
            text.push_str(&format!("{name:<15}\t{}\n", if on { "on" } else { "off" }));
        } else {
            text.push_str(&format!("set {}o {name}\n", if on { '-' } else { '+' }));
        }
    }
    out(sh, t, "set", text.as_bytes())
}

const SHOPTS: [&str; 9] = [
    "dotglob",
    "expand_aliases",
    "extglob",
    "failglob",
    "globstar",
    "lastpipe",
    "nocaseglob",
    "nocasematch",
    "nullglob",
];

fn shopt_slot<'a>(sh: &'a mut Shell, name: &str) -> Option<&'a mut bool> {
    let s = &mut sh.shopts;
    Some(match name {
        "dotglob" => &mut s.dotglob,
        "expand_aliases" => &mut s.expand_aliases,
        "extglob" => &mut s.extglob,
        "failglob" => &mut s.failglob,
        "globstar" => &mut s.globstar,
        "lastpipe" => &mut s.lastpipe,
        "nocaseglob" => &mut s.nocaseglob,
        "nocasematch" => &mut s.nocasematch,
        "nullglob" => &mut s.nullglob,
        _ => return None,
    })
}

pub fn shopt(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let mut mode = None;
    let mut quiet = false;
    let mut names = Vec::new();
    for a in &argv[1..] {
        match a.as_str() {
            "-s" => mode = Some(true),
            "-u" => mode = Some(false),
            "-q" => quiet = true,
            "-p" | "-o" => {}
            n => names.push(n.to_string()),
        }
    }
    let mut status = 0;
    if names.is_empty() {
        names = SHOPTS.iter().map(|s| s.to_string()).collect();
        if let Some(m) = mode {
            names.retain(|n| shopt_slot(sh, n).is_some_and(|v| *v == m));
            mode = None;
        }
    }
    let mut text = String::new();
    for n in names {
        match (shopt_slot(sh, &n), mode) {
            (Some(slot), Some(m)) => *slot = m,
            (Some(slot), None) => {
                let on = *slot;
                if !on {
                    status = 1;
                }
                if !quiet {
                    text.push_str(&format!("{n:<15}\t{}\n", if on { "on" } else { "off" }));
                }
            }
            (None, _) => {
                sh.error(t, &format!("shopt: {n}: invalid shell option name"));
                status = 1;
            }
        }
    }
    let w = out(sh, t, "shopt", text.as_bytes());
    Ok(if w != 0 { w } else { status })
}

pub fn shift(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let n = match argv.get(1) {
        Some(a) => match super::parse_num(sh, t, "shift", a) {
            Some(n) => n,
            None => return Ok(1),
        },
        None => 1,
    };
    if n < 0 {
        sh.error(t, &format!("shift: {n}: shift count out of range"));
        return Ok(1);
    }
    let n = n as usize;
    if n > sh.positional.len() {
        return Ok(1);
    }
    sh.positional.drain(..n);
    Ok(0)
}
