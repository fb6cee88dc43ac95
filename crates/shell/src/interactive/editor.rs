//! The line editor: reads a command line from the terminal in raw mode.
//!
//! Analogue: readline's emacs mode, the keys people rely on: printable
//! input, Backspace, `^A ^E ^B ^F` and the arrow keys, `^U ^K ^W`, `^L`,
//! up/down through history, Tab completion, Enter; `^C` abandons the line
//! and `^D` on an empty line is end of input. Output is plain VT100:
//! typing at the end of the line echoes the character; other edits redraw
//! the line (`\r`, prompt, text, `ESC[K`, cursor back with `ESC[nD`).
//! Without a terminal it just reads a line.

use agentos_kernel::Task;
use agentos_kernel::abi::{Errno, Fd};
use agentos_kernel::file::termios::{ECHO, ICANON, ICRNL, IEXTEN, INLCR, ISIG, IXON, SetWhen, VMIN, VTIME};

use super::complete;
use crate::state::Shell;

/// What reading a line gave.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadResult {
    Line(String),
    /// `^C`.
    Interrupted,
    /// `^D` on an empty line, or the terminal went away.
    Eof,
}

/// The editor and its history.
pub struct Editor {
    fd: Fd,
    tty: bool,
    history: Vec<String>,
    /// Bytes read but not yet processed.
    pending: Vec<u8>,
}

/// The line being edited.
struct Line {
    buf: Vec<char>,
    pos: usize,
    /// The last line of the prompt (what a redraw rewrites).
    prompt_tail: String,
    prompt: String,
    out: String,
}

impl Line {
    fn text(&self) -> String {
        self.buf.iter().collect()
    }

    /// Rewrite the line and put the cursor back where it belongs.
    fn redraw(&mut self) {
        self.out.push('\r');
        self.out.push_str(&self.prompt_tail);
        let text = self.text();
        self.out.push_str(&text);
        self.out.push_str("\x1b[K");
        self.back(self.buf.len() - self.pos);
    }

    fn back(&mut self, n: usize) {
        if n > 0 {
            self.out.push_str(&format!("\x1b[{n}D"));
        }
    }

    fn forward(&mut self, n: usize) {
        if n > 0 {
            self.out.push_str(&format!("\x1b[{n}C"));
        }
    }

    fn set(&mut self, text: &str) {
        self.buf = text.chars().collect();
        self.pos = self.buf.len();
        self.redraw();
    }

    fn insert(&mut self, s: &str) {
        let at_end = self.pos == self.buf.len();
        for c in s.chars() {
            self.buf.insert(self.pos, c);
            self.pos += 1;
        }
        if at_end {
            self.out.push_str(s);
        } else {
            self.redraw();
        }
    }
}

impl Editor {
    /// An editor reading `fd`; `tty` turns on raw-mode editing.
    pub fn new(fd: Fd, tty: bool) -> Editor {
        Editor { fd, tty, history: Vec::new(), pending: Vec::new() }
    }

    /// Remember a line (not empty, not the same as the last).
    pub fn add_history(&mut self, line: &str) {
        if !line.trim().is_empty() && self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_string());
        }
    }

    /// The history, oldest first.
    pub fn history(&self) -> &[String] {
        &self.history
    }

    fn byte(&mut self, t: &Task) -> Option<u8> {
        if self.pending.is_empty() {
            let mut buf = [0u8; 256];
            loop {
                match t.read(self.fd, &mut buf) {
                    Ok(0) => return None,
                    Ok(n) => {
                        self.pending.extend_from_slice(&buf[..n]);
                        break;
                    }
                    Err(Errno::EINTR) => continue,
                    Err(_) => return None,
                }
            }
        }
        Some(self.pending.remove(0))
    }

    /// Show `prompt` and read one line.
    pub fn read_line(&mut self, sh: &mut Shell, t: &mut Task, prompt: &str) -> ReadResult {
        if !self.tty {
            let _ = t.write_all(2, prompt.as_bytes());
            let mut line = Vec::new();
            loop {
                match self.byte(t) {
                    None if line.is_empty() => return ReadResult::Eof,
                    None | Some(b'\n') => return ReadResult::Line(String::from_utf8_lossy(&line).into_owned()),
                    Some(b) => line.push(b),
                }
            }
        }
        let saved = t.tcgetattr(self.fd).ok();
        if let Some(mut raw) = saved {
            raw.lflag &= !(ICANON | ECHO | ISIG | IEXTEN);
            raw.iflag &= !(ICRNL | INLCR | IXON);
            raw.cc[VMIN] = 1;
            raw.cc[VTIME] = 0;
            let _ = t.tcsetattr(self.fd, SetWhen::Drain, &raw);
        }
        let tail = prompt.rsplit('\n').next().unwrap_or("").to_string();
        let mut line =
            Line { buf: Vec::new(), pos: 0, prompt_tail: tail, prompt: prompt.to_string(), out: String::new() };
        let _ = t.write_all(self.fd, prompt.as_bytes());
        let r = self.edit(sh, t, &mut line);
        if let Some(saved) = saved {
            let _ = t.tcsetattr(self.fd, SetWhen::Drain, &saved);
        }
        r
    }

    fn flush(&self, t: &Task, line: &mut Line) {
        if !line.out.is_empty() {
            let _ = t.write_all(self.fd, std::mem::take(&mut line.out).as_bytes());
        }
    }

    fn edit(&mut self, sh: &mut Shell, t: &mut Task, line: &mut Line) -> ReadResult {
        let mut hidx = self.history.len();
        let mut draft = String::new();
        loop {
            self.flush(t, line);
            let Some(b) = self.byte(t) else { return ReadResult::Eof };
            match b {
                b'\r' | b'\n' => {
                    line.out.push('\n');
                    self.flush(t, line);
                    return ReadResult::Line(line.text());
                }
                0x03 => {
                    line.out.push_str("^C\n");
                    self.flush(t, line);
                    return ReadResult::Interrupted;
                }
                0x04 if line.buf.is_empty() => return ReadResult::Eof,
                0x04 => delete_at(line),
                0x01 => home(line),
                0x05 => end(line),
                0x02 => left(line),
                0x06 => right(line),
                0x7f | 0x08 if line.pos > 0 => {
                    line.pos -= 1;
                    line.buf.remove(line.pos);
                    if line.pos == line.buf.len() {
                        line.out.push_str("\x08\x1b[K");
                    } else {
                        line.redraw();
                    }
                }
                0x7f | 0x08 => {}
                0x15 => {
                    line.buf.drain(..line.pos);
                    line.pos = 0;
                    line.redraw();
                }
                0x0b => {
                    line.buf.truncate(line.pos);
                    line.out.push_str("\x1b[K");
                }
                0x17 => {
                    let mut start = line.pos;
                    while start > 0 && line.buf[start - 1].is_whitespace() {
                        start -= 1;
                    }
                    while start > 0 && !line.buf[start - 1].is_whitespace() {
                        start -= 1;
                    }
                    line.buf.drain(start..line.pos);
                    line.pos = start;
                    line.redraw();
                }
                0x0c => {
                    line.out.push_str("\x1b[H\x1b[2J");
                    line.out.push_str(&line.prompt.clone());
                    let text = line.text();
                    line.out.push_str(&text);
                    let n = line.buf.len() - line.pos;
                    line.back(n);
                }
                b'\t' => self.complete(sh, t, line),
                0x1b => match self.escape(t) {
                    Some(Key::Up) if hidx > 0 => {
                        if hidx == self.history.len() {
                            draft = line.text();
                        }
                        hidx -= 1;
                        line.set(&self.history[hidx].clone());
                    }
                    Some(Key::Down) if hidx < self.history.len() => {
                        hidx += 1;
                        let text = if hidx == self.history.len() { draft.clone() } else { self.history[hidx].clone() };
                        line.set(&text);
                    }
                    Some(Key::Left) => left(line),
                    Some(Key::Right) => right(line),
                    Some(Key::Home) => home(line),
                    Some(Key::End) => end(line),
                    Some(Key::Delete) => delete_at(line),
                    Some(Key::Up) | Some(Key::Down) | None => {}
                },
                b if b >= 0x20 => {
                    let s = self.utf8_char(t, b);
                    line.insert(&s);
                }
                _ => {}
            }
        }
    }

    /// The rest of a UTF-8 character that starts with `first`.
    fn utf8_char(&mut self, t: &Task, first: u8) -> String {
        let len = match first {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => 1,
        };
        let mut bytes = vec![first];
        while bytes.len() < len {
            match self.byte(t) {
                Some(b) => bytes.push(b),
                None => break,
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// An escape sequence after ESC (CSI `ESC [` or SS3 `ESC O`).
    fn escape(&mut self, t: &Task) -> Option<Key> {
        let intro = self.byte(t)?;
        if intro != b'[' && intro != b'O' {
            return None;
        }
        let mut params = String::new();
        loop {
            let b = self.byte(t)?;
            if (0x40..=0x7e).contains(&b) {
                return match (b, params.as_str()) {
                    (b'A', _) => Some(Key::Up),
                    (b'B', _) => Some(Key::Down),
                    (b'C', _) => Some(Key::Right),
                    (b'D', _) => Some(Key::Left),
                    (b'H', _) => Some(Key::Home),
                    (b'F', _) => Some(Key::End),
                    (b'~', "1" | "7") => Some(Key::Home),
                    (b'~', "4" | "8") => Some(Key::End),
                    (b'~', "3") => Some(Key::Delete),
                    _ => None,
                };
            }
            params.push(b as char);
        }
    }

    fn complete(&mut self, sh: &mut Shell, t: &mut Task, line: &mut Line) {
        let before: String = line.buf[..line.pos].iter().collect();
        let c = complete::complete(sh, t, &before);
        let word_len = before[c.start..].chars().count();
        let current: String = before[c.start..].to_string();
        match c.candidates.len() {
            0 => line.out.push('\x07'),
            1 => {
                let cand = &c.candidates[0];
                let mut add: String = cand.chars().skip(word_len).collect();
                if !cand.ends_with('/') {
                    add.push(' ');
                }
                line.insert(&add);
            }
            _ => {
                let lcp = common_prefix(&c.candidates);
                if lcp.chars().count() > current.chars().count() {
                    let add: String = lcp.chars().skip(word_len).collect();
                    line.insert(&add);
                } else {
                    let names: Vec<String> = c
                        .candidates
                        .iter()
                        .map(|s| {
                            let trimmed = s.trim_end_matches('/');
                            let base = trimmed.rsplit('/').next().unwrap_or(trimmed);
                            if s.ends_with('/') { format!("{base}/") } else { base.to_string() }
                        })
                        .collect();
                    line.out.push('\n');
                    line.out.push_str(&names.join("  "));
                    line.out.push('\n');
                    line.out.push_str(&line.prompt.clone());
                    let text = line.text();
                    line.out.push_str(&text);
                    let n = line.buf.len() - line.pos;
                    line.back(n);
                }
            }
        }
    }
}

enum Key {
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    Delete,
}

fn home(line: &mut Line) {
    let n = line.pos;
    line.pos = 0;
    line.back(n);
}

fn end(line: &mut Line) {
    let n = line.buf.len() - line.pos;
    line.pos = line.buf.len();
    line.forward(n);
}

fn left(line: &mut Line) {
    if line.pos > 0 {
        line.pos -= 1;
        line.back(1);
    }
}

fn right(line: &mut Line) {
    if line.pos < line.buf.len() {
        line.pos += 1;
        line.forward(1);
    }
}

fn delete_at(line: &mut Line) {
    if line.pos < line.buf.len() {
        line.buf.remove(line.pos);
        line.redraw();
    }
}

/// The longest common prefix of `words`.
fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else { return String::new() };
    let mut n = first.len();
    for w in &words[1..] {
        n = n.min(first.bytes().zip(w.bytes()).take_while(|(a, b)| a == b).count());
    }
    while !first.is_char_boundary(n) {
        n -= 1;
    }
    first[..n].to_string()
}
