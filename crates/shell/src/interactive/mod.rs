//! The interactive shell: what runs when stdin is a terminal (or with
//! `-i`). A read–eval loop with a `PS1` prompt, a line editor
//! ([`editor`]: history, cursor motion, kill keys, tab completion from
//! [`complete`]) and job control ([`jobs`]).
//!
//! Analogue: bash's `reader_loop` + readline. The shell leads its
//! terminal's foreground group while it reads; it ignores the job-control
//! signals (SIGTSTP, SIGTTIN, SIGTTOU, SIGQUIT) so `^Z` reaches the
//! foreground job instead, and catches SIGINT to abandon a command line
//! it runs itself. `exit` and `^D` on an
//! empty line end it with `$?`.

pub mod complete;
pub mod editor;
pub mod jobs;

use agentos_kernel::Task;
use agentos_kernel::abi::{SigAction, Signal};

use crate::exec::SrcKind;
use crate::parse;
use crate::state::{Ctl, Shell};
use editor::{Editor, ReadResult};
use jobs::JobControl;

/// Descriptor the shell keeps its terminal on (bash uses 255).
const TTY_FD: i32 = 255;

/// Expand bash's prompt escapes: `\u \h \H \w \W \$ \n \s \v \j \\ \e \a
/// \[ \]`.
pub fn expand_prompt(sh: &Shell, t: &Task, ps: &str) -> String {
    let home = sh.vars.get_str("HOME").unwrap_or("").to_string();
    let pwd = sh.vars.get_str("PWD").map(str::to_string).unwrap_or_else(|| t.getcwd());
    let tilde = |p: &str| -> String {
        if !home.is_empty() && home != "/" && (p == home || p.starts_with(&format!("{home}/"))) {
            format!("~{}", &p[home.len()..])
        } else {
            p.to_string()
        }
    };
    let mut out = String::new();
    let mut chars = ps.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => out.push_str(sh.vars.get_str("USER").unwrap_or("user")),
            Some('h') => out.push_str(t.hostname().split('.').next().unwrap_or("")),
            Some('H') => out.push_str(t.hostname()),
            Some('w') => out.push_str(&tilde(&pwd)),
            Some('W') => {
                let w = tilde(&pwd);
                let base = if w == "~" || w == "/" { w.as_str() } else { w.rsplit('/').next().unwrap_or("") };
                out.push_str(base);
            }
            Some('$') => out.push(if t.cred().uid == 0 { '#' } else { '$' }),
            Some('n') => out.push('\n'),
            Some('s') => out.push_str("bash"),
            Some('v') => out.push_str("5.2"),
            Some('j') => out.push_str(&sh.jc.as_ref().map_or(0, |j| j.jobs.len()).to_string()),
            Some('e') => out.push('\x1b'),
            Some('a') => out.push('\x07'),
            Some('\\') => out.push('\\'),
            Some('[') | Some(']') => {}
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Whether `text` only lacks its end (an open `if`, quote, `\`).
fn incomplete(text: &str) -> bool {
    if text.ends_with("\\\n") {
        return true;
    }
    match parse::parse(text) {
        Ok(_) => false,
        Err(e) => e.messages.iter().any(|(_, m)| m.contains("unexpected end of file")),
    }
}

/// Run the interactive loop; returns the exit status.
pub fn run(sh: &mut Shell, t: &mut Task) -> i32 {
    let on_tty = t.isatty(0);
    if on_tty {
        for sig in [Signal::SIGTSTP, Signal::SIGTTIN, Signal::SIGTTOU, Signal::SIGQUIT] {
            let _ = t.sigaction(sig, SigAction::Ignore);
        }
        // `^C` while the shell itself runs (a loop of builtins) abandons
        // the command line: see `Shell::run_pending_traps`.
        let _ = t.sigaction(Signal::SIGINT, SigAction::Catch);
        let tty = t.dup_min(0, TTY_FD, true).unwrap_or(0);
        let pgid = t.pgid();
        let _ = t.tcsetpgrp(tty, pgid);
        sh.jc = Some(JobControl {
            tty,
            shell_pgid: pgid,
            jobs: Vec::new(),
            fg: None,
            background: false,
            line: String::new(),
            modes: t.tcgetattr(tty).ok(),
            interrupted: false,
        });
    }
    if sh.vars.get_str("PS1").is_none() {
        sh.vars.set_str("PS1", "\\u@\\h:\\w\\$ ");
    }
    if sh.vars.get_str("PS2").is_none() {
        sh.vars.set_str("PS2", "> ");
    }
    let mut warned = false;
    let mut ed = Editor::new(if on_tty { sh.jc.as_ref().map_or(0, |j| j.tty) } else { 0 }, on_tty);
    loop {
        sh.notify_jobs(t);
        if let Some(jc) = &sh.jc
            && let Ok(ws) = t.get_winsize(jc.tty)
        {
            sh.vars.set_str("COLUMNS", ws.cols.to_string());
            sh.vars.set_str("LINES", ws.rows.to_string());
        }
        let ps1 = sh.vars.get_str("PS1").unwrap_or("").to_string();
        let mut text = match ed.read_line(sh, t, &expand_prompt(sh, t, &ps1)) {
            ReadResult::Line(l) => l,
            ReadResult::Interrupted => {
                sh.status = 130;
                continue;
            }
            ReadResult::Eof => {
                let _ = t.write_all(2, b"exit\n");
                if warn_stopped(sh, t, &mut warned) {
                    continue;
                }
                break;
            }
        };
        text.push('\n');
        while incomplete(&text) {
            let ps2 = sh.vars.get_str("PS2").unwrap_or("").to_string();
            match ed.read_line(sh, t, &expand_prompt(sh, t, &ps2)) {
                ReadResult::Line(l) => {
                    text.push_str(&l);
                    text.push('\n');
                }
                ReadResult::Interrupted => {
                    text.clear();
                    break;
                }
                ReadResult::Eof => break,
            }
        }
        if text.trim().is_empty() {
            continue;
        }
        ed.add_history(text.trim_end_matches('\n'));
        if let Some(jc) = &mut sh.jc {
            jc.line = text.trim_end_matches('\n').to_string();
        }
        sh.lineno += 1;
        // Forget a `^C` that came while no command ran.
        let _ = sh.run_pending_traps(t);
        match run_line(sh, t, &text) {
            Ok(s) => {
                sh.status = s;
                warned = false;
            }
            Err(Ctl::Exit(s)) => {
                if sh.jc.is_some() {
                    let _ = t.write_all(2, b"exit\n");
                }
                if warn_stopped(sh, t, &mut warned) {
                    continue;
                }
                sh.status = s;
                break;
            }
            Err(Ctl::Abort(s)) | Err(Ctl::Return(s)) => sh.status = s,
            Err(Ctl::Fatal) => sh.status = 1,
            Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) => {}
        }
    }
    // Stopped jobs would never run again once their shell is gone: like
    // Linux for an orphaned group, hang them up and continue them.
    if let Some(jc) = &sh.jc {
        for j in jc.jobs.iter().filter(|j| j.state != jobs::JobState::Running) {
            let _ = t.kill(-j.pgid, Signal::SIGHUP.0);
            let _ = t.kill(-j.pgid, Signal::SIGCONT.0);
        }
    }
    let status = sh.status;
    sh.finish(t, Ok(status))
}

/// bash refuses the first `exit` while jobs are stopped.
fn warn_stopped(sh: &Shell, t: &Task, warned: &mut bool) -> bool {
    let stopped = sh.jc.as_ref().is_some_and(|j| j.jobs.iter().any(|j| j.state != jobs::JobState::Running));
    if stopped && !*warned {
        *warned = true;
        let _ = t.write_all(2, b"There are stopped jobs.\n");
        return true;
    }
    false
}

/// Parse and run one command line; syntax errors are reported, not fatal.
fn run_line(sh: &mut Shell, t: &mut Task, text: &str) -> crate::state::Res {
    match parse::parse(text) {
        Ok(parsed) => sh.exec_program(t, &parsed.program, SrcKind::Top),
        Err(e) => {
            for (_, msg) in &e.messages {
                let _ = t.write_all(2, format!("{}: {msg}\n", sh.src).as_bytes());
            }
            Ok(2)
        }
    }
}
