//! Terminal calls: `openpty`, `tcgetattr`/`tcsetattr`, window size,
//! `tcgetpgrp`/`tcsetpgrp`, `setsid`, the controlling terminal
//! (`TIOCSCTTY`, `/dev/tty`) and the job-control check that stops a
//! background process reading its terminal (SIGTTIN).
//!
//! Analogue: Linux `drivers/tty/tty_io.c` (ioctls) and `tty_jobctrl.c`.

use std::sync::Arc;

use super::Task;
use crate::abi::{Errno, Fd, KResult, OFlags, Pid, SigAction, Signal};
use crate::file::termios::{SetWhen, Termios, Winsize};
use crate::file::{OpenFile, Pty, PtyMaster, PtySlave, Stream};

/// The pty behind a stream, and whether the stream is its master.
pub(crate) fn pty_of_stream(s: &Arc<dyn Stream>) -> Option<(Arc<Pty>, bool)> {
    let any = s.clone().as_any_arc();
    match any.downcast::<PtySlave>() {
        Ok(sl) => Some((sl.pty().clone(), false)),
        Err(any) => any.downcast::<PtyMaster>().ok().map(|m| (m.pty().clone(), true)),
    }
}

impl Task {
    /// The pty behind `fd` (`EBADF`, `ENOTTY`).
    fn pty_of(&self, fd: Fd) -> KResult<(Arc<Pty>, bool)> {
        let f = self.file(fd)?;
        f.stream_ref().and_then(pty_of_stream).ok_or(Errno::ENOTTY)
    }

    /// `openpty(3)`: a new pseudo-terminal; returns (master, slave)
    /// descriptors. A session leader without a controlling terminal gets
    /// this one.
    pub fn openpty(&self) -> KResult<(Fd, Fd)> {
        let (m, s) = self.kernel.new_pty()?;
        let pty = m.pty().clone();
        let mf = OpenFile::stream(m, OFlags::RDWR);
        let sf = OpenFile::stream(s, OFlags::RDWR);
        let mfd = self.install(mf, false)?;
        let sfd = match self.install(sf, false) {
            Ok(fd) => fd,
            Err(e) => {
                let _ = self.close(mfd);
                return Err(e);
            }
        };
        self.maybe_acquire(&pty, OFlags::RDWR);
        Ok((mfd, sfd))
    }

    /// Open the slave `/dev/pts/<index>` (`ENOENT` if there is none,
    /// `EIO` once hung up).
    pub(crate) fn open_pts(&self, index: u32, flags: OFlags) -> KResult<Arc<OpenFile>> {
        let pty = self.kernel.pty(index).ok_or(Errno::ENOENT)?;
        let s = pty.open_slave()?;
        self.maybe_acquire(&pty, flags);
        Ok(OpenFile::stream(s, flags))
    }

    /// Open `/dev/tty`: the controlling terminal (`ENXIO` if none).
    pub(crate) fn open_ctty(&self, flags: OFlags) -> KResult<Arc<OpenFile>> {
        let pty = self.proc.state.lock().ctty.clone().ok_or(Errno::ENXIO)?;
        Ok(OpenFile::stream(pty.open_slave()?, flags))
    }

    /// A session leader without a controlling terminal acquires the first
    /// terminal it opens (unless `O_NOCTTY`), as on Linux.
    fn maybe_acquire(&self, pty: &Arc<Pty>, flags: OFlags) {
        if flags.contains(OFlags::NOCTTY) || self.pid() == crate::kernel::INIT {
            return;
        }
        let mut st = self.proc.state.lock();
        if st.sid == self.pid() && st.ctty.is_none() && pty.acquire(st.sid, st.pgid) {
            st.ctty = Some(pty.clone());
        }
    }

    /// `ioctl(TIOCSCTTY)`: make the terminal at `fd` this session's
    /// controlling terminal. `EPERM` unless the caller leads a session
    /// that has none and the terminal belongs to no other session.
    pub fn set_ctty(&self, fd: Fd) -> KResult<()> {
        let (pty, _) = self.pty_of(fd)?;
        let mut st = self.proc.state.lock();
        if st.sid != self.pid() {
            return Err(Errno::EPERM);
        }
        if st.ctty.as_ref().is_some_and(|c| Arc::ptr_eq(c, &pty)) {
            return Ok(());
        }
        if st.ctty.is_some() || !pty.acquire(st.sid, st.pgid) {
            return Err(Errno::EPERM);
        }
        st.ctty = Some(pty);
        Ok(())
    }

    /// `tcgetattr(3)` (`ENOTTY` if `fd` is not a terminal).
    pub fn tcgetattr(&self, fd: Fd) -> KResult<Termios> {
        Ok(self.pty_of(fd)?.0.termios())
    }

    /// `tcsetattr(3)`.
    pub fn tcsetattr(&self, fd: Fd, when: SetWhen, t: &Termios) -> KResult<()> {
        self.pty_of(fd)?.0.set_termios(*t, when);
        Ok(())
    }

    /// `ioctl(TIOCGWINSZ)`.
    pub fn get_winsize(&self, fd: Fd) -> KResult<Winsize> {
        Ok(self.pty_of(fd)?.0.winsize())
    }

    /// `ioctl(TIOCSWINSZ)`: SIGWINCH to the foreground group on change.
    pub fn set_winsize(&self, fd: Fd, ws: Winsize) -> KResult<()> {
        self.pty_of(fd)?.0.set_winsize(ws);
        Ok(())
    }

    /// The controlling terminal behind `fd` (`ENOTTY` if `fd` is not it).
    fn ctty_at(&self, fd: Fd) -> KResult<Arc<Pty>> {
        let (pty, master) = self.pty_of(fd)?;
        let mine = self.proc.state.lock().ctty.as_ref().is_some_and(|c| Arc::ptr_eq(c, &pty));
        if mine || master { Ok(pty) } else { Err(Errno::ENOTTY) }
    }

    /// `tcgetpgrp(3)`: the foreground process group of the controlling
    /// terminal at `fd` (`ENOTTY` if it is not the caller's).
    pub fn tcgetpgrp(&self, fd: Fd) -> KResult<Pid> {
        // Linux reports a never-used group number when there is none.
        Ok(self.ctty_at(fd)?.fg_pgrp().unwrap_or(i32::MAX))
    }

    /// `tcsetpgrp(3)`: `ENOTTY` if `fd` is not the caller's controlling
    /// terminal, `EPERM` if no process of the session is in `pgid`.
    pub fn tcsetpgrp(&self, fd: Fd, pgid: Pid) -> KResult<()> {
        if pgid < 0 {
            return Err(Errno::EINVAL);
        }
        let pty = self.ctty_at(fd)?;
        let sid = self.proc.state.lock().sid;
        let exists = self.kernel.processes().iter().any(|p| {
            let st = p.state.lock();
            st.pgid == pgid && st.sid == sid && st.status.is_none()
        });
        if !exists {
            return Err(Errno::EPERM);
        }
        pty.set_fg_pgrp(pgid);
        Ok(())
    }

    /// `setsid(2)`: a new session and group led by the caller, without a
    /// controlling terminal. `EPERM` for a group leader.
    pub fn setsid(&self) -> KResult<Pid> {
        let pid = self.pid();
        let mut st = self.proc.state.lock();
        if st.pgid == pid {
            return Err(Errno::EPERM);
        }
        st.sid = pid;
        st.pgid = pid;
        st.ctty = None;
        Ok(pid)
    }

    /// `getsid(2)` of the caller.
    pub fn getsid(&self) -> Pid {
        self.proc.state.lock().sid
    }

    /// `ttyname(3)`: `/dev/pts/N` (`ENOTTY` if `fd` is not a terminal).
    pub fn ttyname(&self, fd: Fd) -> KResult<String> {
        let f = self.file(fd)?;
        match f.stream_ref() {
            Some(s) if s.isatty() => Ok(s.describe()),
            _ => Err(Errno::ENOTTY),
        }
    }

    /// Job control on reads: a background process reading its controlling
    /// terminal gets SIGTTIN (its group stops) or, if it ignores SIGTTIN,
    /// `EIO`.
    pub(crate) fn tty_read_gate(&self, s: &Arc<dyn Stream>) -> KResult<()> {
        let Some((pty, false)) = pty_of_stream(s) else { return Ok(()) };
        loop {
            let (pgid, ignored) = {
                let st = self.proc.state.lock();
                if !st.ctty.as_ref().is_some_and(|c| Arc::ptr_eq(c, &pty)) {
                    return Ok(());
                }
                (st.pgid, st.sig.actions[Signal::SIGTTIN.0 as usize] == SigAction::Ignore)
            };
            match pty.fg_pgrp() {
                Some(fg) if fg != pgid && !pty.hung_up() => {}
                _ => return Ok(()),
            }
            if ignored {
                return Err(Errno::EIO);
            }
            let _ = self.kernel.kill(None, -pgid, Signal::SIGTTIN.0);
            // Stops here until continued (perhaps in the foreground).
            self.check_signals(true)?;
        }
    }
}
