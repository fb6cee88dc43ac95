//! `free [-b|-k|-m|-g|-h]` and `uptime [-p]`: memory and uptime from the
//! kernel's `/proc/meminfo` and `/proc/uptime`, in procps-ng's formats.
//! There is one user and no load.

use agentos_kernel::Task;

use crate::util;

fn meminfo(task: &Task) -> std::collections::HashMap<String, u64> {
    let text = util::input::read_file(task, "/proc/meminfo").unwrap_or_default();
    String::from_utf8_lossy(&text)
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.to_string(), v.split_whitespace().next()?.parse().ok()?))
        })
        .collect()
}

/// procps's `-h` form: three significant characters, `Ki Mi Gi` units.
pub fn human(kib: u64) -> String {
    let bytes = kib as f64 * 1024.0;
    if bytes < 1024.0 {
        return format!("{}B", bytes as u64);
    }
    let units = ["Ki", "Mi", "Gi", "Ti", "Pi"];
    let mut v = bytes;
    for u in units {
        v /= 1024.0;
        if v < 1024.0 {
            return if v < 10.0 { format!("{:.1}{u}", v) } else { format!("{}{u}", v.round() as u64) };
        }
    }
    format!("{}Ei", (v / 1024.0).round() as u64)
}

pub fn free_main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let mut f: Box<dyn Fn(u64) -> String> = Box::new(|k| k.to_string());
    for a in &args {
        f = match a.as_str() {
            "-b" | "--bytes" => Box::new(|k| (k * 1024).to_string()),
            "-k" | "--kibi" => Box::new(|k| k.to_string()),
            "-m" | "--mebi" => Box::new(|k| (k / 1024).to_string()),
            "-g" | "--gibi" => Box::new(|k| (k / 1024 / 1024).to_string()),
            "-h" | "--human" => Box::new(human),
            "-w" | "--wide" | "-t" | "--total" => f,
            "--help" => return util::help(task, "free", "[options]"),
            s => {
                return util::usage_error(
                    task,
                    "free",
                    &format!("invalid option -- '{}'", s.trim_start_matches('-')),
                    1,
                );
            }
        };
    }
    let m = meminfo(task);
    let g = |k: &str| m.get(k).copied().unwrap_or(0);
    let (total, free, avail) = (g("MemTotal"), g("MemFree"), g("MemAvailable"));
    let cache = g("Buffers") + g("Cached");
    let used = total.saturating_sub(free + cache);
    let mut out = String::from("               total        used        free      shared  buff/cache   available\n");
    out.push_str(&format!(
        "{:<8}{:>12}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
        "Mem:",
        f(total),
        f(used),
        f(free),
        f(0),
        f(cache),
        f(avail)
    ));
    let (st, sf) = (g("SwapTotal"), g("SwapFree"));
    out.push_str(&format!("{:<8}{:>12}{:>12}{:>12}\n", "Swap:", f(st), f(st - sf.min(st)), f(sf)));
    util::out(task, out.as_bytes());
    0
}

/// `up …` as procps prints it: `5 min`, `1:02`, `3 days, 1:02`.
pub fn up_text(secs: u64) -> String {
    let days = secs / 86400;
    let hours = secs % 86400 / 3600;
    let mins = secs % 3600 / 60;
    let mut s = String::new();
    if days > 0 {
        s.push_str(&format!("{days} day{}, ", if days == 1 { "" } else { "s" }));
    }
    if hours > 0 {
        s.push_str(&format!("{hours:2}:{mins:02}"));
    } else {
        s.push_str(&format!("{mins} min"));
    }
    s
}

pub fn uptime_main(task: &mut Task) -> i32 {
    let text = util::input::read_file(task, "/proc/uptime").unwrap_or_default();
    let secs =
        String::from_utf8_lossy(&text).split_whitespace().next().and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
            as u64;
    let pretty = task.argv.iter().skip(1).any(|a| a == "-p" || a == "--pretty");
    if task.argv.iter().skip(1).any(|a| a == "-s" || a == "--since") {
        let boot = task.now().sec - secs as i64;
        let t = util::time::strftime("%Y-%m-%d %H:%M:%S\n", agentos_kernel::abi::Timespec { sec: boot, nsec: 0 });
        util::out(task, t.as_bytes());
        return 0;
    }
    let line = if pretty {
        let (d, h, m) = (secs / 86400, secs % 86400 / 3600, secs % 3600 / 60);
        let mut parts = Vec::new();
        let plural = |n: u64, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        if d > 0 {
            parts.push(plural(d, "day"));
        }
        if h > 0 {
            parts.push(plural(h, "hour"));
        }
        if m > 0 || parts.is_empty() {
            parts.push(plural(m, "minute"));
        }
        format!("up {}\n", parts.join(", "))
    } else {
        let now = util::time::strftime("%H:%M:%S", task.now());
        format!(" {now} up {},  1 user,  load average: 0.00, 0.00, 0.00\n", up_text(secs))
    };
    util::out(task, line.as_bytes());
    0
}

/// `clear`: home the cursor, clear the screen and the scrollback, as
/// ncurses clear does for xterm-compatible terminals.
pub fn clear_main(task: &mut Task) -> i32 {
    let term = task.getenv("TERM").map(str::to_string);
    match term.as_deref() {
        None | Some("") => {
            util::error(task, "clear", "TERM environment variable not set.");
            1
        }
        Some("dumb") => 0,
        Some(_) => {
            let x = task.argv.iter().skip(1).any(|a| a == "-x");
            util::out(task, if x { b"\x1b[H\x1b[2J" } else { b"\x1b[H\x1b[2J\x1b[3J" });
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(human(1048576), "1.0Gi");
        assert_eq!(human(24684084), "24Gi");
        assert_eq!(human(8872), "8.7Mi");
        assert_eq!(human(0), "0B");
        assert_eq!(up_text(34 * 60), "34 min");
        assert_eq!(up_text(3 * 3600 + 120), " 3:02");
        assert_eq!(up_text(86400 + 60), "1 day, 1 min");
    }
}
