//! awk's I/O: reading records by `RS` (a newline, any single byte,
//! paragraphs for `RS = ""`, or a regex as in gawk, setting `RT`), and the
//! output streams of `print > file`, `>> file` and `| command`, plus the
//! input side of `getline < file` and `command | getline`. Commands run as
//! `/bin/sh -c CMD` children connected by kernel pipes.

use std::rc::Rc;

use agentos_kernel::abi::{Fd, OFlags, WaitStatus};
use agentos_kernel::task::WaitTarget;
use agentos_kernel::{Errno, KResult, Pgroup, SpawnOptions, Task};
use regex::bytes::Regex;

/// How `RS` separates records.
#[derive(Clone, Debug)]
pub enum RecordSep {
    Byte(u8),
    Paragraph,
    Regex(Rc<Regex>),
}

/// A buffered input descriptor that yields records.
pub struct RecordReader {
    pub fd: Fd,
    owned: bool,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// The child feeding this reader (`cmd | getline`).
    pub pid: Option<i32>,
}

const CHUNK: usize = 64 * 1024;

impl RecordReader {
    pub fn new(fd: Fd, owned: bool) -> RecordReader {
        RecordReader { fd, owned, buf: Vec::new(), pos: 0, eof: false, pid: None }
    }

    fn fill(&mut self, task: &Task) -> KResult<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        let r = loop {
            match task.read(self.fd, &mut self.buf[old..]) {
                Err(Errno::EINTR) => continue,
                r => break r,
            }
        };
        let n = match r {
            Ok(n) => n,
            Err(e) => {
                self.buf.truncate(old);
                return Err(e);
            }
        };
        self.buf.truncate(old + n);
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// The next record into `out` (replacing it) and its terminator into
    /// `rt`; false at end of input.
    pub fn read(&mut self, task: &Task, rs: &RecordSep, out: &mut Vec<u8>, rt: &mut Vec<u8>) -> KResult<bool> {
        out.clear();
        rt.clear();
        match rs {
            RecordSep::Byte(d) => {
                let mut scanned = self.pos;
                loop {
                    if let Some(i) = self.buf[scanned..].iter().position(|b| b == d) {
                        let end = scanned + i;
                        out.extend_from_slice(&self.buf[self.pos..end]);
                        rt.push(*d);
                        self.pos = end + 1;
                        return Ok(true);
                    }
                    scanned = self.buf.len() - self.pos;
                    if !self.fill(task)? {
                        return Ok(self.take_rest(out));
                    }
                }
            }
            RecordSep::Paragraph => {
                // Skip leading newlines.
                loop {
                    while self.pos < self.buf.len() && self.buf[self.pos] == b'\n' {
                        self.pos += 1;
                    }
                    if self.pos < self.buf.len() || !self.fill(task)? {
                        break;
                    }
                }
                let mut scanned = self.pos;
                loop {
                    let hay = &self.buf[scanned..];
                    if let Some(i) = hay.windows(2).position(|w| w == b"\n\n") {
                        let end = scanned + i;
                        let mut stop = end;
                        while stop < self.buf.len() && self.buf[stop] == b'\n' {
                            stop += 1;
                        }
                        if stop == self.buf.len() && !self.eof {
                            // The run of newlines may continue.
                            let rel = scanned - self.pos;
                            self.fill(task)?;
                            scanned = self.pos + rel;
                            continue;
                        }
                        out.extend_from_slice(&self.buf[self.pos..end]);
                        rt.extend_from_slice(&self.buf[end..stop]);
                        self.pos = stop;
                        return Ok(true);
                    }
                    let rel = (self.buf.len() - self.pos).saturating_sub(1);
                    if !self.fill(task)? {
                        let got = self.take_rest(out);
                        while out.last() == Some(&b'\n') {
                            out.pop();
                            rt.push(b'\n');
                        }
                        return Ok(got);
                    }
                    scanned = self.pos + rel;
                }
            }
            RecordSep::Regex(re) => loop {
                let hay = &self.buf[self.pos..];
                if let Some(m) = re.find(hay).filter(|m| m.end() > m.start())
                    && (m.end() < hay.len() || self.eof)
                {
                    out.extend_from_slice(&hay[..m.start()]);
                    rt.extend_from_slice(&hay[m.start()..m.end()]);
                    self.pos += m.end();
                    return Ok(true);
                }
                if !self.fill(task)? {
                    let hay = &self.buf[self.pos..];
                    if let Some(m) = re.find(hay).filter(|m| m.end() > m.start()) {
                        out.extend_from_slice(&hay[..m.start()]);
                        rt.extend_from_slice(&hay[m.start()..m.end()]);
                        self.pos += m.end();
                        return Ok(true);
                    }
                    return Ok(self.take_rest(out));
                }
            },
        }
    }

    fn take_rest(&mut self, out: &mut Vec<u8>) -> bool {
        if self.pos >= self.buf.len() {
            return false;
        }
        out.extend_from_slice(&self.buf[self.pos..]);
        self.pos = self.buf.len();
        true
    }

    pub fn close(&mut self, task: &Task) {
        if self.owned {
            let _ = task.close(self.fd);
            self.owned = false;
        }
    }
}

/// An output stream.
pub struct Output {
    pub name: Vec<u8>,
    pub fd: Fd,
    pub buf: Vec<u8>,
    pub pid: Option<i32>,
    pub owned: bool,
}

impl Output {
    pub fn flush(&mut self, task: &Task) -> KResult<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let r = task.write_all(self.fd, &self.buf);
        self.buf.clear();
        r
    }
}

/// Open a file for `print > name` (`append` for `>>`).
pub fn open_output(task: &Task, name: &[u8], append: bool) -> KResult<Fd> {
    let path = String::from_utf8_lossy(name);
    let flags = OFlags::WRONLY | OFlags::CREAT | OFlags::CLOEXEC | if append { OFlags::APPEND } else { OFlags::TRUNC };
    task.open(&path, flags, 0o666)
}

/// Run `sh -c cmd` with the given stdin/stdout (default: ours).
pub fn spawn_shell(task: &Task, cmd: &[u8], stdin: Option<Fd>, stdout: Option<Fd>) -> KResult<i32> {
    let mut fds = Vec::new();
    for (child, ours) in [(0, stdin.unwrap_or(0)), (1, stdout.unwrap_or(1)), (2, 2)] {
        if let Ok(f) = task.file(ours) {
            fds.push((child, f));
        }
    }
    let sh = ["/bin/sh", "/usr/bin/sh"].into_iter().find(|p| task.stat(p).is_ok()).unwrap_or("/bin/sh");
    task.spawn(
        sh,
        SpawnOptions {
            argv: vec!["sh".into(), "-c".into(), String::from_utf8_lossy(cmd).into_owned()],
            env: task.env.clone(),
            cwd: None,
            fds,
            pgroup: Pgroup::Inherit,
            ..Default::default()
        },
    )
}

/// Wait for a child; its status as awk reports it (`close`, `system`):
/// the exit code, or 256 + signal number.
pub fn wait_child(task: &Task, pid: i32) -> f64 {
    loop {
        match task.waitpid(WaitTarget::Pid(pid), false) {
            Ok(Some((_, WaitStatus::Exited(c)))) => return c as f64,
            Ok(Some((_, WaitStatus::Signaled(s)))) => return 256.0 + s.0 as f64,
            Err(Errno::EINTR) => continue,
            _ => return -1.0,
        }
    }
}

/// Open a pipe to a command (`print | cmd`): our write end.
pub fn pipe_to(task: &Task, cmd: &[u8]) -> KResult<(Fd, i32)> {
    let (r, w) = task.pipe(OFlags::CLOEXEC)?;
    let pid = spawn_shell(task, cmd, Some(r), None);
    let _ = task.close(r);
    match pid {
        Ok(pid) => Ok((w, pid)),
        Err(e) => {
            let _ = task.close(w);
            Err(e)
        }
    }
}

/// Open a pipe from a command (`cmd | getline`): our read end.
pub fn pipe_from(task: &Task, cmd: &[u8]) -> KResult<(Fd, i32)> {
    let (r, w) = task.pipe(OFlags::CLOEXEC)?;
    let pid = spawn_shell(task, cmd, None, Some(w));
    let _ = task.close(w);
    match pid {
        Ok(pid) => Ok((r, pid)),
        Err(e) => {
            let _ = task.close(r);
            Err(e)
        }
    }
}
