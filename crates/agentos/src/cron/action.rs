//! What a cron job does when it fires: run a command line, prompt an
//! agent, or call a Rust closure (the reference's `exec`, `session` and
//! `callback` actions).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed, sendable future (the shape of `futures::future::BoxFuture`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The closure of [`CronAction::Callback`]: called at every fire; an `Err`
/// becomes a [`CronEvent::Error`](super::CronEvent::Error).
pub type CronCallback = Arc<dyn Fn() -> BoxFuture<'static, std::result::Result<(), String>> + Send + Sync>;

/// What a job does when it fires.
#[derive(Clone)]
pub enum CronAction {
    /// Run `command` through `sh -c` with `args` appended, each shell-quoted
    /// (so `args` reach the program exactly; `command` itself is shell text).
    /// Completes with the exit status, whatever it is.
    Exec {
        /// The program (or a shell command line).
        command: String,
        /// Arguments, passed verbatim.
        args: Vec<String>,
    },
    /// Prompt an agent in a fresh session ([`crate::AgentOs::create_session`],
    /// [`crate::AgentOs::prompt`]), then close it. Completes with no exit
    /// status; a session that cannot start or a failed prompt reports a
    /// [`CronEvent::Error`](super::CronEvent::Error).
    Session {
        /// The agent to start (`pi`, `claude`, …).
        agent_type: String,
        /// The prompt to send.
        prompt: String,
        /// How to create the session.
        options: CronSessionOptions,
    },
    /// Call a Rust closure. A closure that holds the VM keeps it alive
    /// until the job is cancelled or the VM disposed.
    Callback(CronCallback),
}

impl CronAction {
    /// An [`CronAction::Exec`] of `command` with `args`.
    pub fn exec<S: Into<String>>(command: impl Into<String>, args: impl IntoIterator<Item = S>) -> CronAction {
        CronAction::Exec { command: command.into(), args: args.into_iter().map(Into::into).collect() }
    }

    /// A [`CronAction::Callback`] from an async closure.
    pub fn callback<F, Fut>(f: F) -> CronAction
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = std::result::Result<(), String>> + Send + 'static,
    {
        CronAction::Callback(Arc::new(move || Box::pin(f())))
    }

    /// The shell command line an [`CronAction::Exec`] runs.
    pub(super) fn command_line(command: &str, args: &[String]) -> String {
        let mut line = command.to_string();
        for a in args {
            line.push(' ');
            line.push_str(&shell_quote(a));
        }
        line
    }

    /// What [`CronJobInfo::action`] shows.
    pub(super) fn describe(&self) -> String {
        match self {
            CronAction::Exec { command, args } => format!("exec: {}", CronAction::command_line(command, args)),
            CronAction::Session { agent_type, .. } => format!("session: {agent_type}"),
            CronAction::Callback(_) => "callback".to_string(),
        }
    }
}

impl fmt::Debug for CronAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CronAction::Exec { command, args } => {
                f.debug_struct("Exec").field("command", command).field("args", args).finish()
            }
            CronAction::Session { agent_type, prompt, options } => f
                .debug_struct("Session")
                .field("agent_type", agent_type)
                .field("prompt", prompt)
                .field("options", options)
                .finish(),
            CronAction::Callback(_) => f.write_str("Callback(..)"),
        }
    }
}

/// Quote `s` for `sh` so that it is one word with exactly these bytes.
fn shell_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !s.is_empty() && s.chars().all(plain) { s.to_string() } else { format!("'{}'", s.replace('\'', r"'\''")) }
}

/// Session options of [`CronAction::Session`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CronSessionOptions {
    /// Extra environment of the agent process.
    pub env: Vec<(String, String)>,
    /// Working directory of the session.
    pub cwd: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let line = CronAction::command_line("rm", &["-rf".into(), "/tmp/a b".into(), "it's".into(), "".into()]);
        assert_eq!(line, r"rm -rf '/tmp/a b' 'it'\''s' ''");
    }
}
