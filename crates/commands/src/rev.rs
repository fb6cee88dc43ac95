//! `rev [FILE]...`: reverse the characters of each line (util-linux).
//! Valid UTF-8 is reversed by character, anything else by byte.

use std::io::Write;

use agentos_kernel::Task;

use crate::util::{self, Input};

const NAME: &str = "rev";

pub fn reverse_line(line: &[u8]) -> Vec<u8> {
    match std::str::from_utf8(line) {
        Ok(s) => s.chars().rev().collect::<String>().into_bytes(),
        Err(_) => line.iter().rev().copied().collect(),
    }
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].iter().filter(|a| *a != "--").cloned().collect();
    let files = if args.is_empty() { vec!["-".to_string()] } else { args };
    let task: &Task = task;
    let mut w = task.stdout();
    let mut status = 0;
    for f in &files {
        let mut input = match Input::open(task, f) {
            Ok(i) => i,
            Err(e) => {
                let _ = w.flush();
                util::error(task, NAME, &format!("cannot open {f}: {}", e.strerror()));
                status = 1;
                continue;
            }
        };
        let mut lineno = 0;
        loop {
            let line = match input.line() {
                Ok(Some(l)) => l,
                Ok(None) => break,
                Err(e) => {
                    let _ = w.flush();
                    util::error(task, NAME, &format!("{f}: {lineno}: {}", e.strerror()));
                    status = 1;
                    break;
                }
            };
            lineno += 1;
            let (body, nl) = match line.strip_suffix(b"\n") {
                Some(b) => (b, true),
                None => (&line[..], false),
            };
            let _ = w.write_all(&reverse_line(body));
            if nl {
                let _ = w.write_all(b"\n");
            }
        }
    }
    util::finish(task, NAME, &mut w, status)
}
