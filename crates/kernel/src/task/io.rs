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

/// Writes a descriptor.
pub struct FdWriter<'a> {
    pub task: &'a Task,
    pub fd: Fd,
}

impl io::Write for FdWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.task.write(self.fd, buf).map_err(io::Error::from)
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
        FdWriter { task: self, fd }
    }
    /// Buffered standard output (flush before exiting!).
    pub fn stdout(&self) -> io::BufWriter<FdWriter<'_>> {
        io::BufWriter::with_capacity(32 * 1024, self.writer(1))
    }
    /// Read all of `fd` until end of file.
    pub fn read_to_end(&self, fd: Fd) -> crate::abi::KResult<Vec<u8>> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = self.read(fd, &mut buf)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..n]);
        }
    }
}
