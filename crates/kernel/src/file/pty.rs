//! Pseudo-terminals: a master end (the terminal emulator's side: the API,
//! `agentos shell`) and a slave end (`/dev/pts/N`, the programs' terminal),
//! joined by a line discipline.
//!
//! Analogue: Linux `drivers/tty/pty.c` + `n_tty.c`. Bytes written to the
//! master are input: translated (`ICRNL`), turned into signals for the
//! foreground process group (`ISIG`: `^C` SIGINT, `^\` SIGQUIT, `^Z`
//! SIGTSTP), edited line by line (`ICANON`: erase, kill, word-erase, `^D`
//! end of file) and echoed (`ECHO`, `ECHOCTL`, `ECHOE`, `ECHOK`). Bytes the
//! slave writes are output, post-processed (`OPOST` + `ONLCR`: `\n` →
//! `\r\n`) and read from the master. A window-size change sends SIGWINCH
//! to the foreground group; closing the master hangs up: SIGHUP (+
//! SIGCONT) to the foreground group and the session leader, end of file
//! for slave reads, `EIO` for slave writes. Reading the master once every
//! slave is closed (or after a hangup) and its output drained gives `EIO`,
//! as on Linux.
//!
//! One lock (`state`); signals are sent after it is released, because
//! sending takes the process table. Lock order: a process's `state`, then
//! a pty's (`/proc` and the controlling-terminal calls read the terminal
//! while holding the process).

use std::collections::VecDeque;
use std::sync::Arc;

use parking_lot::Mutex;

use super::termios::*;
use super::{Stream, anon_stat, poll};
use crate::abi::{Errno, KResult, Pid, S_IFCHR, Signal, Stat};
use crate::file::device::makedev;
use crate::wait::WaitQueue;

/// Longest canonical line, newline included (Linux `N_TTY_BUF_SIZE` is
/// 4096; one byte stays free for the newline).
pub const MAX_CANON: usize = 4096;
/// Bytes buffered in each direction.
pub const PTY_BUF: usize = 64 * 1024;

/// How a pty raises signals: `kill(pid, sig)` with `kill`'s pid forms
/// (`-pgid` for a group).
pub type SignalFn = Box<dyn Fn(Pid, Signal) + Send + Sync>;

struct PtyState {
    termios: Termios,
    winsize: Winsize,
    /// Input the slave may read: completed lines in canonical mode (an
    /// empty chunk is a `^D` end of file), bytes in raw mode.
    ready: VecDeque<Vec<u8>>,
    ready_len: usize,
    /// The canonical line being edited.
    line: Vec<u8>,
    /// Output waiting for the master to read it.
    output: VecDeque<u8>,
    /// Open slave handles.
    slaves: usize,
    /// The master is gone: the terminal hung up.
    hung_up: bool,
    /// The session whose controlling terminal this is.
    session: Option<Pid>,
    /// The foreground process group.
    fg_pgrp: Option<Pid>,
}

/// A pseudo-terminal pair's shared state.
pub struct Pty {
    index: u32,
    state: Mutex<PtyState>,
    wq: WaitQueue,
    signal: SignalFn,
}

/// Signals decided under the lock, sent after it.
type Pending = Vec<(Pid, Signal)>;

impl Pty {
    /// A new pair numbered `index` (`/dev/pts/<index>`); returns both ends.
    pub fn create(index: u32, signal: SignalFn) -> (Arc<PtyMaster>, Arc<PtySlave>) {
        let pty = Arc::new(Pty {
            index,
            state: Mutex::new(PtyState {
                termios: Termios::default(),
                winsize: Winsize::default(),
                ready: VecDeque::new(),
                ready_len: 0,
                line: Vec::new(),
                output: VecDeque::new(),
                slaves: 1,
                hung_up: false,
                session: None,
                fg_pgrp: None,
            }),
            wq: WaitQueue::new(),
            signal,
        });
        (Arc::new(PtyMaster(pty.clone())), Arc::new(PtySlave(pty)))
    }

    /// The `N` of `/dev/pts/N`.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// A new slave handle (opening `/dev/pts/N` or `/dev/tty`); `EIO` once
    /// hung up.
    pub fn open_slave(self: &Arc<Self>) -> KResult<Arc<PtySlave>> {
        let mut st = self.state.lock();
        if st.hung_up {
            return Err(Errno::EIO);
        }
        st.slaves += 1;
        Ok(Arc::new(PtySlave(self.clone())))
    }

    fn send(&self, pending: Pending) {
        for (pid, sig) in pending {
            (self.signal)(pid, sig);
        }
    }

    /// `tcgetattr(3)`.
    pub fn termios(&self) -> Termios {
        self.state.lock().termios
    }

    /// `tcsetattr(3)`. Leaving canonical mode makes the partial line
    /// readable; [`SetWhen::Flush`] discards unread input.
    pub fn set_termios(&self, t: Termios, when: SetWhen) {
        let mut st = self.state.lock();
        if when == SetWhen::Flush {
            st.ready.clear();
            st.ready_len = 0;
            st.line.clear();
        }
        if st.termios.l(ICANON) && t.lflag & ICANON == 0 && !st.line.is_empty() {
            let line = std::mem::take(&mut st.line);
            st.ready_len += line.len();
            st.ready.push_back(line);
        }
        st.termios = t;
        drop(st);
        self.wq.notify_all();
    }

    /// `TIOCGWINSZ`.
    pub fn winsize(&self) -> Winsize {
        self.state.lock().winsize
    }

    /// `TIOCSWINSZ`: SIGWINCH to the foreground group if it changed.
    pub fn set_winsize(&self, ws: Winsize) {
        let mut st = self.state.lock();
        if st.winsize == ws {
            return;
        }
        st.winsize = ws;
        let pending: Pending = st.fg_pgrp.map(|g| (-g, Signal::SIGWINCH)).into_iter().collect();
        drop(st);
        self.send(pending);
    }

    /// The foreground process group (`tcgetpgrp`).
    pub fn fg_pgrp(&self) -> Option<Pid> {
        self.state.lock().fg_pgrp
    }

    /// Set the foreground process group (`tcsetpgrp`; checks are the
    /// caller's).
    pub fn set_fg_pgrp(&self, pgid: Pid) {
        self.state.lock().fg_pgrp = Some(pgid);
    }

    /// The session this is the controlling terminal of.
    pub fn session(&self) -> Option<Pid> {
        self.state.lock().session
    }

    /// Make this the controlling terminal of session `sid` (foreground
    /// group `pgid`) unless it already belongs to a session. Returns
    /// whether it did.
    pub fn acquire(&self, sid: Pid, pgid: Pid) -> bool {
        let mut st = self.state.lock();
        if st.session.is_some_and(|s| s != sid) || st.hung_up {
            return false;
        }
        st.session = Some(sid);
        st.fg_pgrp = Some(pgid);
        true
    }

    /// Forget the session (its leader gave the terminal up or exited).
    pub fn release(&self, sid: Pid) {
        let mut st = self.state.lock();
        if st.session == Some(sid) {
            st.session = None;
            st.fg_pgrp = None;
        }
    }

    /// Whether the master has closed.
    pub fn hung_up(&self) -> bool {
        self.state.lock().hung_up
    }

    /// Hang up (the master closed): SIGHUP and SIGCONT to the foreground
    /// group, SIGHUP to the session leader; slave reads see end of file.
    pub fn hangup(&self) {
        let mut st = self.state.lock();
        if st.hung_up {
            return;
        }
        st.hung_up = true;
        let mut pending = Pending::new();
        if let Some(g) = st.fg_pgrp {
            pending.push((-g, Signal::SIGHUP));
            pending.push((-g, Signal::SIGCONT));
        }
        if let Some(s) = st.session
            && st.fg_pgrp != Some(s)
        {
            pending.push((s, Signal::SIGHUP));
        }
        drop(st);
        self.send(pending);
        self.wq.notify_all();
    }

    /// Terminal input, as typed: the line discipline. Returns how many
    /// bytes were taken (`EAGAIN` if the input buffer is full, `EIO` once
    /// hung up).
    pub fn input(&self, data: &[u8]) -> KResult<usize> {
        let mut st = self.state.lock();
        if st.hung_up {
            return Err(Errno::EIO);
        }
        let mut pending = Pending::new();
        let mut taken = 0;
        for &b in data {
            if st.ready_len + st.line.len() >= PTY_BUF {
                break;
            }
            taken += 1;
            input_byte(&mut st, b, &mut pending);
        }
        drop(st);
        self.send(pending);
        self.wq.notify_all();
        if taken == 0 && !data.is_empty() { Err(Errno::EAGAIN) } else { Ok(taken) }
    }

    /// Program output (a slave write): post-processed into the master's
    /// buffer.
    fn output(&self, data: &[u8]) -> KResult<usize> {
        let mut st = self.state.lock();
        if st.hung_up {
            return Err(Errno::EIO);
        }
        let mut n = 0;
        for &b in data {
            if st.output.len() + 2 > PTY_BUF {
                break;
            }
            put_output(&mut st, &[b]);
            n += 1;
        }
        drop(st);
        if n == 0 && !data.is_empty() {
            return Err(Errno::EAGAIN);
        }
        self.wq.notify_all();
        Ok(n)
    }

    fn slave_read(&self, buf: &mut [u8]) -> KResult<usize> {
        let mut st = self.state.lock();
        let hung_up = st.hung_up;
        let n = if st.termios.l(ICANON) {
            match st.ready.front_mut() {
                Some(front) if front.is_empty() => {
                    st.ready.pop_front();
                    0
                }
                Some(front) => {
                    let n = buf.len().min(front.len());
                    buf[..n].copy_from_slice(&front[..n]);
                    front.drain(..n);
                    if front.is_empty() {
                        st.ready.pop_front();
                    }
                    n
                }
                None if hung_up || buf.is_empty() => 0,
                None => return Err(Errno::EAGAIN),
            }
        } else {
            let mut n = 0;
            while n < buf.len() {
                let Some(front) = st.ready.front_mut() else { break };
                let k = (buf.len() - n).min(front.len());
                buf[n..n + k].copy_from_slice(&front[..k]);
                front.drain(..k);
                if front.is_empty() {
                    st.ready.pop_front();
                }
                n += k;
            }
            if n == 0 && !st.hung_up && !buf.is_empty() && st.termios.cc[VMIN] > 0 {
                return Err(Errno::EAGAIN);
            }
            n
        };
        st.ready_len -= n;
        drop(st);
        self.wq.notify_all();
        Ok(n)
    }

    fn master_read(&self, buf: &mut [u8]) -> KResult<usize> {
        let mut st = self.state.lock();
        if st.output.is_empty() {
            return if st.slaves == 0 || st.hung_up {
                Err(Errno::EIO)
            } else if buf.is_empty() {
                Ok(0)
            } else {
                Err(Errno::EAGAIN)
            };
        }
        let n = buf.len().min(st.output.len());
        for (d, s) in buf.iter_mut().zip(st.output.drain(..n)) {
            *d = s;
        }
        drop(st);
        self.wq.notify_all();
        Ok(n)
    }

    fn slave_readable(&self) -> bool {
        let st = self.state.lock();
        if st.termios.l(ICANON) { !st.ready.is_empty() } else { st.ready_len > 0 || st.termios.cc[VMIN] == 0 }
    }
}

/// Append output bytes, applying `OPOST`/`ONLCR`.
fn put_output(st: &mut PtyState, data: &[u8]) {
    let onlcr = st.termios.oflag & (OPOST | ONLCR) == OPOST | ONLCR;
    for &b in data {
        if b == b'\n' && onlcr {
            st.output.push_back(b'\r');
        }
        st.output.push_back(b);
    }
}

/// Whether `b` echoes as `^X` under `ECHOCTL`.
fn is_ctl(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f
}

/// Echo one input byte (`ECHOCTL` shows control characters as `^X`).
fn echo(st: &mut PtyState, b: u8) {
    if st.termios.l(ECHOCTL) && is_ctl(b) {
        put_output(st, &[b'^', b ^ 0x40]);
    } else {
        put_output(st, &[b]);
    }
}

/// Remove the last character of the canonical line, erasing it on screen.
fn erase_char(st: &mut PtyState) -> bool {
    let Some(mut last) = st.line.pop() else { return false };
    if st.termios.iflag & IUTF8 != 0 {
        // Drop continuation bytes up to the lead byte of the character.
        while last & 0xc0 == 0x80 {
            match st.line.pop() {
                Some(b) => last = b,
                None => break,
            }
        }
    }
    if st.termios.l(ECHO) {
        if st.termios.l(ECHOE) {
            let width = if st.termios.l(ECHOCTL) && is_ctl(last) { 2 } else { 1 };
            for _ in 0..width {
                put_output(st, b"\x08 \x08");
            }
        } else {
            let erase = st.termios.cc[VERASE];
            echo(st, erase);
        }
    }
    true
}

fn push_ready(st: &mut PtyState, chunk: Vec<u8>) {
    st.ready_len += chunk.len();
    st.ready.push_back(chunk);
}

/// The line discipline for one typed byte.
fn input_byte(st: &mut PtyState, mut b: u8, pending: &mut Pending) {
    let t = st.termios;
    if b == b'\r' && t.iflag & IGNCR != 0 {
        return;
    }
    if b == b'\r' && t.iflag & ICRNL != 0 {
        b = b'\n';
    } else if b == b'\n' && t.iflag & INLCR != 0 {
        b = b'\r';
    }
    let cc = |i: usize| t.cc[i] != 0 && t.cc[i] == b;
    if t.l(ISIG) {
        let sig = if cc(VINTR) {
            Some(Signal::SIGINT)
        } else if cc(VQUIT) {
            Some(Signal::SIGQUIT)
        } else if cc(VSUSP) {
            Some(Signal::SIGTSTP)
        } else {
            None
        };
        if let Some(sig) = sig {
            if !t.l(NOFLSH) {
                st.ready.clear();
                st.ready_len = 0;
                st.line.clear();
            }
            if t.l(ECHO) {
                echo(st, b);
            }
            if let Some(g) = st.fg_pgrp {
                pending.push((-g, sig));
            }
            return;
        }
    }
    if !t.l(ICANON) {
        if t.l(ECHO) {
            echo(st, b);
        }
        match st.ready.back_mut() {
            Some(last) if !last.is_empty() => last.push(b),
            _ => st.ready.push_back(vec![b]),
        }
        st.ready_len += 1;
        return;
    }
    // Canonical mode. DEL is VERASE by default; ^H erases as well, as
    // most terminals send one or the other for Backspace.
    if cc(VERASE) || (b == 0x08 && t.cc[VERASE] == 0x7f) {
        erase_char(st);
        return;
    }
    if cc(VKILL) {
        if t.l(ECHO) && t.l(ECHOKE) && t.l(ECHOE) {
            while erase_char(st) {}
        } else {
            st.line.clear();
            if t.l(ECHO) {
                echo(st, b);
                if t.l(ECHOK) {
                    put_output(st, b"\n");
                }
            }
        }
        return;
    }
    if t.l(IEXTEN) && cc(VWERASE) {
        while st.line.last().is_some_and(|c| c.is_ascii_whitespace()) {
            erase_char(st);
        }
        while st.line.last().is_some_and(|c| !c.is_ascii_whitespace()) {
            erase_char(st);
        }
        return;
    }
    if cc(VEOF) {
        // The line so far is readable without a newline; on an empty line
        // the reader gets end of file.
        let line = std::mem::take(&mut st.line);
        push_ready(st, line);
        return;
    }
    if b == b'\n' || cc(VEOL) {
        if t.l(ECHO) || (b == b'\n' && t.l(ECHONL)) {
            put_output(st, &[b]);
        }
        let mut line = std::mem::take(&mut st.line);
        line.push(b);
        push_ready(st, line);
        return;
    }
    if st.line.len() >= MAX_CANON - 1 {
        // Linux drops characters past the limit (and rings the bell).
        return;
    }
    st.line.push(b);
    if t.l(ECHO) {
        echo(st, b);
    }
}

/// The master end: what the terminal emulator holds.
pub struct PtyMaster(Arc<Pty>);

/// The slave end: what programs have as their terminal.
pub struct PtySlave(Arc<Pty>);

impl PtyMaster {
    /// The pair's shared state.
    pub fn pty(&self) -> &Arc<Pty> {
        &self.0
    }
}

impl PtySlave {
    /// The pair's shared state.
    pub fn pty(&self) -> &Arc<Pty> {
        &self.0
    }
}

impl Drop for PtyMaster {
    fn drop(&mut self) {
        self.0.hangup();
    }
}

impl Drop for PtySlave {
    fn drop(&mut self) {
        self.0.state.lock().slaves -= 1;
        self.0.wq.notify_all();
    }
}

fn pty_stat(rdev: u64, index: u32) -> Stat {
    let mut st = anon_stat(S_IFCHR | 0o620, index as u64 + 3);
    st.rdev = rdev;
    st
}

impl Stream for PtyMaster {
    fn try_read(&self, buf: &mut [u8]) -> KResult<usize> {
        self.0.master_read(buf)
    }
    fn try_write(&self, buf: &[u8]) -> KResult<usize> {
        self.0.input(buf)
    }
    fn poll(&self) -> u32 {
        let st = self.0.state.lock();
        let mut m = poll::OUT;
        if !st.output.is_empty() {
            m |= poll::IN;
        }
        if st.slaves == 0 {
            m |= poll::HUP;
        }
        m
    }
    fn wait_queue(&self) -> &WaitQueue {
        &self.0.wq
    }
    fn stat(&self) -> Stat {
        pty_stat(makedev(5, 2), self.0.index)
    }
    fn describe(&self) -> String {
        "/dev/ptmx".to_string()
    }
    fn isatty(&self) -> bool {
        true
    }
}

impl Stream for PtySlave {
    fn try_read(&self, buf: &mut [u8]) -> KResult<usize> {
        self.0.slave_read(buf)
    }
    fn try_write(&self, buf: &[u8]) -> KResult<usize> {
        self.0.output(buf)
    }
    fn poll(&self) -> u32 {
        let mut m = 0;
        if self.0.slave_readable() {
            m |= poll::IN;
        }
        let st = self.0.state.lock();
        if st.hung_up {
            m |= poll::HUP | poll::IN;
        } else if st.output.len() + 2 <= PTY_BUF {
            m |= poll::OUT;
        }
        m
    }
    fn wait_queue(&self) -> &WaitQueue {
        &self.0.wq
    }
    fn stat(&self) -> Stat {
        pty_stat(makedev(136, self.0.index as u64), self.0.index)
    }
    fn describe(&self) -> String {
        format!("/dev/pts/{}", self.0.index)
    }
    fn isatty(&self) -> bool {
        true
    }
}

#[cfg(test)]
#[path = "pty_tests.rs"]
mod tests;
