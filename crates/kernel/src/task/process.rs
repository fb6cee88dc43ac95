//! Process calls: spawning (`posix_spawn`, and closures as the native
//! `fork`), `execve`, `waitpid`, `kill`, process groups.

use super::{Task, Unwind};
use crate::abi::{Errno, KResult, Pid, WaitEvent, WaitStatus};
use crate::exec::{Image, Program};
use crate::kernel::SpawnOptions;

/// Which children `waitpid` waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitTarget {
    Any,
    Pid(Pid),
    Group(Pid),
}

/// `waitpid` flags beyond the target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitOptions {
    /// `WNOHANG`: return `Ok(None)` instead of waiting.
    pub nohang: bool,
    /// `WUNTRACED`: also report children that stopped.
    pub untraced: bool,
    /// `WCONTINUED`: also report children continued by SIGCONT.
    pub continued: bool,
}

impl Task {
    /// Start the executable at `path` as a child (`posix_spawn`). The child
    /// gets exactly the descriptors in `opts.fds`. Fails with `execve`'s
    /// errors (`ENOENT`, `EACCES`, `ENOEXEC`) or `EAGAIN` at the process
    /// limit.
    pub fn spawn(&self, path: &str, opts: SpawnOptions) -> KResult<Pid> {
        self.kernel.spawn(Some(self), path, opts, self.cred())
    }

    /// Start a child running `f` on its own thread: the native programs'
    /// `fork`. `f` owns whatever state it captured (a copy of the parent's).
    pub fn spawn_fn(&self, opts: SpawnOptions, f: Box<dyn FnOnce(&mut Task) -> i32 + Send>) -> KResult<Pid> {
        self.kernel.spawn_fn(Some(self), opts, self.cred(), f)
    }

    /// `execve(2)`: replace this process's program. Returns only on error;
    /// on success the current program is unwound and the new one runs in
    /// this process (same pid, descriptors minus close-on-exec ones).
    pub fn exec(&self, path: &str, argv: Vec<String>, mut env: Vec<(String, String)>) -> Errno {
        if let Err(e) = self.permit_spawn(path, &mut env) {
            return e;
        }
        match self.load_image(path, argv) {
            Ok(img) => {
                let mut img = img;
                img.env = env;
                std::panic::resume_unwind(Box::new(Unwind::Exec(img)))
            }
            Err(e) => e,
        }
    }

    /// Apply a successful `exec`: new argv and environment, close-on-exec
    /// descriptors closed, caught signals reset to default.
    pub(crate) fn commit_exec(&mut self, img: Image) -> Box<dyn Program> {
        let env = img.env;
        let dropped = self.proc.fds.lock().close_on_exec();
        drop(dropped);
        {
            let mut st = self.proc.state.lock();
            st.argv = img.argv.clone();
            st.env = env.clone();
            st.driver = img.program.driver();
            if let Some(t) = self.kernel.vfs.tier_of(&img.path) {
                st.tier = t;
            }
            for a in st.sig.actions.iter_mut() {
                if *a == crate::abi::SigAction::Catch {
                    *a = crate::abi::SigAction::Default;
                }
            }
            st.sig.pending = 0;
        }
        self.argv = img.argv;
        self.env = env;
        img.program
    }

    /// `waitpid(2)`. With `nohang`, `Ok(None)` if no matching child has
    /// exited yet. `ECHILD` if no child matches.
    pub fn waitpid(&self, target: WaitTarget, nohang: bool) -> KResult<Option<(Pid, WaitStatus)>> {
        loop {
            let opts = WaitOptions { nohang, ..Default::default() };
            match self.waitpid_opts(target, opts)? {
                None => return Ok(None),
                Some((pid, WaitEvent::Exited(st))) => return Ok(Some((pid, st))),
                // Not asked for; cannot happen without the flags.
                Some(_) => continue,
            }
        }
    }

    /// `waitpid(2)` with `WUNTRACED`/`WCONTINUED`: reports stops and
    /// continues as well as exits. Only exits reap the child.
    pub fn waitpid_opts(&self, target: WaitTarget, opts: WaitOptions) -> KResult<Option<(Pid, WaitEvent)>> {
        let mut reg: Option<crate::wait::Registration<'_>> = None;
        loop {
            let seen = self.proc.waiter.generation();
            if let Some(r) = self.try_reap(target, opts)? {
                return Ok(Some(r));
            }
            if opts.nohang {
                return Ok(None);
            }
            if reg.is_none() {
                let mut r = crate::wait::Registration::new(&self.proc.waiter);
                r.add(&self.proc.child_wq);
                reg = Some(r);
                continue;
            }
            self.check_signals(true)?;
            self.proc.waiter.wait(seen, None);
        }
    }

    fn try_reap(&self, target: WaitTarget, opts: WaitOptions) -> KResult<Option<(Pid, WaitEvent)>> {
        let mut table = self.kernel.procs.lock();
        let children = self.proc.state.lock().children.clone();
        let mut matched = false;
        for c in children {
            let Some(cp) = table.get(c) else { continue };
            let mut s = cp.state.lock();
            let ok = match target {
                WaitTarget::Any => true,
                WaitTarget::Pid(p) => p == c,
                WaitTarget::Group(g) => g == s.pgid,
            };
            if !ok {
                continue;
            }
            matched = true;
            if let Some(st) = s.status {
                drop(s);
                table.map.remove(&c);
                self.proc.state.lock().children.retain(|x| *x != c);
                return Ok(Some((c, WaitEvent::Exited(st))));
            }
            if opts.untraced
                && let Some(sig) = s.sig.stopped
                && !s.sig.stop_reported
            {
                s.sig.stop_reported = true;
                return Ok(Some((c, WaitEvent::Stopped(sig))));
            }
            if opts.continued && s.sig.continued {
                s.sig.continued = false;
                return Ok(Some((c, WaitEvent::Continued)));
            }
        }
        if matched { Ok(None) } else { Err(Errno::ECHILD) }
    }

    /// `kill(2)`: see [`crate::Kernel::kill`] for `pid`'s forms.
    pub fn kill(&self, pid: Pid, sig: i32) -> KResult<()> {
        self.kernel.kill(Some(self.pid()), pid, sig)?;
        // A signal to ourselves takes effect before kill returns.
        self.check_signals(false)
    }

    /// `setpgid(2)` (`pid` 0 = self, `pgid` 0 = `pid`).
    pub fn setpgid(&self, pid: Pid, pgid: Pid) -> KResult<()> {
        let pid = if pid == 0 { self.pid() } else { pid };
        let pgid = if pgid == 0 { pid } else { pgid };
        if pgid < 0 {
            return Err(Errno::EINVAL);
        }
        let p = if pid == self.pid() { self.proc.clone() } else { self.kernel.process(pid).ok_or(Errno::ESRCH)? };
        let mut st = p.state.lock();
        if pid != self.pid() && st.ppid != self.pid() {
            return Err(Errno::ESRCH);
        }
        st.pgid = pgid;
        Ok(())
    }
}
