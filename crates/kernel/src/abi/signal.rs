//! Signal numbers (x86_64 Linux), dispositions and wait statuses.

/// A signal, by its Linux number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signal(pub i32);

macro_rules! signals {
    ($($name:ident = $num:expr, $desc:expr, $default:ident;)*) => {
        impl Signal {
            $(pub const $name: Signal = Signal($num);)*

            /// `"SIGINT"`-style name, if this is a known signal.
            pub fn name(self) -> Option<&'static str> {
                match self.0 { $($num => Some(stringify!($name)),)* _ => None }
            }
            /// The text bash prints when a job dies of this signal
            /// (`strsignal(3)`).
            pub fn description(self) -> &'static str {
                match self.0 { $($num => $desc,)* _ => "Unknown signal" }
            }
            /// What happens when nobody handles the signal.
            pub fn default_action(self) -> DefaultAction {
                match self.0 { $($num => DefaultAction::$default,)* _ => DefaultAction::Terminate }
            }
            /// All known signals, in number order.
            pub fn all() -> &'static [Signal] {
                &[$(Signal($num),)*]
            }
        }
    };
}

/// The default disposition of a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultAction {
    Terminate,
    CoreDump,
    Ignore,
    Stop,
    Continue,
}

signals! {
    SIGHUP = 1, "Hangup", Terminate;
    SIGINT = 2, "Interrupt", Terminate;
    SIGQUIT = 3, "Quit", CoreDump;
    SIGILL = 4, "Illegal instruction", CoreDump;
    SIGTRAP = 5, "Trace/breakpoint trap", CoreDump;
    SIGABRT = 6, "Aborted", CoreDump;
    SIGBUS = 7, "Bus error", CoreDump;
    SIGFPE = 8, "Floating point exception", CoreDump;
    SIGKILL = 9, "Killed", Terminate;
    SIGUSR1 = 10, "User defined signal 1", Terminate;
    SIGSEGV = 11, "Segmentation fault", CoreDump;
    SIGUSR2 = 12, "User defined signal 2", Terminate;
    SIGPIPE = 13, "Broken pipe", Terminate;
    SIGALRM = 14, "Alarm clock", Terminate;
    SIGTERM = 15, "Terminated", Terminate;
    SIGSTKFLT = 16, "Stack fault", Terminate;
    SIGCHLD = 17, "Child exited", Ignore;
    SIGCONT = 18, "Continued", Continue;
    SIGSTOP = 19, "Stopped (signal)", Stop;
    SIGTSTP = 20, "Stopped", Stop;
    SIGTTIN = 21, "Stopped (tty input)", Stop;
    SIGTTOU = 22, "Stopped (tty output)", Stop;
    SIGURG = 23, "Urgent I/O condition", Ignore;
    SIGXCPU = 24, "CPU time limit exceeded", CoreDump;
    SIGXFSZ = 25, "File size limit exceeded", CoreDump;
    SIGVTALRM = 26, "Virtual timer expired", Terminate;
    SIGPROF = 27, "Profiling timer expired", Terminate;
    SIGWINCH = 28, "Window changed", Ignore;
    SIGIO = 29, "I/O possible", Terminate;
    SIGPWR = 30, "Power failure", Terminate;
    SIGSYS = 31, "Bad system call", CoreDump;
}

impl Signal {
    /// Parse `"TERM"`, `"SIGTERM"`, `"term"` or `"15"`.
    pub fn parse(s: &str) -> Option<Signal> {
        if let Ok(n) = s.parse::<i32>() {
            return (1..=31).contains(&n).then_some(Signal(n));
        }
        let up = s.to_ascii_uppercase();
        let want = up.strip_prefix("SIG").unwrap_or(&up);
        Signal::all().iter().copied().find(|sig| sig.name().map(|n| &n[3..]) == Some(want))
    }

    /// Bit of this signal in a 64-bit mask.
    pub fn bit(self) -> u64 {
        1u64 << (self.0 as u64 & 63)
    }

    /// SIGKILL and SIGSTOP cannot be caught or ignored.
    pub fn is_uncatchable(self) -> bool {
        self == Signal::SIGKILL || self == Signal::SIGSTOP
    }
}

/// What a process has asked to happen when a signal arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SigAction {
    #[default]
    Default,
    Ignore,
    /// The program handles it: blocking calls return `EINTR` and the program
    /// collects pending signals with `Task::take_signals`.
    Catch,
}

/// How a process ended, as `waitpid(2)` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitStatus {
    Exited(i32),
    Signaled(Signal),
}

/// A change of a child's state, as `waitpid(2)` with `WUNTRACED` /
/// `WCONTINUED` reports it. Kept apart from [`WaitStatus`], which is
/// always a final status (exit hooks, zombies), so existing matches on it
/// stay exhaustive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitEvent {
    /// The child ended (it is reaped).
    Exited(WaitStatus),
    /// The child was stopped by this signal (`WIFSTOPPED`).
    Stopped(Signal),
    /// The child was continued by SIGCONT (`WIFCONTINUED`).
    Continued,
}

impl WaitEvent {
    /// The shell's `$?`: 128 + signal for a stop, as bash reports it.
    pub fn code(self) -> i32 {
        match self {
            WaitEvent::Exited(s) => s.code(),
            WaitEvent::Stopped(s) => 128 + s.0,
            WaitEvent::Continued => 0,
        }
    }
}

impl WaitStatus {
    /// The shell's `$?` for this status: the exit code, or 128 + signal.
    pub fn code(self) -> i32 {
        match self {
            WaitStatus::Exited(c) => c & 0xff,
            WaitStatus::Signaled(s) => 128 + s.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_describe() {
        assert_eq!(Signal::parse("TERM"), Some(Signal::SIGTERM));
        assert_eq!(Signal::parse("sigkill"), Some(Signal::SIGKILL));
        assert_eq!(Signal::parse("2"), Some(Signal::SIGINT));
        assert_eq!(Signal::parse("99"), None);
        assert_eq!(Signal::parse("NOPE"), None);
        assert_eq!(Signal::SIGPIPE.name(), Some("SIGPIPE"));
        assert_eq!(Signal::SIGKILL.description(), "Killed");
        assert_eq!(WaitStatus::Signaled(Signal::SIGPIPE).code(), 141);
        assert_eq!(WaitStatus::Exited(256 + 3).code(), 3);
    }
}
