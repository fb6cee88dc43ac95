//! `shuf [-e ARG... | -i LO-HI | FILE] [-n COUNT] [-r] [-z] [-o FILE]`:
//! random permutations, from the VM's entropy (`getrandom`).

use std::io::Write;

use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "shuf";

const LONG: &[(&str, Arg, char)] = &[
    ("echo", Arg::No, 'e'),
    ("input-range", Arg::Req, 'i'),
    ("head-count", Arg::Req, 'n'),
    ("output", Arg::Req, 'o'),
    ("random-source", Arg::Req, '\u{1}'),
    ("repeat", Arg::No, 'r'),
    ("zero-terminated", Arg::No, 'z'),
    ("help", Arg::No, 'H'),
];

/// A uniform integer below `n` (rejection sampling).
fn below(task: &Task, n: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let mut b = [0u8; 8];
        task.random(&mut b);
        let v = u64::from_le_bytes(b);
        if v < zone {
            return v % n;
        }
    }
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("ei:n:o:rz", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]");
    }
    let eol = if p.has('z') { 0 } else { b'\n' };
    let count = match p.last('n').map(|n| n.parse::<u64>()) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            util::error(task, NAME, &format!("invalid line count: {}", util::quote(p.last('n').unwrap_or(""))));
            return 1;
        }
    };
    let mut items: Vec<Vec<u8>> = if let Some(r) = p.last('i') {
        let parsed = r.split_once('-').and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)));
        match parsed {
            Some((lo, hi)) if hi + 1 >= lo => (lo..=hi).map(|i| i.to_string().into_bytes()).collect(),
            _ => {
                util::error(task, NAME, &format!("invalid input range: {}", util::quote(r)));
                return 1;
            }
        }
    } else if p.has('e') {
        p.operands.iter().map(|s| s.as_bytes().to_vec()).collect()
    } else {
        if p.operands.len() > 1 {
            return util::usage_error(task, NAME, &format!("extra operand {}", util::quote(&p.operands[1])), 1);
        }
        let f = p.operands.first().cloned().unwrap_or_else(|| "-".into());
        match util::input::slurp(task, &f) {
            Ok(d) => util::input::split_records(&d, eol).0,
            Err(util::input::ReadError::Open(e)) => {
                util::error_file(task, NAME, &f, e);
                return 1;
            }
            Err(util::input::ReadError::Read(e)) => {
                util::error(task, NAME, &format!("read error: {}", e.strerror()));
                return 1;
            }
        }
    };
    let mut out = Vec::new();
    if p.has('r') {
        if !items.is_empty() {
            let n = count.unwrap_or(u64::MAX);
            let mut i = 0;
            while i < n && i < 10_000_000 {
                let k = below(task, items.len() as u64) as usize;
                out.extend_from_slice(&items[k]);
                out.push(eol);
                i += 1;
            }
        }
    } else {
        // Fisher-Yates, stopping after `count` picks.
        let n = count.map(|c| c.min(items.len() as u64) as usize).unwrap_or(items.len());
        for i in 0..n {
            let j = i + below(task, (items.len() - i) as u64) as usize;
            items.swap(i, j);
            out.extend_from_slice(&items[i]);
            out.push(eol);
        }
    }
    let fd = match p.last('o') {
        Some(o) => match task.open(o, OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC, 0o666) {
            Ok(fd) => fd,
            Err(e) => {
                util::error_file(task, NAME, o, e);
                return 1;
            }
        },
        None => 1,
    };
    let task: &Task = task;
    let mut w = std::io::BufWriter::new(task.writer(fd));
    let _ = w.write_all(&out);
    let r = util::finish(task, NAME, &mut w, 0);
    drop(w);
    if fd != 1 {
        let _ = task.close(fd);
    }
    r
}
