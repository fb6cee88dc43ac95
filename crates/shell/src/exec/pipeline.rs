//! Pipelines and everything else that needs a child shell: subshells,
//! background jobs, command and process substitution. There is no `fork`:
//! a child shell is a kernel process running a closure that owns a deep
//! clone of this shell's state ([`Shell::fork`]).

use std::sync::Arc;

use agentos_kernel::abi::{Errno, Fd, OFlags, Pid, WaitStatus};
use agentos_kernel::file::OpenFile;
use agentos_kernel::task::WaitTarget;
use agentos_kernel::{KResult, SpawnOptions, Task};
use brush_parser::ast;

use super::SrcKind;
use crate::state::{Ctl, Res, Shell};

/// Descriptor set handed to a child.
pub type Fds = Vec<(Fd, Arc<OpenFile>)>;

/// Replace or add descriptor `fd` in a child's set.
pub fn set_fd(fds: &mut Fds, fd: Fd, f: Arc<OpenFile>) {
    match fds.iter_mut().find(|(n, _)| *n == fd) {
        Some(slot) => slot.1 = f,
        None => fds.push((fd, f)),
    }
}

/// A pipe as two open files, without descriptors in our table.
pub fn make_pipe(t: &Task) -> KResult<(Arc<OpenFile>, Arc<OpenFile>)> {
    let (r, w) = t.pipe(OFlags::CLOEXEC)?;
    let files = (t.file(r), t.file(w));
    let _ = t.close(r);
    let _ = t.close(w);
    Ok((files.0?, files.1?))
}

impl Shell {
    /// The descriptors a child inherits: every open one not marked
    /// close-on-exec.
    pub fn child_fds(&self, t: &Task) -> Fds {
        let table = t.process().fds.lock();
        table
            .fds()
            .into_iter()
            .filter(|fd| !table.cloexec(*fd).unwrap_or(true))
            .filter_map(|fd| table.get(fd).ok().map(|f| (fd, f)))
            .collect()
    }

    /// Start a child shell running `f` with a copy of this shell.
    pub fn fork(
        &mut self,
        t: &Task,
        fds: Fds,
        f: impl FnOnce(&mut Shell, &mut Task) -> Res + Send + 'static,
    ) -> KResult<Pid> {
        let mut child = self.clone();
        child.subshell += 1;
        child.jobs.clear();
        child.traps.retain(|k, v| *k > 0 && v.is_empty());
        let env = self.vars.environ();
        let opts = SpawnOptions {
            argv: vec!["bash".into()],
            env,
            cwd: None,
            fds,
            pgroup: self.child_pgroup(),
            ..Default::default()
        };
        child.jc = None;
        let pid = t.spawn_fn(
            opts,
            Box::new(move |task: &mut Task| {
                let r = f(&mut child, task);
                child.finish(task, r)
            }),
        )?;
        self.note_child(t, pid);
        Ok(pid)
    }

    /// The exit status a shell ends with for a final result, after its
    /// EXIT trap.
    pub fn finish(&mut self, t: &mut Task, r: Res) -> i32 {
        let status = match r {
            Ok(s) | Err(Ctl::Exit(s)) | Err(Ctl::Abort(s)) | Err(Ctl::Return(s)) => s,
            Err(Ctl::Fatal) => self.fatal_status(),
            Err(Ctl::Break(_)) | Err(Ctl::Continue(_)) => self.status,
        };
        self.run_exit_trap(t, status) & 0xff
    }

    /// Wait for a child; its `$?`-style status.
    pub fn wait_child(&mut self, t: &mut Task, pid: Pid) -> i32 {
        if let Some(code) = self.jc_wait(t, pid) {
            self.jobs.retain(|p| *p != pid);
            return code;
        }
        loop {
            match t.waitpid(WaitTarget::Pid(pid), false) {
                Ok(Some((_, st))) => {
                    self.jobs.retain(|p| *p != pid);
                    return status_code(st);
                }
                Ok(None) => continue,
                Err(Errno::EINTR) => {
                    let _ = self.run_pending_traps(t);
                    continue;
                }
                Err(_) => return 127,
            }
        }
    }

    /// A pipeline: every member runs in a child, connected by pipes.
    pub fn exec_pipeline(&mut self, t: &mut Task, p: &ast::Pipeline) -> Res {
        if let Some(timed) = &p.timed {
            let start = t.monotonic();
            let r = self.exec_pipeline_untimed(t, p);
            let ns = (t.monotonic().as_nanos() - start.as_nanos()).max(0);
            let secs = ns as f64 / 1e9;
            let text = if timed.is_posix_output() {
                format!("real {secs:.2}\nuser 0.00\nsys 0.00\n")
            } else {
                let m = (secs / 60.0).floor();
                format!("\nreal\t{m}m{:.3}s\nuser\t0m0.000s\nsys\t0m0.000s\n", secs - m * 60.0)
            };
            let _ = t.write_all(2, text.as_bytes());
            return r;
        }
        self.exec_pipeline_untimed(t, p)
    }

    fn exec_pipeline_untimed(&mut self, t: &mut Task, p: &ast::Pipeline) -> Res {
        // With job control each pipeline is a job of its own.
        let owned = self.begin_fg_job();
        if owned && let Some(fg) = self.jc.as_mut().and_then(|j| j.fg.as_mut()) {
            fg.cmd = Some(p.to_string());
        }
        let r = self.exec_pipeline_members(t, p);
        if owned {
            self.end_fg_job(t);
        }
        r
    }

    fn exec_pipeline_members(&mut self, t: &mut Task, p: &ast::Pipeline) -> Res {
        if p.seq.len() == 1 {
            let status = self.exec_command(t, &p.seq[0])?;
            self.vars.set_array("PIPESTATUS", vec![status.to_string()]);
            return Ok(if p.bang { (status == 0) as i32 } else { status });
        }
        let n = p.seq.len();
        let base = self.child_fds(t);
        let mut pids = Vec::with_capacity(n);
        let mut prev_read: Option<Arc<OpenFile>> = None;
        for (i, cmd) in p.seq.iter().enumerate() {
            let mut fds = base.clone();
            if let Some(r) = prev_read.take() {
                set_fd(&mut fds, 0, r);
            }
            if i + 1 < n {
                match make_pipe(t) {
                    Ok((r, w)) => {
                        set_fd(&mut fds, 1, w);
                        prev_read = Some(r);
                    }
                    Err(e) => {
                        self.error(t, &format!("pipe error: {}", e.strerror()));
                        break;
                    }
                }
            }
            let cmd = cmd.clone();
            match self.fork(t, fds, move |sh, task| sh.exec_command(task, &cmd)) {
                Ok(pid) => pids.push(pid),
                Err(e) => {
                    self.error(t, &format!("fork: {}", e.strerror()));
                    break;
                }
            }
        }
        drop(prev_read);
        drop(base);
        let mut statuses = Vec::with_capacity(pids.len());
        for pid in pids {
            statuses.push(self.wait_child(t, pid));
        }
        self.vars.set_array("PIPESTATUS", statuses.iter().map(|s| s.to_string()).collect());
        let mut status = statuses.last().copied().unwrap_or(1);
        if self.opts.pipefail
            && let Some(s) = statuses.iter().rev().find(|s| **s != 0)
        {
            status = *s;
        }
        Ok(if p.bang { (status == 0) as i32 } else { status })
    }

    /// `( list )`.
    pub fn run_subshell(&mut self, t: &mut Task, list: &ast::CompoundList) -> Res {
        let list = list.clone();
        let fds = self.child_fds(t);
        match self.fork(t, fds, move |sh, task| sh.exec_list(task, &list)) {
            Ok(pid) => Ok(self.wait_child(t, pid)),
            Err(e) => {
                self.error(t, &format!("fork: {}", e.strerror()));
                Ok(1)
            }
        }
    }

    /// `cmd &`.
    pub fn spawn_background(&mut self, t: &mut Task, ao: &ast::AndOrList) -> Result<(), Ctl> {
        let ao_text = ao.to_string();
        let ao = ao.clone();
        let mut fds = self.child_fds(t);
        // Without job control a background job must not read the
        // terminal; with it, reading stops the job (SIGTTIN) instead.
        if self.jc.is_none()
            && let Ok(null) = t.open_file("/dev/null", OFlags::RDONLY, 0)
        {
            set_fd(&mut fds, 0, null);
        }
        if let Some(jc) = &mut self.jc {
            jc.background = true;
        }
        let r = self.fork(t, fds, move |sh, task| sh.exec_and_or(task, &ao));
        if let Some(jc) = &mut self.jc {
            jc.background = false;
        }
        match r {
            Ok(pid) => {
                self.jobs.push(pid);
                self.last_bg = Some(pid);
                self.note_background(t, pid, &ao_text);
            }
            Err(e) => self.error(t, &format!("fork: {}", e.strerror())),
        }
        Ok(())
    }

    /// `$(cmd)`: run `cmd` in a child and capture its output, minus
    /// trailing newlines. Sets `$?`.
    pub fn command_subst(&mut self, t: &mut Task, cmd: &str) -> Result<String, Ctl> {
        if let Some(file) = read_shortcut(cmd) {
            return self.read_subst(t, file);
        }
        let (r, w) = match make_pipe(t) {
            Ok(p) => p,
            Err(e) => {
                self.error(t, &format!("pipe error: {}", e.strerror()));
                return Err(Ctl::Abort(1));
            }
        };
        let mut fds = self.child_fds(t);
        set_fd(&mut fds, 1, w);
        let text = cmd.to_string();
        let base = self.lineno.saturating_sub(1);
        let pid = self.fork(t, fds, move |sh, task| {
            sh.line_base = base;
            // bash does not pass `set -e` into command substitutions.
            sh.opts.errexit = false;
            sh.xtrace_depth += 1;
            sh.run_text(task, &text, SrcKind::Eval)
        });
        let out = match t.install(r, true) {
            Ok(fd) => {
                let data = t.read_to_end(fd).unwrap_or_default();
                let _ = t.close(fd);
                data
            }
            Err(_) => Vec::new(),
        };
        if let Ok(pid) = pid {
            let st = self.wait_child(t, pid);
            self.status = st;
            self.subst_status = Some(st);
        }
        let mut s = String::from_utf8_lossy(&out).into_owned();
        while s.ends_with('\n') {
            s.pop();
        }
        Ok(s)
    }

    /// `$(< file)`: the file's contents, without a child.
    fn read_subst(&mut self, t: &mut Task, file: &str) -> Result<String, Ctl> {
        let path = self.expand_str(t, file)?;
        match crate::exec::command::read_file(t, &path) {
            Ok(mut s) => {
                while s.ends_with('\n') {
                    s.pop();
                }
                self.subst_status = Some(0);
                Ok(s)
            }
            Err(e) => {
                self.error(t, &format!("{path}: {}", e.strerror()));
                self.subst_status = Some(1);
                self.status = 1;
                Ok(String::new())
            }
        }
    }

    /// `<(list)` / `>(list)`: a child connected by a pipe whose other end
    /// is installed here; returns the `/dev/fd/N` path.
    pub fn process_subst(
        &mut self,
        t: &mut Task,
        kind: &ast::ProcessSubstitutionKind,
        list: &ast::CompoundList,
    ) -> Result<String, Ctl> {
        let (r, w) = make_pipe(t).map_err(|_| Ctl::Abort(1))?;
        let mut fds = self.child_fds(t);
        let (child_end, ours, child_fd) = match kind {
            ast::ProcessSubstitutionKind::Read => (w, r, 1),
            ast::ProcessSubstitutionKind::Write => (r, w, 0),
        };
        set_fd(&mut fds, child_fd, child_end);
        let list = list.clone();
        let pid = self.fork(t, fds, move |sh, task| sh.exec_list(task, &list)).map_err(|_| Ctl::Abort(1))?;
        self.jobs.push(pid);
        let tmp = t.install(ours, true).map_err(|_| Ctl::Abort(1))?;
        let fd = t.dup_min(tmp, 63, false).map_err(|_| Ctl::Abort(1))?;
        let _ = t.close(tmp);
        self.procsub_fds.push(fd);
        Ok(format!("/dev/fd/{fd}"))
    }

    /// Close the descriptors of finished process substitutions.
    pub fn close_procsubs(&mut self, t: &Task) {
        for fd in self.procsub_fds.drain(..) {
            let _ = t.close(fd);
        }
    }
}

/// The file of `$(< file)`, if `cmd` is exactly that.
fn read_shortcut(cmd: &str) -> Option<&str> {
    let rest = cmd.trim().strip_prefix('<')?.trim();
    let simple = !rest.is_empty()
        && !rest.contains(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '<' | '>' | '(' | ')'));
    simple.then_some(rest)
}

/// `$?` for a wait status.
pub fn status_code(st: WaitStatus) -> i32 {
    st.code()
}
