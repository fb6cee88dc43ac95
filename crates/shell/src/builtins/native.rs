//! Builtins shared with the commands crate (`echo`, `printf`, `test`,
//! `[`): their `NativeMain` runs in the shell's own process with
//! redirections already applied. Their diagnostics are caught and
//! re-issued under the shell's `bash: line N:` prefix, as bash's builtins
//! print them, and `printf -v` captures the output into a variable.

use std::sync::{Arc, Mutex};

use agentos_kernel::Task;
use agentos_kernel::abi::{Errno, Fd, OFlags};
use agentos_kernel::exec::NativeMain;
use agentos_kernel::file::{OpenFile, OutputChannel};

use crate::state::{Ctl, Res, Shell};

/// Point descriptor `fd` at an in-memory buffer; returns the saved
/// descriptor (to restore) and the buffer.
fn capture(t: &Task, fd: Fd) -> (Option<Fd>, Arc<Mutex<Vec<u8>>>) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let b = buf.clone();
    let sink = Arc::new(move |d: &[u8]| {
        if let Ok(mut v) = b.lock() {
            v.extend_from_slice(d);
        }
    });
    let saved = t.dup_min(fd, 10, true).ok();
    let file = OpenFile::stream(OutputChannel::new(sink), OFlags::WRONLY);
    if let Ok(tmp) = t.install(file, true) {
        let _ = t.dup2(tmp, fd);
        let _ = t.close(tmp);
    }
    (saved, buf)
}

fn release(t: &Task, fd: Fd, saved: Option<Fd>, buf: &Arc<Mutex<Vec<u8>>>) -> Vec<u8> {
    match saved {
        Some(s) => {
            let _ = t.dup2(s, fd);
            let _ = t.close(s);
        }
        None => {
            let _ = t.close(fd);
        }
    }
    buf.lock().map(|mut v| std::mem::take(&mut *v)).unwrap_or_default()
}

/// Run a shared builtin; returns its status and, with `capture_out`, its
/// standard output.
fn run(sh: &Shell, t: &mut Task, argv: &[String], main: NativeMain, capture_out: bool) -> (i32, Vec<u8>) {
    let (err_saved, err_buf) = capture(t, 2);
    let out = capture_out.then(|| capture(t, 1));
    let saved_argv = std::mem::replace(&mut t.argv, argv.to_vec());
    let code = main(t);
    t.argv = saved_argv;
    let output = match out {
        Some((saved, buf)) => release(t, 1, saved, &buf),
        None => Vec::new(),
    };
    let errors = release(t, 2, err_saved, &err_buf);
    for line in String::from_utf8_lossy(&errors).lines() {
        sh.error(t, line);
    }
    (code, output)
}

fn shared(name: &str) -> Option<NativeMain> {
    agentos_commands::builtin(name)
}

/// `echo`, `printf`, `test`, `[`.
pub fn builtin(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let name = argv[0].as_str();
    let Some(main) = shared(name) else { return Ok(127) };
    let mut argv = argv.to_vec();
    let mut var = None;
    if name == "printf" && argv.get(1).map(String::as_str) == Some("-v") && argv.len() > 2 {
        var = Some(argv[2].clone());
        argv.drain(1..3);
    }
    if var.is_none() && matches!(name, "echo" | "printf") && t.file(1).is_err() {
        sh.error(t, &format!("{name}: write error: {}", Errno::EBADF.strerror()));
        return Ok(1);
    }
    let (code, output) = run(sh, t, &argv, main, var.is_some());
    match var {
        Some(v) => match sh.assign_ref(t, &v, None, &String::from_utf8_lossy(&output)) {
            Ok(()) => Ok(code),
            Err(Ctl::Abort(s)) => Ok(s),
            Err(e) => Err(e),
        },
        None => Ok(code),
    }
}
