//! The one error type of the public API. Messages read like the platform's:
//! `ENOENT: no such file or directory, open '/missing'`.

use agentos_kernel::Errno;

/// Everything that can go wrong in an [`crate::AgentOs`] call.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// A kernel call failed on a path.
    #[error("{}: {}, {syscall} '{path}'", errno.name(), lower_first(errno.strerror()))]
    Fs {
        /// The errno.
        errno: Errno,
        /// The call that failed, Node-style (`open`, `scandir`, …).
        syscall: &'static str,
        /// The path it failed on.
        path: String,
    },
    /// A kernel call failed without a path.
    #[error("{}: {}, {syscall}", errno.name(), lower_first(errno.strerror()))]
    Sys {
        /// The errno.
        errno: Errno,
        /// The call that failed.
        syscall: &'static str,
    },
    /// API paths must be absolute.
    #[error("Path must be absolute: {0}")]
    RelativePath(String),
    /// No process with this pid was started through this VM's API.
    #[error("Process not found: {0}")]
    ProcessNotFound(i32),
    /// No shell with this id was opened on this VM.
    #[error("Shell not found: {0}")]
    ShellNotFound(String),
    /// The VM was disposed; no further calls are possible.
    #[error("VM is disposed")]
    Disposed,
    /// A program could not be started.
    #[error("{program}: {}", lower_first(errno.strerror()))]
    Spawn {
        /// The program asked for.
        program: String,
        /// Why it could not start (`ENOENT`, `EACCES`, `ENOEXEC`, `EAGAIN`).
        errno: Errno,
    },
    /// `fetch`: nothing listens on that port of the VM.
    #[error("ECONNREFUSED: no guest server is listening on port {0}")]
    NoListener(u16),
    /// `fetch`: the guest server sent something that is not HTTP/1.x.
    #[error("bad HTTP response from guest server: {0}")]
    BadResponse(String),
    /// Invalid options.
    #[error("invalid option: {0}")]
    InvalidOption(String),
    /// `schedule_cron`: the schedule is neither a cron expression nor a
    /// one-shot time (or is a cron expression that never fires).
    #[error("Invalid schedule \"{schedule}\". Expected a cron expression or an ISO-like one-shot timestamp.")]
    InvalidSchedule {
        /// The schedule as given.
        schedule: String,
    },
    /// `schedule_cron`: a one-shot time at or before the VM clock's now.
    #[error("One-shot schedule \"{schedule}\" is already in the past.")]
    PastSchedule {
        /// The schedule as given.
        schedule: String,
    },
    /// `schedule_cron` was called outside a Tokio runtime, which runs the
    /// scheduler and the jobs.
    #[error("cron needs a Tokio runtime: call schedule_cron from inside one")]
    NoRuntime,
    /// `create_session`: no agent with this id is registered in
    /// [`crate::AgentOsOptions::agents`].
    #[error("Unknown agent type: {0}")]
    UnknownAgent(String),
    /// No agent session with this id is open on this VM.
    #[error("Session not found: {0}")]
    SessionNotFound(String),
    /// A software descriptor that can't be installed.
    #[error("invalid software '{name}': {reason}")]
    InvalidSoftware {
        /// The descriptor's `name`.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A toolkit that can't be installed (a bad name, a duplicate, a
    /// description too long).
    #[error("invalid toolkit '{name}': {reason}")]
    InvalidToolkit {
        /// The toolkit's `name`.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An Agent Client Protocol call failed: the agent answered with an
    /// error, died, hung past the timeout, or wrote something that is not
    /// JSON-RPC. `stderr_tail` is the end of the adapter's stderr.
    #[error("{message}{}", stderr_suffix(stderr_tail))]
    Acp {
        /// What went wrong.
        message: String,
        /// The last lines the adapter wrote to stderr (may be empty).
        stderr_tail: String,
    },
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

fn stderr_suffix(tail: &str) -> String {
    if tail.trim().is_empty() { String::new() } else { format!("\nagent stderr:\n{}", tail.trim_end()) }
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
