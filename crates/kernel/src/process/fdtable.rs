//! Per-process descriptor tables. Analogue: Linux `struct files_struct`.

use std::sync::Arc;

use crate::abi::{Errno, Fd, KResult};
use crate::file::OpenFile;

#[derive(Clone)]
struct Slot {
    file: Arc<OpenFile>,
    cloexec: bool,
}

/// Descriptor numbers → open file descriptions, with `FD_CLOEXEC`.
#[derive(Clone, Default)]
pub struct FdTable {
    slots: Vec<Option<Slot>>,
}

impl FdTable {
    pub fn new() -> FdTable {
        FdTable::default()
    }

    /// Install `file` at the lowest free descriptor `>= min`. `EMFILE` when
    /// that would reach `limit`.
    pub fn alloc(&mut self, min: Fd, file: Arc<OpenFile>, cloexec: bool, limit: usize) -> KResult<Fd> {
        let start = min.max(0) as usize;
        let mut i = start;
        while i < self.slots.len() && self.slots[i].is_some() {
            i += 1;
        }
        if i >= limit {
            return Err(Errno::EMFILE);
        }
        if i >= self.slots.len() {
            self.slots.resize(i + 1, None);
        }
        self.slots[i] = Some(Slot { file, cloexec });
        Ok(i as Fd)
    }

    /// Install `file` exactly at `fd`, closing what was there (`dup2`).
    /// Returns the replaced description so the caller drops it outside any
    /// lock.
    pub fn set(&mut self, fd: Fd, file: Arc<OpenFile>, cloexec: bool, limit: usize) -> KResult<Option<Arc<OpenFile>>> {
        if fd < 0 || fd as usize >= limit {
            return Err(Errno::EBADF);
        }
        let i = fd as usize;
        if i >= self.slots.len() {
            self.slots.resize(i + 1, None);
        }
        Ok(self.slots[i].replace(Slot { file, cloexec }).map(|s| s.file))
    }

    pub fn get(&self, fd: Fd) -> KResult<Arc<OpenFile>> {
        self.slot(fd).map(|s| s.file.clone())
    }

    fn slot(&self, fd: Fd) -> KResult<&Slot> {
        if fd < 0 {
            return Err(Errno::EBADF);
        }
        self.slots.get(fd as usize).and_then(|s| s.as_ref()).ok_or(Errno::EBADF)
    }

    pub fn cloexec(&self, fd: Fd) -> KResult<bool> {
        self.slot(fd).map(|s| s.cloexec)
    }

    pub fn set_cloexec(&mut self, fd: Fd, on: bool) -> KResult<()> {
        if fd < 0 {
            return Err(Errno::EBADF);
        }
        match self.slots.get_mut(fd as usize).and_then(|s| s.as_mut()) {
            Some(s) => {
                s.cloexec = on;
                Ok(())
            }
            None => Err(Errno::EBADF),
        }
    }

    /// Remove `fd`, returning its description.
    pub fn remove(&mut self, fd: Fd) -> KResult<Arc<OpenFile>> {
        if fd < 0 {
            return Err(Errno::EBADF);
        }
        let s = self.slots.get_mut(fd as usize).and_then(|s| s.take()).ok_or(Errno::EBADF)?;
        while matches!(self.slots.last(), Some(None)) {
            self.slots.pop();
        }
        Ok(s.file)
    }

    /// Close every descriptor marked close-on-exec.
    pub fn close_on_exec(&mut self) -> Vec<Arc<OpenFile>> {
        let mut dropped = Vec::new();
        for s in self.slots.iter_mut() {
            if s.as_ref().is_some_and(|x| x.cloexec)
                && let Some(x) = s.take()
            {
                dropped.push(x.file);
            }
        }
        dropped
    }

    /// Empty the table (process exit).
    pub fn take_all(&mut self) -> Vec<Arc<OpenFile>> {
        std::mem::take(&mut self.slots).into_iter().flatten().map(|s| s.file).collect()
    }

    /// Open descriptor numbers, ascending.
    pub fn fds(&self) -> Vec<Fd> {
        self.slots.iter().enumerate().filter(|(_, s)| s.is_some()).map(|(i, _)| i as Fd).collect()
    }

    pub fn count(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }
}
