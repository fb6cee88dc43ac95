//! Helpers shared by the commands: diagnostics in GNU's format and quoting,
//! option parsing, input reading, sizes, times, users, escapes.

pub mod escape;
pub mod fnmatch;
pub mod input;
pub mod mode;
pub mod opts;
pub mod path;
pub mod posix_regex;
pub mod size;
pub mod time;
pub mod users;
pub mod walk;

use std::io::Write;

use agentos_kernel::{Errno, Task};

pub use input::Input;
pub use opts::{Arg, Parsed, Spec};

/// The program name GNU prints: `argv[0]` as invoked when it names this
/// command (`/usr/bin/cat`), else the command's own name.
pub fn prog(task: &Task, name: &str) -> String {
    match task.argv.first() {
        Some(a0) if a0 == name || a0.ends_with(&format!("/{name}")) => a0.clone(),
        _ => name.to_string(),
    }
}

/// Write `name: msg\n` to standard error, as GNU's `error(3)` does.
pub fn error(task: &Task, name: &str, msg: &str) {
    let _ = task.write_all(2, format!("{}: {msg}\n", prog(task, name)).as_bytes());
}

/// `name: subject: strerror`, with `subject` quoted only if needed
/// (GNU's `quotef`, used by cat, head, wc...).
pub fn error_file(task: &Task, name: &str, path: &str, e: Errno) {
    error(task, name, &format!("{}: {}", quotef(path), e.strerror()));
}

/// The usage hint after a bad option: `Try 'cmd --help' for more information.`
pub fn try_help(task: &Task, name: &str) {
    let _ = task.write_all(2, format!("Try '{} --help' for more information.\n", prog(task, name)).as_bytes());
}

/// Report an option error with the usage hint; returns `status`.
pub fn usage_error(task: &Task, name: &str, msg: &str, status: i32) -> i32 {
    error(task, name, msg);
    try_help(task, name);
    status
}

/// Write `data` to standard output, ignoring errors (a broken pipe ends the
/// process through `SIGPIPE` anyway).
pub fn out(task: &Task, data: &[u8]) {
    let _ = task.write_all(1, data);
}

/// Flush a buffered writer, mapping failure to exit status 1 with GNU's
/// `write error` message.
pub fn finish<W: Write + StickyError>(task: &Task, name: &str, w: &mut W, status: i32) -> i32 {
    let flushed = w.flush().map_err(|e| Errno::from_io(&e));
    match w.sticky_error().map_or(flushed, Err) {
        Ok(()) => status,
        Err(e) => {
            error(task, name, &format!("write error: {}", e.strerror()));
            1
        }
    }
}

/// A writer that remembers its first error, even one the program ignored.
pub trait StickyError {
    /// The first write error, if any.
    fn sticky_error(&self) -> Option<Errno>;
}

impl StickyError for agentos_kernel::task::FdWriter<'_> {
    fn sticky_error(&self) -> Option<Errno> {
        self.error()
    }
}

impl<W: Write + StickyError> StickyError for std::io::BufWriter<W> {
    fn sticky_error(&self) -> Option<Errno> {
        self.get_ref().sticky_error()
    }
}

impl StickyError for Vec<u8> {
    fn sticky_error(&self) -> Option<Errno> {
        None
    }
}

/// Map an `io::Error` from the task's adapters back to an errno.
pub fn io_errno(e: &std::io::Error) -> Errno {
    Errno::from_io(e)
}

/// Characters that make a name need shell quoting anywhere in it.
fn needs_quote(c: char, first: bool, colon: bool) -> bool {
    match c {
        ' ' | '!' | '"' | '$' | '&' | '\'' | '(' | ')' | '*' | ';' | '<' | '=' | '>' | '?' | '[' | '\\' | '^' | '`'
        | '|' => true,
        '#' | '~' => first,
        ':' => colon,
        c => !(c.is_ascii_graphic()),
    }
}

/// GNU `shell-escape` quoting: `'a b'`, `"it's"`, `'a'$'\n''b'`. With
/// `always`, plain names are quoted too (GNU's `quote`, used by rm, ls, cp
/// in messages); otherwise only names that need it (`quotef`), which also
/// quotes names containing `:`.
pub fn shell_quote(s: &str, always: bool, colon: bool) -> String {
    let needs = s.is_empty() || s.chars().enumerate().any(|(i, c)| needs_quote(c, i == 0, colon));
    if !needs {
        return if always { format!("'{s}'") } else { s.to_string() };
    }
    let printable = s.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    if printable && s.contains('\'') && !s.contains(['"', '$', '`', '\\']) {
        return format!("\"{s}\"");
    }
    // Runs of printable text in '...', other bytes in $'...'.
    let mut outs = String::new();
    let mut plain = String::new();
    let mut started = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_graphic() || c == ' ' {
            if c == '\'' {
                plain.push_str("'\\''");
            } else {
                plain.push(c);
            }
            continue;
        }
        if !plain.is_empty() || !started {
            outs.push('\'');
            outs.push_str(&plain);
            outs.push('\'');
            plain.clear();
        }
        started = true;
        outs.push_str("$'");
        let mut buf = [0u8; 4];
        let mut emit = |c: char, outs: &mut String| match c {
            '\n' => outs.push_str("\\n"),
            '\t' => outs.push_str("\\t"),
            '\r' => outs.push_str("\\r"),
            '\x07' => outs.push_str("\\a"),
            '\x08' => outs.push_str("\\b"),
            '\x0b' => outs.push_str("\\v"),
            '\x0c' => outs.push_str("\\f"),
            c => {
                for b in c.encode_utf8(&mut buf).bytes() {
                    outs.push_str(&format!("\\{b:03o}"));
                }
            }
        };
        emit(c, &mut outs);
        while let Some(&n) = chars.peek() {
            if n.is_ascii_graphic() || n == ' ' {
                break;
            }
            emit(n, &mut outs);
            chars.next();
        }
        outs.push('\'');
    }
    if !started {
        return format!("'{plain}'");
    }
    if !plain.is_empty() {
        outs.push('\'');
        outs.push_str(&plain);
        outs.push('\'');
    }
    outs
}

/// GNU `quote()`: always quoted.
pub fn quote(s: &str) -> String {
    shell_quote(s, true, false)
}

/// GNU `quotef()`: quoted only when needed.
pub fn quotef(s: &str) -> String {
    shell_quote(s, false, true)
}

/// Print a one-line usage for `--help`.
pub fn help(task: &Task, name: &str, synopsis: &str) -> i32 {
    out(task, format!("Usage: {name} {synopsis}\n").as_bytes());
    0
}

/// `ls -l`'s ten-character mode string, e.g. `drwxr-xr-x`, `-rwsr-S--T`.
pub fn mode_string(mode: u32) -> String {
    use agentos_kernel::abi::FileType as F;
    let t = match F::from_mode(mode) {
        Some(F::Directory) => 'd',
        Some(F::Symlink) => 'l',
        Some(F::CharDevice) => 'c',
        Some(F::BlockDevice) => 'b',
        Some(F::Fifo) => 'p',
        Some(F::Socket) => 's',
        _ => '-',
    };
    let mut s = String::with_capacity(10);
    s.push(t);
    let bit = |m: u32, c: char| if mode & m != 0 { c } else { '-' };
    let special = |x: bool, s: bool, on: char, off: char| match (x, s) {
        (true, true) => on,
        (false, true) => off,
        (true, false) => 'x',
        (false, false) => '-',
    };
    s.push(bit(0o400, 'r'));
    s.push(bit(0o200, 'w'));
    s.push(special(mode & 0o100 != 0, mode & 0o4000 != 0, 's', 'S'));
    s.push(bit(0o040, 'r'));
    s.push(bit(0o020, 'w'));
    s.push(special(mode & 0o010 != 0, mode & 0o2000 != 0, 's', 'S'));
    s.push(bit(0o004, 'r'));
    s.push(bit(0o002, 'w'));
    s.push(special(mode & 0o001 != 0, mode & 0o1000 != 0, 't', 'T'));
    s
}

/// Linux's `major`/`minor` of a device number.
pub fn dev_major_minor(rdev: u64) -> (u64, u64) {
    (((rdev >> 8) & 0xfff) | ((rdev >> 32) & !0xfff), (rdev & 0xff) | ((rdev >> 12) & !0xff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gnu_quoting() {
        assert_eq!(quote("x"), "'x'");
        assert_eq!(quotef("x"), "x");
        assert_eq!(quotef("a b"), "'a b'");
        assert_eq!(quotef("it's"), "\"it's\"");
        assert_eq!(quotef("it's \"x\""), "'it'\\''s \"x\"'");
        assert_eq!(quotef("a\nb"), "'a'$'\\n''b'");
        assert_eq!(quotef("a\tb"), "'a'$'\\t''b'");
        assert_eq!(quotef("é"), "''$'\\303\\251'");
        assert_eq!(quotef("a#"), "a#");
        assert_eq!(quotef("#a"), "'#a'");
        assert_eq!(quotef("a:b"), "'a:b'");
        assert_eq!(quote("a:b"), "'a:b'");
        assert_eq!(quotef("a]{,"), "a]{,");
        assert_eq!(quote("a\\b"), "'a\\b'");
    }

    #[test]
    fn modes() {
        assert_eq!(mode_string(0o040755), "drwxr-xr-x");
        assert_eq!(mode_string(0o100644), "-rw-r--r--");
        assert_eq!(mode_string(0o104755), "-rwsr-xr-x");
        assert_eq!(mode_string(0o102644), "-rw-r-Sr--");
        assert_eq!(mode_string(0o041777), "drwxrwxrwt");
        assert_eq!(mode_string(0o120777), "lrwxrwxrwx");
        assert_eq!(mode_string(0o020666), "crw-rw-rw-");
        assert_eq!(dev_major_minor(259), (1, 3));
    }
}
