//! Parsing a schedule string and finding its next fire time: the
//! reference's `parse-schedule.ts`, with `croner` for cron expressions.
//!
//! Forms, tried in this order:
//! - an optional `TZ=<IANA zone> ` (or `CRON_TZ=`, as cronie spells it)
//!   prefix, naming the zone the rest is read in (default UTC);
//! - an ISO-8601 one-shot time, `YYYY-MM-DD[( |T)hh:mm[:ss[.mmm]][Z|±hh:mm]]`
//!   (the reference's pattern); without an offset it is read in the zone;
//! - a cron expression of 5 fields, 6 (leading seconds) or 7 (trailing
//!   year), or a nickname: `@yearly`, `@annually`, `@monthly`, `@weekly`,
//!   `@daily`, `@midnight`, `@hourly`. Around DST changes croner decides:
//!   in a gap a fixed-time job runs at the first valid time after it and an
//!   interval job skips the missing times; in an overlap a fixed-time job
//!   runs once and an interval job runs in both halves.

use std::str::FromStr;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use croner::Cron;
use regex::Regex;

use crate::error::{Error, Result};

/// A parsed schedule.
#[derive(Clone, Debug)]
pub(crate) enum Schedule {
    /// A recurring cron expression, evaluated in a time zone.
    Cron { cron: Box<Cron>, tz: Tz },
    /// One fire at an instant.
    Once(DateTime<Utc>),
}

/// The reference's one-shot pattern, with groups for the parts.
fn one_shot_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // A constant pattern: failing to compile it is a bug caught by tests.
        Regex::new(
            r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$",
        )
        .expect("one-shot pattern compiles")
    })
}

impl Schedule {
    /// Parse `text`; a one-shot time at or before `now` is
    /// [`Error::PastSchedule`], anything unreadable (or a cron expression
    /// that never matches) [`Error::InvalidSchedule`].
    pub(crate) fn parse(text: &str, now: DateTime<Utc>) -> Result<Schedule> {
        let invalid = || Error::InvalidSchedule { schedule: text.to_string() };
        let (tz, expr) = split_zone(text.trim()).ok_or_else(invalid)?;
        if let Some(caps) = one_shot_pattern().captures(expr) {
            let num = |i: usize| caps.get(i).map_or(Some(0), |m| m.as_str().parse::<u32>().ok());
            let (y, mo, d) = (num(1).ok_or_else(invalid)?, num(2).ok_or_else(invalid)?, num(3).ok_or_else(invalid)?);
            let (h, mi, s) = (num(4).ok_or_else(invalid)?, num(5).ok_or_else(invalid)?, num(6).ok_or_else(invalid)?);
            // `.5` is 500 ms, as in `Date.parse`.
            let millis = caps.get(7).map_or(Some(0), |m| format!("{:0<3}", m.as_str()).parse::<u32>().ok());
            let naive = NaiveDate::from_ymd_opt(y as i32, mo, d)
                .and_then(|date| date.and_hms_milli_opt(h, mi, s, millis?))
                .ok_or_else(invalid)?;
            let at = match caps.get(8).map(|m| m.as_str()) {
                Some("Z") => Some(naive.and_utc()),
                Some(offset) => fixed_offset(offset).and_then(|o| single(o.from_local_datetime(&naive))),
                None => single(tz.from_local_datetime(&naive)),
            }
            .ok_or_else(invalid)?;
            if at <= now {
                return Err(Error::PastSchedule { schedule: text.to_string() });
            }
            return Ok(Schedule::Once(at));
        }
        // croner knows every nickname but this one.
        let expr = if expr.eq_ignore_ascii_case("@midnight") { "@daily" } else { expr };
        let cron = Cron::from_str(expr).map_err(|_| invalid())?;
        let schedule = Schedule::Cron { cron: Box::new(cron), tz };
        if schedule.next_after(now).is_none() {
            return Err(invalid());
        }
        Ok(schedule)
    }

    /// The first fire time strictly after `now` (whole seconds for cron
    /// expressions), or `None` when there is none (a one-shot already due).
    pub(crate) fn next_after(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Schedule::Cron { cron, tz } => {
                cron.find_next_occurrence(&now.with_timezone(tz), false).ok().map(|t| t.with_timezone(&Utc))
            }
            Schedule::Once(at) => (*at > now).then_some(*at),
        }
    }

    /// Whether this fires only once.
    pub(crate) fn is_once(&self) -> bool {
        matches!(self, Schedule::Once(_))
    }
}

/// Split off a `TZ=Zone ` prefix. `None` when the zone is unknown or
/// nothing follows it.
fn split_zone(text: &str) -> Option<(Tz, &str)> {
    let rest = match text.strip_prefix("TZ=").or_else(|| text.strip_prefix("CRON_TZ=")) {
        Some(rest) => rest,
        None => return Some((Tz::UTC, text)),
    };
    let (zone, expr) = rest.split_once(char::is_whitespace)?;
    let expr = expr.trim_start();
    if expr.is_empty() {
        return None;
    }
    Some((Tz::from_str(zone).ok()?, expr))
}

/// `+hh:mm` / `-hh:mm` as an offset.
fn fixed_offset(s: &str) -> Option<FixedOffset> {
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let (h, m) = s.get(1..)?.split_once(':')?;
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    FixedOffset::east_opt(sign * secs)
}

/// A local time's instant: the earlier one when the clocks fall back, none
/// when they spring forward over it (that local time never happens).
fn single<Z: TimeZone>(r: LocalResult<DateTime<Z>>) -> Option<DateTime<Utc>> {
    r.earliest().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn next(text: &str, now: &str) -> String {
        Schedule::parse(text, at(now)).unwrap().next_after(at(now)).unwrap().to_rfc3339()
    }

    #[test]
    fn forms() {
        let now = "2026-01-01T10:00:00.500Z";
        assert_eq!(next("* * * * * *", now), "2026-01-01T10:00:01+00:00");
        assert_eq!(next("*/5 * * * *", now), "2026-01-01T10:05:00+00:00");
        assert_eq!(next("@hourly", now), "2026-01-01T11:00:00+00:00");
        assert_eq!(next("@midnight", now), "2026-01-02T00:00:00+00:00");
        assert_eq!(next("  TZ=Asia/Tokyo   0 9 * * *", now), "2026-01-02T00:00:00+00:00");
        assert_eq!(next("2026-01-01 12:30", now), "2026-01-01T12:30:00+00:00");
        assert_eq!(next("2026-01-01T12:30:00.5+02:00", now), "2026-01-01T10:30:00.500+00:00");
        assert_eq!(next("2026-01-02", now), "2026-01-02T00:00:00+00:00");
        assert_eq!(next("TZ=America/New_York 2026-01-01T12:00", now), "2026-01-01T17:00:00+00:00");
    }

    #[test]
    fn invalid() {
        let now = at("2026-01-01T10:00:00Z");
        for bad in [
            "",
            "* * * *",
            "61 * * * *",
            "@often",
            "TZ=Mars/Olympus 0 9 * * *",
            "TZ=UTC",
            "2026-02-30T10:00Z",
            "0 0 30 2 *",
            "2026-03-29T02:30",
        ] {
            let bad = if bad == "2026-03-29T02:30" { "TZ=Europe/Berlin 2026-03-29T02:30" } else { bad };
            assert_eq!(
                Schedule::parse(bad, now).unwrap_err(),
                Error::InvalidSchedule { schedule: bad.to_string() },
                "{bad}"
            );
        }
        assert_eq!(
            Schedule::parse("2026-01-01T10:00:00Z", now).unwrap_err(),
            Error::PastSchedule { schedule: "2026-01-01T10:00:00Z".into() }
        );
    }
}
