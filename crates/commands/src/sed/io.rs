//! sed's input (files read as one stream of records, with one record of
//! lookahead so `$` is known) and outputs (standard output, the in-place
//! temporary file, `w` files), with GNU's "missing newline" rule: a last
//! line without its newline is printed without one, and the newline is
//! supplied if anything follows.

use agentos_kernel::abi::{Fd, OFlags};
use agentos_kernel::{Errno, Task};

use crate::util::{self, Input};

const NAME: &str = "sed";

pub struct Reader<'t> {
    task: &'t Task,
    files: Vec<String>,
    next_file: usize,
    cur: Option<Input<'t>>,
    cur_name: String,
    /// The next record, whether it ended with the delimiter, and the file
    /// it came from.
    ahead: Option<(Vec<u8>, bool, String)>,
    ahead_done: bool,
    name: String,
    delim: u8,
    /// 2 after a file could not be read.
    pub status: i32,
    /// A read error that ends sed (status 4).
    pub fatal: bool,
}

impl<'t> Reader<'t> {
    pub fn new(task: &'t Task, files: Vec<String>, delim: u8) -> Reader<'t> {
        Reader {
            task,
            files,
            next_file: 0,
            cur: None,
            cur_name: String::new(),
            ahead: None,
            ahead_done: false,
            name: "-".into(),
            delim,
            status: 0,
            fatal: false,
        }
    }

    fn read_raw(&mut self) -> Option<(Vec<u8>, bool, String)> {
        loop {
            if self.fatal {
                return None;
            }
            if self.cur.is_none() {
                let path = self.files.get(self.next_file)?.clone();
                self.next_file += 1;
                match Input::open(self.task, &path) {
                    Ok(i) => {
                        self.cur = Some(i);
                        self.cur_name = path;
                    }
                    Err(e) => {
                        util::error(self.task, NAME, &format!("can't read {path}: {}", e.strerror()));
                        self.status = 2;
                        continue;
                    }
                }
            }
            let input = self.cur.as_mut()?;
            let mut v = Vec::new();
            match input.read_until(self.delim, &mut v) {
                Ok(true) => {
                    let nl = v.last() == Some(&self.delim);
                    if nl {
                        v.pop();
                    }
                    return Some((v, nl, self.cur_name.clone()));
                }
                Ok(false) => self.cur = None,
                Err(e) => {
                    util::error(self.task, NAME, &format!("read error on {}: {}", self.cur_name, e.strerror()));
                    self.fatal = true;
                    self.cur = None;
                }
            }
        }
    }

    fn fill(&mut self) {
        if !self.ahead_done {
            self.ahead = self.read_raw();
            self.ahead_done = true;
        }
    }

    /// The next record and whether it had its delimiter.
    pub fn next_line(&mut self) -> Option<(Vec<u8>, bool)> {
        self.fill();
        self.ahead_done = false;
        let (line, nl, name) = self.ahead.take()?;
        self.name = name;
        Some((line, nl))
    }

    /// Whether no record follows the current one.
    pub fn is_eof(&mut self) -> bool {
        self.fill();
        self.ahead.is_none()
    }

    /// `$`: the current line is the last one.
    pub fn is_last(&mut self) -> bool {
        self.is_eof()
    }

    /// The current file's name (`-` for standard input).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole content of a file for `r`/`R`; `None` if unreadable.
    pub fn slurp(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        let name = String::from_utf8_lossy(name);
        if name == "/dev/stdin" {
            return util::input::read_file(self.task, "-").ok();
        }
        util::input::read_file(self.task, &name).ok()
    }
}

struct Sink {
    fd: Fd,
    buf: Vec<u8>,
    missing_nl: bool,
}

/// Every output: 0 is standard output, 1 standard error, then `w` files.
pub struct Sinks<'t> {
    task: &'t Task,
    sinks: Vec<Sink>,
    /// Sink of each `w` file of the program.
    wmap: Vec<usize>,
    /// Where the pattern space is printed (stdout, or the `-i` temp file).
    pub main: usize,
    delim: u8,
}

impl<'t> Sinks<'t> {
    /// Open (truncating) the `w` files. Errors: `couldn't open file X: ...`.
    pub fn new(task: &'t Task, wfiles: &[Vec<u8>], delim: u8) -> Result<Sinks<'t>, String> {
        let mut s = Sinks {
            task,
            sinks: vec![
                Sink { fd: 1, buf: Vec::new(), missing_nl: false },
                Sink { fd: 2, buf: Vec::new(), missing_nl: false },
            ],
            wmap: Vec::new(),
            main: 0,
            delim,
        };
        for f in wfiles {
            let name = String::from_utf8_lossy(f).into_owned();
            let idx = match name.as_str() {
                "/dev/stdout" => 0,
                "/dev/stderr" => 1,
                _ => {
                    let flags = OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC;
                    let fd = task
                        .open(&name, flags, 0o666)
                        .map_err(|e| format!("couldn't open file {name}: {}", e.strerror()))?;
                    s.add(fd)
                }
            };
            s.wmap.push(idx);
        }
        Ok(s)
    }

    /// Add an output descriptor; returns its index.
    pub fn add(&mut self, fd: Fd) -> usize {
        self.sinks.push(Sink { fd, buf: Vec::new(), missing_nl: false });
        self.sinks.len() - 1
    }

    pub fn wfile(&self, i: usize) -> usize {
        self.wmap[i]
    }

    /// Write raw bytes, supplying a pending newline first.
    pub fn write(&mut self, i: usize, data: &[u8]) {
        let delim = self.delim;
        let s = &mut self.sinks[i];
        if s.missing_nl {
            s.buf.push(delim);
            s.missing_nl = false;
        }
        s.buf.extend_from_slice(data);
        if s.buf.len() >= 64 * 1024 || i == 1 {
            self.flush(i);
        }
    }

    /// Write a record and its delimiter (or remember that it was missing).
    pub fn record(&mut self, i: usize, data: &[u8], nl: bool, delim: u8) {
        self.write(i, data);
        if nl {
            self.sinks[i].buf.push(delim);
        } else {
            self.sinks[i].missing_nl = true;
        }
        if i > 1 && self.sinks[i].buf.len() >= 64 * 1024 {
            self.flush(i);
        }
    }

    pub fn flush(&mut self, i: usize) -> Option<Errno> {
        let s = &mut self.sinks[i];
        if s.buf.is_empty() {
            return None;
        }
        let r = self.task.write_all(s.fd, &s.buf);
        s.buf.clear();
        r.err()
    }

    pub fn flush_all(&mut self) -> Option<Errno> {
        let mut err = None;
        for i in 0..self.sinks.len() {
            if let Some(e) = self.flush(i) {
                err = Some(e);
            }
        }
        err
    }

    /// Forget a sink's pending newline (a new in-place file starts).
    pub fn reset_missing(&mut self, i: usize) {
        self.sinks[i].missing_nl = false;
    }
}
