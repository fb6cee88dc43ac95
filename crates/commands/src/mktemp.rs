//! `mktemp [-d] [-u] [-q] [-p DIR] [-t] [--suffix=SUFF] [TEMPLATE]`:
//! create a unique file (0600) or directory (0700) from a template whose
//! trailing `X`s become random letters and digits.

use agentos_kernel::abi::OFlags;
use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Spec, opts, path};

const NAME: &str = "mktemp";

const LONG: &[(&str, Arg, char)] = &[
    ("directory", Arg::No, 'd'),
    ("dry-run", Arg::No, 'u'),
    ("quiet", Arg::No, 'q'),
    ("tmpdir", Arg::Opt, 'p'),
    ("suffix", Arg::Req, '\u{1}'),
    ("help", Arg::No, 'H'),
];

const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("dup:qtV", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [TEMPLATE]");
    }
    if p.operands.len() > 1 {
        return util::usage_error(task, NAME, "too many templates", 1);
    }
    let quiet = p.has('q');
    let fail = |msg: String| {
        if !quiet {
            util::error(task, NAME, &msg);
        }
        1
    };
    let given = p.operands.first().cloned();
    let template = given.clone().unwrap_or_else(|| "tmp.XXXXXXXXXX".into());
    let (mut template, mut suffix) = (template.clone(), p.last('\u{1}').unwrap_or("").to_string());
    if p.last('\u{1}').is_none() {
        // A suffix after the last X run is implied.
        if let Some(last_x) = template.rfind('X') {
            suffix = template[last_x + 1..].to_string();
            template.truncate(last_x + 1);
        }
    } else if !template.ends_with('X') {
        return fail(format!("with --suffix, template {} must end in X", util::quote(&template)));
    }
    let xs = template.len() - template.trim_end_matches('X').len();
    if xs < 3 {
        return fail(format!("too few X's in template {}", util::quote(&format!("{template}{suffix}"))));
    }
    let tmpdir_env = task.getenv("TMPDIR").filter(|s| !s.is_empty()).map(String::from);
    let dir: Option<String> = if p.has('p') || p.has('t') || given.is_none() {
        let d = p.last('p').filter(|s| !s.is_empty()).map(String::from).or(tmpdir_env).unwrap_or_else(|| "/tmp".into());
        if p.has('t') || given.is_none() || p.has('p') {
            if template.contains('/') && (p.has('t') || given.is_none()) {
                return fail(format!("invalid template, {}, contains directory separator", util::quote(&template)));
            }
            Some(d)
        } else {
            None
        }
    } else {
        None
    };
    let base = &template[..template.len() - xs];
    for _ in 0..100 {
        let mut rnd = vec![0u8; xs];
        task.random(&mut rnd);
        let fill: String = rnd.iter().map(|b| CHARS[*b as usize % CHARS.len()] as char).collect();
        let name = format!("{base}{fill}{suffix}");
        let full = match &dir {
            Some(d) => path::join(d, &name),
            None => name,
        };
        if p.has('u') {
            if task.lstat(&full).is_ok() {
                continue;
            }
            util::out(task, format!("{full}\n").as_bytes());
            return 0;
        }
        let r = if p.has('d') {
            task.mkdir(&full, 0o700).map(|_| ())
        } else {
            task.open(&full, OFlags::RDWR | OFlags::CREAT | OFlags::EXCL, 0o600).map(|fd| {
                let _ = task.close(fd);
            })
        };
        match r {
            Ok(()) => {
                util::out(task, format!("{full}\n").as_bytes());
                return 0;
            }
            Err(Errno::EEXIST) => continue,
            Err(e) => {
                let what = if p.has('d') { "directory" } else { "file" };
                let shown = match &dir {
                    Some(d) => path::join(d, &format!("{base}{}{suffix}", "X".repeat(xs))),
                    None => format!("{base}{}{suffix}", "X".repeat(xs)),
                };
                return fail(format!("failed to create {what} via template {}: {}", util::quote(&shown), e.strerror()));
            }
        }
    }
    fail("too many attempts".into())
}
