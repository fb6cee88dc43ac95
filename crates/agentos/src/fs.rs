//! Filesystem calls of the API. They act as the VM's user (files they create
//! belong to uid 1000) without being stopped by permission bits, and see
//! exactly what guest programs see. No size cap beyond the VM's own
//! filesystem limit.

use std::collections::VecDeque;

use agentos_kernel::Task;
use agentos_kernel::abi::{FileType, OFlags, Stat};

use crate::error::{Error, Result};
use crate::vm::AgentOs;

/// What kind of object a directory entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryType {
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// A symbolic link (not followed).
    Symlink,
    /// A device, FIFO or socket.
    Other,
}

impl From<FileType> for EntryType {
    fn from(t: FileType) -> Self {
        match t {
            FileType::Regular => EntryType::File,
            FileType::Directory => EntryType::Directory,
            FileType::Symlink => EntryType::Symlink,
            _ => EntryType::Other,
        }
    }
}

/// One entry of [`AgentOs::readdir_recursive`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntryInfo {
    /// Absolute path.
    pub path: String,
    /// What it is.
    pub kind: EntryType,
    /// Size in bytes (`lstat`).
    pub size: u64,
}

/// Options of [`AgentOs::readdir_recursive`].
#[derive(Clone, Debug, Default)]
pub struct ReaddirOptions {
    /// How deep to descend: `Some(0)` lists only the immediate children.
    pub max_depth: Option<usize>,
    /// Entry names to skip (not descended into).
    pub exclude: Vec<String>,
}

/// Options of [`AgentOs::mkdir`].
#[derive(Clone, Copy, Debug, Default)]
pub struct MkdirOptions {
    /// Create missing parents; an existing directory is not an error.
    pub recursive: bool,
}

/// Options of [`AgentOs::remove`].
#[derive(Clone, Copy, Debug, Default)]
pub struct RemoveOptions {
    /// Remove directories and their contents.
    pub recursive: bool,
}

/// One result of [`AgentOs::write_files`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteResult {
    /// The path written.
    pub path: String,
    /// Why it failed, if it did.
    pub error: Option<Error>,
}

/// One result of [`AgentOs::read_files`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadResult {
    /// The path read.
    pub path: String,
    /// The content, if it could be read.
    pub content: Option<Vec<u8>>,
    /// Why it failed, if it did.
    pub error: Option<Error>,
}

fn absolute(path: &str) -> Result<()> {
    if path.starts_with('/') { Ok(()) } else { Err(Error::RelativePath(path.to_string())) }
}

fn parent(path: &str) -> Option<&str> {
    let t = path.trim_end_matches('/');
    match t.rsplit_once('/') {
        Some(("", _)) => Some("/"),
        Some((p, _)) => Some(p),
        None => None,
    }
}

impl AgentOs {
    fn host(&self) -> Result<Task> {
        self.alive()?.host_task().map_err(|errno| Error::Sys { errno, syscall: "host" })
    }

    /// Write a whole file, creating or replacing it.
    pub async fn write_file(&self, path: &str, content: impl AsRef<[u8]>) -> Result<()> {
        self.write_file_sync(path, content.as_ref())
    }

    /// [`AgentOs::write_file`] without `async`.
    pub fn write_file_sync(&self, path: &str, content: &[u8]) -> Result<()> {
        absolute(path)?;
        let t = self.host()?;
        write_with(&t, path, content)
    }

    /// Read a whole file.
    pub async fn read_file(&self, path: &str) -> Result<Vec<u8>> {
        self.read_file_sync(path)
    }

    /// [`AgentOs::read_file`] without `async`.
    pub fn read_file_sync(&self, path: &str) -> Result<Vec<u8>> {
        absolute(path)?;
        let t = self.host()?;
        let fd = t.open(path, OFlags::RDONLY, 0).map_err(Error::fs("open", path))?;
        // Read the size `fstat` reports in one call, then keep going in
        // case the file grew (or is a generated /proc file of size 0).
        let size = t.fstat(fd).map(|s| s.size as usize).unwrap_or(0);
        let mut out = vec![0u8; size];
        let mut filled = 0;
        let mut chunk = Vec::new();
        let r = loop {
            let n = if filled < out.len() {
                t.read(fd, &mut out[filled..])
            } else {
                chunk.resize(64 * 1024, 0);
                t.read(fd, &mut chunk).inspect(|&n| out.extend_from_slice(&chunk[..n]))
            };
            match n {
                Ok(0) => break Ok(()),
                Ok(n) => filled += n,
                Err(e) => break Err(e),
            }
        };
        let _ = t.close(fd);
        r.map_err(Error::fs("read", path))?;
        out.truncate(filled);
        Ok(out)
    }

    /// Write many files, creating parent directories. Never fails as a
    /// whole: each entry reports its own error.
    pub async fn write_files<P: AsRef<str>, C: AsRef<[u8]>>(&self, entries: &[(P, C)]) -> Result<Vec<WriteResult>> {
        let t = self.host()?;
        Ok(entries
            .iter()
            .map(|(p, c)| {
                let path = p.as_ref();
                let r = absolute(path).and_then(|_| {
                    if let Some(dir) = parent(path) {
                        t.mkdir_all(dir, 0o755).map_err(Error::fs("mkdir", dir))?;
                    }
                    write_with(&t, path, c.as_ref())
                });
                WriteResult { path: path.to_string(), error: r.err() }
            })
            .collect())
    }

    /// Read many files; each entry reports its own error.
    pub async fn read_files<P: AsRef<str>>(&self, paths: &[P]) -> Result<Vec<ReadResult>> {
        self.alive()?;
        Ok(paths
            .iter()
            .map(|p| match self.read_file_sync(p.as_ref()) {
                Ok(c) => ReadResult { path: p.as_ref().to_string(), content: Some(c), error: None },
                Err(e) => ReadResult { path: p.as_ref().to_string(), content: None, error: Some(e) },
            })
            .collect())
    }

    /// Create a directory.
    pub async fn mkdir(&self, path: &str, options: MkdirOptions) -> Result<()> {
        absolute(path)?;
        let t = self.host()?;
        if options.recursive { t.mkdir_all(path, 0o755) } else { t.mkdir(path, 0o755) }
            .map_err(Error::fs("mkdir", path))
    }

    /// Names in a directory, sorted, without `.` and `..`.
    pub async fn readdir(&self, path: &str) -> Result<Vec<String>> {
        absolute(path)?;
        let t = self.host()?;
        Ok(t.readdir(path).map_err(Error::fs("scandir", path))?.into_iter().map(|e| e.name).collect())
    }

    /// Every entry below `path`, breadth first. Symlinks are reported as
    /// symlinks and not followed.
    pub async fn readdir_recursive(&self, path: &str, options: ReaddirOptions) -> Result<Vec<DirEntryInfo>> {
        absolute(path)?;
        let t = self.host()?;
        let mut out = Vec::new();
        let mut queue = VecDeque::from([(path.trim_end_matches('/').to_string(), 0usize)]);
        let root_is_slash = path.trim_end_matches('/').is_empty();
        if root_is_slash {
            queue = VecDeque::from([(String::new(), 0)]);
        }
        while let Some((dir, depth)) = queue.pop_front() {
            let list_path = if dir.is_empty() { "/" } else { dir.as_str() };
            let entries = t.readdir(list_path).map_err(Error::fs("scandir", list_path))?;
            for e in entries {
                if options.exclude.contains(&e.name) {
                    continue;
                }
                let p = format!("{dir}/{}", e.name);
                let st = t.lstat(&p).map_err(Error::fs("lstat", &p))?;
                let kind = EntryType::from(st.file_type());
                if kind == EntryType::Directory && options.max_depth.is_none_or(|m| depth < m) {
                    queue.push_back((p.clone(), depth + 1));
                }
                out.push(DirEntryInfo { path: p, kind, size: st.size });
            }
        }
        Ok(out)
    }

    /// `stat` (follows symlinks).
    pub async fn stat(&self, path: &str) -> Result<Stat> {
        absolute(path)?;
        self.host()?.stat(path).map_err(Error::fs("stat", path))
    }

    /// `lstat` (does not follow a final symlink).
    pub async fn lstat(&self, path: &str) -> Result<Stat> {
        absolute(path)?;
        self.host()?.lstat(path).map_err(Error::fs("lstat", path))
    }

    /// Whether `path` exists (following symlinks).
    pub async fn exists(&self, path: &str) -> Result<bool> {
        absolute(path)?;
        Ok(self.host()?.stat(path).is_ok())
    }

    /// Move `from` to `to` (`rename(2)`; `EXDEV` across mounts).
    pub async fn rename(&self, from: &str, to: &str) -> Result<()> {
        absolute(from)?;
        absolute(to)?;
        self.host()?.rename(from, to).map_err(Error::fs("rename", from))
    }

    /// Delete a file or (with `recursive`, or when empty) a directory.
    pub async fn remove(&self, path: &str, options: RemoveOptions) -> Result<()> {
        absolute(path)?;
        let t = self.host()?;
        let st = t.lstat(path).map_err(Error::fs("lstat", path))?;
        if !st.is_dir() {
            return t.unlink(path).map_err(Error::fs("unlink", path));
        }
        if options.recursive { remove_tree(&t, path) } else { t.rmdir(path).map_err(Error::fs("rmdir", path)) }
    }
}

fn write_with(t: &Task, path: &str, content: &[u8]) -> Result<()> {
    let fd = t.open(path, OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC, 0o644).map_err(Error::fs("open", path))?;
    let r = t.write_all(fd, content);
    let _ = t.close(fd);
    r.map_err(Error::fs("write", path))
}

fn remove_tree(t: &Task, path: &str) -> Result<()> {
    for e in t.readdir(path).map_err(Error::fs("scandir", path))? {
        let p = format!("{}/{}", path.trim_end_matches('/'), e.name);
        if e.kind == FileType::Directory {
            remove_tree(t, &p)?;
        } else {
            t.unlink(&p).map_err(Error::fs("unlink", &p))?;
        }
    }
    t.rmdir(path).map_err(Error::fs("rmdir", path))
}
