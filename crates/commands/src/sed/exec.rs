//! The sed machine: pattern and hold spaces, addresses with range state,
//! and the commands. One cycle reads a line, runs the script, prints the
//! pattern space (unless `-n`) and flushes the append queue, as in GNU
//! sed's `execute.c`.

use std::rc::Rc;

use regex::bytes::Regex;

use super::io::{Reader, Sinks};
use super::parse::{Addr, Addr2, Command, Kind, Program, Re, Subst};
use super::text::{expand, list};

/// How a cycle ended.
pub enum End {
    /// End of script: autoprint.
    Normal,
    /// `d`, `c`: no autoprint.
    Delete,
    /// `D` with a newline: restart without reading.
    Restart,
    /// `q` (autoprint) or `Q` and the exit status.
    Quit(i32, bool),
    /// A runtime error (message), exit status 4... or 1.
    Fatal(String, i32),
}

#[derive(Clone, Copy, Default)]
struct Range {
    active: bool,
    end: u64,
    zero_done: bool,
}

/// Something to print at the end of the cycle.
enum Queued {
    Text(Vec<u8>),
    File(Vec<u8>),
}

pub struct Options {
    pub quiet: bool,
    pub line_len: usize,
    pub unbuffered: bool,
    pub delim: u8,
}

pub struct Machine {
    pub ps: Vec<u8>,
    hs: Vec<u8>,
    pub line_no: u64,
    /// Whether the current line ended with the delimiter.
    chomped: bool,
    tflag: bool,
    last_re: Option<Rc<Regex>>,
    ranges: Vec<Range>,
    queue: Vec<Queued>,
    /// `R` files being read, by name.
    rfiles: Vec<(Vec<u8>, Vec<u8>, usize)>,
    pub opts: Options,
}

impl Machine {
    pub fn new(prog: &Program, opts: Options) -> Machine {
        Machine {
            ps: Vec::new(),
            hs: Vec::new(),
            line_no: 0,
            chomped: true,
            tflag: false,
            last_re: None,
            ranges: vec![Range::default(); prog.cmds.len()],
            queue: Vec::new(),
            rfiles: Vec::new(),
            opts,
        }
    }

    /// Run the script over every line of `input`. Returns `Some(end)` when
    /// `q`, `Q` or an error stopped everything.
    pub fn run(
        &mut self,
        prog: &Program,
        input: &mut Reader<'_>,
        out: &mut Sinks<'_>,
    ) -> Option<(i32, Option<String>)> {
        while let Some((line, nl)) = input.next_line() {
            self.line_no += 1;
            self.ps = line;
            self.chomped = nl;
            self.tflag = false;
            loop {
                let end = self.execute(prog, input, out);
                match end {
                    End::Normal => {
                        if !self.opts.quiet {
                            self.emit_ps(out, out.main);
                        }
                    }
                    End::Delete => {}
                    End::Restart => {
                        self.dump_queue(input, out);
                        continue;
                    }
                    End::Quit(code, print) => {
                        if print && !self.opts.quiet {
                            self.emit_ps(out, out.main);
                        }
                        self.dump_queue(input, out);
                        return Some((code, None));
                    }
                    End::Fatal(msg, code) => return Some((code, Some(msg))),
                }
                break;
            }
            self.dump_queue(input, out);
            if self.opts.unbuffered {
                out.flush(out.main);
            }
        }
        None
    }

    fn emit_ps(&self, out: &mut Sinks<'_>, sink: usize) {
        out.record(sink, &self.ps, self.chomped, self.opts.delim);
    }

    fn dump_queue(&mut self, input: &mut Reader<'_>, out: &mut Sinks<'_>) {
        for q in std::mem::take(&mut self.queue) {
            match q {
                Queued::Text(t) => out.write(out.main, &t),
                Queued::File(f) => {
                    if let Some(data) = input.slurp(&f) {
                        out.write(out.main, &data);
                    }
                }
            }
        }
    }

    fn regex(&mut self, re: &Re) -> Result<Rc<Regex>, End> {
        match re {
            Some(r) => {
                if !self.last_re.as_ref().is_some_and(|l| Rc::ptr_eq(l, r)) {
                    self.last_re = Some(r.clone());
                }
                Ok(r.clone())
            }
            None => self.last_re.clone().ok_or_else(|| End::Fatal("no previous regular expression".into(), 1)),
        }
    }

    fn match_a1(&mut self, a: &Addr, input: &mut Reader<'_>) -> Result<bool, End> {
        Ok(match a {
            Addr::Line(n) => self.line_no == *n,
            Addr::Last => input.is_last(),
            Addr::Regex(re) => self.regex(re)?.is_match(&self.ps),
            Addr::Step(f, s) => {
                if *s == 0 {
                    self.line_no == *f
                } else {
                    self.line_no >= *f && (self.line_no - f).is_multiple_of(*s)
                }
            }
            Addr::Zero => false,
        })
    }

    fn matches(&mut self, pc: usize, cmd: &Command, input: &mut Reader<'_>) -> Result<bool, End> {
        let r = match (&cmd.a1, &cmd.a2) {
            (None, _) => true,
            (Some(a1), None) => self.match_a1(a1, input)?,
            (Some(a1), Some(a2)) => self.match_range(pc, a1, a2, input)?,
        };
        Ok(r != cmd.negate)
    }

    fn match_range(&mut self, pc: usize, a1: &Addr, a2: &Addr2, input: &mut Reader<'_>) -> Result<bool, End> {
        let line = self.line_no;
        let mut st = self.ranges[pc];
        let result = if st.active {
            match a2 {
                Addr2::Line(n) => {
                    if *n <= line {
                        st.active = false;
                    }
                    line <= *n
                }
                Addr2::Plus(_) | Addr2::Tilde(_) => {
                    if st.end <= line {
                        st.active = false;
                    }
                    line <= st.end
                }
                Addr2::Last => {
                    if input.is_last() {
                        st.active = false;
                    }
                    true
                }
                Addr2::Regex(re) => {
                    if self.regex(re)?.is_match(&self.ps) {
                        st.active = false;
                    }
                    true
                }
            }
        } else if matches!(a1, Addr::Zero) {
            if st.zero_done {
                false
            } else {
                st.zero_done = true;
                st.active = true;
                if let Addr2::Regex(re) = a2
                    && self.regex(re)?.is_match(&self.ps)
                {
                    st.active = false;
                }
                true
            }
        } else if self.match_a1(a1, input)? {
            match a2 {
                Addr2::Line(n) => {
                    st.active = *n > line;
                    st.end = *n;
                }
                Addr2::Plus(n) => {
                    st.active = *n > 0;
                    st.end = line + n;
                }
                Addr2::Tilde(n) => {
                    st.active = *n > 0 && !line.is_multiple_of(*n);
                    if st.active {
                        st.end = line.div_ceil(*n) * n;
                    }
                }
                Addr2::Last => st.active = !input.is_last(),
                Addr2::Regex(_) => st.active = true,
            }
            true
        } else {
            false
        };
        self.ranges[pc] = st;
        Ok(result)
    }

    fn execute(&mut self, prog: &Program, input: &mut Reader<'_>, out: &mut Sinks<'_>) -> End {
        let cmds = &prog.cmds;
        let mut pc = 0;
        while pc < cmds.len() {
            let cmd = &cmds[pc];
            match self.matches(pc, cmd, input) {
                Err(e) => return e,
                Ok(false) => {
                    pc = match cmd.kind {
                        Kind::Block(end) => end + 1,
                        _ => pc + 1,
                    };
                    continue;
                }
                Ok(true) => {}
            }
            let main = out.main;
            match &cmd.kind {
                Kind::Block(_) | Kind::EndBlock | Kind::Label => {}
                Kind::Eq => out.write(main, format!("{}\n", self.line_no).as_bytes()),
                Kind::Append(t) => self.queue.push(Queued::Text(t.clone())),
                Kind::Insert(t) => out.write(main, t),
                Kind::Change(t) => {
                    if cmd.a2.is_none() || !self.ranges[pc].active || cmd.negate {
                        out.write(main, t);
                    }
                    return End::Delete;
                }
                Kind::Branch(kind, target) => {
                    let jump = match kind {
                        b'b' => true,
                        b't' => std::mem::take(&mut self.tflag),
                        _ => !std::mem::take(&mut self.tflag),
                    };
                    if jump {
                        match target {
                            Some(t) => {
                                pc = *t;
                                continue;
                            }
                            None => return End::Normal,
                        }
                    }
                }
                Kind::Delete => return End::Delete,
                Kind::DeleteFirst => match self.ps.iter().position(|&b| b == b'\n') {
                    None => return End::Delete,
                    Some(i) => {
                        self.ps.drain(..=i);
                        return End::Restart;
                    }
                },
                Kind::Get => self.ps.clone_from(&self.hs),
                Kind::GetAppend => {
                    self.ps.push(b'\n');
                    self.ps.extend_from_slice(&self.hs);
                }
                Kind::Hold => self.hs.clone_from(&self.ps),
                Kind::HoldAppend => {
                    self.hs.push(b'\n');
                    self.hs.extend_from_slice(&self.ps);
                }
                Kind::Exchange => std::mem::swap(&mut self.ps, &mut self.hs),
                Kind::List(w) => {
                    let text = list(&self.ps, w.unwrap_or(self.opts.line_len), self.opts.delim);
                    out.write(main, &text);
                }
                Kind::Next => {
                    if input.is_eof() {
                        return End::Quit(0, true);
                    }
                    if !self.opts.quiet {
                        self.emit_ps(out, main);
                    }
                    self.dump_queue(input, out);
                    if let Some((line, nl)) = input.next_line() {
                        self.line_no += 1;
                        self.ps = line;
                        self.chomped = nl;
                    }
                }
                Kind::NextAppend => {
                    if input.is_eof() {
                        return End::Quit(0, true);
                    }
                    self.dump_queue(input, out);
                    if let Some((line, nl)) = input.next_line() {
                        self.line_no += 1;
                        self.ps.push(b'\n');
                        self.ps.extend_from_slice(&line);
                        self.chomped = nl;
                    }
                }
                Kind::Print => self.emit_ps(out, main),
                Kind::PrintFirst => {
                    let end = self.ps.iter().position(|&b| b == b'\n').unwrap_or(self.ps.len());
                    out.record(main, &self.ps[..end], true, self.opts.delim);
                }
                Kind::Quit(c) => return End::Quit(*c, true),
                Kind::QuitSilent(c) => return End::Quit(*c, false),
                Kind::ReadFile(f) => self.queue.push(Queued::File(f.clone())),
                Kind::ReadLine(f) => {
                    if let Some(line) = self.read_line_of(f, input) {
                        self.queue.push(Queued::Text(line));
                    }
                }
                Kind::Write(i) => {
                    let sink = out.wfile(*i);
                    self.emit_ps(out, sink);
                }
                Kind::WriteFirst(i) => {
                    let sink = out.wfile(*i);
                    let end = self.ps.iter().position(|&b| b == b'\n').unwrap_or(self.ps.len());
                    out.record(sink, &self.ps[..end], true, self.opts.delim);
                }
                Kind::Subst(s) => match self.subst(s) {
                    Err(e) => return e,
                    Ok(false) => {}
                    Ok(true) => {
                        if s.print > 0 {
                            self.emit_ps(out, main);
                        }
                        if let Some(i) = s.write {
                            let sink = out.wfile(i);
                            self.emit_ps(out, sink);
                        }
                    }
                },
                Kind::Translate(map) => {
                    for b in self.ps.iter_mut() {
                        *b = map[*b as usize];
                    }
                }
                Kind::Zap => self.ps.clear(),
                Kind::FileName => {
                    let mut n = input.name().as_bytes().to_vec();
                    n.push(b'\n');
                    out.write(main, &n);
                }
            }
            pc += 1;
        }
        End::Normal
    }

    /// The next line of an `R` file, with a newline.
    fn read_line_of(&mut self, name: &[u8], input: &mut Reader<'_>) -> Option<Vec<u8>> {
        if !self.rfiles.iter().any(|(n, _, _)| n == name) {
            let data = input.slurp(name).unwrap_or_default();
            self.rfiles.push((name.to_vec(), data, 0));
        }
        let (_, data, pos) = self.rfiles.iter_mut().find(|(n, _, _)| n == name)?;
        if *pos >= data.len() {
            return None;
        }
        let rest = &data[*pos..];
        let end = rest.iter().position(|&b| b == b'\n').map(|i| i + 1).unwrap_or(rest.len());
        let mut line = rest[..end].to_vec();
        *pos += end;
        if line.last() != Some(&b'\n') {
            line.push(b'\n');
        }
        Some(line)
    }

    fn subst(&mut self, s: &Subst) -> Result<bool, End> {
        let re = self.regex(&s.re)?;
        let ps = &self.ps;
        let mut out = Vec::with_capacity(ps.len() + 16);
        let mut last = 0;
        let mut count = 0;
        let mut done = false;
        if s.uses_groups {
            for caps in re.captures_iter(ps) {
                let Some(m) = caps.get(0) else { continue };
                count += 1;
                if count < s.nth {
                    continue;
                }
                out.extend_from_slice(&ps[last..m.start()]);
                expand(&mut out, &s.repl, |n| caps.get(n).map(|m| m.as_bytes()));
                last = m.end();
                done = true;
                if !s.global {
                    break;
                }
            }
        } else {
            for m in re.find_iter(ps) {
                count += 1;
                if count < s.nth {
                    continue;
                }
                out.extend_from_slice(&ps[last..m.start()]);
                expand(&mut out, &s.repl, |n| (n == 0).then(|| m.as_bytes()));
                last = m.end();
                done = true;
                if !s.global {
                    break;
                }
            }
        }
        if done {
            out.extend_from_slice(&ps[last..]);
            self.ps = out;
            self.tflag = true;
        }
        Ok(done)
    }
}
