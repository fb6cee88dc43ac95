//! The search loop of `grep`: a buffer of whole lines is searched at once
//! with the regex (as ripgrep and GNU grep do, so a file without matches
//! costs one regex scan), and only the lines around matches are split out.
//! Regular files are read whole; pipes in chunks, so `grep -m1` and
//! `grep -q` stop early on endless input.

use std::collections::VecDeque;
use std::io::Write;

use agentos_kernel::abi::Fd;
use agentos_kernel::{Errno, KResult, Task};
use memchr::{memchr, memchr_iter, memrchr};

use super::{Binary, Config};
use crate::util::posix_regex::Regex;

const CHUNK: usize = 256 * 1024;

// GNU grep's default colors (GREP_COLORS' ms, fn, ln, bn, se).
const C_MATCH: &[u8] = b"\x1b[01;31m\x1b[K";
const C_NAME: &[u8] = b"\x1b[35m\x1b[K";
const C_NUM: &[u8] = b"\x1b[32m\x1b[K";
const C_SEP: &[u8] = b"\x1b[36m\x1b[K";
const C_END: &[u8] = b"\x1b[m\x1b[K";

/// State that spans files.
#[derive(Default)]
pub(crate) struct Shared {
    /// Some line was selected somewhere.
    pub matched: bool,
    /// Stop searching altogether (`-q` found a match).
    pub quit: bool,
    /// Something was printed (for `--` between context groups).
    printed: bool,
}

/// Why processing of a file stopped early.
#[derive(PartialEq, Eq)]
enum Flow {
    Go,
    Done,
}

fn w(out: &mut impl Write, b: &[u8]) -> KResult<()> {
    out.write_all(b).map_err(|e| Errno::from_io(&e))
}

pub(crate) struct Searcher<'a> {
    task: &'a Task,
    c: &'a Config,
    re: &'a Regex,
    name: &'a [u8],
    /// Number of the next line to look at (1-based), when tracked.
    lineno: u64,
    /// Byte offset of the current buffer in the file.
    base: u64,
    count: u64,
    /// Line number of the last line printed.
    last_printed: Option<u64>,
    after_left: usize,
    /// The last lines seen that were not printed: (number, offset, text).
    ring: VecDeque<(u64, u64, Vec<u8>)>,
    binary: bool,
    /// Offset of the first NUL, for rg's message.
    nul_at: u64,
    /// `-m` reached: only trailing context is still printed.
    stopping: bool,
    track_lines: bool,
}

impl<'a> Searcher<'a> {
    pub fn new(task: &'a Task, c: &'a Config, re: &'a Regex, name: &'a [u8]) -> Searcher<'a> {
        let track_lines = c.line_number || c.context;
        Searcher {
            task,
            c,
            re,
            name,
            lineno: 1,
            base: 0,
            count: 0,
            last_printed: None,
            after_left: 0,
            ring: VecDeque::new(),
            binary: false,
            nul_at: 0,
            stopping: false,
            track_lines,
        }
    }

    fn context(&self) -> bool {
        self.c.context && !self.c.only
    }

    /// Search an open descriptor to its end and print the per-file
    /// summaries (`-c`, `-L`).
    pub fn search_fd(&mut self, fd: Fd, out: &mut impl Write, sh: &mut Shared) -> KResult<()> {
        let task = self.task;
        let size = task.fstat(fd).ok().filter(|s| s.is_file()).map(|s| s.size as usize);
        let mut buf: Vec<u8> = Vec::with_capacity(size.map_or(CHUNK, |s| s + 1).min(1 << 30));
        let mut flow = Flow::Go;
        let mut first = true;
        loop {
            let start = buf.len();
            // A regular file is read in one call of its size (+1 to see the
            // end); only a growing file or a stream needs more chunks. Never
            // zero-fill more than will be read: that memset dominated small
            // files.
            let want = match size {
                Some(s) if first => s + 1,
                Some(_) => start + 4096,
                None => start + CHUNK,
            };
            buf.resize(want, 0);
            let n = loop {
                match task.read(fd, &mut buf[start..]) {
                    Err(Errno::EINTR) => continue,
                    r => break r,
                }
            };
            let n = match n {
                Ok(n) => n,
                Err(e) => {
                    buf.truncate(start);
                    return Err(e);
                }
            };
            buf.truncate(start + n);
            let eof = n == 0;
            if first || n > 0 {
                if self.c.binary != Binary::Text && !self.binary && self.is_binary(&buf[start..]) {
                    if self.c.binary == Binary::WithoutMatch {
                        return Ok(());
                    }
                    self.binary = true;
                    self.nul_at = self.base + memchr(0, &buf[start..]).map_or(0, |i| (start + i) as u64);
                }
                first = false;
            }
            // Process whole lines; keep a partial last line for later.
            let end = if eof {
                buf.len()
            } else if size.is_some_and(|s| buf.len() < s) {
                continue;
            } else {
                match memrchr(self.c.eol, &buf[start..]) {
                    Some(i) => start + i + 1,
                    None => continue,
                }
            };
            if end > 0 {
                flow = self.process(&buf[..end], out, sh)?;
                self.base += end as u64;
                buf.drain(..end);
            }
            if eof || flow == Flow::Done {
                break;
            }
        }
        let _ = flow;
        self.finish(out, sh)
    }

    fn is_binary(&self, data: &[u8]) -> bool {
        if self.c.eol == 0 {
            return false;
        }
        memchr(0, data).is_some() || (self.c.utf8 && std::str::from_utf8(data).is_err() && !valid_prefix(data))
    }

    fn finish(&mut self, out: &mut impl Write, sh: &mut Shared) -> KResult<()> {
        let c = self.c;
        if sh.quit {
            return Ok(());
        }
        if c.count && !c.quiet {
            if c.with_name {
                self.name_prefix(out, b':')?;
            }
            w(out, format!("{}\n", self.count).as_bytes())?;
        }
        if c.files_without && self.count == 0 && !c.quiet {
            self.print_name_line(out)?;
        }
        if c.line_buffered {
            out.flush().map_err(|e| Errno::from_io(&e))?;
        }
        Ok(())
    }

    fn print_name_line(&self, out: &mut impl Write) -> KResult<()> {
        if self.c.color {
            w(out, C_NAME)?;
            w(out, self.name)?;
            w(out, C_END)?;
        } else {
            w(out, self.name)?;
        }
        w(out, if self.c.null { b"\0" } else { b"\n" })
    }

    /// Find the next line at or after `pos` (a line start) that matches.
    /// Returns its start and end (without the terminator).
    fn next_match(&self, buf: &[u8], mut pos: usize) -> Option<(usize, usize)> {
        let eol = self.c.eol;
        let Some(fast) = self.re.as_bytes_regex() else {
            // The backtracking engine goes line by line.
            while pos < buf.len() {
                let le = memchr(eol, &buf[pos..]).map_or(buf.len(), |i| pos + i);
                if self.line_matches(&buf[pos..le]) {
                    return Some((pos, le));
                }
                pos = le + 1;
            }
            return None;
        };
        while pos < buf.len() {
            let m = fast.find_at(buf, pos)?;
            let s = m.start();
            if s >= buf.len() && buf.last() == Some(&eol) {
                return None;
            }
            let ls = memrchr(eol, &buf[pos..s]).map_or(pos, |i| pos + i + 1);
            let le = memchr(eol, &buf[s..]).map_or(buf.len(), |i| s + i);
            // A match running past the line, or a -w candidate, is checked
            // against the line alone.
            if (m.end() <= le && !self.c.word) || self.line_matches(&buf[ls..le]) {
                return Some((ls, le));
            }
            pos = le + 1;
        }
        None
    }

    /// Whether one line (without terminator) matches, honouring `-w`.
    fn line_matches(&self, line: &[u8]) -> bool {
        if !self.c.word {
            return self.re.is_match(line);
        }
        !self.word_matches(line, true).is_empty()
    }

    /// The matches of a line to show (`-o`, color): with `-w`, only those
    /// with non-word characters (or line edges) on both sides.
    fn word_matches(&self, line: &[u8], first_only: bool) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        let mut at = 0;
        while at <= line.len() {
            let Some((s, e)) = self.re.find_at(line, at) else { break };
            let ok = !self.c.word || (!is_word_before(line, s) && !is_word_at(line, e));
            if ok && (e > s || self.c.word) {
                v.push((s, e));
                if first_only {
                    break;
                }
                at = if e > s { e } else { e + 1 };
            } else {
                at = s + 1;
            }
        }
        v
    }

    fn process(&mut self, buf: &[u8], out: &mut impl Write, sh: &mut Shared) -> KResult<Flow> {
        let mut pos = 0;
        while pos < buf.len() {
            if self.stopping {
                return self.trailing(buf, pos, out, sh);
            }
            let (ms, me) = self.next_match(buf, pos).unwrap_or((buf.len(), buf.len()));
            if self.c.invert {
                let mut p = pos;
                while p < ms {
                    let le = memchr(self.c.eol, &buf[p..ms]).map_or(ms, |i| p + i);
                    if self.selected(buf, p, le, out, sh)? == Flow::Done {
                        return Ok(Flow::Done);
                    }
                    p = le + 1;
                    if self.stopping {
                        return self.trailing(buf, p.min(buf.len()), out, sh);
                    }
                }
            } else {
                self.unselected_region(buf, pos, ms, out, sh)?;
            }
            if ms >= buf.len() {
                break;
            }
            let next = (me + 1).min(buf.len());
            if self.c.invert {
                self.unselected_region(buf, ms, next, out, sh)?;
            } else if self.selected(buf, ms, me, out, sh)? == Flow::Done {
                return Ok(Flow::Done);
            }
            pos = next;
        }
        Ok(Flow::Go)
    }

    /// After `-m` is reached: print what trailing context is due, then stop.
    fn trailing(&mut self, buf: &[u8], mut pos: usize, out: &mut impl Write, sh: &mut Shared) -> KResult<Flow> {
        while self.after_left > 0 && pos < buf.len() {
            let le = memchr(self.c.eol, &buf[pos..]).map_or(buf.len(), |i| pos + i);
            self.print_line(&buf[pos..le], self.lineno, self.base + pos as u64, false, out, sh)?;
            self.after_left -= 1;
            self.lineno += 1;
            pos = le + 1;
        }
        Ok(if self.after_left == 0 { Flow::Done } else { Flow::Go })
    }

    /// Lines `[from, to)` are not selected: print what after-context is
    /// due, remember the last ones for before-context, count them.
    fn unselected_region(
        &mut self,
        buf: &[u8],
        from: usize,
        to: usize,
        out: &mut impl Write,
        sh: &mut Shared,
    ) -> KResult<()> {
        if from >= to {
            return Ok(());
        }
        if !self.track_lines {
            return Ok(());
        }
        let eol = self.c.eol;
        let mut p = from;
        let ctx = self.context();
        while ctx && self.after_left > 0 && p < to {
            let le = memchr(eol, &buf[p..to]).map_or(to, |i| p + i);
            self.print_line(&buf[p..le], self.lineno, self.base + p as u64, false, out, sh)?;
            self.after_left -= 1;
            self.lineno += 1;
            p = le + 1;
        }
        if p >= to {
            return Ok(());
        }
        let region = &buf[p..to];
        let n = memchr_iter(eol, region).count() as u64 + u64::from(region.last() != Some(&eol));
        if ctx && self.c.before > 0 {
            // The last `before` lines of the region, newest last.
            let mut lines = Vec::new();
            let mut end = if region.last() == Some(&eol) { region.len() - 1 } else { region.len() };
            let mut k = 0u64;
            while lines.len() < self.c.before {
                let start = memrchr(eol, &region[..end]).map_or(0, |i| i + 1);
                lines.push((self.lineno + n - 1 - k, self.base + (p + start) as u64, region[start..end].to_vec()));
                k += 1;
                if start == 0 {
                    break;
                }
                end = start - 1;
            }
            for l in lines.into_iter().rev() {
                self.ring.push_back(l);
                if self.ring.len() > self.c.before {
                    self.ring.pop_front();
                }
            }
        }
        self.lineno += n;
        Ok(())
    }

    /// Line `[ls, le)` is selected.
    fn selected(&mut self, buf: &[u8], ls: usize, le: usize, out: &mut impl Write, sh: &mut Shared) -> KResult<Flow> {
        let c = self.c;
        if c.max_count.is_some_and(|m| self.count >= m) {
            return Ok(Flow::Done);
        }
        self.count += 1;
        sh.matched = true;
        if c.quiet {
            sh.quit = true;
            return Ok(Flow::Done);
        }
        if c.files_with {
            self.print_name_line(out)?;
            return Ok(Flow::Done);
        }
        if c.files_without {
            return Ok(Flow::Done);
        }
        let lineno = self.lineno;
        if self.track_lines {
            self.lineno += 1;
        }
        if c.count {
            return Ok(if c.max_count.is_some_and(|m| self.count >= m) { Flow::Done } else { Flow::Go });
        }
        if self.binary {
            if c.rg_binary {
                let msg = format!(
                    "{}: binary file matches (found \"\\0\" byte around offset {})\n",
                    String::from_utf8_lossy(self.name),
                    self.nul_at
                );
                w(out, msg.as_bytes())?;
                return Ok(Flow::Done);
            }
            out.flush().map_err(|e| Errno::from_io(&e))?;
            let msg = format!("grep: {}: binary file matches\n", String::from_utf8_lossy(self.name));
            let _ = self.task.write_all(2, msg.as_bytes());
            return Ok(Flow::Done);
        }
        let line = &buf[ls..le];
        let off = self.base + ls as u64;
        if self.context() {
            let ring = std::mem::take(&mut self.ring);
            for (n, o, text) in &ring {
                self.print_line(text, *n, *o, false, out, sh)?;
            }
        }
        if c.only {
            if !c.invert {
                for (s, e) in self.word_matches(line, false) {
                    if e > s {
                        self.prefix(out, lineno, off + s as u64, b':')?;
                        self.colored(out, &line[s..e], c.color)?;
                        w(out, &[c.eol])?;
                    }
                }
            }
        } else {
            self.print_line(line, lineno, off, true, out, sh)?;
        }
        if c.line_buffered {
            out.flush().map_err(|e| Errno::from_io(&e))?;
        }
        self.after_left = c.after;
        if c.max_count.is_some_and(|m| self.count >= m) {
            self.stopping = true;
            if self.after_left == 0 || !self.context() {
                return Ok(Flow::Done);
            }
        }
        Ok(Flow::Go)
    }

    fn colored(&self, out: &mut impl Write, text: &[u8], on: bool) -> KResult<()> {
        if on {
            w(out, C_MATCH)?;
            w(out, text)?;
            w(out, C_END)
        } else {
            w(out, text)
        }
    }

    fn name_prefix(&self, out: &mut impl Write, sep: u8) -> KResult<()> {
        if self.c.color {
            w(out, C_NAME)?;
            w(out, self.name)?;
            w(out, C_END)?;
        } else {
            w(out, self.name)?;
        }
        if self.c.null { w(out, b"\0") } else { self.sep(out, sep) }
    }

    fn sep(&self, out: &mut impl Write, sep: u8) -> KResult<()> {
        if self.c.color {
            w(out, C_SEP)?;
            w(out, &[sep])?;
            w(out, C_END)
        } else {
            w(out, &[sep])
        }
    }

    fn prefix(&self, out: &mut impl Write, lineno: u64, off: u64, sep: u8) -> KResult<()> {
        let c = self.c;
        if c.with_name {
            self.name_prefix(out, sep)?;
        }
        let io = |e: std::io::Error| Errno::from_io(&e);
        if c.line_number {
            if c.color {
                w(out, C_NUM)?;
            }
            if c.initial_tab { write!(out, "{lineno:>4}") } else { write!(out, "{lineno}") }.map_err(io)?;
            if c.color {
                w(out, C_END)?;
            }
            self.sep(out, sep)?;
        }
        if c.byte_offset {
            write!(out, "{off}").map_err(io)?;
            self.sep(out, sep)?;
        }
        if c.initial_tab && (c.with_name || c.line_number || c.byte_offset) {
            w(out, b"\t")?;
        }
        Ok(())
    }

    /// Print a selected (`:`) or context (`-`) line, with the `--`
    /// separator before a new group.
    fn print_line(
        &mut self,
        line: &[u8],
        lineno: u64,
        off: u64,
        selected: bool,
        out: &mut impl Write,
        sh: &mut Shared,
    ) -> KResult<()> {
        let c = self.c;
        if self.context()
            && let Some(sep) = &c.group_sep
            && sh.printed
            && self.last_printed.is_none_or(|l| lineno > l + 1)
        {
            if c.color {
                w(out, C_SEP)?;
                w(out, sep)?;
                w(out, C_END)?;
            } else {
                w(out, sep)?;
            }
            w(out, b"\n")?;
        }
        sh.printed = true;
        self.last_printed = Some(lineno);
        self.prefix(out, lineno, off, if selected { b':' } else { b'-' })?;
        if selected && c.color && !c.invert {
            let mut at = 0;
            for (s, e) in self.word_matches(line, false) {
                w(out, &line[at..s])?;
                self.colored(out, &line[s..e], true)?;
                at = e;
            }
            w(out, &line[at..])?;
        } else {
            w(out, line)?;
        }
        w(out, &[c.eol])
    }
}

/// A chunk may end inside a UTF-8 sequence; that alone is not binary.
fn valid_prefix(data: &[u8]) -> bool {
    match std::str::from_utf8(data) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn is_word_before(line: &[u8], s: usize) -> bool {
    s > 0 && is_word_byte(line[s - 1])
}

fn is_word_at(line: &[u8], e: usize) -> bool {
    e < line.len() && is_word_byte(line[e])
}
