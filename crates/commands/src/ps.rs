//! `ps [-e|-A] [-f] [aux] [-o FIELDS] [-p PIDS]`: report processes from the
//! kernel's process table, in procps-ng's formats: the default
//! `PID TTY TIME CMD`, `-f` (`UID PID PPID C STIME TTY TIME CMD`), BSD
//! `aux`, and `-o` with the common fields. Every process is on no
//! terminal (`?`) and has used no measurable CPU time.

use std::sync::Arc;

use agentos_kernel::Task;
use agentos_kernel::process::Process;

use crate::util;

const NAME: &str = "ps";

/// A snapshot of one process.
struct Row {
    pid: i32,
    ppid: i32,
    pgid: i32,
    sid: i32,
    uid: u32,
    gid: u32,
    argv: Vec<String>,
    zombie: bool,
    start: i64,
}

fn snapshot(p: &Arc<Process>) -> Row {
    let s = p.state.lock();
    Row {
        pid: p.pid,
        ppid: s.ppid,
        pgid: s.pgid,
        sid: s.sid,
        uid: s.cred.uid,
        gid: s.cred.gid,
        argv: s.argv.clone(),
        zombie: s.status.is_some(),
        start: s.start_time.sec,
    }
}

fn comm(r: &Row) -> String {
    let a0 = r.argv.first().map(String::as_str).unwrap_or("");
    let c = util::path::basename(a0);
    let c: String = c.chars().take(15).collect();
    if r.zombie { format!("{c} <defunct>") } else { c }
}

fn cmd(r: &Row) -> String {
    if r.zombie || r.argv.is_empty() {
        format!("[{}]", comm(r).trim_end_matches(" <defunct>"))
    } else {
        r.argv.join(" ")
    }
}

/// procps's minimum column width of a field.
fn min_width(name: &str, bsd: bool) -> usize {
    match name {
        "pid" | "ppid" | "pgid" | "pgrp" | "sid" | "sess" | "rss" | "rssize" | "stime" | "start" => 5,
        "uid" | "user" | "euser" | "uname" | "tty" | "tt" | "tname" => 8,
        "time" | "cputime" if bsd => 6,
        "time" | "cputime" => 8,
        "c" => 2,
        "%cpu" | "pcpu" | "%mem" | "pmem" | "stat" => 4,
        "vsz" | "vsize" => 6,
        "ni" | "nice" => 3,
        _ => 0,
    }
}

/// (header, right-aligned, value) for an `-o` field.
fn field(task: &Task, users: &util::users::Db, name: &str, r: &Row) -> Option<(String, bool, String)> {
    let stime = util::time::strftime("%H:%M", agentos_kernel::abi::Timespec { sec: r.start, nsec: 0 });
    let _ = task;
    Some(match name {
        "pid" => ("PID".into(), true, r.pid.to_string()),
        "ppid" => ("PPID".into(), true, r.ppid.to_string()),
        "pgid" | "pgrp" => ("PGID".into(), true, r.pgid.to_string()),
        "sid" | "sess" => ("SID".into(), true, r.sid.to_string()),
        "uid" | "euid" => ("UID".into(), true, r.uid.to_string()),
        "gid" | "egid" => ("GID".into(), true, r.gid.to_string()),
        "user" | "euser" | "uname" => ("USER".into(), false, users.user_name(r.uid)),
        "group" | "egroup" => ("GROUP".into(), false, users.group_name(r.gid)),
        "comm" | "ucomm" | "ucmd" => ("COMMAND".into(), false, comm(r)),
        "cmd" | "args" | "command" => ("CMD".into(), false, cmd(r)),
        "tty" | "tt" => ("TT".into(), false, "?".into()),
        "tname" => ("TTY".into(), false, "?".into()),
        "time" | "cputime" => ("TIME".into(), true, "00:00:00".into()),
        "bsdtime" => ("TIME".into(), true, "0:00".into()),
        "etime" => ("ELAPSED".into(), true, "00:00".into()),
        "stat" | "s" | "state" => ("S".into(), false, if r.zombie { "Z" } else { "S" }.into()),
        "stime" | "start" | "start_time" => ("STIME".into(), false, stime),
        "c" => ("C".into(), true, "0".into()),
        "%cpu" | "pcpu" => ("%CPU".into(), true, "0.0".into()),
        "%mem" | "pmem" => ("%MEM".into(), true, "0.0".into()),
        "vsz" | "vsize" => ("VSZ".into(), true, "0".into()),
        "rss" | "rssize" => ("RSS".into(), true, "0".into()),
        "nice" | "ni" => ("NI".into(), true, "0".into()),
        _ => return None,
    })
}

/// Render rows in columns: right-aligned numeric fields, the last field
/// unpadded.
fn render(headers: &[(String, bool)], mins: &[usize], rows: &[Vec<String>], no_header: bool) -> String {
    let mut widths: Vec<usize> = headers.iter().zip(mins).map(|((h, _), m)| h.len().max(*m)).collect();
    for r in rows {
        for (i, v) in r.iter().enumerate() {
            widths[i] = widths[i].max(v.len());
        }
    }
    let line = |vals: Vec<&str>| -> String {
        let n = vals.len();
        let mut s = String::new();
        for (i, v) in vals.into_iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            let w = widths[i];
            if i + 1 == n && !headers[i].1 {
                s.push_str(v);
            } else if headers[i].1 {
                s.push_str(&format!("{v:>w$}"));
            } else {
                s.push_str(&format!("{v:<w$}"));
            }
        }
        s.push('\n');
        s
    };
    let mut out = String::new();
    if !no_header {
        out.push_str(&line(headers.iter().map(|(h, _)| h.as_str()).collect()));
    }
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let mut all = false;
    let mut full = false;
    let mut bsd_u = false;
    let mut fields: Vec<String> = Vec::new();
    let mut pids: Vec<i32> = Vec::new();
    let mut no_header = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let take = |i: &mut usize| -> Option<String> {
            let v = args.get(*i).cloned();
            *i += 1;
            v
        };
        match a.as_str() {
            "-e" | "-A" | "ax" | "-ax" => all = true,
            "-f" | "-F" => full = true,
            "-ef" | "-eF" | "-fe" | "-Af" => {
                all = true;
                full = true
            }
            "aux" | "-aux" | "axu" | "au" | "ux" => {
                all = all || a.contains('x') || a.contains('a');
                bsd_u = true
            }
            "--no-headers" | "--no-heading" | "h" => no_header = true,
            "-o" | "o" | "--format" => match take(&mut i) {
                Some(v) => fields.extend(v.split([',', ' ']).filter(|s| !s.is_empty()).map(String::from)),
                None => return util::usage_error(task, NAME, "option requires an argument -- 'o'", 1),
            },
            "-p" | "p" | "--pid" => match take(&mut i) {
                Some(v) => pids.extend(v.split(',').filter_map(|p| p.trim().parse::<i32>().ok())),
                None => return util::usage_error(task, NAME, "option requires an argument -- 'p'", 1),
            },
            "--help" => return util::help(task, NAME, "[options]"),
            s if s.starts_with("-o") => fields.extend(s[2..].split(',').map(String::from)),
            s if s.starts_with("-p") => pids.extend(s[2..].split(',').filter_map(|p| p.parse::<i32>().ok())),
            s => {
                util::error(task, NAME, &format!("error: unsupported option {s}"));
                return 1;
            }
        }
    }
    let me = task.pid();
    let my_sid = task.process().state.lock().sid;
    let mut rows: Vec<Row> = task.kernel().processes().iter().map(snapshot).collect();
    rows.sort_by_key(|r| r.pid);
    if !pids.is_empty() {
        rows.retain(|r| pids.contains(&r.pid));
    } else if !all {
        rows.retain(|r| r.sid == my_sid || r.pid == me);
    }
    let users = util::users::Db::load(task);
    if fields.is_empty() {
        fields = if bsd_u {
            ["user", "pid", "%cpu", "%mem", "vsz", "rss", "tname", "stat", "start", "bsdtime", "command"]
        } else if full {
            ["uid", "pid", "ppid", "c", "stime", "tname", "time", "cmd", "", "", ""]
        } else {
            ["pid", "tname", "time", "cmd", "", "", "", "", "", "", ""]
        }
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect();
    }
    let mut headers: Vec<(String, bool)> = Vec::new();
    let mut table: Vec<Vec<String>> = vec![Vec::new(); rows.len()];
    for f in &fields {
        let (fname, custom) = match f.split_once('=') {
            Some((n, h)) => (n, Some(h.to_string())),
            None => (f.as_str(), None),
        };
        let mut header = None;
        for (k, r) in rows.iter().enumerate() {
            let Some((h, right, mut v)) = field(task, &users, fname, r) else { break };
            if full && !bsd_u && fname == "uid" {
                v = users.user_name(r.uid);
            }
            if (fname == "cmd" || fname == "args") && !full && !bsd_u && fields.len() == 4 {
                v = comm(r);
            }
            header = Some((h, right));
            table[k].push(v);
        }
        let hdr = match (
            header,
            field(
                task,
                &users,
                fname,
                &Row { pid: 0, ppid: 0, pgid: 0, sid: 0, uid: 0, gid: 0, argv: vec![], zombie: false, start: 0 },
            ),
        ) {
            (Some(h), _) => h,
            (None, Some((h, r, _))) => (h, r),
            (None, None) => {
                util::error(task, NAME, &format!("error: unknown user-defined format specifier \"{fname}\""));
                return 1;
            }
        };
        let mut hdr = hdr;
        if full && !bsd_u && fname == "uid" {
            hdr = ("UID".into(), false);
        }
        if bsd_u && fname == "command" {
            hdr.0 = "COMMAND".into();
        }
        if let Some(c) = custom {
            hdr.0 = c;
        }
        headers.push(hdr);
    }
    let mins: Vec<usize> = fields.iter().map(|f| min_width(f.split('=').next().unwrap_or(""), bsd_u)).collect();
    let out = render(&headers, &mins, &table, no_header);
    util::out(task, out.as_bytes());
    i32::from(rows.is_empty() && !pids.is_empty())
}
