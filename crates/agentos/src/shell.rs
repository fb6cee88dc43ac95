//! Interactive shells on pseudo-terminals: `open_shell`, `write_shell`,
//! `on_shell_data`, `resize_shell`, `close_shell`, `wait_shell`.
//!
//! Analogue: a terminal emulator (or `sshd`) driving a login shell. Each
//! shell is a kernel pty pair: the program (by default the VM's `bash`,
//! interactive because its stdin is a terminal) runs on the slave as a
//! session leader with the slave as its controlling terminal; the API
//! writes keystrokes to the master; a tiny native "pty reader" process in
//! the VM blocks on the master and hands output bytes to the subscribers,
//! so the host needs no thread of its own. Bytes out are exactly what a
//! terminal would receive (echo, `\r\n`, prompts, escape sequences).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use agentos_kernel::abi::{Errno, OFlags, WaitStatus};
use agentos_kernel::file::termios::Winsize;
use agentos_kernel::file::{OpenFile, Pty, PtyMaster, Stream};
use agentos_kernel::{Pgroup, SpawnOptions as KSpawnOptions};
use parking_lot::Mutex;
use tokio::sync::watch;

use crate::error::{Error, Result};
use crate::process::OutputCallback;
use crate::vm::{AgentOs, USER, set_env};

/// A shell's id, like `shell-1`.
pub type ShellId = String;

/// Options of [`AgentOs::open_shell`].
#[derive(Clone, Debug, Default)]
pub struct OpenShellOptions {
    /// The program (found on `PATH`; default `bash`, interactive).
    pub command: Option<String>,
    /// Its arguments.
    pub args: Vec<String>,
    /// Extra environment variables (over the VM's; `TERM` defaults to
    /// `xterm-256color`).
    pub env: Vec<(String, String)>,
    /// Working directory (default: the VM's).
    pub cwd: Option<String>,
    /// Terminal width (default 80).
    pub cols: Option<u16>,
    /// Terminal height (default 24).
    pub rows: Option<u16>,
}

/// Output bytes waiting for the first subscriber are kept up to this.
const EARLY_CAP: usize = 1 << 20;

#[derive(Default)]
struct Listeners {
    next: u64,
    list: Vec<(u64, OutputCallback)>,
    early: Vec<u8>,
}

struct ShellEntry {
    pty: Arc<Pty>,
    /// The API's handle on the master; `None` once closed.
    master: Mutex<Option<Arc<PtyMaster>>>,
    listeners: Mutex<Listeners>,
    /// The program's exit code once it exited.
    status: watch::Sender<Option<i32>>,
    /// Whether the reader has delivered every byte.
    drained: watch::Sender<bool>,
}

impl ShellEntry {
    fn emit(&self, data: &[u8]) {
        let cbs: Vec<OutputCallback> = {
            let mut l = self.listeners.lock();
            if l.list.is_empty() {
                let room = EARLY_CAP.saturating_sub(l.early.len());
                l.early.extend_from_slice(&data[..data.len().min(room)]);
                return;
            }
            l.list.iter().map(|(_, f)| f.clone()).collect()
        };
        for cb in cbs {
            cb(data);
        }
    }
}

/// The shells of one VM.
#[derive(Default)]
pub(crate) struct Shells {
    next: AtomicU64,
    map: Mutex<HashMap<String, Arc<ShellEntry>>>,
}

impl AgentOs {
    fn shell(&self, id: &str) -> Result<Arc<ShellEntry>> {
        self.inner.shells.map.lock().get(id).cloned().ok_or_else(|| Error::ShellNotFound(id.to_string()))
    }

    /// Open an interactive shell (or `options.command`) on a new
    /// pseudo-terminal. Returns its id (`shell-1`, `shell-2`, …).
    pub fn open_shell(&self, options: OpenShellOptions) -> Result<ShellId> {
        let kernel = self.alive()?.clone();
        let cwd = options.cwd.clone().unwrap_or_else(|| self.inner.cwd.clone());
        if !cwd.starts_with('/') {
            return Err(Error::RelativePath(cwd));
        }
        let mut env = self.inner.env.clone();
        set_env(&mut env, "PWD", &cwd);
        for (k, v) in &options.env {
            set_env(&mut env, k, v);
        }
        let command = options.command.clone().unwrap_or_else(|| "bash".to_string());
        let path = self.find_on_path(&command, &env)?;
        let (master, slave) = kernel.new_pty().map_err(|errno| Error::Sys { errno, syscall: "openpty" })?;
        let pty = master.pty().clone();
        pty.set_winsize(Winsize {
            rows: options.rows.unwrap_or(24),
            cols: options.cols.unwrap_or(80),
            xpixel: 0,
            ypixel: 0,
        });
        let entry = Arc::new(ShellEntry {
            pty: pty.clone(),
            master: Mutex::new(Some(master.clone())),
            listeners: Mutex::new(Listeners::default()),
            status: watch::channel(None).0,
            drained: watch::channel(false).0,
        });

        // The pty reader: blocks on the master inside the VM and forwards
        // output until the terminal is gone (EIO).
        let reader_entry = entry.clone();
        let done_entry = entry.clone();
        let master_file: Arc<dyn Stream> = master;
        let reader = KSpawnOptions {
            argv: vec!["pty-reader".into()],
            fds: vec![(0, OpenFile::stream(master_file, OFlags::RDONLY))],
            pgroup: Pgroup::New,
            on_exit: Some(Arc::new(move |_| {
                done_entry.drained.send_replace(true);
            })),
            ..Default::default()
        };
        kernel
            .spawn_fn(
                None,
                reader,
                USER,
                Box::new(move |t| {
                    let mut buf = vec![0u8; 16 * 1024];
                    loop {
                        match t.read(0, &mut buf) {
                            Ok(0) | Err(Errno::EIO) | Err(Errno::EBADF) => return 0,
                            Ok(n) => reader_entry.emit(&buf[..n]),
                            Err(Errno::EINTR) => continue,
                            Err(_) => return 1,
                        }
                    }
                }),
            )
            .map_err(|errno| Error::Spawn { program: "pty-reader".into(), errno })?;

        // The program: a session leader whose controlling terminal is the
        // slave and whose group is in the foreground, like login(1) sets
        // up, then exec.
        let mut argv = vec![command.clone()];
        argv.extend(options.args.iter().cloned());
        let exit_entry = entry.clone();
        let slave_file: Arc<dyn Stream> = slave;
        let sf = OpenFile::stream(slave_file, OFlags::RDWR);
        let prog_env = env.clone();
        let opts = KSpawnOptions {
            argv: argv.clone(),
            env,
            cwd: Some(cwd),
            fds: vec![(0, sf.clone()), (1, sf.clone()), (2, sf)],
            pgroup: Pgroup::New,
            on_exit: Some(Arc::new(move |st: WaitStatus| {
                exit_entry.status.send_replace(Some(st.code()));
                // The terminal closes with its program, as an emulator's
                // does: the reader drains what is left and stops.
                exit_entry.pty.hangup();
            })),
        };
        let spawned = kernel.spawn_fn(
            None,
            opts,
            USER,
            Box::new(move |t| {
                let _ = t.set_ctty(0);
                let _ = t.tcsetpgrp(0, t.pid());
                let e = t.exec(&path, argv, prog_env);
                let name = t.argv.first().cloned().unwrap_or_default();
                let _ = t.write_all(2, format!("{name}: {}\r\n", e.strerror()).as_bytes());
                if e == Errno::ENOENT { 127 } else { 126 }
            }),
        );
        if let Err(errno) = spawned {
            pty.hangup();
            return Err(Error::Spawn { program: command, errno });
        }
        let id = format!("shell-{}", self.inner.shells.next.fetch_add(1, Ordering::Relaxed) + 1);
        self.inner.shells.map.lock().insert(id.clone(), entry);
        Ok(id)
    }

    /// `execvp`-style lookup of `program` on the environment's `PATH`.
    fn find_on_path(&self, program: &str, env: &[(String, String)]) -> Result<String> {
        if program.contains('/') {
            return Ok(program.to_string());
        }
        let host = self.alive()?.host_task().map_err(|errno| Error::Sys { errno, syscall: "spawn" })?;
        let path = env.iter().rev().find(|(k, _)| k == "PATH").map(|(_, v)| v.as_str()).unwrap_or("");
        path.split(':')
            .filter(|d| !d.is_empty())
            .map(|d| format!("{d}/{program}"))
            .find(|c| host.stat(c).is_ok_and(|st| st.is_file()))
            .ok_or_else(|| Error::Spawn { program: program.to_string(), errno: Errno::ENOENT })
    }

    /// Type `data` into the shell's terminal. `EIO` once it is closed.
    pub fn write_shell(&self, id: &str, data: impl AsRef<[u8]>) -> Result<()> {
        let s = self.shell(id)?;
        let master = s.master.lock().clone().ok_or(Error::Sys { errno: Errno::EIO, syscall: "write" })?;
        let mut data = data.as_ref();
        let mut waits = 0;
        while !data.is_empty() {
            match master.try_write(data) {
                Ok(n) => data = &data[n..],
                // The program has not read what was typed yet: give it a
                // moment, as a terminal's input queue would.
                Err(Errno::EAGAIN) if waits < 2000 => {
                    waits += 1;
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(errno) => return Err(Error::Sys { errno, syscall: "write" }),
            }
        }
        Ok(())
    }

    /// Subscribe to the terminal's output. Output produced before the first
    /// subscriber (up to 1 MiB) is delivered to it first. Returns a
    /// function that unsubscribes.
    pub fn on_shell_data(&self, id: &str, cb: OutputCallback) -> Result<impl FnOnce() + use<>> {
        let s = self.shell(id)?;
        let key = {
            let mut l = s.listeners.lock();
            l.next += 1;
            let key = l.next;
            if l.list.is_empty() && !l.early.is_empty() {
                cb(&std::mem::take(&mut l.early));
            }
            l.list.push((key, cb));
            key
        };
        Ok(move || s.listeners.lock().list.retain(|(k, _)| *k != key))
    }

    /// Change the terminal's size; the foreground job gets SIGWINCH.
    pub fn resize_shell(&self, id: &str, cols: u16, rows: u16) -> Result<()> {
        let s = self.shell(id)?;
        s.pty.set_winsize(Winsize { rows, cols, xpixel: 0, ypixel: 0 });
        Ok(())
    }

    /// Close the terminal: the shell and its foreground job get SIGHUP.
    /// [`AgentOs::wait_shell`] still reports how it ended.
    pub fn close_shell(&self, id: &str) -> Result<()> {
        let s = self.shell(id)?;
        let master = s.master.lock().take();
        s.pty.hangup();
        drop(master);
        Ok(())
    }

    /// Wait until the shell's program exits and its output has been
    /// delivered; its exit status (code, or 128 + signal).
    pub async fn wait_shell(&self, id: &str) -> Result<i32> {
        let s = self.shell(id)?;
        let mut status = s.status.subscribe();
        let code = match status.wait_for(|st| st.is_some()).await {
            Ok(st) => st.unwrap_or(128 + 9),
            Err(_) => 128 + 9,
        };
        let mut drained = s.drained.subscribe();
        let _ = drained.wait_for(|d| *d).await;
        Ok(code)
    }
}
