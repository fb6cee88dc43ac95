//! `std::io` adapters over descriptors, so programs can use `BufReader`,
//! `write!` and friends. Errors carry the errno (`Errno::from_io`).

use std::io;

use super::Task;
use crate::abi::Fd;

/// Reads a descriptor.
pub struct FdReader<'a> {
    pub task: &'a Task,
    pub fd: Fd,
}

impl io::Read for FdReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.task.read(self.fd, buf).map_err(io::Error::from)
    }
}

/// Writes a descriptor. Like C's `ferror`, it remembers the first write
/// error, so a program that ignores one write's result still learns at the
/// end that its output was incomplete ([`FdWriter::error`]).
pub struct FdWriter<'a> {
    pub task: &'a Task,
    pub fd: Fd,
    error: Option<crate::abi::Errno>,
}

impl FdWriter<'_> {
    /// The first error any write returned.
    pub fn error(&self) -> Option<crate::abi::Errno> {
        self.error
    }
}

impl io::Write for FdWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.task.write(self.fd, buf).map_err(|e| {
            self.error.get_or_insert(e);
            io::Error::from(e)
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Task {
    /// A reader of `fd`.
    pub fn reader(&self, fd: Fd) -> FdReader<'_> {
        FdReader { task: self, fd }
    }
    /// A writer of `fd`.
    pub fn writer(&self, fd: Fd) -> FdWriter<'_> {
        FdWriter { task: self, fd, error: None }
    }
    /// Buffered standard output (flush before exiting!).
    pub fn stdout(&self) -> io::BufWriter<FdWriter<'_>> {
        io::BufWriter::with_capacity(32 * 1024, self.writer(1))
    }
    /// Read all of `fd` until end of file. What accumulates is charged to
    /// the VM's memory limit while reading: `ENOMEM` instead of exhausting
    /// the host when the input never ends (`$(cat /dev/zero)`).
    pub fn read_to_end(&self, fd: Fd) -> crate::abi::KResult<Vec<u8>> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut charged = 0u64;
        let r = loop {
            let n = match self.read(fd, &mut buf) {
                Ok(n) => n,
                Err(e) => break Err(e),
            };
            if n == 0 {
                break Ok(());
            }
            if let Err(e) = self.kernel.charge_memory(n as u64) {
                break Err(e);
            }
            charged += n as u64;
            out.extend_from_slice(&buf[..n]);
        };
        self.kernel.uncharge_memory(charged);
        r.map(|()| out)
    }
}
