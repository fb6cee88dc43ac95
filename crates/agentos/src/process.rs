//! Running programs: `exec` of a shell command line, `spawn` of a program
//! with streaming output, stdin, signals, waiting, listings.

use std::sync::Arc;
use std::time::Duration;

use agentos_kernel::abi::{OFlags, Pid, Signal, WaitStatus};
use agentos_kernel::file::{InputChannel, OpenFile, OutputChannel, OutputSink};
use agentos_kernel::{Pgroup, SpawnOptions as KSpawnOptions};
use parking_lot::Mutex;
use tokio::sync::watch;

use crate::error::{Error, Result};
use crate::vm::{AgentOs, USER, set_env};

/// Receives output bytes as they are written.
pub type OutputCallback = Arc<dyn Fn(&[u8]) + Send + Sync>;

/// Options of [`AgentOs::exec`].
#[derive(Clone, Default)]
pub struct ExecOptions {
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
    /// Working directory (default: the VM's).
    pub cwd: Option<String>,
    /// Bytes written to the command's stdin, which is then closed.
    pub stdin: Option<Vec<u8>>,
    /// Kill the command (and its process group) with `SIGKILL` after this.
    pub timeout: Option<Duration>,
    /// Called with stdout bytes as they are written.
    pub on_stdout: Option<OutputCallback>,
    /// Called with stderr bytes as they are written.
    pub on_stderr: Option<OutputCallback>,
}

/// What [`AgentOs::exec`] returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecResult {
    /// Exit status: the exit code, or 128 + signal number.
    pub exit_code: i32,
    /// Everything written to stdout.
    pub stdout: Vec<u8>,
    /// Everything written to stderr.
    pub stderr: Vec<u8>,
    /// Whether the timeout killed it.
    pub timed_out: bool,
}

impl ExecResult {
    /// Stdout as text (invalid UTF-8 replaced).
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    /// Stderr as text (invalid UTF-8 replaced).
    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Options of [`AgentOs::spawn`].
#[derive(Clone, Default)]
pub struct SpawnOptions {
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
    /// Working directory (default: the VM's).
    pub cwd: Option<String>,
    /// Called with stdout bytes (also settable later with
    /// [`AgentOs::on_process_stdout`]).
    pub on_stdout: Option<OutputCallback>,
    /// Called with stderr bytes.
    pub on_stderr: Option<OutputCallback>,
}

/// A spawned process as listed by [`AgentOs::list_processes`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpawnedProcessInfo {
    /// Process id.
    pub pid: Pid,
    /// The program as given to `spawn`.
    pub command: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// Whether it is still running.
    pub running: bool,
    /// Exit status once exited (code, or 128 + signal).
    pub exit_code: Option<i32>,
}

/// Any kernel process, as listed by [`AgentOs::all_processes`].
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessInfo {
    /// Process id.
    pub pid: Pid,
    /// Parent process id (1 for processes the host started).
    pub ppid: Pid,
    /// Process group.
    pub pgid: Pid,
    /// Session.
    pub sid: Pid,
    /// Which runtime runs it (`native`, `wasm`, `node`).
    pub driver: String,
    /// `argv[0]`.
    pub command: String,
    /// `argv[1..]`.
    pub args: Vec<String>,
    /// Working directory.
    pub cwd: String,
    /// Whether it is still running (not a zombie).
    pub running: bool,
    /// Exit status once exited.
    pub exit_code: Option<i32>,
    /// Start time, ms since the Unix epoch.
    pub start_time_ms: f64,
}

/// A node of [`AgentOs::process_tree`].
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessTreeNode {
    /// This process.
    pub info: ProcessInfo,
    /// Its children.
    pub children: Vec<ProcessTreeNode>,
}

/// Output listeners of one stream, with what was written before the first
/// listener arrived (up to a cap), so early output is not lost.
#[derive(Default)]
struct Listeners {
    list: Vec<(u64, OutputCallback)>,
    early: Vec<u8>,
}

const EARLY_CAP: usize = 1 << 20;

impl Listeners {
    fn emit(&mut self, data: &[u8]) {
        if self.list.is_empty() {
            let room = EARLY_CAP.saturating_sub(self.early.len());
            self.early.extend_from_slice(&data[..data.len().min(room)]);
        }
        for (_, cb) in &self.list {
            cb(data);
        }
    }
}

/// An exit listener of `on_process_exit`.
type ExitCallback = Arc<dyn Fn(i32) + Send + Sync>;

/// Exit listeners, and the status once they have been called.
#[derive(Default)]
struct ExitListeners {
    list: Vec<(u64, ExitCallback)>,
    exited: Option<i32>,
}

/// Book-keeping of a process started with `spawn`.
pub(crate) struct Spawned {
    command: String,
    args: Vec<String>,
    pub(crate) stdin: Arc<InputChannel>,
    stdout: Mutex<Listeners>,
    stderr: Mutex<Listeners>,
    exit_listeners: Mutex<ExitListeners>,
    status: watch::Sender<Option<i32>>,
    next_id: Mutex<u64>,
}

struct StreamSink {
    proc: Arc<Spawned>,
    err: bool,
}

impl OutputSink for StreamSink {
    fn write(&self, data: &[u8]) {
        let l = if self.err { &self.proc.stderr } else { &self.proc.stdout };
        l.lock().emit(data);
    }
}

/// Collects output for `exec`; signals when every writer has closed it.
struct Capture {
    buf: Arc<Mutex<Vec<u8>>>,
    cb: Option<OutputCallback>,
    closed: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
}

impl OutputSink for Capture {
    fn write(&self, data: &[u8]) {
        self.buf.lock().extend_from_slice(data);
        if let Some(cb) = &self.cb {
            cb(data);
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        if let Some(tx) = self.closed.lock().take() {
            let _ = tx.send(());
        }
    }
}

/// An output descriptor for a capture, and how to await its closing.
type CaptureParts = (Arc<OpenFile>, Arc<Mutex<Vec<u8>>>, tokio::sync::oneshot::Receiver<()>);

fn capture(cb: Option<OutputCallback>) -> CaptureParts {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = tokio::sync::oneshot::channel();
    let sink = Arc::new(Capture { buf: buf.clone(), cb, closed: Mutex::new(Some(tx)) });
    (OpenFile::stream(OutputChannel::new(sink), OFlags::WRONLY), buf, rx)
}

impl AgentOs {
    fn resolve_cwd(&self, cwd: &Option<String>) -> Result<String> {
        match cwd {
            Some(c) if !c.starts_with('/') => Err(Error::RelativePath(c.clone())),
            Some(c) => Ok(c.clone()),
            None => Ok(self.inner.cwd.clone()),
        }
    }

    fn env_with(&self, extra: &[(String, String)], cwd: &str) -> Vec<(String, String)> {
        let mut env = self.inner.env.clone();
        set_env(&mut env, "PWD", cwd);
        for (k, v) in extra {
            set_env(&mut env, k, v);
        }
        env
    }

    /// Run a command line with the VM's `sh -c` and collect its output.
    /// Resolves when the shell has exited and every holder of its stdout
    /// and stderr has closed them.
    pub async fn exec(&self, command: &str, options: ExecOptions) -> Result<ExecResult> {
        let kernel = self.alive()?.clone();
        let cwd = self.resolve_cwd(&options.cwd)?;
        let env = self.env_with(&options.env, &cwd);
        let stdin = InputChannel::new();
        if let Some(data) = &options.stdin {
            let _ = stdin.push(data);
        }
        stdin.close();
        let (out_fd, out, out_closed) = capture(options.on_stdout.clone());
        let (err_fd, err, err_closed) = capture(options.on_stderr.clone());
        let (tx, rx) = tokio::sync::oneshot::channel();
        let tx = Mutex::new(Some(tx));
        let opts = KSpawnOptions {
            argv: vec!["sh".into(), "-c".into(), command.into()],
            env,
            cwd: Some(cwd.clone()),
            fds: vec![(0, OpenFile::stream(stdin, OFlags::RDONLY)), (1, out_fd), (2, err_fd)],
            pgroup: Pgroup::New,
            on_exit: Some(Arc::new(move |st| {
                if let Some(tx) = tx.lock().take() {
                    let _ = tx.send(st);
                }
            })),
        };
        let pid = kernel.spawn(None, "/bin/sh", opts, USER).map_err(Error::fs("spawn", "/bin/sh"))?;
        let done = async {
            let status = rx.await.unwrap_or(WaitStatus::Signaled(Signal::SIGKILL));
            let _ = out_closed.await;
            let _ = err_closed.await;
            status
        };
        let (status, timed_out) = match options.timeout {
            None => (done.await, false),
            Some(t) => {
                tokio::pin!(done);
                tokio::select! {
                    s = &mut done => (s, false),
                    _ = tokio::time::sleep(t) => {
                        let _ = kernel.kill(None, -pid, Signal::SIGKILL.0);
                        let _ = kernel.kill(None, pid, Signal::SIGKILL.0);
                        (done.await, true)
                    }
                }
            }
        };
        let stdout = std::mem::take(&mut *out.lock());
        let stderr = std::mem::take(&mut *err.lock());
        Ok(ExecResult { exit_code: status.code(), stdout, stderr, timed_out })
    }

    /// Start `program` (found on `PATH` unless it contains a `/`) with
    /// `args`. Its stdin stays open until [`AgentOs::close_process_stdin`].
    pub fn spawn(&self, program: &str, args: &[&str], options: SpawnOptions) -> Result<Pid> {
        let kernel = self.alive()?.clone();
        let cwd = self.resolve_cwd(&options.cwd)?;
        let env = self.env_with(&options.env, &cwd);
        let path = self.find_program(program, &env)?;
        let (status, _) = watch::channel(None);
        let spawned = Arc::new(Spawned {
            command: program.to_string(),
            args: args.iter().map(|s| s.to_string()).collect(),
            stdin: InputChannel::new(),
            stdout: Mutex::new(Listeners::default()),
            stderr: Mutex::new(Listeners::default()),
            exit_listeners: Mutex::new(ExitListeners::default()),
            status,
            next_id: Mutex::new(1),
        });
        if let Some(cb) = options.on_stdout {
            spawned.stdout.lock().list.push((0, cb));
        }
        if let Some(cb) = options.on_stderr {
            spawned.stderr.lock().list.push((0, cb));
        }
        let out = OutputChannel::new(Arc::new(StreamSink { proc: spawned.clone(), err: false }));
        let err = OutputChannel::new(Arc::new(StreamSink { proc: spawned.clone(), err: true }));
        let mut argv = vec![program.to_string()];
        argv.extend(args.iter().map(|s| s.to_string()));
        let s = spawned.clone();
        let opts = KSpawnOptions {
            argv,
            env,
            cwd: Some(cwd),
            fds: vec![
                (0, OpenFile::stream(spawned.stdin.clone(), OFlags::RDONLY)),
                (1, OpenFile::stream(out, OFlags::WRONLY)),
                (2, OpenFile::stream(err, OFlags::WRONLY)),
            ],
            pgroup: Pgroup::New,
            on_exit: Some(Arc::new(move |st| {
                let code = st.code();
                // Listeners first, so that `wait_process` resolves after them.
                let listeners: Vec<_> = {
                    let mut l = s.exit_listeners.lock();
                    l.exited = Some(code);
                    l.list.iter().map(|(_, f)| f.clone()).collect()
                };
                for f in listeners {
                    f(code);
                }
                s.status.send_replace(Some(code));
            })),
        };
        let pid = kernel
            .spawn(None, &path, opts, USER)
            .map_err(|errno| Error::Spawn { program: program.to_string(), errno })?;
        self.inner.spawned.lock().insert(pid, spawned.clone());
        Ok(pid)
    }

    /// `execvp`-style lookup of a program name on the environment's `PATH`.
    fn find_program(&self, program: &str, env: &[(String, String)]) -> Result<String> {
        if program.contains('/') {
            return Ok(program.to_string());
        }
        let kernel = self.alive()?;
        let host = kernel.host_task().map_err(|errno| Error::Sys { errno, syscall: "spawn" })?;
        let path = env.iter().rev().find(|(k, _)| k == "PATH").map(|(_, v)| v.as_str()).unwrap_or("");
        for dir in path.split(':').filter(|d| !d.is_empty()) {
            let cand = format!("{dir}/{program}");
            if host.stat(&cand).is_ok_and(|st| st.is_file()) {
                return Ok(cand);
            }
        }
        Err(Error::Spawn { program: program.to_string(), errno: agentos_kernel::Errno::ENOENT })
    }

    fn spawned(&self, pid: Pid) -> Result<Arc<Spawned>> {
        self.inner.spawned.lock().get(&pid).cloned().ok_or(Error::ProcessNotFound(pid))
    }

    /// Subscribe to a spawned process's stdout. Output written before the
    /// first subscriber (up to 1 MiB) is delivered to it first. Returns a
    /// function that unsubscribes.
    pub fn on_process_stdout(&self, pid: Pid, cb: OutputCallback) -> Result<impl FnOnce() + use<>> {
        self.subscribe(pid, cb, false)
    }

    /// Subscribe to a spawned process's stderr; see
    /// [`AgentOs::on_process_stdout`].
    pub fn on_process_stderr(&self, pid: Pid, cb: OutputCallback) -> Result<impl FnOnce() + use<>> {
        self.subscribe(pid, cb, true)
    }

    fn subscribe(&self, pid: Pid, cb: OutputCallback, err: bool) -> Result<impl FnOnce() + use<>> {
        let s = self.spawned(pid)?;
        let id = {
            let mut n = s.next_id.lock();
            *n += 1;
            *n
        };
        {
            let mut l = if err { s.stderr.lock() } else { s.stdout.lock() };
            if l.list.is_empty() && !l.early.is_empty() {
                cb(&std::mem::take(&mut l.early));
            }
            l.list.push((id, cb));
        }
        Ok(move || {
            let mut l = if err { s.stderr.lock() } else { s.stdout.lock() };
            l.list.retain(|(i, _)| *i != id);
        })
    }

    /// Call `cb` with the exit status when the process exits (at once if it
    /// already has). Returns a function that unsubscribes.
    pub fn on_process_exit(&self, pid: Pid, cb: Arc<dyn Fn(i32) + Send + Sync>) -> Result<impl FnOnce() + use<>> {
        let s = self.spawned(pid)?;
        let id = {
            let mut n = s.next_id.lock();
            *n += 1;
            *n
        };
        let exited = {
            let mut l = s.exit_listeners.lock();
            l.list.push((id, cb.clone()));
            l.exited
        };
        if let Some(code) = exited {
            cb(code);
        }
        Ok(move || s.exit_listeners.lock().list.retain(|(i, _)| *i != id))
    }

    /// Write to a spawned process's stdin.
    pub fn write_process_stdin(&self, pid: Pid, data: &[u8]) -> Result<()> {
        self.alive()?;
        self.spawned(pid)?.stdin.push(data).map_err(|errno| Error::Sys { errno, syscall: "write" })
    }

    /// Close a spawned process's stdin (it reads end of file).
    pub fn close_process_stdin(&self, pid: Pid) -> Result<()> {
        self.spawned(pid)?.stdin.close();
        Ok(())
    }

    /// Send `SIGTERM` (no-op if it has exited).
    pub fn stop_process(&self, pid: Pid) -> Result<()> {
        self.signal_process(pid, Signal::SIGTERM)
    }

    /// Send `SIGKILL` (no-op if it has exited).
    pub fn kill_process(&self, pid: Pid) -> Result<()> {
        self.signal_process(pid, Signal::SIGKILL)
    }

    /// Send any signal to a spawned process (no-op if it has exited).
    pub fn signal_process(&self, pid: Pid, sig: Signal) -> Result<()> {
        let kernel = self.alive()?;
        let s = self.spawned(pid)?;
        if s.status.borrow().is_none() {
            let _ = kernel.kill(None, pid, sig.0);
        }
        Ok(())
    }

    /// Wait for a spawned process to exit; returns its exit status.
    pub async fn wait_process(&self, pid: Pid) -> Result<i32> {
        let s = self.spawned(pid)?;
        let mut rx = s.status.subscribe();
        loop {
            if let Some(code) = *rx.borrow_and_update() {
                return Ok(code);
            }
            if rx.changed().await.is_err() {
                return Err(Error::Disposed);
            }
        }
    }

    /// Processes started with [`AgentOs::spawn`], exited ones included.
    pub fn list_processes(&self) -> Vec<SpawnedProcessInfo> {
        let map = self.inner.spawned.lock();
        let mut v: Vec<_> = map
            .iter()
            .map(|(pid, s)| {
                let code = *s.status.borrow();
                SpawnedProcessInfo {
                    pid: *pid,
                    command: s.command.clone(),
                    args: s.args.clone(),
                    running: code.is_none(),
                    exit_code: code,
                }
            })
            .collect();
        v.sort_by_key(|p| p.pid);
        v
    }

    /// One spawned process (`ProcessNotFound` if unknown).
    pub fn get_process(&self, pid: Pid) -> Result<SpawnedProcessInfo> {
        self.list_processes().into_iter().find(|p| p.pid == pid).ok_or(Error::ProcessNotFound(pid))
    }

    /// Every process in the kernel's table (zombies included).
    pub fn all_processes(&self) -> Vec<ProcessInfo> {
        self.inner
            .kernel
            .processes()
            .into_iter()
            .map(|p| {
                let st = p.state.lock();
                ProcessInfo {
                    pid: p.pid,
                    ppid: st.ppid,
                    pgid: st.pgid,
                    sid: st.sid,
                    driver: st.driver.to_string(),
                    command: st.argv.first().cloned().unwrap_or_default(),
                    args: st.argv.iter().skip(1).cloned().collect(),
                    cwd: st.cwd.clone(),
                    running: st.status.is_none(),
                    exit_code: st.status.map(|s| s.code()),
                    start_time_ms: st.start_time.as_millis_f64(),
                }
            })
            .collect()
    }

    /// [`AgentOs::all_processes`] nested by parent.
    pub fn process_tree(&self) -> Vec<ProcessTreeNode> {
        let all = self.all_processes();
        fn build(all: &[ProcessInfo], ppid: Pid) -> Vec<ProcessTreeNode> {
            all.iter()
                .filter(|p| p.ppid == ppid)
                .map(|p| ProcessTreeNode { info: p.clone(), children: build(all, p.pid) })
                .collect()
        }
        let pids: std::collections::HashSet<Pid> = all.iter().map(|p| p.pid).collect();
        let mut roots = Vec::new();
        for p in all.iter().filter(|p| !pids.contains(&p.ppid)) {
            roots.push(ProcessTreeNode { info: p.clone(), children: build(&all, p.pid) });
        }
        roots
    }
}
