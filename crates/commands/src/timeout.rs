//! `timeout [-s SIG] [-k DURATION] [--preserve-status] [--foreground]
//! DURATION COMMAND [ARG]...`: run a command and signal it if it is still
//! running after DURATION. Exit 124 on timeout (unless
//! `--preserve-status`), 125 for timeout's own errors, 126/127 when the
//! command cannot run, 128+9 after `-k` had to kill it.

use std::time::Duration;

use agentos_kernel::abi::{Signal, WaitStatus};
use agentos_kernel::task::WaitTarget;
use agentos_kernel::{Errno, Pgroup, SpawnOptions, Task};

use crate::env::lookup;
use crate::sleep::parse_duration;
use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "timeout";

const LONG: &[(&str, Arg, char)] = &[
    ("signal", Arg::Req, 's'),
    ("kill-after", Arg::Req, 'k'),
    ("preserve-status", Arg::No, 'p'),
    ("foreground", Arg::No, 'f'),
    ("verbose", Arg::No, 'v'),
    ("help", Arg::No, 'H'),
];

fn failed(task: &Task, cmd: &str, e: Errno) -> i32 {
    util::error(task, NAME, &format!("failed to run command {}: {}", util::quote(cmd), e.strerror()));
    if e == Errno::ENOENT { 127 } else { 126 }
}

fn status_code(st: WaitStatus) -> i32 {
    st.code()
}

pub fn main(task: &mut Task) -> i32 {
    let mut spec = Spec::new("s:k:v", LONG);
    spec.stop_at_operand = true;
    let p = match opts::parse(&spec, &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 125),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION] DURATION COMMAND [ARG]...");
    }
    let sig = match p.last('s') {
        Some(s) => match Signal::parse(s) {
            Some(sig) => sig,
            None => {
                util::error(task, NAME, &format!("{}: invalid signal", util::quote(s)));
                util::try_help(task, NAME);
                return 125;
            }
        },
        None => Signal::SIGTERM,
    };
    let kill_after = match p.last('k').map(parse_duration) {
        None => None,
        Some(Some(d)) => Some(d),
        Some(None) => {
            util::error(task, NAME, &format!("invalid time interval {}", util::quote(p.last('k').unwrap_or(""))));
            util::try_help(task, NAME);
            return 125;
        }
    };
    let ops = &p.operands;
    if ops.len() < 2 {
        // GNU prints only the hint here.
        util::try_help(task, NAME);
        return 125;
    }
    let Some(limit) = parse_duration(&ops[0]) else {
        util::error(task, NAME, &format!("invalid time interval {}", util::quote(&ops[0])));
        util::try_help(task, NAME);
        return 125;
    };
    let cmd = ops[1..].to_vec();
    let exe = match lookup(task, &cmd[0], task.getenv("PATH")) {
        Ok(e) => e,
        Err(e) => return failed(task, &cmd[0], e),
    };
    let fds: Vec<_> = (0..3).filter_map(|fd| task.file(fd).ok().map(|f| (fd, f))).collect();
    let opts = SpawnOptions {
        argv: cmd.clone(),
        env: task.env.clone(),
        cwd: None,
        fds,
        // Like GNU, the command gets its own process group so that the
        // signal reaches everything it started (not with --foreground).
        pgroup: if p.has('f') { Pgroup::Inherit } else { Pgroup::New },
        ..Default::default()
    };
    let pid = match task.spawn(&exe, opts) {
        Ok(pid) => pid,
        Err(e) => return failed(task, &cmd[0], e),
    };
    let target = if p.has('f') { pid } else { -pid };
    let start = task.monotonic();
    let elapsed = |t: &Task| (t.monotonic().as_nanos() - start.as_nanos()) as f64 / 1e9;
    let mut slept = 0.0f64;
    let mut timed_out = false;
    let mut kill_deadline: Option<f64> = None;
    loop {
        match task.waitpid(WaitTarget::Pid(pid), true) {
            Ok(Some((_, st))) => {
                if timed_out {
                    // GNU's timeout signals its whole group, itself
                    // included: with KILL it dies too.
                    if sig == Signal::SIGKILL {
                        return 137;
                    }
                    if p.has('p') {
                        return status_code(st);
                    }
                    if kill_deadline.is_some() && st == WaitStatus::Signaled(Signal::SIGKILL) && sig != Signal::SIGKILL
                    {
                        return 137;
                    }
                    return 124;
                }
                return status_code(st);
            }
            Ok(None) => {}
            Err(Errno::EINTR) => {}
            Err(_) => return 125,
        }
        // The clock may be virtual (tests): time slept counts too.
        let now = elapsed(task).max(slept);
        if !timed_out && limit > 0.0 && now >= limit {
            timed_out = true;
            if p.has('v') {
                let name = sig.name().unwrap_or("SIGTERM").trim_start_matches("SIG");
                util::error(task, NAME, &format!("sending signal {name} to command {}", util::quote(&cmd[0])));
            }
            let _ = task.kill(target, sig.0);
            if sig != Signal::SIGKILL && sig != Signal::SIGCONT {
                let _ = task.kill(target, Signal::SIGCONT.0);
            }
            kill_deadline = kill_after.map(|k| now + k);
        }
        if let Some(d) = kill_deadline
            && now >= d
        {
            let _ = task.kill(target, Signal::SIGKILL.0);
            kill_deadline = None;
            kill_deadline.get_or_insert(f64::INFINITY);
        }
        // Poll: sleep a little, never past the next deadline.
        let next = if timed_out { kill_deadline.unwrap_or(f64::INFINITY) } else { limit };
        let wait = (next - now).clamp(0.001, 0.01);
        if task.sleep(Duration::from_secs_f64(wait)).is_err() && task.fatal_signal().is_some() {
            return 125;
        }
        slept += wait;
    }
}
