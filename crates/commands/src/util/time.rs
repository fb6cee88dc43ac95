//! Calendar arithmetic (proleptic Gregorian, UTC), `strftime` for `date`,
//! `ls` and `stat`, and the date strings `date -d` and `touch -d` accept.
//!
//! Every time zone is treated as UTC: the VM has no zoneinfo database, and
//! the conformance suite runs with `TZ=UTC`.

use agentos_kernel::abi::Timespec;

const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A broken-down UTC time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tm {
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub nsec: u32,
    /// 0 = Sunday
    pub wday: u32,
    /// 0-based day of the year
    pub yday: u32,
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Civil date of a day count since the epoch.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Break a timestamp down (UTC).
pub fn gmtime(t: Timespec) -> Tm {
    let days = t.sec.div_euclid(86400);
    let secs = t.sec.rem_euclid(86400) as u32;
    let (year, month, day) = civil_from_days(days);
    let yday = (days - days_from_civil(year, 1, 1)) as u32;
    Tm {
        year,
        month,
        day,
        hour: secs / 3600,
        min: secs / 60 % 60,
        sec: secs % 60,
        nsec: t.nsec,
        wday: (days + 4).rem_euclid(7) as u32,
        yday,
    }
}

/// Seconds since the epoch of a civil UTC time.
pub fn timegm(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    days_from_civil(y, mo, d) * 86400 + h as i64 * 3600 + mi as i64 * 60 + s as i64
}

/// ISO 8601 week-based year and week number.
fn iso_week(tm: &Tm) -> (i64, u32) {
    let wday = (tm.wday + 6) % 7; // Monday = 0
    let mut year = tm.year;
    let mut week = (tm.yday as i64 - wday as i64 + 10) / 7;
    if week < 1 {
        year -= 1;
        let py = if is_leap(year) { 366 } else { 365 };
        week = (tm.yday as i64 + py - wday as i64 + 10) / 7;
    } else {
        let ylen = if is_leap(year) { 366 } else { 365 };
        if week == 53 && (tm.yday as i64 - wday as i64 + 3) >= ylen {
            week = 1;
            year += 1;
        }
    }
    (year, week as u32)
}

/// `strftime(3)` in the C locale, UTC, with GNU's `-`, `_`, `0`, `^`, `#`
/// flags and field widths.
pub fn strftime(fmt: &str, t: Timespec) -> String {
    let tm = gmtime(t);
    let mut out = String::new();
    let b = fmt.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            let ch_len = fmt[i..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
            out.push_str(&fmt[i..i + ch_len]);
            i += ch_len;
            continue;
        }
        let start = i;
        i += 1;
        let mut pad: Option<char> = None;
        let mut upper = false;
        let mut swap = false;
        while i < b.len() && matches!(b[i], b'-' | b'_' | b'0' | b'^' | b'#') {
            match b[i] {
                b'-' => pad = Some('\0'),
                b'_' => pad = Some(' '),
                b'0' => pad = Some('0'),
                b'^' => upper = true,
                _ => swap = true,
            }
            i += 1;
        }
        let mut width: Option<usize> = None;
        while i < b.len() && b[i].is_ascii_digit() {
            width = Some(width.unwrap_or(0) * 10 + (b[i] - b'0') as usize);
            i += 1;
        }
        let mut colons = 0;
        while i < b.len() && b[i] == b':' {
            colons += 1;
            i += 1;
        }
        if i >= b.len() {
            out.push_str(&fmt[start..]);
            break;
        }
        let conv = b[i] as char;
        i += 1;
        // (text, default pad, default width) — numbers get padded.
        let num = |v: i64, w: usize, p: char| (v.to_string(), p, w, true);
        let text = |s: String| (s, ' ', 0usize, false);
        let h12 = if tm.hour.is_multiple_of(12) { 12 } else { tm.hour % 12 };
        let (s, dpad, dwidth, numeric) = match conv {
            'a' => text(DAYS[tm.wday as usize][..3].to_string()),
            'A' => text(DAYS[tm.wday as usize].to_string()),
            'b' | 'h' => text(MONTHS[tm.month as usize - 1][..3].to_string()),
            'B' => text(MONTHS[tm.month as usize - 1].to_string()),
            'c' => text(strftime("%a %b %e %H:%M:%S %Y", t)),
            'C' => num(tm.year.div_euclid(100), 2, '0'),
            'd' => num(tm.day as i64, 2, '0'),
            'D' => text(strftime("%m/%d/%y", t)),
            'e' => num(tm.day as i64, 2, ' '),
            'F' => text(strftime("%Y-%m-%d", t)),
            'g' => num(iso_week(&tm).0.rem_euclid(100), 2, '0'),
            'G' => num(iso_week(&tm).0, 4, '0'),
            'H' => num(tm.hour as i64, 2, '0'),
            'I' => num(h12 as i64, 2, '0'),
            'j' => num(tm.yday as i64 + 1, 3, '0'),
            'k' => num(tm.hour as i64, 2, ' '),
            'l' => num(h12 as i64, 2, ' '),
            'm' => num(tm.month as i64, 2, '0'),
            'M' => num(tm.min as i64, 2, '0'),
            'n' => text("\n".into()),
            'N' => {
                let digits = format!("{:09}", tm.nsec);
                let w = width.unwrap_or(9).min(9);
                width = None;
                text(digits[..w].to_string())
            }
            'p' => text(if tm.hour < 12 { "AM" } else { "PM" }.into()),
            'P' => text(if tm.hour < 12 { "am" } else { "pm" }.into()),
            'r' => text(strftime("%I:%M:%S %p", t)),
            'R' => text(strftime("%H:%M", t)),
            's' => num(t.sec, 1, '0'),
            'S' => num(tm.sec as i64, 2, '0'),
            't' => text("\t".into()),
            'T' => text(strftime("%H:%M:%S", t)),
            'u' => num(if tm.wday == 0 { 7 } else { tm.wday as i64 }, 1, '0'),
            'U' => num((tm.yday as i64 + 7 - tm.wday as i64) / 7, 2, '0'),
            'V' => num(iso_week(&tm).1 as i64, 2, '0'),
            'w' => num(tm.wday as i64, 1, '0'),
            'W' => num((tm.yday as i64 + 7 - ((tm.wday as i64 + 6) % 7)) / 7, 2, '0'),
            'x' => text(strftime("%m/%d/%y", t)),
            'X' => text(strftime("%H:%M:%S", t)),
            'y' => num(tm.year.rem_euclid(100), 2, '0'),
            'Y' => num(tm.year, 1, '0'),
            'z' => text(
                match colons {
                    0 => "+0000",
                    1 => "+00:00",
                    2 => "+00:00:00",
                    _ => "+00",
                }
                .into(),
            ),
            'Z' => text("UTC".into()),
            '%' => text("%".into()),
            _ => {
                out.push_str(&fmt[start..i]);
                continue;
            }
        };
        let mut s = if upper || (swap && !numeric) { s.to_uppercase() } else { s };
        let (p, w) = match pad {
            Some('\0') => (' ', 0),
            Some(c) => (c, width.unwrap_or(if numeric { dwidth } else { 0 })),
            None => (dpad, width.unwrap_or(dwidth)),
        };
        if numeric && pad == Some('\0') {
            s = s.trim_start().to_string();
        }
        if s.len() < w {
            let fill: String = std::iter::repeat_n(p, w - s.len()).collect();
            if p == '0' && s.starts_with('-') {
                s = format!("-{fill}{}", &s[1..]);
            } else {
                s = fill + &s;
            }
        }
        out.push_str(&s);
    }
    out
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parse the date forms `date -d` and `touch -d` accept: `@SECONDS[.frac]`,
/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.frac]]` (also with `T`, an optional
/// trailing `Z`, `UTC` or `+00:00`), `HH:MM[:SS]` (today), `now`, `today`,
/// `yesterday`, `tomorrow`, and `N unit(s) [ago]` relative to `now`.
pub fn parse_date(s: &str, now: Timespec) -> Option<Timespec> {
    let s = s.trim();
    if let Some(e) = s.strip_prefix('@') {
        let (int, frac) = e.split_once('.').unwrap_or((e, ""));
        let sec: i64 = int.parse().ok()?;
        let mut nsec = 0u32;
        if !frac.is_empty() {
            let f: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
            nsec = f.parse().ok()?;
        }
        return Some(Timespec { sec, nsec });
    }
    let lower = s.to_ascii_lowercase();
    let day = 86400;
    match lower.as_str() {
        "" | "now" => return Some(now),
        "today" => return Some(now),
        "yesterday" => return Some(Timespec { sec: now.sec - day, nsec: now.nsec }),
        "tomorrow" => return Some(Timespec { sec: now.sec + day, nsec: now.nsec }),
        _ => {}
    }
    if let Some(t) = parse_relative(&lower, now) {
        return Some(t);
    }
    let mut rest = lower.as_str();
    for z in [" utc", "utc", "z", "+00:00", "+0000", " +0000", " +00:00", " gmt"] {
        if let Some(r) = rest.strip_suffix(z) {
            rest = r.trim_end();
            break;
        }
    }
    let (date, time) = match rest.split_once([' ', 't']) {
        Some((d, t)) => (d, Some(t.trim())),
        None if rest.contains(':') => ("", Some(rest)),
        None => (rest, None),
    };
    let (y, mo, d) = if date.is_empty() {
        let tm = gmtime(now);
        (tm.year, tm.month, tm.day)
    } else {
        let parts: Vec<&str> = date.split('-').collect();
        if parts.len() != 3 {
            return None;
        }
        (parts[0].parse().ok()?, num(parts[1])?, num(parts[2])?)
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let (mut h, mut mi, mut sec, mut nsec) = (0, 0, 0, 0u32);
    if let Some(t) = time {
        let (hms, frac) = t.split_once('.').unwrap_or((t, ""));
        let parts: Vec<&str> = hms.split(':').collect();
        if parts.len() < 2 || parts.len() > 3 {
            return None;
        }
        h = num(parts[0])?;
        mi = num(parts[1])?;
        if parts.len() == 3 {
            sec = num(parts[2])?;
        }
        if !frac.is_empty() {
            let f: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
            nsec = num(&f)?;
        }
        if h > 23 || mi > 59 || sec > 60 {
            return None;
        }
    }
    Some(Timespec { sec: timegm(y, mo, d, h, mi, sec), nsec })
}

/// `N unit[s] [ago]`, `+N unit`, `-N unit`, `next unit`, `last unit`.
fn parse_relative(s: &str, now: Timespec) -> Option<Timespec> {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < 2 || words.len() > 3 {
        return None;
    }
    let n: i64 = match words[0] {
        "next" => 1,
        "last" => -1,
        w => w.trim_start_matches('+').parse().ok()?,
    };
    let unit = words[1].trim_end_matches('s');
    let secs = match unit {
        "sec" | "second" => 1,
        "min" | "minute" => 60,
        "hour" => 3600,
        "day" => 86400,
        "week" => 7 * 86400,
        "fortnight" => 14 * 86400,
        "month" | "year" => {
            let ago = words.get(2) == Some(&"ago");
            let n = if ago { -n } else { n };
            let tm = gmtime(now);
            let total = if unit == "month" {
                tm.year * 12 + tm.month as i64 - 1 + n
            } else {
                (tm.year + n) * 12 + tm.month as i64 - 1
            };
            let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
            let sec = timegm(y, m, tm.day, tm.hour, tm.min, tm.sec);
            return Some(Timespec { sec, nsec: now.nsec });
        }
        _ => return None,
    };
    let n = match words.get(2) {
        Some(&"ago") => -n,
        None => n,
        _ => return None,
    };
    Some(Timespec { sec: now.sec + n * secs, nsec: now.nsec })
}

/// `touch -t [[CC]YY]MMDDhhmm[.ss]`.
pub fn parse_touch_stamp(s: &str, now: Timespec) -> Option<Timespec> {
    let (main, ss) = match s.split_once('.') {
        Some((m, ss)) if ss.len() == 2 => (m, num(ss)?),
        Some(_) => return None,
        None => (s, 0),
    };
    if !main.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cur = gmtime(now).year;
    let (year, rest) = match main.len() {
        8 => (cur, main),
        10 => {
            let yy: i64 = main[..2].parse().ok()?;
            (if yy < 69 { 2000 + yy } else { 1900 + yy }, &main[2..])
        }
        12 => (main[..4].parse().ok()?, &main[4..]),
        _ => return None,
    };
    let mo = num(&rest[0..2])?;
    let d = num(&rest[2..4])?;
    let h = num(&rest[4..6])?;
    let mi = num(&rest[6..8])?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || ss > 60 {
        return None;
    }
    Some(Timespec { sec: timegm(year, mo, d, h, mi, ss), nsec: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(sec: i64) -> Timespec {
        Timespec { sec, nsec: 0 }
    }

    #[test]
    fn calendar() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2024, 1, 1), 19723);
        assert_eq!(civil_from_days(19723 + 59), (2024, 2, 29));
        let tm = gmtime(ts(1_704_067_200));
        assert_eq!((tm.year, tm.month, tm.day, tm.wday, tm.yday), (2024, 1, 1, 1, 0));
        assert_eq!(gmtime(ts(-1)).year, 1969);
    }

    #[test]
    fn formats() {
        let t = Timespec { sec: 981_173_106, nsec: 123_456_789 }; // 2001-02-03 04:05:06
        assert_eq!(strftime("%Y-%m-%d %H:%M:%S", t), "2001-02-03 04:05:06");
        assert_eq!(strftime("%a %b %e %H:%M:%S %Z %Y", t), "Sat Feb  3 04:05:06 UTC 2001");
        assert_eq!(
            strftime("%-d|%_m|%3N|%N|%s|%j|%^a|%:z|%%|%q", t),
            "3| 2|123|123456789|981173106|034|SAT|+00:00|%|%q"
        );
        assert_eq!(strftime("%I %p %u %w %y %C %D", t), "04 AM 6 6 01 20 02/03/01");
        assert_eq!(strftime("%G-W%V-%u", ts(1_704_067_200)), "2024-W01-1");
        assert_eq!(strftime("%G-W%V", ts(timegm(2021, 1, 3, 0, 0, 0))), "2020-W53");
        assert_eq!(strftime("%U %W", ts(timegm(2024, 3, 10, 0, 0, 0))), "10 10");
    }

    #[test]
    fn parsing() {
        let now = ts(1_704_067_200);
        assert_eq!(parse_date("2001-02-03 04:05:06", now), Some(ts(981_173_106)));
        assert_eq!(parse_date("2001-02-03T04:05:06Z", now), Some(ts(981_173_106)));
        assert_eq!(parse_date("2020-01-01", now), Some(ts(1_577_836_800)));
        assert_eq!(parse_date("@5", now), Some(ts(5)));
        assert_eq!(parse_date("@1.5", now), Some(Timespec { sec: 1, nsec: 500_000_000 }));
        assert_eq!(parse_date("yesterday", now), Some(ts(1_704_067_200 - 86400)));
        assert_eq!(parse_date("2 days ago", now), Some(ts(1_704_067_200 - 2 * 86400)));
        assert_eq!(parse_date("1 month", now), Some(ts(timegm(2024, 2, 1, 0, 0, 0))));
        assert_eq!(parse_date("garbage", now), None);
        assert_eq!(parse_touch_stamp("200102030405.06", now), Some(ts(981_173_106)));
        assert_eq!(parse_touch_stamp("0102030405", now), Some(ts(981_173_100)));
    }
}
