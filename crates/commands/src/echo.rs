//! `echo [-neE] [STRING]...`: bash's builtin and GNU's `echo(1)`. Options
//! are recognised only as leading words made entirely of `n`, `e`, `E`
//! after a dash; `\c` under `-e` ends all output.

use agentos_kernel::Task;

use crate::util::{
    self,
    escape::{Mode, unescape},
};

fn run(task: &mut Task, gnu: bool) -> i32 {
    let args = &task.argv[1..];
    if gnu && args.len() == 1 {
        match args[0].as_str() {
            "--help" => return util::help(task, "echo", "[SHORT-OPTION]... [STRING]..."),
            "--version" => {
                util::out(task, b"echo (GNU coreutils) 9.1\n");
                return 0;
            }
            _ => {}
        }
    }
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_bytes();
        if a.len() < 2 || a[0] != b'-' || !a[1..].iter().all(|c| matches!(c, b'n' | b'e' | b'E')) {
            break;
        }
        for c in &a[1..] {
            match c {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mode = if gnu { Mode::PercentB } else { Mode::Echo };
    let mut out = Vec::new();
    for (k, a) in args[i..].iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        if escapes {
            let (bytes, stop) = unescape(a.as_bytes(), mode);
            out.extend_from_slice(&bytes);
            if stop {
                util::out(task, &out);
                return 0;
            }
        } else {
            out.extend_from_slice(a.as_bytes());
        }
    }
    if newline {
        out.push(b'\n');
    }
    match task.write_all(1, &out) {
        Ok(()) => 0,
        Err(e) => {
            util::error(task, "echo", &format!("write error: {}", e.strerror()));
            1
        }
    }
}

/// `/usr/bin/echo` (GNU coreutils).
pub fn main(task: &mut Task) -> i32 {
    run(task, true)
}

/// The shell's `echo` builtin (bash).
pub fn builtin_main(task: &mut Task) -> i32 {
    run(task, false)
}
