//! `sleep NUMBER[smhd]...`: pause for the sum of the arguments, through the
//! kernel (so signals interrupt it).

use std::time::Duration;

use agentos_kernel::Task;

use crate::util;

const NAME: &str = "sleep";

/// Parse `1.5`, `2m`, `0.1h`, `inf` into seconds.
pub fn parse_duration(s: &str) -> Option<f64> {
    let (num, mult) = match s.char_indices().last() {
        Some((i, 's')) => (&s[..i], 1.0),
        Some((i, 'm')) => (&s[..i], 60.0),
        Some((i, 'h')) => (&s[..i], 3600.0),
        Some((i, 'd')) => (&s[..i], 86400.0),
        _ => (s, 1.0),
    };
    if num.is_empty() || num.starts_with(['+', '-']) && num.len() == 1 {
        return None;
    }
    let lower = num.to_ascii_lowercase();
    let v: f64 = if lower == "inf" || lower == "infinity" {
        f64::INFINITY
    } else {
        if !num.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || b == b'-' || b == b'+') {
            return None;
        }
        num.parse().ok()?
    };
    if v < 0.0 || v.is_nan() {
        return None;
    }
    Some(v * mult)
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].iter().filter(|a| *a != "--").cloned().collect();
    if args.first().map(|s| s.as_str()) == Some("--help") {
        return util::help(task, NAME, "NUMBER[SUFFIX]...");
    }
    if args.is_empty() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    let mut total = 0.0;
    let mut bad = false;
    for a in &args {
        match parse_duration(a) {
            Some(v) => total += v,
            None => {
                util::error(task, NAME, &format!("invalid time interval {}", util::quote(a)));
                bad = true;
            }
        }
    }
    if bad {
        util::try_help(task, NAME);
        return 1;
    }
    let d =
        if total.is_finite() { Duration::from_secs_f64(total.min(1e12)) } else { Duration::from_secs(u64::MAX / 4) };
    match task.sleep(d) {
        Ok(()) => 0,
        // Interrupted: by a fatal signal (we are ending anyway) or a caught
        // one (none by default).
        Err(_) => i32::from(task.fatal_signal().is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1"), Some(1.0));
        assert_eq!(parse_duration("0.5s"), Some(0.5));
        assert_eq!(parse_duration("2m"), Some(120.0));
        assert_eq!(parse_duration("1.5h"), Some(5400.0));
        assert_eq!(parse_duration("1d"), Some(86400.0));
        assert_eq!(parse_duration("abc"), None);
        assert_eq!(parse_duration("-1"), None);
        assert_eq!(parse_duration("inf"), Some(f64::INFINITY));
    }
}
