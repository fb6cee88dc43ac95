//! Terminal attributes: `struct termios` and `struct winsize` with Linux's
//! flag values and control-character indices, so programs that print or
//! parse them (`stty -a`) see what they would on Linux.
//!
//! Analogue: Linux `include/uapi/asm-generic/termbits.h`. Only the flags
//! the line discipline ([`super::pty`]) acts on change behaviour; the rest
//! are stored and reported.

/// Number of control characters (Linux's kernel `NCCS`).
pub const NCCS: usize = 19;

// Input flags (`c_iflag`).
/// Ignore break.
pub const IGNBRK: u32 = 0o1;
/// Break raises SIGINT.
pub const BRKINT: u32 = 0o2;
/// Translate NL to CR on input.
pub const INLCR: u32 = 0o100;
/// Ignore CR on input.
pub const IGNCR: u32 = 0o200;
/// Translate CR to NL on input.
pub const ICRNL: u32 = 0o400;
/// XON/XOFF flow control on output (stored, not acted on).
pub const IXON: u32 = 0o2000;
/// Input is UTF-8 (erase removes whole characters).
pub const IUTF8: u32 = 0o40000;

// Output flags (`c_oflag`).
/// Post-process output.
pub const OPOST: u32 = 0o1;
/// Map NL to CR-NL on output.
pub const ONLCR: u32 = 0o4;

// Control flags (`c_cflag`).
/// 38400 baud (what a pseudo-terminal reports).
pub const B38400: u32 = 0o17;
/// Eight data bits.
pub const CS8: u32 = 0o60;
/// Enable the receiver.
pub const CREAD: u32 = 0o200;

// Local flags (`c_lflag`).
/// Raise signals for INTR, QUIT and SUSP.
pub const ISIG: u32 = 0o1;
/// Canonical (line-by-line) input.
pub const ICANON: u32 = 0o2;
/// Echo input.
pub const ECHO: u32 = 0o10;
/// ERASE erases the previous character on screen.
pub const ECHOE: u32 = 0o20;
/// KILL is followed by a newline.
pub const ECHOK: u32 = 0o40;
/// Echo NL even without ECHO.
pub const ECHONL: u32 = 0o100;
/// Do not flush input on INTR/QUIT/SUSP.
pub const NOFLSH: u32 = 0o200;
/// Background writes raise SIGTTOU.
pub const TOSTOP: u32 = 0o400;
/// Echo control characters as `^X`.
pub const ECHOCTL: u32 = 0o1000;
/// KILL erases the line on screen character by character.
pub const ECHOKE: u32 = 0o4000;
/// Extended input processing (WERASE, LNEXT).
pub const IEXTEN: u32 = 0o100000;

// Control-character indices (`c_cc`).
/// Interrupt (`^C`): SIGINT.
pub const VINTR: usize = 0;
/// Quit (`^\`): SIGQUIT.
pub const VQUIT: usize = 1;
/// Erase a character (DEL).
pub const VERASE: usize = 2;
/// Erase the line (`^U`).
pub const VKILL: usize = 3;
/// End of file (`^D`).
pub const VEOF: usize = 4;
/// Non-canonical read timeout, tenths of a second.
pub const VTIME: usize = 5;
/// Non-canonical read minimum byte count.
pub const VMIN: usize = 6;
/// Suspend (`^Z`): SIGTSTP.
pub const VSUSP: usize = 10;
/// Extra end of line.
pub const VEOL: usize = 11;
/// Reprint the line (`^R`).
pub const VREPRINT: usize = 12;
/// Erase a word (`^W`).
pub const VWERASE: usize = 14;
/// Quote the next character (`^V`).
pub const VLNEXT: usize = 15;

/// `tcsetattr`'s `optional_actions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetWhen {
    /// `TCSANOW`.
    Now,
    /// `TCSADRAIN`: output is never queued behind the caller here, so the
    /// same as `Now`.
    Drain,
    /// `TCSAFLUSH`: also discard unread input.
    Flush,
}

/// `struct termios`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Termios {
    /// Input modes (`ICRNL`, …).
    pub iflag: u32,
    /// Output modes (`OPOST`, `ONLCR`).
    pub oflag: u32,
    /// Control modes (reported only).
    pub cflag: u32,
    /// Local modes (`ICANON`, `ECHO`, `ISIG`, …).
    pub lflag: u32,
    /// Control characters, by `V*` index.
    pub cc: [u8; NCCS],
}

impl Default for Termios {
    /// What Linux gives a fresh pseudo-terminal (`stty sane`).
    fn default() -> Self {
        let mut cc = [0u8; NCCS];
        cc[VINTR] = 0x03;
        cc[VQUIT] = 0x1c;
        cc[VERASE] = 0x7f;
        cc[VKILL] = 0x15;
        cc[VEOF] = 0x04;
        cc[VTIME] = 0;
        cc[VMIN] = 1;
        cc[VSUSP] = 0x1a;
        cc[VREPRINT] = 0x12;
        cc[VWERASE] = 0x17;
        cc[VLNEXT] = 0x16;
        Termios {
            iflag: ICRNL | IXON | IUTF8,
            oflag: OPOST | ONLCR,
            cflag: B38400 | CS8 | CREAD,
            lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
            cc,
        }
    }
}

impl Termios {
    /// `cfmakeraw(3)`: no line editing, echo, signals or output
    /// processing; reads return as soon as one byte is there.
    pub fn make_raw(&mut self) {
        self.iflag &= !(IGNBRK | BRKINT | INLCR | IGNCR | ICRNL | IXON);
        self.oflag &= !OPOST;
        self.lflag &= !(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        self.cflag |= CS8;
        self.cc[VMIN] = 1;
        self.cc[VTIME] = 0;
    }

    /// Whether local flag(s) `f` are all set.
    pub fn l(&self, f: u32) -> bool {
        self.lflag & f == f
    }
}

/// `struct winsize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Winsize {
    /// Lines.
    pub rows: u16,
    /// Columns.
    pub cols: u16,
    /// Width in pixels (unused, reported).
    pub xpixel: u16,
    /// Height in pixels (unused, reported).
    pub ypixel: u16,
}

impl Default for Winsize {
    fn default() -> Self {
        Winsize { rows: 24, cols: 80, xpixel: 0, ypixel: 0 }
    }
}
