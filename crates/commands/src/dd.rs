//! `dd [if=F] [of=F] [bs=N] [ibs=N] [obs=N] [count=N] [skip=N] [seek=N]
//! [conv=notrunc,ucase,lcase,sync,noerror,fsync] [status=none|noxfer|progress]`:
//! copy in blocks, with GNU's summary on standard error. The time and
//! speed in the summary are measured on the VM's monotonic clock.

use agentos_kernel::Task;
use agentos_kernel::abi::{OFlags, Whence};

use crate::util::{self, Input, size};

const NAME: &str = "dd";

#[derive(Debug, Default)]
struct Args {
    input: Option<String>,
    output: Option<String>,
    ibs: usize,
    obs: usize,
    count: Option<u64>,
    skip: u64,
    seek: u64,
    notrunc: bool,
    ucase: bool,
    lcase: bool,
    sync: bool,
    status: String,
    count_bytes: bool,
    skip_bytes: bool,
    seek_bytes: bool,
}

fn num(v: &str) -> Option<u64> {
    // `2x512` products are allowed.
    let mut total: u64 = 1;
    for part in v.split('x') {
        total = total.checked_mul(size::parse_size(part)?)?;
    }
    Some(total)
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut a = Args { ibs: 512, obs: 512, status: String::new(), ..Default::default() };
    for arg in args {
        let Some((k, v)) = arg.split_once('=') else {
            return Err(format!("unrecognized operand {}", util::quote(arg)));
        };
        let n = || num(v).ok_or_else(|| format!("invalid number: {}", util::quote(v)));
        match k {
            "if" => a.input = Some(v.into()),
            "of" => a.output = Some(v.into()),
            "bs" => {
                let b = n()? as usize;
                if b == 0 {
                    return Err(format!("invalid number: {}", util::quote(v)));
                }
                a.ibs = b;
                a.obs = b;
            }
            "ibs" => a.ibs = n()?.max(1) as usize,
            "obs" => a.obs = n()?.max(1) as usize,
            "count" => a.count = Some(n()?),
            "skip" | "iseek" => a.skip = n()?,
            "seek" | "oseek" => a.seek = n()?,
            "status" => a.status = v.into(),
            "conv" => {
                for c in v.split(',') {
                    match c {
                        "notrunc" => a.notrunc = true,
                        "ucase" => a.ucase = true,
                        "lcase" => a.lcase = true,
                        "sync" => a.sync = true,
                        "noerror" | "fsync" | "fdatasync" | "excl" | "nocreat" | "sparse" | "swab" | "block"
                        | "unblock" => {}
                        _ => return Err(format!("invalid conversion: {}", util::quote(c))),
                    }
                }
            }
            "iflag" | "oflag" => {
                for f in v.split(',') {
                    match f {
                        "count_bytes" => a.count_bytes = true,
                        "skip_bytes" => a.skip_bytes = true,
                        "seek_bytes" => a.seek_bytes = true,
                        "fullblock" | "append" | "direct" | "dsync" | "sync" | "nonblock" | "noatime" | "nocache"
                        | "noctty" | "nofollow" | "binary" | "text" => {}
                        _ => return Err(format!("invalid input flag: {}", util::quote(f))),
                    }
                }
            }
            _ => return Err(format!("unrecognized operand {}", util::quote(arg))),
        }
    }
    if a.ucase && a.lcase {
        return Err("cannot combine lcase and ucase".into());
    }
    Ok(a)
}

/// GNU's byte count in the summary: `1.0 kB, 1000 B`-style suffixes.
fn si(n: u64) -> String {
    let f = n as f64;
    let (si, iec) = if n >= 1000 {
        let units = ["kB", "MB", "GB", "TB", "PB"];
        let iunits = ["KiB", "MiB", "GiB", "TiB", "PiB"];
        let mut i = 0;
        let mut v = f / 1000.0;
        while v >= 1000.0 && i + 1 < units.len() {
            v /= 1000.0;
            i += 1;
        }
        let mut j = 0;
        let mut w = f / 1024.0;
        while w >= 1024.0 && j + 1 < iunits.len() {
            w /= 1024.0;
            j += 1;
        }
        (
            Some(format!("{} {}", short(v), units[i])),
            if n >= 1024 { Some(format!("{} {}", short(w), iunits[j])) } else { None },
        )
    } else {
        (None, None)
    };
    match (si, iec) {
        (Some(s), Some(i)) => format!("{n} bytes ({s}, {i}) copied"),
        (Some(s), None) => format!("{n} bytes ({s}) copied"),
        _ => format!("{n} byte{} copied", if n == 1 { "" } else { "s" }),
    }
}

fn short(v: f64) -> String {
    if v < 10.0 { format!("{v:.1}") } else { format!("{}", v.round() as u64) }
}

fn speed(bytes: u64, secs: f64) -> String {
    if secs <= 0.0 {
        return "Infinity B/s".into();
    }
    let rate = bytes as f64 / secs;
    let units = ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"];
    let mut v = rate;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{} {}", v.round() as u64, units[0])
    } else {
        format!("{} {}", if v < 100.0 { format!("{v:.1}") } else { format!("{}", v.round() as u64) }, units[i])
    }
}

pub fn main(task: &mut Task) -> i32 {
    let args = &task.argv[1..];
    if args.first().map(|s| s.as_str()) == Some("--help") {
        return util::help(task, NAME, "[OPERAND]...");
    }
    let a = match parse(args) {
        Ok(a) => a,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    let start = task.monotonic();
    let mut input = match &a.input {
        Some(f) => match Input::open(task, f) {
            Ok(i) => i,
            Err(e) => {
                util::error(task, NAME, &format!("failed to open {}: {}", util::quote(f), e.strerror()));
                return 1;
            }
        },
        None => Input::fd(task, 0),
    };
    let out_fd = match &a.output {
        Some(f) => {
            let mut flags = OFlags::WRONLY | OFlags::CREAT;
            if !a.notrunc && a.seek == 0 {
                flags |= OFlags::TRUNC;
            }
            match task.open(f, flags, 0o666) {
                Ok(fd) => {
                    if !a.notrunc && a.seek > 0 {
                        let off = if a.seek_bytes { a.seek } else { a.seek * a.obs as u64 };
                        let _ = task.ftruncate(fd, off);
                    }
                    fd
                }
                Err(e) => {
                    util::error(task, NAME, &format!("failed to open {}: {}", util::quote(f), e.strerror()));
                    return 1;
                }
            }
        }
        None => 1,
    };
    if a.seek > 0 {
        let off = if a.seek_bytes { a.seek } else { a.seek * a.obs as u64 };
        if task.lseek(out_fd, off as i64, Whence::Set).is_err() {
            // A stream: write zeros is not what GNU does either; skip.
        }
    }
    // Skip input: seek if possible, otherwise read and discard.
    let skip_bytes = if a.skip_bytes { a.skip } else { a.skip * a.ibs as u64 };
    if skip_bytes > 0 {
        let mut left = skip_bytes;
        let mut buf = vec![0u8; 64 * 1024];
        while left > 0 {
            let want = left.min(buf.len() as u64) as usize;
            let n = input.read(&mut buf[..want]).unwrap_or(0);
            if n == 0 {
                break;
            }
            left -= n as u64;
        }
    }
    let (mut full_in, mut part_in, mut full_out, mut part_out, mut total) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut status = 0;
    let mut buf = vec![0u8; a.ibs];
    let mut pending: Vec<u8> = Vec::new();
    let mut remaining = a.count.map(|c| if a.count_bytes { c } else { c * a.ibs as u64 });
    let mut write_out = |data: &[u8], final_flush: bool, pending: &mut Vec<u8>| -> bool {
        pending.extend_from_slice(data);
        while pending.len() >= a.obs || (final_flush && !pending.is_empty()) {
            let n = pending.len().min(a.obs);
            if let Err(e) = task.write_all(out_fd, &pending[..n]) {
                util::error(
                    task,
                    NAME,
                    &format!(
                        "error writing {}: {}",
                        util::quote(a.output.as_deref().unwrap_or("standard output")),
                        e.strerror()
                    ),
                );
                return false;
            }
            if n == a.obs {
                full_out += 1;
            } else {
                part_out += 1;
            }
            pending.drain(..n);
        }
        true
    };
    loop {
        let want = match remaining {
            Some(0) => break,
            Some(r) => (r as usize).min(a.ibs),
            None => a.ibs,
        };
        // Fill one input block as read(2) would: one read, short at EOF.
        let n = match input.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(e) => {
                util::error(
                    task,
                    NAME,
                    &format!(
                        "error reading {}: {}",
                        util::quote(a.input.as_deref().unwrap_or("standard input")),
                        e.strerror()
                    ),
                );
                status = 1;
                break;
            }
        };
        if n == 0 {
            break;
        }
        if n == a.ibs {
            full_in += 1;
        } else {
            part_in += 1;
        }
        if let Some(r) = remaining.as_mut() {
            *r -= n as u64;
        }
        let mut block = buf[..n].to_vec();
        if a.sync && n < a.ibs {
            block.resize(a.ibs, 0);
        }
        if a.ucase {
            block.make_ascii_uppercase();
        } else if a.lcase {
            block.make_ascii_lowercase();
        }
        total += block.len() as u64;
        if !write_out(&block, false, &mut pending) {
            status = 1;
            break;
        }
    }
    if status == 0 && !write_out(&[], true, &mut pending) {
        status = 1;
    }
    if out_fd != 1 {
        let _ = task.close(out_fd);
    }
    if a.status != "none" {
        let mut msg = format!("{full_in}+{part_in} records in\n{full_out}+{part_out} records out\n");
        if a.status != "noxfer" {
            let secs = (task.monotonic().as_nanos() - start.as_nanos()) as f64 / 1e9;
            msg.push_str(&format!("{}, {} s, {}\n", si(total), fmt_secs(secs), speed(total, secs)));
        }
        let _ = task.write_all(2, msg.as_bytes());
    }
    status
}

fn fmt_secs(s: f64) -> String {
    let g = crate::printf::fmt_float('g', &crate::printf::Conv::default(), s);
    if s == 0.0 { "0".into() } else { g }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        assert_eq!(si(10), "10 bytes copied");
        assert_eq!(si(1), "1 byte copied");
        assert_eq!(si(1000), "1000 bytes (1.0 kB) copied");
        assert_eq!(si(1048576), "1048576 bytes (1.0 MB, 1.0 MiB) copied");
        assert_eq!(si(15000), "15000 bytes (15 kB, 15 KiB) copied");
        assert_eq!(num("2x512"), Some(1024));
        assert_eq!(num("1K"), Some(1024));
        let a = parse(&["bs=4".into(), "count=2".into(), "conv=ucase,notrunc".into()]).unwrap();
        assert_eq!((a.ibs, a.count, a.ucase, a.notrunc), (4, Some(2), true, true));
        assert!(parse(&["foo".into()]).is_err());
    }
}
