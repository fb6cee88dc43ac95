//! Line-discipline tests: every termios path, exact bytes both ways.

use std::sync::Arc;

use parking_lot::Mutex;

use super::*;

type Sent = Arc<Mutex<Vec<(Pid, Signal)>>>;

fn pair() -> (Arc<PtyMaster>, Arc<PtySlave>, Sent) {
    let sent: Sent = Arc::default();
    let s = sent.clone();
    let (m, sl) = Pty::create(0, Box::new(move |pid, sig| s.lock().push((pid, sig))));
    m.pty().acquire(10, 20);
    (m, sl, sent)
}

fn out(m: &PtyMaster) -> Vec<u8> {
    let mut buf = vec![0u8; PTY_BUF];
    match m.try_read(&mut buf) {
        Ok(n) => buf[..n].to_vec(),
        Err(Errno::EAGAIN) => Vec::new(),
        Err(e) => panic!("master read: {e:?}"),
    }
}

fn read(s: &PtySlave) -> KResult<Vec<u8>> {
    let mut buf = vec![0u8; 8192];
    s.try_read(&mut buf).map(|n| buf[..n].to_vec())
}

fn set(s: &PtySlave, f: impl FnOnce(&mut Termios)) {
    let mut t = s.pty().termios();
    f(&mut t);
    s.pty().set_termios(t, SetWhen::Now);
}

#[test]
fn canonical_line_is_echoed_with_onlcr_and_read_whole() {
    let (m, s, _) = pair();
    assert_eq!(m.try_write(b"ls -l"), Ok(5));
    assert_eq!(read(&s), Err(Errno::EAGAIN));
    assert_eq!(out(&m), b"ls -l");
    m.try_write(b"\r").unwrap();
    assert_eq!(out(&m), b"\r\n");
    assert_eq!(read(&s).unwrap(), b"ls -l\n");
    assert_eq!(read(&s), Err(Errno::EAGAIN));
}

#[test]
fn one_line_per_read_and_partial_reads() {
    let (m, s, _) = pair();
    m.try_write(b"a\nbc\n").unwrap();
    assert_eq!(read(&s).unwrap(), b"a\n");
    let mut two = [0u8; 2];
    assert_eq!(s.try_read(&mut two), Ok(2));
    assert_eq!(&two, b"bc");
    assert_eq!(read(&s).unwrap(), b"\n");
}

#[test]
fn output_onlcr_and_opost_off() {
    let (m, s, _) = pair();
    assert_eq!(s.try_write(b"a\nb\n"), Ok(4));
    assert_eq!(out(&m), b"a\r\nb\r\n");
    set(&s, |t| t.oflag &= !ONLCR);
    s.try_write(b"c\n").unwrap();
    assert_eq!(out(&m), b"c\n");
    set(&s, |t| t.oflag = ONLCR);
    s.try_write(b"d\n").unwrap();
    assert_eq!(out(&m), b"d\n", "ONLCR needs OPOST");
}

#[test]
fn erase_with_del_and_backspace() {
    let (m, s, _) = pair();
    m.try_write(b"abc\x7f\x08d\n").unwrap();
    assert_eq!(out(&m), b"abc\x08 \x08\x08 \x08d\r\n");
    assert_eq!(read(&s).unwrap(), b"ad\n");
    // Erasing at the start of a line does nothing.
    m.try_write(b"\x7fx\n").unwrap();
    assert_eq!(out(&m), b"x\r\n");
    assert_eq!(read(&s).unwrap(), b"x\n");
}

#[test]
fn erase_removes_a_whole_utf8_character_and_a_ctl_echo() {
    let (m, s, _) = pair();
    m.try_write("é\x7f\x01\x7f\n".as_bytes()).unwrap();
    assert_eq!(out(&m), "é\x08 \x08^A\x08 \x08\x08 \x08\r\n".as_bytes());
    assert_eq!(read(&s).unwrap(), b"\n");
}

#[test]
fn erase_without_echoe_echoes_the_erase_char() {
    let (m, s, _) = pair();
    set(&s, |t| t.lflag &= !ECHOE);
    m.try_write(b"ab\x7f\n").unwrap();
    assert_eq!(out(&m), b"ab^?\r\n");
    assert_eq!(read(&s).unwrap(), b"a\n");
}

#[test]
fn kill_line_with_echoke_and_with_echok() {
    let (m, s, _) = pair();
    m.try_write(b"abc\x15x\n").unwrap();
    assert_eq!(out(&m), b"abc\x08 \x08\x08 \x08\x08 \x08x\r\n");
    assert_eq!(read(&s).unwrap(), b"x\n");
    set(&s, |t| t.lflag &= !ECHOKE);
    m.try_write(b"abc\x15y\n").unwrap();
    assert_eq!(out(&m), b"abc^U\r\ny\r\n");
    assert_eq!(read(&s).unwrap(), b"y\n");
    set(&s, |t| t.lflag &= !ECHOK);
    m.try_write(b"q\x15z\n").unwrap();
    assert_eq!(out(&m), b"q^Uz\r\n");
    assert_eq!(read(&s).unwrap(), b"z\n");
}

#[test]
fn word_erase_needs_iexten() {
    let (m, s, _) = pair();
    m.try_write(b"echo foo  \x17bar\n").unwrap();
    assert_eq!(out(&m), b"echo foo  \x08 \x08\x08 \x08\x08 \x08\x08 \x08\x08 \x08bar\r\n");
    assert_eq!(read(&s).unwrap(), b"echo bar\n");
    set(&s, |t| t.lflag &= !IEXTEN);
    m.try_write(b"a\x17\n").unwrap();
    assert_eq!(out(&m), b"a^W\r\n");
    assert_eq!(read(&s).unwrap(), b"a\x17\n");
}

#[test]
fn eof_on_empty_line_and_mid_line() {
    let (m, s, _) = pair();
    m.try_write(b"\x04").unwrap();
    assert_eq!(out(&m), b"", "^D is not echoed");
    assert_eq!(read(&s).unwrap(), b"");
    m.try_write(b"ab\x04").unwrap();
    assert_eq!(read(&s).unwrap(), b"ab", "^D mid-line hands over the line without a newline");
    assert_eq!(read(&s), Err(Errno::EAGAIN));
}

#[test]
fn intr_quit_susp_signal_the_foreground_group_and_flush() {
    let (m, s, sent) = pair();
    m.try_write(b"partial\x03").unwrap();
    assert_eq!(out(&m), b"partial^C");
    assert_eq!(sent.lock().as_slice(), &[(-20, Signal::SIGINT)]);
    m.try_write(b"\n").unwrap();
    assert_eq!(read(&s).unwrap(), b"\n", "the partial line was flushed");
    m.try_write(b"\x1c\x1a").unwrap();
    assert_eq!(out(&m), b"\r\n^\\^Z");
    assert_eq!(sent.lock()[1..], [(-20, Signal::SIGQUIT), (-20, Signal::SIGTSTP)]);
}

#[test]
fn noflsh_keeps_input_and_isig_off_passes_the_bytes() {
    let (m, s, sent) = pair();
    set(&s, |t| t.lflag |= NOFLSH);
    m.try_write(b"ab\x03\n").unwrap();
    assert_eq!(read(&s).unwrap(), b"ab\n");
    set(&s, |t| t.lflag &= !ISIG);
    m.try_write(b"\x03\x1a\n").unwrap();
    assert_eq!(out(&m), b"ab^C\r\n^C^Z\r\n");
    assert_eq!(read(&s).unwrap(), b"\x03\x1a\n");
    assert_eq!(sent.lock().len(), 1);
}

#[test]
fn no_foreground_group_no_signal() {
    let sent: Sent = Arc::default();
    let s2 = sent.clone();
    let (m, _s) = Pty::create(1, Box::new(move |p, g| s2.lock().push((p, g))));
    m.try_write(b"\x03").unwrap();
    assert!(sent.lock().is_empty());
}

#[test]
fn echo_off_and_echonl() {
    let (m, s, _) = pair();
    set(&s, |t| t.lflag &= !ECHO);
    m.try_write(b"secret\n").unwrap();
    assert_eq!(out(&m), b"");
    assert_eq!(read(&s).unwrap(), b"secret\n");
    set(&s, |t| t.lflag |= ECHONL);
    m.try_write(b"pw\n").unwrap();
    assert_eq!(out(&m), b"\r\n");
}

#[test]
fn icrnl_igncr_inlcr() {
    let (m, s, _) = pair();
    set(&s, |t| t.iflag &= !ICRNL);
    m.try_write(b"a\r").unwrap();
    assert_eq!(read(&s), Err(Errno::EAGAIN), "CR does not end the line without ICRNL");
    m.try_write(b"\n").unwrap();
    assert_eq!(read(&s).unwrap(), b"a\r\n");
    set(&s, |t| t.iflag |= IGNCR);
    m.try_write(b"b\r\n").unwrap();
    assert_eq!(read(&s).unwrap(), b"b\n");
    set(&s, |t| {
        t.iflag = INLCR;
        t.lflag &= !ICANON;
    });
    m.try_write(b"\n").unwrap();
    assert_eq!(read(&s).unwrap(), b"\r");
}

#[test]
fn raw_mode_passes_bytes_at_once_and_echoes_ctl() {
    let (m, s, sent) = pair();
    set(&s, |t| t.make_raw());
    m.try_write(b"a\x03\x7f\r").unwrap();
    assert_eq!(read(&s).unwrap(), b"a\x03\x7f\r");
    assert_eq!(out(&m), b"", "cfmakeraw turns echo off");
    assert!(sent.lock().is_empty());
    s.try_write(b"x\n").unwrap();
    assert_eq!(out(&m), b"x\n", "no OPOST in raw mode");
    set(&s, |t| t.lflag |= ECHO | ECHOCTL);
    m.try_write(b"\x01z").unwrap();
    assert_eq!(out(&m), b"^Az");
    assert_eq!(read(&s).unwrap(), b"\x01z");
}

#[test]
fn noncanonical_vmin_zero_does_not_block() {
    let (_m, s, _) = pair();
    set(&s, |t| {
        t.lflag &= !ICANON;
        t.cc[VMIN] = 0;
    });
    assert_eq!(read(&s).unwrap(), b"");
}

#[test]
fn leaving_canonical_mode_hands_over_the_partial_line() {
    let (m, s, _) = pair();
    m.try_write(b"abc").unwrap();
    set(&s, |t| t.lflag &= !ICANON);
    assert_eq!(read(&s).unwrap(), b"abc");
}

#[test]
fn tcsaflush_discards_input() {
    let (m, s, _) = pair();
    m.try_write(b"one\ntw").unwrap();
    let t = s.pty().termios();
    s.pty().set_termios(t, SetWhen::Flush);
    m.try_write(b"o\n").unwrap();
    assert_eq!(read(&s).unwrap(), b"o\n");
}

#[test]
fn max_canon_drops_extra_characters() {
    let (m, s, _) = pair();
    set(&s, |t| t.lflag &= !ECHO);
    m.try_write(&vec![b'x'; MAX_CANON + 10]).unwrap();
    m.try_write(b"\n").unwrap();
    let line = read(&s).unwrap();
    assert_eq!(line.len(), MAX_CANON);
    assert_eq!(line.last(), Some(&b'\n'));
}

#[test]
fn winsize_change_sends_sigwinch_once() {
    let (_m, s, sent) = pair();
    assert_eq!(s.pty().winsize(), Winsize { rows: 24, cols: 80, xpixel: 0, ypixel: 0 });
    let ws = Winsize { rows: 40, cols: 100, xpixel: 0, ypixel: 0 };
    s.pty().set_winsize(ws);
    s.pty().set_winsize(ws);
    assert_eq!(s.pty().winsize(), ws);
    assert_eq!(sent.lock().as_slice(), &[(-20, Signal::SIGWINCH)]);
}

#[test]
fn master_close_hangs_up() {
    let (m, s, sent) = pair();
    m.try_write(b"last\n").unwrap();
    drop(m);
    assert_eq!(sent.lock().as_slice(), &[(-20, Signal::SIGHUP), (-20, Signal::SIGCONT), (10, Signal::SIGHUP)]);
    assert_eq!(read(&s).unwrap(), b"last\n", "queued input is still read");
    assert_eq!(read(&s).unwrap(), b"", "then end of file");
    assert_eq!(s.try_write(b"x"), Err(Errno::EIO));
    assert_eq!(s.poll() & poll::HUP, poll::HUP);
    assert!(s.pty().open_slave().is_err());
}

#[test]
fn master_reads_eio_after_slaves_close_and_output_drains() {
    let (m, s, _) = pair();
    let s2 = s.pty().open_slave().unwrap();
    s.try_write(b"bye").unwrap();
    drop(s);
    drop(s2);
    assert_eq!(m.poll() & (poll::IN | poll::HUP), poll::IN | poll::HUP);
    assert_eq!(out(&m), b"bye");
    let mut b = [0u8; 4];
    assert_eq!(m.try_read(&mut b), Err(Errno::EIO));
}

#[test]
fn buffers_are_bounded() {
    let (m, s, _) = pair();
    set(&s, |t| t.make_raw());
    assert_eq!(m.try_write(&vec![b'a'; PTY_BUF + 5]), Ok(PTY_BUF));
    assert_eq!(m.try_write(b"b"), Err(Errno::EAGAIN));
    assert_eq!(s.try_write(&vec![b'c'; PTY_BUF]), Ok(PTY_BUF - 1));
    assert_eq!(s.try_write(b"c"), Err(Errno::EAGAIN));
    assert_eq!(s.poll() & poll::OUT, 0);
}

#[test]
fn names_stat_and_isatty() {
    let (m, s, _) = pair();
    assert_eq!(s.describe(), "/dev/pts/0");
    assert_eq!(m.describe(), "/dev/ptmx");
    assert!(s.isatty() && m.isatty());
    assert_eq!(s.stat().rdev, makedev(136, 0));
    assert_eq!(s.stat().mode, S_IFCHR | 0o620);
    assert_eq!(s.pty().fg_pgrp(), Some(20));
    assert_eq!(s.pty().session(), Some(10));
    assert!(!s.pty().acquire(11, 11), "already another session's terminal");
    s.pty().release(10);
    assert_eq!(s.pty().session(), None);
}
