//! Buffered reading of a descriptor — a named file or standard input for
//! `-` — with line splitting on any delimiter. The descriptor is closed
//! when the [`Input`] is dropped unless it is standard input.

use agentos_kernel::abi::{Fd, OFlags};
use agentos_kernel::{Errno, KResult, Task};

const CHUNK: usize = 64 * 1024;

/// A readable file, buffered.
pub struct Input<'a> {
    task: &'a Task,
    pub fd: Fd,
    owned: bool,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<'a> Input<'a> {
    /// Open `path` for reading; `-` is standard input.
    pub fn open(task: &'a Task, path: &str) -> KResult<Input<'a>> {
        if path == "-" {
            return Ok(Input::fd(task, 0));
        }
        let fd = task.open(path, OFlags::RDONLY, 0)?;
        Ok(Input { task, fd, owned: true, buf: Vec::new(), pos: 0, eof: false })
    }

    /// Read from an already-open descriptor (not closed on drop).
    pub fn fd(task: &'a Task, fd: Fd) -> Input<'a> {
        Input { task, fd, owned: false, buf: Vec::new(), pos: 0, eof: false }
    }

    /// Refill the buffer; false at end of file.
    fn fill(&mut self) -> KResult<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos >= self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        let n = loop {
            match self.task.read(self.fd, &mut self.buf[old..]) {
                Err(Errno::EINTR) => continue,
                r => break r,
            }
        };
        let n = match n {
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

    /// Append the next record, delimiter included, to `out`. Returns false
    /// at end of input (nothing appended). The last record may lack the
    /// delimiter.
    pub fn read_until(&mut self, delim: u8, out: &mut Vec<u8>) -> KResult<bool> {
        let mut got = false;
        loop {
            if self.pos < self.buf.len() {
                let avail = &self.buf[self.pos..];
                if let Some(i) = avail.iter().position(|&b| b == delim) {
                    out.extend_from_slice(&avail[..=i]);
                    self.pos += i + 1;
                    return Ok(true);
                }
                out.extend_from_slice(avail);
                self.pos = self.buf.len();
                got = true;
            }
            if !self.fill()? {
                return Ok(got);
            }
        }
    }

    /// The next line (with its `\n`), or `None` at end of input.
    pub fn line(&mut self) -> KResult<Option<Vec<u8>>> {
        let mut v = Vec::new();
        Ok(self.read_until(b'\n', &mut v)?.then_some(v))
    }

    /// Read up to `buf.len()` bytes.
    pub fn read(&mut self, buf: &mut [u8]) -> KResult<usize> {
        if self.pos >= self.buf.len() && !self.fill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.buf.len() - self.pos);
        buf[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }

    /// The next chunk of whatever is available (empty at end of file).
    pub fn chunk(&mut self) -> KResult<&[u8]> {
        if self.pos >= self.buf.len() {
            self.fill()?;
        }
        let s = &self.buf[self.pos..];
        self.pos = self.buf.len();
        Ok(s)
    }

    /// Everything left.
    /// What accumulates is charged to the VM's memory limit while reading,
    /// so endless input (`sort < /dev/zero`) fails with `ENOMEM` instead of
    /// exhausting the host.
    pub fn read_all(&mut self) -> KResult<Vec<u8>> {
        let kernel = self.task.kernel();
        let mut v = self.buf[self.pos..].to_vec();
        self.pos = self.buf.len();
        let mut charged = 0u64;
        let r = (|| {
            while !self.eof {
                self.fill()?;
                let n = (self.buf.len() - self.pos) as u64;
                kernel.charge_memory(n)?;
                charged += n;
                v.extend_from_slice(&self.buf[self.pos..]);
                self.pos = self.buf.len();
            }
            Ok(())
        })();
        kernel.uncharge_memory(charged);
        r.map(|()| v)
    }

    /// All records, split on `delim` (each without its delimiter), and
    /// whether the last one ended with the delimiter.
    pub fn records(&mut self, delim: u8) -> KResult<(Vec<Vec<u8>>, bool)> {
        let data = self.read_all()?;
        Ok(split_records(&data, delim))
    }
}

/// Split `data` into records on `delim`; also whether it ended with one.
pub fn split_records(data: &[u8], delim: u8) -> (Vec<Vec<u8>>, bool) {
    if data.is_empty() {
        return (Vec::new(), true);
    }
    let terminated = data.last() == Some(&delim);
    let body = if terminated { &data[..data.len() - 1] } else { data };
    (body.split(|&b| b == delim).map(|s| s.to_vec()).collect(), terminated)
}

impl Drop for Input<'_> {
    fn drop(&mut self) {
        if self.owned {
            let _ = self.task.close(self.fd);
        }
    }
}

/// Why reading a whole file failed: at `open` or at `read`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadError {
    Open(agentos_kernel::Errno),
    Read(agentos_kernel::Errno),
}

/// Read a whole file, telling open failures from read failures (GNU
/// words them differently).
pub fn slurp(task: &Task, path: &str) -> Result<Vec<u8>, ReadError> {
    let mut i = Input::open(task, path).map_err(ReadError::Open)?;
    i.read_all().map_err(ReadError::Read)
}

/// Read a whole file by path (`-` is standard input).
pub fn read_file(task: &Task, path: &str) -> KResult<Vec<u8>> {
    Input::open(task, path)?.read_all()
}

/// Run `each` on every line of every operand (`-` or none means standard
/// input), GNU-style: a file that cannot be opened or read is reported as
/// `name: file: error` and the others still run. `each` gets the line
/// without its newline and whether it had one. Returns the exit status
/// after flushing `w` (1 if any file failed or writing failed).
pub fn for_each_line<W: std::io::Write + super::StickyError>(
    task: &Task,
    name: &str,
    operands: &[String],
    w: &mut W,
    mut each: impl FnMut(&mut W, &[u8], bool),
) -> i32 {
    let stdin = ["-".to_string()];
    let files = if operands.is_empty() { &stdin[..] } else { operands };
    let mut status = 0;
    for f in files {
        let mut input = match Input::open(task, f) {
            Ok(i) => i,
            Err(e) => {
                let _ = w.flush();
                super::error_file(task, name, f, e);
                status = 1;
                continue;
            }
        };
        loop {
            match input.line() {
                Ok(Some(line)) => match line.strip_suffix(b"\n") {
                    Some(body) => each(w, body, true),
                    None => each(w, &line, false),
                },
                Ok(None) => break,
                Err(e) => {
                    let _ = w.flush();
                    super::error_file(task, name, f, e);
                    status = 1;
                    break;
                }
            }
        }
    }
    super::finish(task, name, w, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records() {
        assert_eq!(split_records(b"a\nb\n", b'\n'), (vec![b"a".to_vec(), b"b".to_vec()], true));
        assert_eq!(split_records(b"a\n\nb", b'\n'), (vec![b"a".to_vec(), b"".to_vec(), b"b".to_vec()], false));
        assert_eq!(split_records(b"", b'\n'), (vec![], true));
        assert_eq!(split_records(b"\n", b'\n'), (vec![b"".to_vec()], true));
    }
}
