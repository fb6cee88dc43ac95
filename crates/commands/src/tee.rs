//! `tee [-ai] [FILE]...`: copy standard input to standard output and to
//! each file. A file that cannot be opened is reported and skipped.

use agentos_kernel::Task;
use agentos_kernel::abi::{Fd, OFlags};

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "tee";

const LONG: &[(&str, Arg, char)] = &[
    ("append", Arg::No, 'a'),
    ("ignore-interrupts", Arg::No, 'i'),
    ("output-error", Arg::Opt, 'p'),
    ("help", Arg::No, 'H'),
];

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("aip", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let mode = if p.has('a') { OFlags::APPEND } else { OFlags::TRUNC };
    let mut status = 0;
    let mut outs: Vec<(Fd, String)> = vec![(1, "standard output".into())];
    for f in &p.operands {
        if f == "-" {
            outs.push((1, "standard output".into()));
            continue;
        }
        match task.open(f, OFlags::WRONLY | OFlags::CREAT | mode, 0o666) {
            Ok(fd) => outs.push((fd, f.clone())),
            Err(e) => {
                util::error_file(task, NAME, f, e);
                status = 1;
            }
        }
    }
    let mut input = Input::fd(task, 0);
    loop {
        let chunk = match input.chunk() {
            Ok([]) => break,
            Ok(c) => c.to_vec(),
            Err(e) => {
                util::error(task, NAME, &format!("read error: {}", e.strerror()));
                status = 1;
                break;
            }
        };
        let mut failed = Vec::new();
        for (i, (fd, name)) in outs.iter().enumerate() {
            if let Err(e) = task.write_all(*fd, &chunk) {
                util::error_file(task, NAME, name, e);
                status = 1;
                failed.push(i);
            }
        }
        for i in failed.into_iter().rev() {
            let (fd, _) = outs.remove(i);
            if fd > 2 {
                let _ = task.close(fd);
            }
        }
        if outs.is_empty() {
            break;
        }
    }
    for (fd, _) in outs {
        if fd > 2 {
            let _ = task.close(fd);
        }
    }
    status
}
