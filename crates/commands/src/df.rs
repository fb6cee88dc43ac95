//! `df [-hHkTai] [FILE]...`: space on the VM's mounted filesystems, from
//! the mount table and each filesystem's own accounting.

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts, size};

const NAME: &str = "df";

const LONG: &[(&str, Arg, char)] = &[
    ("all", Arg::No, 'a'),
    ("human-readable", Arg::No, 'h'),
    ("si", Arg::No, 'H'),
    ("inodes", Arg::No, 'i'),
    ("print-type", Arg::No, 'T'),
    ("portability", Arg::No, 'P'),
    ("block-size", Arg::Req, 'B'),
    ("local", Arg::No, 'l'),
    ("help", Arg::No, '\u{1}'),
];

/// Totals past this are shown as this (an unlimited in-memory filesystem
/// would otherwise report 16 EiB).
const CAP: u64 = 1 << 40;

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("ahHiTPB:klt:x:", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('\u{1}') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let human = if p.has('h') {
        Some(1024)
    } else if p.has('H') {
        Some(1000)
    } else {
        None
    };
    let inodes = p.has('i');
    let mounts = task.kernel().vfs.mounts();
    let mut selected = Vec::new();
    let mut status = 0;
    if p.operands.is_empty() {
        for m in &mounts {
            let u = m.fs.usage();
            if !p.has('a') && u.bytes_total == 0 && u.inodes_total == 0 {
                continue;
            }
            selected.push(m.clone());
        }
    } else {
        for f in &p.operands {
            let real = match task.realpath(f) {
                Ok(r) => r,
                Err(e) => {
                    util::error_file(task, NAME, f, e);
                    status = 1;
                    continue;
                }
            };
            let m = mounts
                .iter()
                .filter(|m| m.path == "/" || real == m.path || real.starts_with(&format!("{}/", m.path)))
                .max_by_key(|m| m.path.len());
            if let Some(m) = m {
                selected.push(m.clone());
            }
        }
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let size_hdr = match (human, inodes) {
        (_, true) => "Inodes".to_string(),
        (Some(_), _) => "Size".to_string(),
        _ => "1K-blocks".to_string(),
    };
    let mut hdr = vec!["Filesystem".to_string()];
    if p.has('T') {
        hdr.push("Type".into());
    }
    if inodes {
        hdr.extend(["Inodes", "IUsed", "IFree", "IUse%"].map(String::from));
    } else {
        hdr.extend([
            size_hdr,
            "Used".into(),
            if p.has('P') { "Available".into() } else { "Avail".into() },
            if p.has('P') { "Capacity".into() } else { "Use%".into() },
        ]);
        if human.is_none() {
            let n = hdr.len();
            hdr[n - 2] = "Available".into();
        }
    }
    hdr.push("Mounted on".into());
    rows.push(hdr);
    for m in &selected {
        let u = m.fs.usage();
        let (total, used) =
            if inodes { (u.inodes_total.min(CAP), u.inodes_used) } else { (u.bytes_total.min(CAP), u.bytes_used) };
        // Work in 1K blocks as statfs would report them: used rounded up,
        // the total rounded down, available what is left.
        let unit = if inodes || human.is_some() { 1 } else { 1024 };
        let (total_u, used_u) = (total / unit, used.div_ceil(unit));
        let avail_u = total_u.saturating_sub(used_u);
        let pct = if total_u == 0 {
            "-".to_string()
        } else {
            format!("{}%", (used_u * 100).div_ceil((used_u + avail_u).max(1)))
        };
        let show = |n: u64| -> String {
            match human {
                Some(b) if !inodes => size::human(n, b),
                _ => n.to_string(),
            }
        };
        let (total, used, avail) = (total_u, used_u, avail_u);
        let mut row = vec![m.fs.fs_type().to_string()];
        if p.has('T') {
            row.push(m.fs.fs_type().to_string());
        }
        row.extend([show(total), show(used), show(avail), pct, m.path.clone()]);
        rows.push(row);
    }
    // Columns: first and last left-aligned, numbers right-aligned.
    let ncol = rows[0].len();
    // GNU's minimum widths: Filesystem 14, Type 4, numbers 5, percentages 4.
    let min = |c: usize| -> usize {
        let typed = p.has('T');
        match (c, typed) {
            (0, _) => 14,
            (1, true) => 4,
            (c, _) if c == ncol - 1 => 0,
            (c, _) if c == ncol - 2 => 4,
            _ => 5,
        }
    };
    let widths: Vec<usize> =
        (0..ncol).map(|c| rows.iter().map(|r| r[c].len()).max().unwrap_or(0).max(min(c))).collect();
    let mut out = String::new();
    for r in &rows {
        let mut line = Vec::new();
        for (c, cell) in r.iter().enumerate() {
            let w = widths[c];
            if c == 0 || (p.has('T') && c == 1) {
                line.push(format!("{cell:<w$}"));
            } else if c == ncol - 1 {
                line.push(cell.clone());
            } else {
                line.push(format!("{cell:>w$}"));
            }
        }
        out.push_str(line.join(" ").trim_end());
        out.push('\n');
    }
    util::out(task, out.as_bytes());
    status
}
