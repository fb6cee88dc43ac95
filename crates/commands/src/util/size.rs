//! Sizes: GNU's human-readable output (`ls -h`, `du -h`, `df -h`) and the
//! size suffixes `head -c`, `truncate`, `split`, `dd` accept.

const UNITS: &[u8] = b"KMGTPEZY";

/// `human_readable` with ceiling rounding: `1023`, `1.0K`, `1.5K`, `10K`.
/// `base` is 1024 (or 1000 for `--si`, which prints `k`).
pub fn human(n: u64, base: u64) -> String {
    if n < base {
        return n.to_string();
    }
    let mut unit = 0usize;
    let mut div = base as u128;
    while (n as u128) >= div * base as u128 && unit + 1 < UNITS.len() {
        div *= base as u128;
        unit += 1;
    }
    let suffix = if base == 1000 && unit == 0 { 'k' } else { UNITS[unit] as char };
    // Tenths, rounded up.
    let tenths = (n as u128 * 10).div_ceil(div);
    if tenths < 100 {
        return format!("{}.{}{suffix}", tenths / 10, tenths % 10);
    }
    let whole = (n as u128).div_ceil(div);
    if whole >= base as u128 && unit + 1 < UNITS.len() {
        // 1023.5K rounds up to 1.0M.
        return format!("1.0{}", UNITS[unit + 1] as char);
    }
    format!("{whole}{suffix}")
}

/// Multiplier of a size suffix as coreutils' `xstrtoumax` knows them:
/// `b` 512, `K`/`KiB` 1024, `KB`/`kB` 1000, and so on up to `Y`; `c` 1 and
/// `w` 2 for dd.
pub fn suffix_multiplier(s: &str) -> Option<u128> {
    if s.is_empty() {
        return Some(1);
    }
    match s {
        "b" => return Some(512),
        "c" => return Some(1),
        "w" => return Some(2),
        _ => {}
    }
    let mut cs = s.chars();
    let first = cs.next()?;
    let rest: String = cs.collect();
    // Lowercase letters are accepted too (`1k`, `1m`), as coreutils does.
    let idx = "KMGTPEZY".find(first.to_ascii_uppercase())?;
    let base: u128 = match rest.as_str() {
        "" | "iB" => 1024,
        "B" => 1000,
        _ => return None,
    };
    Some(base.pow(idx as u32 + 1))
}

/// Parse `123`, `10K`, `1MiB`... Returns `None` for junk or overflow.
pub fn parse_size(s: &str) -> Option<u64> {
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits == 0 {
        return None;
    }
    let n: u128 = s[..digits].parse().ok()?;
    let m = suffix_multiplier(&s[digits..])?;
    u64::try_from(n.checked_mul(m)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes() {
        assert_eq!(human(0, 1024), "0");
        assert_eq!(human(1023, 1024), "1023");
        assert_eq!(human(1024, 1024), "1.0K");
        assert_eq!(human(1025, 1024), "1.1K");
        assert_eq!(human(1536, 1024), "1.5K");
        assert_eq!(human(4096, 1024), "4.0K");
        assert_eq!(human(10 * 1024, 1024), "10K");
        assert_eq!(human(10 * 1024 + 1, 1024), "11K");
        assert_eq!(human(1024 * 1024 - 1, 1024), "1.0M");
        assert_eq!(human(5 * 1024 * 1024 * 1024, 1024), "5.0G");
        assert_eq!(human(1500, 1000), "1.5k");
    }

    #[test]
    fn size_suffixes() {
        assert_eq!(parse_size("10"), Some(10));
        assert_eq!(parse_size("2K"), Some(2048));
        assert_eq!(parse_size("2k"), Some(2048));
        assert_eq!(parse_size("1m"), Some(1 << 20));
        assert_eq!(parse_size("2kB"), Some(2000));
        assert_eq!(parse_size("1MiB"), Some(1 << 20));
        assert_eq!(parse_size("1MB"), Some(1_000_000));
        assert_eq!(parse_size("3b"), Some(1536));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_size("5Q"), None);
    }
}
