//! Job control for the interactive shell: every pipeline the top-level
//! shell starts runs in a process group of its own, which is made the
//! terminal's foreground group while it runs (`tcsetpgrp`); a job stopped
//! by `^Z` (SIGTSTP) is remembered, and `jobs`, `fg` and `bg` list, resume
//! in the foreground and resume in the background.
//!
//! Analogue: bash's `jobs.c` (messages and formats are bash's). Scripts
//! and child shells have no job control (`Shell::jc` is `None`), and the
//! hooks below then change nothing.

use agentos_kernel::abi::{Errno, Fd, Pid, Signal, WaitEvent, WaitStatus};
use agentos_kernel::file::termios::{SetWhen, Termios};
use agentos_kernel::{Pgroup, Task, WaitOptions, WaitTarget};

use crate::state::{Res, Shell};

/// Whether a job runs or is stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    Running,
    Stopped(Signal),
}

/// A job: a process group the shell started.
#[derive(Clone, Debug)]
pub struct Job {
    /// `%n`.
    pub id: usize,
    pub pgid: Pid,
    /// Its processes not yet reaped.
    pub pids: Vec<Pid>,
    /// The command line, as typed.
    pub cmd: String,
    pub state: JobState,
    /// Status of the last process that ended.
    pub status: Option<WaitStatus>,
}

/// The foreground job being run.
#[derive(Clone, Debug, Default)]
pub struct FgJob {
    /// Its group, once its first process exists.
    pub pgid: Option<Pid>,
    pub pids: Vec<Pid>,
    pub stopped: Option<Signal>,
    /// `%n` when resumed by `fg`.
    pub id: Option<usize>,
    pub cmd: Option<String>,
}

/// Job-control state of an interactive shell.
#[derive(Clone, Debug)]
pub struct JobControl {
    /// The terminal (a private duplicate of stdin).
    pub tty: Fd,
    /// The shell's own group, in the foreground while it reads commands.
    pub shell_pgid: Pid,
    pub jobs: Vec<Job>,
    pub fg: Option<FgJob>,
    /// Start the next child in a new group without giving it the terminal
    /// (`cmd &`).
    pub background: bool,
    /// The command line being run.
    pub line: String,
    /// The terminal modes the shell runs commands with.
    pub modes: Option<Termios>,
    /// A foreground job died of `^C`: the command line is abandoned, as
    /// if the shell had been interrupted itself.
    pub interrupted: bool,
}

/// bash's word for how a job ended or stands.
fn state_text(state: JobState, status: Option<WaitStatus>) -> String {
    match (state, status) {
        (JobState::Stopped(sig), _) => match sig {
            Signal::SIGTTIN => "Stopped (tty input)".into(),
            Signal::SIGTTOU => "Stopped (tty output)".into(),
            Signal::SIGSTOP => "Stopped (signal)".into(),
            _ => "Stopped".into(),
        },
        (JobState::Running, None) => "Running".into(),
        (JobState::Running, Some(WaitStatus::Exited(0))) => "Done".into(),
        (JobState::Running, Some(WaitStatus::Exited(c))) => format!("Exit {c}"),
        (JobState::Running, Some(WaitStatus::Signaled(s))) => s.description().into(),
    }
}

impl JobControl {
    fn marker(&self, id: usize) -> char {
        let n = self.jobs.len();
        match self.jobs.iter().position(|j| j.id == id) {
            Some(i) if i + 1 == n => '+',
            Some(i) if i + 2 == n => '-',
            _ => ' ',
        }
    }

    /// `[1]+  Stopped                 sleep 100`.
    fn line_for(&self, j: &Job, done: bool) -> String {
        let status = if done { j.status } else { None };
        let amp = if j.state == JobState::Running && !done { " &" } else { "" };
        format!("[{}]{}  {:<24}{}{}\n", j.id, self.marker(j.id), state_text(j.state, status), j.cmd, amp)
    }

    fn next_id(&self) -> usize {
        self.jobs.iter().map(|j| j.id).max().unwrap_or(0) + 1
    }
}

impl Shell {
    /// The process group for the next child: a new one for the first
    /// process of a job, the job's for the rest; the parent's without job
    /// control.
    pub fn child_pgroup(&self) -> Pgroup {
        match &self.jc {
            Some(jc) if jc.background => Pgroup::New,
            Some(JobControl { fg: Some(FgJob { pgid: Some(g), .. }), .. }) => Pgroup::Join(*g),
            Some(JobControl { fg: Some(_), .. }) => Pgroup::New,
            _ => Pgroup::Inherit,
        }
    }

    /// Record a child started with [`Shell::child_pgroup`]; the first
    /// process of a foreground job gets the terminal.
    pub fn note_child(&mut self, t: &Task, pid: Pid) {
        let Some(jc) = &mut self.jc else { return };
        if jc.background {
            return;
        }
        let tty = jc.tty;
        if let Some(fg) = &mut jc.fg {
            if fg.pgid.is_none() {
                fg.pgid = Some(pid);
                let _ = t.tcsetpgrp(tty, pid);
            }
            fg.pids.push(pid);
        }
    }

    /// Start a foreground job unless one is being run; returns whether
    /// this call owns it (and must call [`Shell::end_fg_job`]).
    pub fn begin_fg_job(&mut self) -> bool {
        match &mut self.jc {
            Some(jc) if jc.fg.is_none() => {
                jc.fg = Some(FgJob::default());
                true
            }
            _ => false,
        }
    }

    /// The foreground job is over or stopped: take the terminal back and,
    /// if it stopped, remember it as a job.
    pub fn end_fg_job(&mut self, t: &Task) {
        let Some(jc) = &mut self.jc else { return };
        let Some(fg) = jc.fg.take() else { return };
        let Some(pgid) = fg.pgid else { return };
        let _ = t.tcsetpgrp(jc.tty, jc.shell_pgid);
        let Some(sig) = fg.stopped else { return };
        if let Some(modes) = &jc.modes {
            let _ = t.tcsetattr(jc.tty, SetWhen::Drain, modes);
        }
        let id = fg.id.unwrap_or_else(|| jc.next_id());
        let cmd = fg.cmd.unwrap_or_else(|| jc.line.clone());
        let job = Job { id, pgid, pids: fg.pids, cmd, state: JobState::Stopped(sig), status: None };
        jc.jobs.push(job);
        jc.jobs.sort_by_key(|j| j.id);
        // The stopped job becomes the current one.
        if let Some(i) = jc.jobs.iter().position(|j| j.id == id) {
            let j = jc.jobs.remove(i);
            jc.jobs.push(j);
        }
        let text = format!("\n{}", jc.line_for(&jc.jobs[jc.jobs.len() - 1], false));
        let _ = t.write_all(2, text.as_bytes());
    }

    /// Wait for `pid` if it belongs to the foreground job: returns its
    /// `$?` (128 + signal if it stopped), or `None` without job control.
    pub fn jc_wait(&mut self, t: &mut Task, pid: Pid) -> Option<i32> {
        let jc = self.jc.as_ref()?;
        let fg = jc.fg.as_ref()?;
        if !fg.pids.contains(&pid) {
            return None;
        }
        let tty = jc.tty;
        let opts = WaitOptions { untraced: true, ..Default::default() };
        loop {
            match t.waitpid_opts(WaitTarget::Pid(pid), opts) {
                Ok(Some((_, WaitEvent::Exited(st)))) => {
                    if let Some(jc) = &mut self.jc
                        && let Some(fg) = &mut jc.fg
                    {
                        fg.pids.retain(|p| *p != pid);
                        // Nothing of the job runs now (between the
                        // iterations of a loop, say): the terminal goes
                        // back to the shell, so `^C` reaches it, and the
                        // next child starts a group of its own.
                        if fg.pids.is_empty() && fg.stopped.is_none() {
                            fg.pgid = None;
                            let _ = t.tcsetpgrp(tty, jc.shell_pgid);
                        }
                    }
                    // bash ends the line after `^C` and names other fatal
                    // signals of a foreground job.
                    match st {
                        WaitStatus::Signaled(Signal::SIGINT) => {
                            let _ = t.write_all(2, b"\n");
                            if let Some(jc) = &mut self.jc {
                                jc.interrupted = true;
                            }
                        }
                        WaitStatus::Signaled(Signal::SIGPIPE) | WaitStatus::Exited(_) => {}
                        WaitStatus::Signaled(s) => {
                            let _ = t.write_all(2, format!("{}\n", s.description()).as_bytes());
                        }
                    }
                    return Some(st.code());
                }
                Ok(Some((_, WaitEvent::Stopped(sig)))) => {
                    let pgid = self.jc.as_ref().and_then(|j| j.fg.as_ref()).and_then(|f| f.pgid);
                    // It read the terminal before we made it the
                    // foreground: it is the foreground now, go on.
                    if matches!(sig, Signal::SIGTTIN | Signal::SIGTTOU)
                        && let Some(g) = pgid
                        && t.tcgetpgrp(tty) == Ok(g)
                    {
                        let _ = t.kill(-g, Signal::SIGCONT.0);
                        continue;
                    }
                    if let Some(fg) = self.jc.as_mut().and_then(|j| j.fg.as_mut()) {
                        fg.stopped = Some(sig);
                    }
                    return Some(128 + sig.0);
                }
                Ok(Some((_, WaitEvent::Continued))) | Ok(None) | Err(Errno::EINTR) => continue,
                Err(_) => return Some(127),
            }
        }
    }

    /// `cmd &` with job control: its own group, a job, `[1] 42`.
    pub fn note_background(&mut self, t: &Task, pid: Pid, cmd: &str) {
        let Some(jc) = &mut self.jc else { return };
        let id = jc.next_id();
        let cmd = cmd.trim().to_string();
        jc.jobs.push(Job { id, pgid: pid, pids: vec![pid], cmd, state: JobState::Running, status: None });
        let _ = t.write_all(2, format!("[{id}] {pid}\n").as_bytes());
    }

    /// Before a prompt: reap finished background jobs and report changes
    /// (`[1]+  Done                    sleep 1`).
    pub fn notify_jobs(&mut self, t: &mut Task) {
        let Some(jc) = &mut self.jc else { return };
        let opts = WaitOptions { nohang: true, untraced: true, ..Default::default() };
        let mut report = String::new();
        let mut finished = Vec::new();
        let mut reaped = Vec::new();
        for i in 0..jc.jobs.len() {
            let mut changed = false;
            for pid in jc.jobs[i].pids.clone() {
                match t.waitpid_opts(WaitTarget::Pid(pid), opts) {
                    Ok(Some((_, WaitEvent::Exited(st)))) => {
                        jc.jobs[i].pids.retain(|p| *p != pid);
                        jc.jobs[i].status = Some(st);
                        reaped.push(pid);
                    }
                    Ok(Some((_, WaitEvent::Stopped(sig)))) if jc.jobs[i].state == JobState::Running => {
                        jc.jobs[i].state = JobState::Stopped(sig);
                        changed = true;
                    }
                    Err(Errno::ECHILD) => jc.jobs[i].pids.retain(|p| *p != pid),
                    _ => {}
                }
            }
            if jc.jobs[i].pids.is_empty() {
                jc.jobs[i].state = JobState::Running;
                report.push_str(&jc.line_for(&jc.jobs[i], true));
                finished.push(jc.jobs[i].id);
            } else if changed {
                report.push_str(&jc.line_for(&jc.jobs[i], false));
            }
        }
        jc.jobs.retain(|j| !finished.contains(&j.id));
        self.jobs.retain(|p| !reaped.contains(p));
        if !report.is_empty() {
            let _ = t.write_all(2, report.as_bytes());
        }
    }

    /// The job a `%n` / `%+` / `%-` / `%name` spec (or none: the current
    /// job) names.
    fn find_job(&self, spec: Option<&str>) -> Option<usize> {
        let jc = self.jc.as_ref()?;
        let n = jc.jobs.len();
        match spec.map(|s| s.strip_prefix('%').unwrap_or(s)) {
            None | Some("") | Some("+") | Some("%") => n.checked_sub(1),
            Some("-") => n.checked_sub(2),
            Some(s) => match s.parse::<usize>() {
                Ok(id) => jc.jobs.iter().position(|j| j.id == id),
                Err(_) => jc.jobs.iter().rposition(|j| j.cmd.starts_with(s)),
            },
        }
    }
}

fn no_job_control(sh: &Shell, t: &Task, name: &str) -> Res {
    sh.error(t, &format!("{name}: no job control"));
    Ok(1)
}

fn no_such_job(sh: &Shell, t: &Task, name: &str, spec: Option<&str>) -> Res {
    sh.error(t, &format!("{name}: {}: no such job", spec.unwrap_or("current")));
    Ok(1)
}

/// `jobs`: list the jobs.
pub fn jobs(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    let pids_only = argv.iter().skip(1).any(|a| a == "-p");
    sh.notify_jobs(t);
    let Some(jc) = &sh.jc else { return Ok(0) };
    let mut out = String::new();
    for j in &jc.jobs {
        if pids_only {
            out.push_str(&format!("{}\n", j.pgid));
        } else {
            out.push_str(&jc.line_for(j, false));
        }
    }
    Ok(crate::builtins::out(sh, t, "jobs", out.as_bytes()))
}

/// `fg [%job]`: continue a job in the foreground and wait for it.
pub fn fg(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    if sh.jc.is_none() {
        return no_job_control(sh, t, "fg");
    }
    let spec = argv.get(1).map(|s| s.as_str());
    let Some(i) = sh.find_job(spec) else { return no_such_job(sh, t, "fg", spec) };
    let Some(jc) = &mut sh.jc else { return Ok(1) };
    let job = jc.jobs.remove(i);
    let _ = t.write_all(2, format!("{}\n", job.cmd).as_bytes());
    let _ = t.tcsetpgrp(jc.tty, job.pgid);
    jc.fg = Some(FgJob {
        pgid: Some(job.pgid),
        pids: job.pids.clone(),
        stopped: None,
        id: Some(job.id),
        cmd: Some(job.cmd),
    });
    let _ = t.kill(-job.pgid, Signal::SIGCONT.0);
    let mut status = 0;
    for pid in job.pids {
        if let Some(s) = sh.jc_wait(t, pid) {
            status = s;
        }
        if sh.jc.as_ref().and_then(|j| j.fg.as_ref()).is_some_and(|f| f.stopped.is_some()) {
            break;
        }
    }
    sh.end_fg_job(t);
    Ok(status)
}

/// `bg [%job]`: continue a stopped job in the background.
pub fn bg(sh: &mut Shell, t: &mut Task, argv: &[String]) -> Res {
    if sh.jc.is_none() {
        return no_job_control(sh, t, "bg");
    }
    let spec = argv.get(1).map(|s| s.as_str());
    let Some(i) = sh.find_job(spec) else { return no_such_job(sh, t, "bg", spec) };
    let Some(jc) = &mut sh.jc else { return Ok(1) };
    if jc.jobs[i].state == JobState::Running {
        let id = jc.jobs[i].id;
        sh.error(t, &format!("bg: job {id} already in background"));
        return Ok(0);
    }
    jc.jobs[i].state = JobState::Running;
    let j = &jc.jobs[i];
    let text = format!("[{}]{} {} &\n", j.id, jc.marker(j.id), j.cmd);
    let _ = t.kill(-j.pgid, Signal::SIGCONT.0);
    let _ = t.write_all(2, text.as_bytes());
    Ok(0)
}
