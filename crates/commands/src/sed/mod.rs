//! `sed [OPTION]... {SCRIPT | -e SCRIPT | -f FILE}... [FILE]...`: the
//! stream editor, compatible with GNU sed 4.9 (commands, GNU extensions,
//! messages and exit statuses: 1 for a bad script, 2 for unreadable input,
//! 4 for I/O errors, or `q`/`Q`'s own status).
//!
//! Split: [`parse`] turns the script into commands, [`exec`] runs the
//! cycles, [`io`] reads the input stream and buffers the outputs. With
//! `-i`, each file is edited into a temporary file in its directory that is
//! then renamed over it, keeping its mode.

mod exec;
mod io;
mod parse;
mod parse_args;
mod text;

use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;

use crate::util::{self, Arg, Spec, opts};
use exec::{Machine, Options};
use io::{Reader, Sinks};
use parse::Chunk;

const NAME: &str = "sed";

const LONG: &[(&str, Arg, char)] = &[
    ("quiet", Arg::No, 'n'),
    ("silent", Arg::No, 'n'),
    ("expression", Arg::Req, 'e'),
    ("file", Arg::Req, 'f'),
    ("regexp-extended", Arg::No, 'E'),
    ("in-place", Arg::Opt, 'i'),
    ("separate", Arg::No, 's'),
    ("null-data", Arg::No, 'z'),
    ("zero-terminated", Arg::No, 'z'),
    ("unbuffered", Arg::No, 'u'),
    ("line-length", Arg::Req, 'l'),
    ("posix", Arg::No, 'P'),
    ("debug", Arg::No, 'D'),
    ("sandbox", Arg::No, 'S'),
    ("follow-symlinks", Arg::No, 'F'),
    ("binary", Arg::No, 'b'),
    ("help", Arg::No, 'H'),
    ("version", Arg::No, 'V'),
];

const USAGE: &str = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n";

/// GNU sed 4.9's full usage text, printed without a script.
const FULL_USAGE: &str = include_str!("usage.txt");

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let parsed = match opts::parse(&Spec::new("nre:f:Ei::szul:b", LONG), &args) {
        Ok(p) => p,
        Err(m) => {
            util::error(task, NAME, &m);
            let _ = task.write_all(2, USAGE.as_bytes());
            return 1;
        }
    };
    if parsed.has('H') {
        util::out(task, FULL_USAGE.as_bytes());
        return 0;
    }
    if parsed.has('V') {
        util::out(task, b"sed (GNU sed) 4.9\n");
        return 0;
    }
    let mut chunks = Vec::new();
    let mut operands = parsed.operands.clone();
    for (c, v) in &parsed.opts {
        match (c, v) {
            ('e', Some(s)) => chunks.push(Chunk { text: s.as_bytes().to_vec(), file: None }),
            ('f', Some(path)) => match util::input::read_file(task, path) {
                Ok(mut text) => {
                    if text.last() == Some(&b'\n') {
                        text.pop();
                    }
                    chunks.push(Chunk { text, file: Some(path.clone()) });
                }
                Err(e) => {
                    util::error(task, NAME, &format!("couldn't open file {path}: {}", e.strerror()));
                    return 1;
                }
            },
            _ => {}
        }
    }
    if chunks.is_empty() {
        if operands.is_empty() {
            let _ = task.write_all(2, FULL_USAGE.as_bytes());
            return 1;
        }
        chunks.push(Chunk { text: operands.remove(0).into_bytes(), file: None });
    }
    let extended = parsed.has('E') || parsed.has('r');
    let prog = match parse::parse(&chunks, extended) {
        Ok(p) => p,
        Err((msg, code)) => {
            util::error(task, NAME, &msg);
            return code;
        }
    };
    let delim = if parsed.has('z') { 0 } else { b'\n' };
    let line_len = match parsed.last('l') {
        None => 70,
        Some(v) => match v.parse::<usize>() {
            Ok(n) => n,
            Err(_) => {
                util::error(task, NAME, &format!("invalid line length: {v}"));
                return 1;
            }
        },
    };
    let in_place = parsed.opts.iter().rev().find(|(c, _)| *c == 'i').map(|(_, v)| v.clone().unwrap_or_default());
    let separate = parsed.has('s') || in_place.is_some();
    let opts = Options { quiet: parsed.has('n') || prog.quiet, line_len, unbuffered: parsed.has('u'), delim };
    let mut sinks = match Sinks::new(task, &prog.wfiles, delim) {
        Ok(s) => s,
        Err(m) => {
            util::error(task, NAME, &m);
            return 4;
        }
    };
    if operands.is_empty() {
        if in_place.is_some() {
            util::error(task, NAME, "no input files");
            return 1;
        }
        operands.push("-".into());
    }
    let mut m = Machine::new(&prog, opts);
    let mut status = 0;
    let mut quit = None;
    if !separate {
        let mut r = Reader::new(task, operands, delim);
        quit = m.run(&prog, &mut r, &mut sinks);
        status = r.status;
        if r.fatal {
            quit = Some((4, None));
        }
    } else {
        for file in operands {
            m.line_no = 0;
            let mut edit = None;
            if let Some(suffix) = &in_place {
                match begin_edit(task, &file) {
                    Ok(e) => {
                        sinks.main = sinks.add(e.fd);
                        edit = Some((e, suffix.clone()));
                    }
                    Err((msg, code)) => {
                        util::error(task, NAME, &msg);
                        status = status.max(code);
                        continue;
                    }
                }
            }
            let mut r = Reader::new(task, vec![file.clone()], delim);
            quit = m.run(&prog, &mut r, &mut sinks);
            status = status.max(r.status);
            if r.fatal {
                quit = Some((4, None));
            }
            if let Some((e, suffix)) = edit {
                let err = sinks.flush(sinks.main);
                sinks.reset_missing(sinks.main);
                sinks.main = 0;
                if let Err(msg) = finish_edit(task, &file, e, &suffix, err) {
                    util::error(task, NAME, &msg);
                    return 4;
                }
            }
            if quit.is_some() {
                break;
            }
        }
    }
    if let Some((code, msg)) = &quit {
        if let Some(msg) = msg {
            sinks.flush_all();
            util::error(task, NAME, msg);
        }
        status = *code;
    }
    if let Some(e) = sinks.flush_all() {
        util::error(task, NAME, &format!("couldn't write items to stdout: {}", e.strerror()));
        return 4;
    }
    status
}

/// An in-place edit in progress: the temporary file and the original's mode.
struct Edit {
    fd: i32,
    tmp: String,
    mode: u32,
}

fn begin_edit(task: &Task, file: &str) -> Result<Edit, (String, i32)> {
    let st = task.stat(file).map_err(|e| (format!("can't read {file}: {}", e.strerror()), 2))?;
    if !st.is_file() {
        return Err((format!("couldn't edit {file}: not a regular file"), 4));
    }
    let dir = match file.rfind('/') {
        Some(i) => &file[..=i],
        None => "",
    };
    let mut last = agentos_kernel::Errno::EEXIST;
    for _ in 0..100 {
        let mut rnd = [0u8; 6];
        task.random(&mut rnd);
        const CH: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let suffix: String = rnd.iter().map(|b| CH[*b as usize % CH.len()] as char).collect();
        let tmp = format!("{dir}sed{suffix}");
        match task.open(&tmp, OFlags::WRONLY | OFlags::CREAT | OFlags::EXCL, 0o600) {
            Ok(fd) => return Ok(Edit { fd, tmp, mode: st.mode & 0o7777 }),
            Err(e) => last = e,
        }
    }
    Err((format!("couldn't open temporary file {dir}sedXXXXXX: {}", last.strerror()), 4))
}

fn finish_edit(
    task: &Task,
    file: &str,
    e: Edit,
    suffix: &str,
    write_err: Option<agentos_kernel::Errno>,
) -> Result<(), String> {
    let _ = task.close(e.fd);
    if let Some(err) = write_err {
        let _ = task.unlink(&e.tmp);
        return Err(format!("couldn't write items to {}: {}", e.tmp, err.strerror()));
    }
    let _ = task.chmod(&e.tmp, e.mode);
    if !suffix.is_empty() {
        let (dir, base) = match file.rfind('/') {
            Some(i) => (&file[..=i], &file[i + 1..]),
            None => ("", file),
        };
        let backup = if suffix.contains('*') {
            let b = suffix.replace('*', base);
            if b.contains('/') { b } else { format!("{dir}{b}") }
        } else {
            format!("{file}{suffix}")
        };
        task.rename(file, &backup).map_err(|err| format!("cannot rename {file}: {}", err.strerror()))?;
    }
    task.rename(&e.tmp, file).map_err(|err| format!("cannot rename {}: {}", e.tmp, err.strerror()))
}
