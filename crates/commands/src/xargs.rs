//! `xargs [OPTION]... [COMMAND [INITIAL-ARGS]...]`: build command lines
//! from standard input and run them.
//!
//! Analogue: GNU findutils 4.9 xargs — quoting rules of the default input
//! format, `-0`, `-d`, `-n`, `-L`, `-I`, `-P`, `-r`, `-t`, `-s`, `-x`,
//! `-a`, `-E`, and the exit statuses 123 (a command failed), 124 (one
//! exited 255), 125 (one was killed), 126 (not runnable), 127 (not found).
//! Commands are found on `$PATH` and started with `task.spawn`; their
//! standard input is `/dev/null` when xargs reads its items from standard
//! input, as in GNU.

use std::sync::Arc;

use agentos_kernel::abi::{OFlags, Pid, WaitStatus, X_OK};
use agentos_kernel::file::OpenFile;
use agentos_kernel::task::WaitTarget;
use agentos_kernel::{Errno, KResult, Pgroup, SpawnOptions, Task};

use crate::util::{self, Arg, Input, Spec, opts};

const NAME: &str = "xargs";

/// Find `name` on `$PATH` (as is if it contains a `/`). `ENOENT` if it is
/// nowhere, `EACCES` if found but not executable.
pub fn find_program(task: &Task, name: &str) -> KResult<String> {
    if name.contains('/') {
        return Ok(name.to_string());
    }
    if name.is_empty() {
        return Err(Errno::ENOENT);
    }
    let path = task.getenv("PATH").unwrap_or("/usr/local/bin:/usr/bin:/bin").to_string();
    let mut denied = false;
    for dir in path.split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        let full = util::path::join(dir, name);
        match task.stat(&full) {
            Ok(st) if st.is_file() => {
                if task.access(&full, X_OK).is_ok() {
                    return Ok(full);
                }
                denied = true;
            }
            _ => {}
        }
    }
    Err(if denied { Errno::EACCES } else { Errno::ENOENT })
}

/// Start `argv` with this task's descriptors 1 and 2 (and 0, unless
/// `stdin` replaces it), in `cwd` if given.
pub fn spawn_command(task: &Task, argv: &[String], cwd: Option<&str>, stdin: Option<Arc<OpenFile>>) -> KResult<Pid> {
    let path = find_program(task, &argv[0])?;
    let mut fds = Vec::new();
    match stdin {
        Some(f) => fds.push((0, f)),
        None => {
            if let Ok(f) = task.file(0) {
                fds.push((0, f));
            }
        }
    }
    for fd in [1, 2] {
        if let Ok(f) = task.file(fd) {
            fds.push((fd, f));
        }
    }
    let opts = SpawnOptions {
        argv: argv.to_vec(),
        env: task.env.clone(),
        cwd: cwd.map(String::from),
        fds,
        pgroup: Pgroup::Inherit,
        ..Default::default()
    };
    task.spawn(&path, opts)
}

/// Run a command to completion; its exit status (128+N if killed).
pub fn run_command(task: &Task, argv: &[String], cwd: Option<&str>, stdin: Option<Arc<OpenFile>>) -> KResult<i32> {
    let pid = spawn_command(task, argv, cwd, stdin)?;
    loop {
        match task.waitpid(WaitTarget::Pid(pid), false) {
            Ok(Some((_, st))) => return Ok(st.code()),
            Ok(None) => continue,
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

const LONG: &[(&str, Arg, char)] = &[
    ("null", Arg::No, '0'),
    ("delimiter", Arg::Req, 'd'),
    ("max-args", Arg::Req, 'n'),
    ("max-lines", Arg::Opt, 'l'),
    ("replace", Arg::Opt, 'i'),
    ("max-procs", Arg::Req, 'P'),
    ("no-run-if-empty", Arg::No, 'r'),
    ("verbose", Arg::No, 't'),
    ("max-chars", Arg::Req, 's'),
    ("exit", Arg::No, 'x'),
    ("arg-file", Arg::Req, 'a'),
    ("eof", Arg::Opt, 'e'),
    ("interactive", Arg::No, 'p'),
    ("open-tty", Arg::No, 'o'),
    ("help", Arg::No, 'H'),
    ("version", Arg::No, 'V'),
];

struct Config {
    max_args: Option<usize>,
    max_lines: Option<usize>,
    replace: Option<String>,
    procs: usize,
    no_empty: bool,
    verbose: bool,
    max_chars: usize,
    exit_on_size: bool,
}

/// How input is split into items.
enum Format {
    /// Blanks and newlines separate; quotes and backslash escape.
    Default { eof: Option<String> },
    /// A single delimiter byte, no quoting.
    Delim(u8),
}

/// One input item, and whether it ended a logical line (for `-L`).
struct Item {
    text: String,
    eol: bool,
}

fn parse_items(task: &Task, data: &[u8], fmt: &Format, lines_mode: bool) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    match fmt {
        Format::Delim(d) => {
            let (recs, _) = util::input::split_records(data, *d);
            for r in recs {
                items.push(Item { text: String::from_utf8_lossy(&r).into_owned(), eol: true });
            }
        }
        Format::Default { eof } => {
            let mut cur = Vec::new();
            let mut have = false;
            let mut i = 0;
            while i < data.len() {
                let c = data[i];
                i += 1;
                match c {
                    b'\n' | b' ' | b'\t' => {
                        // A blank at the end of a line continues it (-L).
                        let eol =
                            c == b'\n' && !(lines_mode && matches!(data.get(i.wrapping_sub(2)), Some(b' ' | b'\t')));
                        if have {
                            let text = String::from_utf8_lossy(&cur).into_owned();
                            if eof.as_deref() == Some(text.as_str()) {
                                return Ok(items);
                            }
                            items.push(Item { text, eol: c == b'\n' && eol });
                            cur.clear();
                            have = false;
                        } else if c == b'\n'
                            && eol
                            && let Some(last) = items.last_mut()
                        {
                            last.eol = true;
                        }
                    }
                    b'\'' | b'"' => {
                        have = true;
                        let Some(end) = data[i..].iter().position(|&b| b == c || b == b'\n') else {
                            return Err(quote_err(c));
                        };
                        if data[i + end] == b'\n' {
                            return Err(quote_err(c));
                        }
                        cur.extend_from_slice(&data[i..i + end]);
                        i += end + 1;
                    }
                    b'\\' => {
                        have = true;
                        if let Some(&n) = data.get(i) {
                            cur.push(n);
                            i += 1;
                        }
                    }
                    c => {
                        have = true;
                        cur.push(c);
                    }
                }
            }
            if have {
                let text = String::from_utf8_lossy(&cur).into_owned();
                if eof.as_deref() != Some(text.as_str()) {
                    items.push(Item { text, eol: true });
                }
            }
        }
    }
    let _ = task;
    Ok(items)
}

fn quote_err(c: u8) -> String {
    let which = if c == b'\'' { "single" } else { "double" };
    format!("unmatched {which} quote; by default quotes are special to xargs unless you use the -0 option")
}

/// Items as `-I` sees them: one per line, leading blanks removed.
fn replace_items(data: &[u8], fmt: &Format) -> Vec<Item> {
    let delim = match fmt {
        Format::Delim(d) => *d,
        Format::Default { .. } => b'\n',
    };
    let (recs, _) = util::input::split_records(data, delim);
    recs.into_iter()
        .map(|r| {
            let s = String::from_utf8_lossy(&r).into_owned();
            let s =
                if matches!(fmt, Format::Default { .. }) { s.trim_start_matches([' ', '\t']).to_string() } else { s };
            Item { text: s, eol: true }
        })
        .filter(|i| !i.text.is_empty() || !matches!(fmt, Format::Default { .. }))
        .collect()
}

pub fn main(task: &mut Task) -> i32 {
    let mut spec = Spec::new("0d:n:L:l::I:i::P:rts:xa:E:e::poHV", LONG);
    spec.stop_at_operand = true;
    let p = match opts::parse(&spec, &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... COMMAND [INITIAL-ARGS]...");
    }
    if p.has('V') {
        util::out(task, b"xargs (GNU findutils) 4.9.0\n");
        return 0;
    }
    let mut c = Config {
        max_args: None,
        max_lines: None,
        replace: None,
        procs: 1,
        no_empty: false,
        verbose: false,
        max_chars: 131072,
        exit_on_size: false,
    };
    let mut fmt = Format::Default { eof: None };
    let mut arg_file = None;
    for (o, v) in &p.opts {
        let val = v.as_deref();
        let num = |name: &str, min: usize| -> Result<usize, String> {
            let s = val.unwrap_or("");
            match s.parse::<usize>() {
                Ok(n) if n >= min => Ok(n),
                Ok(_) => Err(format!("value {s} for -{name} option should be >= {min}")),
                Err(_) => Err(format!("invalid number \"{s}\" for -{name} option")),
            }
        };
        let r = (|| -> Result<(), String> {
            match o {
                '0' => fmt = Format::Delim(0),
                'd' => fmt = Format::Delim(parse_delim(val.unwrap_or(""))?),
                'n' => {
                    c.max_args = Some(num("n", 1)?);
                    c.max_lines = None;
                }
                'L' | 'l' => {
                    c.max_lines = Some(if *o == 'l' && val.is_none() { 1 } else { num("L", 1)? });
                    c.max_args = None;
                }
                'I' | 'i' => {
                    c.replace = Some(val.unwrap_or("{}").to_string());
                    c.max_lines = Some(1);
                }
                'P' => c.procs = num("P", 0)?,
                'r' => c.no_empty = true,
                't' => c.verbose = true,
                's' => c.max_chars = num("s", 1)?,
                'x' => c.exit_on_size = true,
                'a' => arg_file = val.map(String::from),
                'E' | 'e' => {
                    if let Format::Default { eof } = &mut fmt {
                        *eof = val.filter(|s| !s.is_empty()).map(String::from);
                    }
                }
                _ => {}
            }
            Ok(())
        })();
        if let Err(m) = r {
            return util::usage_error(task, NAME, &m, 1);
        }
    }
    if c.procs == 0 {
        c.procs = 64;
    }
    let mut cmd: Vec<String> = p.operands.clone();
    if cmd.is_empty() {
        cmd.push("echo".into());
    }
    let task: &Task = task;
    let data = match &arg_file {
        Some(f) => util::input::read_file(task, f).map_err(|e| (f.clone(), e)),
        None => Input::fd(task, 0).read_all().map_err(|e| ("standard input".to_string(), e)),
    };
    let data = match data {
        Ok(d) => d,
        Err((f, e)) => {
            util::error_file(task, NAME, &f, e);
            return 1;
        }
    };
    // Children read /dev/null when our standard input is the item list.
    let child_stdin = if arg_file.is_none() { task.open_file("/dev/null", OFlags::RDONLY, 0).ok() } else { None };
    let items = if c.replace.is_some() {
        replace_items(&data, &fmt)
    } else {
        match parse_items(task, &data, &fmt, c.max_lines.is_some()) {
            Ok(v) => v,
            Err(m) => {
                // GNU still runs the command with what came before.
                util::error(task, NAME, &m);
                return 1;
            }
        }
    };
    let mut runner = Runner { task, c: &c, stdin: child_stdin, running: 0, names: vec![], status: 0, stop: false };
    let batches = match build_batches(&c, &cmd, items) {
        Ok(b) => b,
        Err(m) => {
            util::error(task, NAME, &m);
            return 1;
        }
    };
    if batches.is_empty() && !c.no_empty && c.replace.is_none() {
        runner.run(cmd.clone());
    }
    for argv in batches {
        if runner.stop {
            break;
        }
        runner.run(argv);
    }
    while runner.running > 0 {
        runner.reap_one();
    }
    runner.status
}

fn parse_delim(s: &str) -> Result<u8, String> {
    let b = s.as_bytes();
    match b {
        [c] => Ok(*c),
        [b'\\', rest @ ..] => {
            let (v, _) = util::escape::unescape(b, util::escape::Mode::Format);
            if v.len() == 1 {
                Ok(v[0])
            } else if rest.first() == Some(&b'x') || rest.first().is_some_and(|c| c.is_ascii_digit()) {
                Err(format!(
                    "invalid input delimiter specification {s}: the delimiter must be either a single character or an escape sequence starting with \\."
                ))
            } else {
                Ok(v.first().copied().unwrap_or(b'\\'))
            }
        }
        _ => Err(format!(
            "invalid input delimiter specification {s}: the delimiter must be either a single character or an escape sequence starting with \\."
        )),
    }
}

/// Group items into command lines.
fn build_batches(c: &Config, cmd: &[String], items: Vec<Item>) -> Result<Vec<Vec<String>>, String> {
    let mut out = Vec::new();
    if let Some(r) = &c.replace {
        for it in items {
            out.push(cmd.iter().map(|a| a.replace(r.as_str(), &it.text)).collect());
        }
        return Ok(out);
    }
    let base: usize = cmd.iter().map(|a| a.len() + 1).sum();
    if base > c.max_chars {
        return Err("argument line too long".into());
    }
    let mut cur: Vec<String> = Vec::new();
    let mut size = base;
    let mut lines = 0;
    for it in items {
        let len = it.text.len() + 1;
        if !cur.is_empty() && size + len > c.max_chars {
            if c.exit_on_size {
                return Err("argument list too long".into());
            }
            out.push(cmd.iter().cloned().chain(cur.drain(..)).collect());
            size = base;
            lines = 0;
        }
        if base + len > c.max_chars {
            return Err("argument line too long".into());
        }
        size += len;
        cur.push(it.text);
        if it.eol {
            lines += 1;
        }
        let full = c.max_args.is_some_and(|n| cur.len() >= n) || c.max_lines.is_some_and(|n| lines >= n);
        if full {
            out.push(cmd.iter().cloned().chain(cur.drain(..)).collect());
            size = base;
            lines = 0;
        }
    }
    if !cur.is_empty() {
        out.push(cmd.iter().cloned().chain(cur).collect());
    }
    Ok(out)
}

struct Runner<'a> {
    task: &'a Task,
    c: &'a Config,
    stdin: Option<Arc<OpenFile>>,
    running: usize,
    /// Running children and their command names.
    names: Vec<(Pid, String)>,
    status: i32,
    stop: bool,
}

impl Runner<'_> {
    fn run(&mut self, argv: Vec<String>) {
        while self.running >= self.c.procs.max(1) {
            self.reap_one();
        }
        if self.stop {
            return;
        }
        if self.c.verbose {
            let _ = self.task.write_all(2, format!("{}\n", argv.join(" ")).as_bytes());
        }
        match spawn_command(self.task, &argv, None, self.stdin.clone()) {
            Ok(pid) => {
                self.running += 1;
                self.names.push((pid, argv[0].clone()));
            }
            Err(e) => {
                util::error(self.task, NAME, &format!("{}: {}", argv[0], e.strerror()));
                self.status = if e == Errno::ENOENT { 127 } else { 126 };
                self.stop = true;
            }
        }
    }

    fn reap_one(&mut self) {
        let r = loop {
            match self.task.waitpid(WaitTarget::Any, false) {
                Err(Errno::EINTR) | Ok(None) => continue,
                r => break r,
            }
        };
        let Ok(Some((pid, st))) = r else {
            self.running = 0;
            return;
        };
        self.running -= 1;
        let name = self.names.iter().position(|(p, _)| *p == pid).map(|k| self.names.remove(k).1).unwrap_or_default();
        match st {
            WaitStatus::Exited(0) => {}
            WaitStatus::Exited(255) => {
                util::error(self.task, NAME, &format!("{name}: exited with status 255; aborting"));
                self.status = 124;
                self.stop = true;
            }
            WaitStatus::Exited(_) => {
                if self.status == 0 {
                    self.status = 123;
                }
            }
            WaitStatus::Signaled(s) => {
                util::error(self.task, NAME, &format!("{name}: terminated by signal {}", s.0));
                self.status = 125;
                self.stop = true;
            }
        }
    }
}
