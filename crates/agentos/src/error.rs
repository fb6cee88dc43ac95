//! The one error type of the public API. Messages read like the platform's:
//! `ENOENT: no such file or directory, open '/missing'`.

use agentos_kernel::Errno;

/// Everything that can go wrong in an [`crate::AgentOs`] call.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// A kernel call failed on a path.
    #[error("{}: {}, {syscall} '{path}'", errno.name(), lower_first(errno.strerror()))]
    Fs { errno: Errno, syscall: &'static str, path: String },
    /// A kernel call failed without a path.
    #[error("{}: {}, {syscall}", errno.name(), lower_first(errno.strerror()))]
    Sys { errno: Errno, syscall: &'static str },
    /// API paths must be absolute.
    #[error("Path must be absolute: {0}")]
    RelativePath(String),
    /// No process with this pid was started through this VM's API.
    #[error("Process not found: {0}")]
    ProcessNotFound(i32),
    /// The VM was disposed; no further calls are possible.
    #[error("VM is disposed")]
    Disposed,
    /// A program could not be started.
    #[error("{program}: {}", lower_first(errno.strerror()))]
    Spawn { program: String, errno: Errno },
    /// Invalid options.
    #[error("invalid option: {0}")]
    InvalidOption(String),
}

impl Error {
    /// The errno behind this error, if any.
    pub fn errno(&self) -> Option<Errno> {
        match self {
            Error::Fs { errno, .. } | Error::Sys { errno, .. } | Error::Spawn { errno, .. } => Some(*errno),
            _ => None,
        }
    }

    pub(crate) fn fs<'a>(syscall: &'static str, path: &'a str) -> impl FnOnce(Errno) -> Error + 'a {
        move |errno| Error::Fs { errno, syscall, path: path.to_string() }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Result of an API call.
pub type Result<T> = std::result::Result<T, Error>;
