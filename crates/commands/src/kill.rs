//! `kill [-s SIG | -SIG] PID...`, `kill -l [SIG]`, `kill -L`: send signals
//! or list them, like procps-ng kill. A negative PID names a process
//! group; `-1` every process the sender may signal.

use agentos_kernel::Task;
use agentos_kernel::abi::Signal;

use crate::util;

const NAME: &str = "kill";

fn name_of(n: i32) -> String {
    Signal(n).name().map(|s| s.trim_start_matches("SIG").to_string()).unwrap_or_else(|| n.to_string())
}

fn list(task: &Task, args: &[String]) -> i32 {
    if args.is_empty() {
        let names: Vec<String> = Signal::all().iter().map(|s| name_of(s.0)).collect();
        let text: String = names.chunks(16).map(|c| format!("{}\n", c.join(" "))).collect();
        util::out(task, text.as_bytes());
        return 0;
    }
    let mut status = 0;
    for a in args {
        match a.parse::<i32>() {
            // `kill -l 143` names the signal behind an exit status.
            Ok(n) => {
                let n = if n > 128 { n - 128 } else { n };
                match Signal(n).name() {
                    Some(_) => util::out(task, format!("{}\n", name_of(n)).as_bytes()),
                    None => {
                        util::error(task, NAME, &format!("unknown signal name {a}"));
                        status = 1;
                    }
                }
            }
            Err(_) => match Signal::parse(a) {
                Some(s) => util::out(task, format!("{}\n", s.0).as_bytes()),
                None => {
                    util::error(task, NAME, &format!("unknown signal name {a}"));
                    status = 1;
                }
            },
        }
    }
    status
}

fn table(task: &Task) -> i32 {
    let cells: Vec<String> = Signal::all().iter().map(|s| format!("{:2} {:<7}", s.0, name_of(s.0))).collect();
    let out: String = cells.chunks(7).map(|c| format!("{}\n", c.join(" ").trim_end())).collect();
    util::out(task, out.as_bytes());
    0
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let mut sig = Signal::SIGTERM.0;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-l" | "--list" => return list(task, &args[i + 1..]),
            "-L" | "--table" => return table(task),
            "-s" | "--signal" => {
                let Some(v) = args.get(i + 1) else {
                    return util::usage_error(task, NAME, "option requires an argument -- 's'", 1);
                };
                match Signal::parse(v) {
                    Some(s) => sig = s.0,
                    None => {
                        util::error(task, NAME, &format!("unknown signal name {v}"));
                        return 1;
                    }
                }
                i += 2;
                continue;
            }
            "--" => {
                i += 1;
                break;
            }
            "--help" => return util::help(task, NAME, "[options] <pid> [...]"),
            s if s.starts_with('-') && s.len() > 1 && !s[1..].starts_with(|c: char| c.is_ascii_digit())
                || (s.starts_with('-') && i == 0 && args.len() > 1 && s[1..].parse::<i32>().is_ok()) =>
            {
                match Signal::parse(&s[1..]) {
                    Some(sg) => sig = sg.0,
                    None if s[1..].parse::<i32>() == Ok(0) => sig = 0,
                    None => {
                        util::error(task, NAME, &format!("unknown signal name {}", &s[1..]));
                        return 1;
                    }
                }
            }
            _ => break,
        }
        i += 1;
    }
    let pids = &args[i..];
    if pids.is_empty() {
        return util::usage_error(task, NAME, "not enough arguments", 1);
    }
    let mut status = 0;
    for p in pids {
        let Ok(pid) = p.parse::<i32>() else {
            util::error(task, NAME, &format!("cannot find process \"{p}\""));
            status = 1;
            continue;
        };
        if let Err(e) = task.kill(pid, sig) {
            util::error(task, NAME, &format!("({pid}) - {}", e.strerror()));
            status = 1;
        }
    }
    status
}
