//! POSIX regular expressions (GNU flavour) on top of the `regex` crate:
//! basic (BRE, `grep`, `sed`), extended (ERE, `grep -E`, `sed -E`, `awk`),
//! Perl-ish (`grep -P`, the `regex` crate's own syntax) and fixed strings.
//!
//! Analogue: glibc `regcomp(3)` with GNU's syntax bits, and the error
//! texts of `regerror(3)`. A pattern is translated into `regex` syntax
//! once; the GNU extensions `\+ \? \|` (BRE), `\< \> \b \B \w \W \s \S`,
//! `` \` `` and `\'` are supported, as are bracket expressions with
//! `[:class:]`, `[=c=]` and `[.c.]`.
//!
//! Differences from glibc, by design:
//! - Back-references (`\1` in the pattern) need a backtracking engine:
//!   such patterns are run by `fancy-regex`, which only searches UTF-8
//!   text. In byte mode the text is mapped byte-for-char (Latin-1), so
//!   every byte string works; in UTF-8 mode a line that is not valid
//!   UTF-8 does not match.
//! - POSIX wants the leftmost-*longest* match. [`Regex::find_at`] first
//!   finds the leftmost match, then extends it to the longest one with an
//!   anchored DFA in "all matches" mode, so `ab|abcd` matches `abcd` as in
//!   GNU. Sub-match positions ([`Regex::captures_at`]) keep the `regex`
//!   crate's leftmost-first choices.
//! - In UTF-8 mode `[[:alpha:]]` and friends are Unicode classes; in byte
//!   mode (the C locale) they are ASCII and `.` matches any byte.

use std::fmt::Write as _;

use regex::bytes::{Regex as BytesRegex, RegexBuilder};
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::{Anchored, Input, MatchKind};

/// Which dialect a pattern is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// POSIX basic regular expressions with GNU extensions.
    Basic,
    /// POSIX extended regular expressions with GNU extensions.
    Extended,
    /// The `regex` crate's syntax (Perl-like), passed through; patterns it
    /// rejects (look-around, back-references) go to `fancy-regex`.
    Perl,
    /// A literal string.
    Fixed,
}

/// How to compile a pattern. [`compile`] uses the defaults.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub syntax: Syntax,
    pub icase: bool,
    /// UTF-8 text (a UTF-8 locale) rather than bytes (the C locale).
    pub utf8: bool,
    /// `^` and `$` also match next to `line_terminator` (grep's
    /// whole-buffer search, `sed`'s `M` flag).
    pub multi_line: bool,
    pub line_terminator: u8,
    /// `\n` and `\t` are a newline and a tab (GNU sed), not `n` and `t`.
    pub c_escapes: bool,
}

impl Options {
    pub fn new(syntax: Syntax) -> Options {
        Options { syntax, icase: false, utf8: false, multi_line: false, line_terminator: b'\n', c_escapes: false }
    }
}

/// A translated pattern: `regex`-crate syntax plus what the translation
/// noticed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Translated {
    pub pattern: String,
    /// The pattern has back-references (or Perl look-around) and needs the
    /// backtracking engine.
    pub backrefs: bool,
    /// GNU grep's warnings, e.g. `* at start of expression`.
    pub warnings: Vec<String>,
    /// Number of capture groups.
    pub groups: usize,
}

enum Engine {
    Fast(BytesRegex),
    /// Backtracking; `latin1` maps each byte of the text to one char.
    Fancy {
        re: fancy_regex::Regex,
        latin1: bool,
    },
}

/// A compiled pattern.
pub struct Regex {
    engine: Engine,
    /// Anchored DFA reporting the longest match, for POSIX syntaxes.
    longest: Option<(DFA, std::sync::Mutex<Cache>)>,
    groups: usize,
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for Regex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.engine {
            Engine::Fast(r) => write!(f, "Regex({:?})", r.as_str()),
            Engine::Fancy { re, .. } => write!(f, "Regex({:?})", re.as_str()),
        }
    }
}

/// Compile `pattern` (bytes or `&str`) with default [`Options`].
pub fn compile(pattern: impl AsRef<[u8]>, syntax: Syntax, icase: bool) -> Result<Regex, String> {
    compile_with(pattern.as_ref(), &Options { icase, ..Options::new(syntax) })
}

/// Whether the task's locale (`LC_ALL`, `LC_CTYPE`, `LANG`) is UTF-8.
pub fn utf8_locale(task: &agentos_kernel::Task) -> bool {
    let v = ["LC_ALL", "LC_CTYPE", "LANG"].iter().find_map(|k| task.getenv(k).filter(|v| !v.is_empty()));
    v.is_some_and(|v| {
        let l = v.to_ascii_lowercase();
        l.contains("utf-8") || l.contains("utf8")
    })
}

fn flags(o: &Options, backtracking: bool) -> String {
    let mut f = String::new();
    if o.icase {
        f.push('i');
    }
    if o.multi_line {
        f.push('m');
    }
    if !o.utf8 && !backtracking && o.syntax != Syntax::Perl {
        f.push_str("-u");
    }
    if f.is_empty() { f } else { format!("(?{f})") }
}

/// Compile with explicit options.
pub fn compile_with(pattern: &[u8], o: &Options) -> Result<Regex, String> {
    compile_translated(translate(pattern, o)?, o)
}

/// Compile several patterns as alternatives, as grep does with `-e A -e
/// B`; with `whole_line`, a match must span a whole line (`grep -x`).
/// Back-references keep referring to their own pattern's groups.
pub fn compile_many(patterns: &[&[u8]], o: &Options, whole_line: bool) -> Result<Regex, String> {
    let mut all = Translated { pattern: String::new(), backrefs: false, warnings: vec![], groups: 0 };
    for (k, p) in patterns.iter().enumerate() {
        let t = translate_at(p, o, all.groups)?;
        if k > 0 {
            all.pattern.push('|');
        }
        if patterns.len() > 1 {
            let _ = write!(all.pattern, "(?:{})", t.pattern);
        } else {
            all.pattern.push_str(&t.pattern);
        }
        all.backrefs |= t.backrefs;
        all.warnings.extend(t.warnings);
        all.groups += t.groups;
    }
    if patterns.is_empty() {
        // Nothing can match.
        all.pattern = "[^\\x00-\\x{10FFFF}]".into();
        if !o.utf8 {
            all.pattern = "[^\\x00-\\xFF]".into();
        }
    }
    if whole_line {
        all.pattern = format!("^(?:{})$", all.pattern);
    }
    compile_translated(all, o)
}

fn compile_translated(t: Translated, o: &Options) -> Result<Regex, String> {
    let fast = || {
        let mut b = RegexBuilder::new(&format!("{}{}", flags(o, false), t.pattern));
        b.line_terminator(o.line_terminator).size_limit(64 << 20).dfa_size_limit(16 << 20);
        b.build()
    };
    let engine = if t.backrefs {
        None
    } else {
        match fast() {
            Ok(r) => Some(Engine::Fast(r)),
            Err(e) if o.syntax != Syntax::Perl => return Err(regex_error(&e)),
            Err(_) => None,
        }
    };
    let engine = match engine {
        Some(e) => e,
        None => {
            let latin1 = !o.utf8;
            let pat = if latin1 { to_latin1_pattern(&t.pattern) } else { t.pattern.clone() };
            let pat = format!("{}{}", flags(o, true), pat);
            let re =
                fancy_regex::RegexBuilder::new(&pat).backtrack_limit(10_000_000).build().map_err(|e| e.to_string())?;
            Engine::Fancy { re, latin1 }
        }
    };
    let posix = matches!(o.syntax, Syntax::Basic | Syntax::Extended);
    let longest = match (&engine, posix) {
        (Engine::Fast(_), true) => build_longest(&t.pattern, o),
        _ => None,
    };
    Ok(Regex { engine, longest, groups: t.groups, warnings: t.warnings })
}

fn build_longest(pattern: &str, o: &Options) -> Option<(DFA, std::sync::Mutex<Cache>)> {
    let syntax = regex_automata::util::syntax::Config::new()
        .case_insensitive(o.icase)
        .multi_line(o.multi_line)
        .line_terminator(o.line_terminator)
        .unicode(o.utf8)
        .utf8(false);
    let dfa = DFA::builder()
        .syntax(syntax)
        .configure(DFA::config().match_kind(MatchKind::All).starts_for_each_pattern(false))
        .build(pattern)
        .ok()?;
    let cache = dfa.create_cache();
    Some((dfa, std::sync::Mutex::new(cache)))
}

/// The text of a `regex` crate error, reduced to its last line.
fn regex_error(e: &regex::Error) -> String {
    match e {
        regex::Error::CompiledTooBig(_) => "Regular expression too big".into(),
        e => e.to_string().lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("Invalid regular expression").into(),
    }
}

/// Re-encode a pattern whose literal bytes were written as UTF-8 so that
/// each byte becomes one char (for matching Latin-1-mapped text).
fn to_latin1_pattern(p: &str) -> String {
    let mut s = String::with_capacity(p.len());
    for c in p.chars() {
        if c.is_ascii() {
            s.push(c);
        } else {
            let mut b = [0u8; 4];
            for &x in c.encode_utf8(&mut b).as_bytes() {
                s.push(x as char);
            }
        }
    }
    s
}

/// Map bytes to chars one-to-one; returns the text and, if any byte was
/// non-ASCII, the text offset of each byte (plus the end).
fn latin1(hay: &[u8]) -> (String, Option<Vec<usize>>) {
    let s: String = hay.iter().map(|&b| b as char).collect();
    if hay.is_ascii() {
        return (s, None);
    }
    let mut offs = Vec::with_capacity(hay.len() + 1);
    let mut o = 0;
    for &b in hay {
        offs.push(o);
        o += if b < 0x80 { 1 } else { 2 };
    }
    offs.push(o);
    (s, Some(offs))
}

impl Regex {
    /// Number of capture groups, not counting the whole match.
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// The underlying `regex` crate matcher, unless the pattern needs the
    /// backtracking engine.
    pub fn as_bytes_regex(&self) -> Option<&BytesRegex> {
        match &self.engine {
            Engine::Fast(r) => Some(r),
            Engine::Fancy { .. } => None,
        }
    }

    pub fn is_match(&self, hay: &[u8]) -> bool {
        match &self.engine {
            Engine::Fast(r) => r.is_match(hay),
            Engine::Fancy { .. } => self.captures_at(hay, 0).is_some(),
        }
    }

    /// The leftmost-longest match starting at or after `start`.
    pub fn find_at(&self, hay: &[u8], start: usize) -> Option<(usize, usize)> {
        match &self.engine {
            Engine::Fast(r) => {
                let m = r.find_at(hay, start)?;
                Some((m.start(), self.extend(hay, m.start(), m.end())))
            }
            Engine::Fancy { .. } => self.captures_at(hay, start).and_then(|c| c[0]),
        }
    }

    /// Extend a match found at `s..e` to the longest match starting at `s`.
    fn extend(&self, hay: &[u8], s: usize, e: usize) -> usize {
        let Some((dfa, cache)) = &self.longest else { return e };
        let Ok(mut cache) = cache.lock() else { return e };
        let input = Input::new(hay).range(s..).anchored(Anchored::Yes);
        match dfa.try_search_fwd(&mut cache, &input) {
            Ok(Some(m)) if m.offset() > e => m.offset(),
            _ => e,
        }
    }

    /// Positions of the whole match (index 0) and of every group, for the
    /// leftmost match at or after `start`.
    #[allow(clippy::type_complexity)]
    pub fn captures_at(&self, hay: &[u8], start: usize) -> Option<Vec<Option<(usize, usize)>>> {
        match &self.engine {
            Engine::Fast(r) => {
                let c = r.captures_at(hay, start)?;
                Some(c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            }
            Engine::Fancy { re, latin1: true } => {
                let (text, offs) = latin1(hay);
                let tstart = offs.as_ref().map_or(start, |o| o[start.min(hay.len())]);
                let c = re.captures_from_pos(&text, tstart).ok()??;
                let back = |t: usize| match &offs {
                    None => t,
                    Some(o) => o.partition_point(|&x| x < t),
                };
                Some(c.iter().map(|m| m.map(|m| (back(m.start()), back(m.end())))).collect())
            }
            Engine::Fancy { re, latin1: false } => {
                let text = std::str::from_utf8(hay).ok()?;
                if !text.is_char_boundary(start.min(text.len())) {
                    return None;
                }
                let c = re.captures_from_pos(text, start).ok()??;
                Some(c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            }
        }
    }

    /// Every non-overlapping match, as `(start, end)`; an empty match right
    /// after a previous match is skipped, as GNU does.
    pub fn find_iter(&self, hay: &[u8]) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        let mut at = 0;
        let mut last_end = None;
        while at <= hay.len() {
            let Some((s, e)) = self.find_at(hay, at) else { break };
            if s == e && last_end == Some(s) {
                at = s + 1;
                continue;
            }
            v.push((s, e));
            last_end = Some(e);
            at = if e > s { e } else { e + 1 };
        }
        v
    }
}

/// Translate `pattern` into `regex` crate syntax.
pub fn translate(pattern: &[u8], o: &Options) -> Result<Translated, String> {
    translate_at(pattern, o, 0)
}

/// Translate with this pattern's groups numbered after `offset` others.
fn translate_at(pattern: &[u8], o: &Options, offset: usize) -> Result<Translated, String> {
    match o.syntax {
        Syntax::Fixed => {
            let mut out = String::new();
            for (i, _) in pattern.iter().enumerate() {
                push_literal(&mut out, pattern, i, o.utf8);
            }
            Ok(Translated { pattern: out, backrefs: false, warnings: vec![], groups: 0 })
        }
        Syntax::Perl => {
            let p = String::from_utf8_lossy(pattern).into_owned();
            let groups = count_perl_groups(&p);
            Ok(Translated { pattern: p, backrefs: false, warnings: vec![], groups })
        }
        Syntax::Basic | Syntax::Extended => {
            let mut t = Translator::new(pattern, o);
            t.offset = offset;
            t.run()
        }
    }
}

fn count_perl_groups(p: &str) -> usize {
    let b = p.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'(' if b.get(i + 1) != Some(&b'?') || b.get(i + 2) == Some(&b'P') || b.get(i + 2) == Some(&b'<') => n += 1,
            _ => {}
        }
        i += 1;
    }
    n
}

/// Append pattern byte `i` as a literal. Non-ASCII bytes stay literal
/// characters when they are part of valid UTF-8 (written once, at the
/// sequence's first byte) and become `\xHH` otherwise.
fn push_literal(out: &mut String, p: &[u8], i: usize, utf8: bool) {
    let b = p[i];
    if b.is_ascii() {
        if regex_syntax_meta(b) {
            out.push('\\');
        }
        out.push(b as char);
        return;
    }
    match utf8_char_at(p, i) {
        Some((c, _)) if utf8 => out.push(c),
        // A continuation byte of a char already written.
        _ if utf8 && is_inside_char(p, i) => {}
        _ if utf8 => {
            let _ = write!(out, "(?-u:\\x{b:02X})");
        }
        _ => {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
}

fn regex_syntax_meta(b: u8) -> bool {
    matches!(
        b,
        b'\\'
            | b'.'
            | b'+'
            | b'*'
            | b'?'
            | b'('
            | b')'
            | b'|'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'^'
            | b'$'
            | b'#'
            | b'&'
            | b'-'
            | b'~'
    )
}

fn utf8_char_at(p: &[u8], i: usize) -> Option<(char, usize)> {
    let len = match p[i] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let s = std::str::from_utf8(p.get(i..i + len)?).ok()?;
    s.chars().next().map(|c| (c, len))
}

fn is_inside_char(p: &[u8], i: usize) -> bool {
    (1..4).any(|k| i >= k && utf8_char_at(p, i - k).is_some_and(|(_, len)| len > k))
}

struct Translator<'a> {
    p: &'a [u8],
    o: &'a Options,
    ere: bool,
    i: usize,
    out: String,
    /// Start offsets in `out` of open groups, with their group number.
    open: Vec<(usize, usize)>,
    /// Groups closed so far (back-references may only name those).
    closed: Vec<usize>,
    groups: usize,
    /// Groups of the patterns before this one (`compile_many`).
    offset: usize,
    /// Where the last atom starts in `out`, if it can take a quantifier.
    atom: Option<usize>,
    /// The last atom already carries a quantifier.
    quantified: bool,
    backrefs: bool,
    warnings: Vec<String>,
}

const BAD_BRACKET: &str = "Unmatched [, [^, [:, [., or [=";

impl<'a> Translator<'a> {
    fn new(p: &'a [u8], o: &'a Options) -> Translator<'a> {
        Translator {
            p,
            o,
            ere: o.syntax == Syntax::Extended,
            i: 0,
            out: String::with_capacity(p.len() * 2),
            open: vec![],
            closed: vec![],
            groups: 0,
            offset: 0,
            atom: None,
            quantified: false,
            backrefs: false,
            warnings: vec![],
        }
    }

    /// At the start of the pattern, a group or an alternative: where a BRE
    /// `*` is literal and `^` is an anchor.
    fn at_start(&self) -> bool {
        self.atom.is_none()
            && (self.out.is_empty()
                || self.out.ends_with('(')
                || self.out.ends_with('|')
                || self.out.ends_with("(?:")
                || self.out == "^"
                || self.out.ends_with("(^")
                || self.out.ends_with("|^"))
    }

    fn begin_atom(&mut self) {
        self.atom = Some(self.out.len());
        self.quantified = false;
    }

    fn no_atom(&mut self) {
        self.atom = None;
        self.quantified = false;
    }

    fn run(mut self) -> Result<Translated, String> {
        while self.i < self.p.len() {
            let c = self.p[self.i];
            self.i += 1;
            match c {
                b'\\' => self.escape()?,
                b'[' => {
                    self.begin_atom();
                    self.bracket()?;
                }
                b'.' => {
                    self.begin_atom();
                    self.out.push('.');
                }
                b'*' => self.star()?,
                b'^' => self.caret(),
                b'$' => self.dollar(),
                b'(' if self.ere => self.open_group(),
                b')' if self.ere && !self.open.is_empty() => self.close_group()?,
                b'|' if self.ere => self.alternative(),
                b'+' | b'?' if self.ere => self.quantifier(&(c as char).to_string(), c as char)?,
                b'{' if self.ere => self.interval()?,
                _ => {
                    self.begin_atom();
                    push_literal(&mut self.out, self.p, self.i - 1, self.o.utf8);
                }
            }
        }
        if !self.open.is_empty() {
            return Err("Unmatched ( or \\(".into());
        }
        Ok(Translated { pattern: self.out, backrefs: self.backrefs, warnings: self.warnings, groups: self.groups })
    }

    fn escape(&mut self) -> Result<(), String> {
        let Some(&c) = self.p.get(self.i) else { return Err("Trailing backslash".into()) };
        self.i += 1;
        let ere = self.ere;
        match c {
            b'(' if !ere => self.open_group(),
            b')' if !ere => {
                if self.open.is_empty() {
                    return Err("Unmatched ) or \\)".into());
                }
                self.close_group()?;
            }
            b'|' if !ere => self.alternative(),
            b'{' if !ere => self.interval()?,
            b'+' | b'?' if !ere => self.quantifier(&(c as char).to_string(), c as char)?,
            b'1'..=b'9' => {
                let n = (c - b'0') as usize;
                if !self.closed.contains(&n) {
                    return Err("Invalid back reference".into());
                }
                self.begin_atom();
                self.backrefs = true;
                let _ = write!(self.out, "\\{}", n + self.offset);
            }
            b'<' => self.assertion("\\b{start}", "\\b(?=\\w)"),
            b'>' => self.assertion("\\b{end}", "\\b(?<=\\w)"),
            b'b' => self.assertion("\\b", "\\b"),
            b'B' => self.assertion("\\B", "\\B"),
            b'`' => self.assertion("\\A", "\\A"),
            b'\'' => self.assertion("\\z", "\\z"),
            b'w' | b'W' | b's' | b'S' => {
                self.begin_atom();
                let class = match c {
                    b'w' => "[_[:alnum:]]",
                    b'W' => "[^_[:alnum:]]",
                    b's' => "[[:space:]]",
                    _ => "[^[:space:]]",
                };
                let t = Translator::new(class.as_bytes(), self.o).run()?;
                self.out.push_str(&t.pattern);
            }
            b'n' if self.o.c_escapes => {
                self.begin_atom();
                self.out.push_str("\\n");
            }
            b't' if self.o.c_escapes => {
                self.begin_atom();
                self.out.push_str("\\t");
            }
            _ => {
                self.begin_atom();
                push_literal(&mut self.out, self.p, self.i - 1, self.o.utf8);
            }
        }
        Ok(())
    }

    fn assertion(&mut self, fast: &str, fancy: &str) {
        // Anchors take no quantifier; one that follows is literal in BRE.
        self.no_atom();
        self.out.push_str(if self.backrefs_possible() { fancy } else { fast });
    }

    /// Whether the pattern has a back-reference anywhere (then the whole
    /// pattern is written for `fancy-regex`).
    fn backrefs_possible(&self) -> bool {
        let mut i = 0;
        while i + 1 < self.p.len() {
            if self.p[i] == b'\\' {
                if self.p[i + 1].is_ascii_digit() && self.p[i + 1] != b'0' {
                    return true;
                }
                i += 2;
            } else {
                i += 1;
            }
        }
        false
    }

    fn open_group(&mut self) {
        self.groups += 1;
        self.open.push((self.out.len(), self.groups));
        self.out.push('(');
        self.no_atom();
    }

    fn close_group(&mut self) -> Result<(), String> {
        let Some((start, n)) = self.open.pop() else { return Err("Unmatched ) or \\)".into()) };
        self.out.push(')');
        self.closed.push(n);
        self.atom = Some(start);
        self.quantified = false;
        Ok(())
    }

    fn alternative(&mut self) {
        self.out.push('|');
        self.no_atom();
    }

    fn caret(&mut self) {
        let start = self.atom.is_none() && (self.out.is_empty() || self.out.ends_with(['(', '|']));
        if self.ere || start {
            self.out.push('^');
            self.no_atom();
        } else {
            self.begin_atom();
            self.out.push_str("\\^");
        }
    }

    fn dollar(&mut self) {
        let rest = &self.p[self.i..];
        let anchor = self.ere || rest.is_empty() || rest.starts_with(b"\\)") || rest.starts_with(b"\\|");
        if anchor {
            self.out.push('$');
            self.no_atom();
        } else {
            self.begin_atom();
            self.out.push_str("\\$");
        }
    }

    fn star(&mut self) -> Result<(), String> {
        if self.atom.is_none() {
            // A `*` after an anchor or at the start is literal.
            if self.ere && self.at_start() {
                self.warnings.push("* at start of expression".into());
            }
            self.begin_atom();
            self.out.push_str("\\*");
            return Ok(());
        }
        self.quantifier("*", '*')
    }

    /// Apply quantifier `q` to the last atom; one with nothing to apply to
    /// is literal (GNU warns in ERE).
    fn quantifier(&mut self, q: &str, shown: char) -> Result<(), String> {
        let Some(start) = self.atom else {
            if self.ere {
                self.warnings.push(format!("{shown} at start of expression"));
            }
            self.begin_atom();
            let _ = write!(self.out, "\\{shown}");
            return Ok(());
        };
        if self.quantified {
            // `a**`, `a+?`: quantify the quantified atom as a whole.
            self.out.insert_str(start, "(?:");
            self.out.push(')');
        }
        self.out.push_str(q);
        self.quantified = true;
        Ok(())
    }

    /// `{m}`, `{m,}`, `{,n}`, `{m,n}` after `{` (ERE) or `\{` (BRE).
    fn interval(&mut self) -> Result<(), String> {
        let start = self.i;
        let num = |t: &mut Self| -> Option<u32> {
            let s = t.i;
            while t.i < t.p.len() && t.p[t.i].is_ascii_digit() {
                t.i += 1;
            }
            if t.i == s { None } else { std::str::from_utf8(&t.p[s..t.i]).ok()?.parse().ok().or(Some(u32::MAX)) }
        };
        let min = num(self);
        let max = if self.p.get(self.i) == Some(&b',') {
            self.i += 1;
            Some(num(self))
        } else {
            None
        };
        let closed = if self.ere {
            self.p.get(self.i) == Some(&b'}')
        } else {
            self.p.get(self.i) == Some(&b'\\') && self.p.get(self.i + 1) == Some(&b'}')
        };
        if !closed {
            if self.ere {
                // Not an interval: `{` is an ordinary character, unless it
                // looked like one with junk inside.
                let junk = self.i < self.p.len() && (min.is_some() || max.is_some()) && self.p[self.i] == b',';
                if junk {
                    return Err("Invalid content of \\{\\}".into());
                }
                self.i = start;
                self.begin_atom();
                self.out.push_str("\\{");
                return Ok(());
            }
            return Err(if self.i >= self.p.len() || self.p[self.i..].windows(2).all(|w| w != b"\\}") {
                "Unmatched \\{".into()
            } else {
                "Invalid content of \\{\\}".into()
            });
        }
        self.i += if self.ere { 1 } else { 2 };
        if min.is_none() && max.is_none() {
            return Err("Invalid content of \\{\\}".into());
        }
        let lo = min.unwrap_or(0);
        let hi = match max {
            None => Some(lo),
            Some(h) => h,
        };
        if lo > 32767 || hi.is_some_and(|h| h > 32767) {
            return Err("Regular expression too big".into());
        }
        if hi.is_some_and(|h| h < lo) {
            return Err("Invalid content of \\{\\}".into());
        }
        if self.atom.is_none() {
            if self.ere {
                self.warnings.push("{...} at start of expression".into());
                self.i = start;
                self.begin_atom();
                self.out.push_str("\\{");
                return Ok(());
            }
            // GNU takes a BRE interval with nothing before it literally.
            self.begin_atom();
            self.out.push_str("\\{");
            for k in start..self.i {
                if self.p[k] != b'\\' {
                    push_literal(&mut self.out, self.p, k, self.o.utf8);
                }
            }
            return Ok(());
        }
        let q = match hi {
            Some(h) if h == lo => format!("{{{lo}}}"),
            Some(h) => format!("{{{lo},{h}}}"),
            None => format!("{{{lo},}}"),
        };
        self.quantifier(&q, '{')
    }

    /// A bracket expression; `self.i` is just past `[`.
    fn bracket(&mut self) -> Result<(), String> {
        let p = self.p;
        let mut i = self.i;
        let negate = p.get(i) == Some(&b'^');
        if negate {
            i += 1;
        }
        if i >= p.len() {
            // glibc's wording for a pattern ending at `[` or `[^`.
            return Err("Invalid regular expression".into());
        }
        let mut items = String::new();
        let mut first = true;
        loop {
            let Some(&c) = p.get(i) else { return Err(BAD_BRACKET.into()) };
            if c == b']' && !first {
                i += 1;
                break;
            }
            first = false;
            // A character (code point or byte) or a class.
            let (lo, next) = match c {
                b'[' if matches!(p.get(i + 1), Some(b':' | b'=' | b'.')) => {
                    let kind = p[i + 1];
                    let body_start = i + 2;
                    let end = p[body_start..]
                        .windows(2)
                        .position(|w| w[0] == kind && w[1] == b']')
                        .ok_or_else(|| BAD_BRACKET.to_string())?;
                    let body = &p[body_start..body_start + end];
                    let after = body_start + end + 2;
                    if kind == b':' {
                        let name = std::str::from_utf8(body).unwrap_or("");
                        items.push_str(&self.class(name)?);
                        i = after;
                        continue;
                    }
                    // `[=c=]` and `[.c.]`: a single character.
                    match decode(body, 0, self.o.utf8) {
                        Some((ch, n)) if n == body.len() => (ch, after),
                        _ => return Err("Invalid collation character".into()),
                    }
                }
                _ => decode(p, i, self.o.utf8).ok_or_else(|| BAD_BRACKET.to_string())?,
            };
            // A range `lo-hi` (a `-` before `]` is literal).
            if p.get(next) == Some(&b'-') && p.get(next + 1).is_some_and(|&b| b != b']') {
                let (hi, after) = match (p.get(next + 1), p.get(next + 2)) {
                    (Some(b'['), Some(b'.' | b'=')) => {
                        let kind = p[next + 2];
                        let s = next + 3;
                        let end = p[s..]
                            .windows(2)
                            .position(|w| w[0] == kind && w[1] == b']')
                            .ok_or_else(|| BAD_BRACKET.to_string())?;
                        match decode(&p[s..s + end], 0, self.o.utf8) {
                            Some((ch, n)) if n == end => (ch, s + end + 2),
                            _ => return Err("Invalid collation character".into()),
                        }
                    }
                    _ => decode(p, next + 1, self.o.utf8).ok_or_else(|| BAD_BRACKET.to_string())?,
                };
                if hi < lo {
                    return Err("Invalid range end".into());
                }
                push_class_char(&mut items, lo, self.o.utf8);
                items.push('-');
                push_class_char(&mut items, hi, self.o.utf8);
                i = after;
                continue;
            }
            push_class_char(&mut items, lo, self.o.utf8);
            i = next;
        }
        self.i = i;
        if negate {
            // A negated list never matches the line terminator.
            let _ = write!(self.out, "[^{items}\\n]");
        } else {
            let _ = write!(self.out, "[{items}]");
        }
        Ok(())
    }

    /// `[:name:]` as a `regex` class item.
    fn class(&self, name: &str) -> Result<String, String> {
        const NAMES: [&str; 12] = [
            "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "print", "graph", "cntrl", "xdigit",
        ];
        if !NAMES.contains(&name) {
            return Err("Invalid character class name".into());
        }
        if self.o.utf8 {
            let u = match name {
                "alpha" => Some("\\p{Alphabetic}"),
                "alnum" => Some("\\p{Alphabetic}\\p{Nd}"),
                "upper" => Some("\\p{Uppercase}"),
                "lower" => Some("\\p{Lowercase}"),
                "space" => Some("\\s"),
                _ => None,
            };
            if let Some(u) = u {
                return Ok(u.into());
            }
        }
        Ok(format!("[:{name}:]"))
    }
}

/// One character of the pattern at `i`: a UTF-8 code point in UTF-8 mode,
/// else a byte. Returns it and the index after it.
fn decode(p: &[u8], i: usize, utf8: bool) -> Option<(u32, usize)> {
    let b = *p.get(i)?;
    if utf8 && let Some((c, n)) = utf8_char_at(p, i) {
        return Some((c as u32, i + n));
    }
    Some((b as u32, i + 1))
}

fn push_class_char(out: &mut String, c: u32, utf8: bool) {
    if c < 0x80 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            let _ = write!(out, "\\x{b:02X}");
        }
    } else if utf8 && let Some(ch) = char::from_u32(c) {
        let _ = write!(out, "\\x{{{:X}}}", ch as u32);
    } else {
        let _ = write!(out, "\\x{c:02X}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(p: &str, syntax: Syntax) -> String {
        match translate(p.as_bytes(), &Options::new(syntax)) {
            Ok(t) => t.pattern,
            Err(e) => format!("ERR {e}"),
        }
    }

    fn bre(p: &str) -> String {
        tr(p, Syntax::Basic)
    }

    fn ere(p: &str) -> String {
        tr(p, Syntax::Extended)
    }

    fn find(p: &str, syntax: Syntax, hay: &str) -> Option<(usize, usize)> {
        compile(p, syntax, false).unwrap().find_at(hay.as_bytes(), 0)
    }

    #[test]
    fn basic_translation() {
        assert_eq!(bre("a.b"), "a.b");
        assert_eq!(bre("a+b?"), "a\\+b\\?");
        assert_eq!(bre("a\\+b\\?"), "a+b?");
        assert_eq!(bre("\\(ab\\)*"), "(ab)*");
        assert_eq!(bre("a\\|b"), "a|b");
        assert_eq!(bre("*a"), "\\*a");
        assert_eq!(bre("^*a"), "^\\*a");
        assert_eq!(bre("\\(*a\\)"), "(\\*a)");
        assert_eq!(bre("a\\{2,3\\}"), "a{2,3}");
        assert_eq!(bre("a\\{2\\}"), "a{2}");
        assert_eq!(bre("a\\{,3\\}"), "a{0,3}");
        assert_eq!(bre("a\\{2,\\}"), "a{2,}");
        assert_eq!(bre("a{2}"), "a\\{2\\}");
        assert_eq!(bre("a|b"), "a\\|b");
        assert_eq!(bre("a^b$c"), "a\\^b\\$c");
        assert_eq!(bre("^ab$"), "^ab$");
        assert_eq!(bre("\\(^a$\\)"), "(^a$)");
        assert_eq!(bre("a**"), "(?:a*)*");
        assert_eq!(bre("\\<w\\>"), "\\b{start}w\\b{end}");
        assert_eq!(bre("\\."), "\\.");
        assert_eq!(bre("\\d"), "d");
        assert_eq!(bre("a b#"), "a b\\#");
    }

    #[test]
    fn extended_translation() {
        assert_eq!(ere("(a|b)+c?"), "(a|b)+c?");
        assert_eq!(ere("a+?"), "(?:a+)?");
        assert_eq!(ere("a{1}{2}"), "(?:a{1}){2}");
        assert_eq!(ere("a{1"), "a\\{1");
        assert_eq!(ere("a{x"), "a\\{x");
        assert_eq!(ere("a{,2}"), "a{0,2}");
        assert_eq!(ere("a{1,2,3}"), "ERR Invalid content of \\{\\}");
        assert_eq!(ere("a{2,1}"), "ERR Invalid content of \\{\\}");
        assert_eq!(ere("a{}"), "ERR Invalid content of \\{\\}");
        assert_eq!(ere("a)"), "a\\)");
        assert_eq!(ere("(a"), "ERR Unmatched ( or \\(");
        assert_eq!(ere("*a"), "\\*a");
        assert_eq!(ere("a|*b"), "a|\\*b");
        assert_eq!(ere("a\\{"), "a\\{");
        assert_eq!(ere("x{99999}"), "ERR Regular expression too big");
        let t = translate(b"*a", &Options::new(Syntax::Extended)).unwrap();
        assert_eq!(t.warnings, vec!["* at start of expression".to_string()]);
    }

    #[test]
    fn brackets() {
        assert_eq!(bre("[abc]"), "[abc]");
        assert_eq!(bre("[^a-z]"), "[^a-z\\n]");
        assert_eq!(bre("[]x]"), "[\\x5Dx]");
        assert_eq!(bre("[^]x]"), "[^\\x5Dx\\n]");
        assert_eq!(bre("[a-]"), "[a\\x2D]");
        assert_eq!(bre("[\\n]"), "[\\x5Cn]");
        assert_eq!(bre("[[:alpha:][:digit:]_]"), "[[:alpha:][:digit:]\\x5F]");
        assert_eq!(bre("[[.-.]a]"), "[\\x2Da]");
        assert_eq!(bre("[[=a=]]"), "[a]");
        assert_eq!(bre("[&&~]"), "[\\x26\\x26\\x7E]");
        assert_eq!(bre("[b-a]"), "ERR Invalid range end");
        assert_eq!(bre("[[:foo:]]"), "ERR Invalid character class name");
        assert_eq!(bre("[abc"), "ERR Unmatched [, [^, [:, [., or [=");
        assert_eq!(bre("["), "ERR Invalid regular expression");
        assert_eq!(bre("[]"), "ERR Unmatched [, [^, [:, [., or [=");
        assert_eq!(bre("\\w"), "[\\x5F[:alnum:]]");
    }

    #[test]
    fn errors() {
        assert_eq!(bre("a\\"), "ERR Trailing backslash");
        assert_eq!(bre("\\(a"), "ERR Unmatched ( or \\(");
        assert_eq!(bre("a\\)"), "ERR Unmatched ) or \\)");
        assert_eq!(bre("a\\{1"), "ERR Unmatched \\{");
        assert_eq!(bre("a\\{1,x\\}"), "ERR Invalid content of \\{\\}");
        assert_eq!(bre("\\(a\\)\\2"), "ERR Invalid back reference");
        assert_eq!(bre("\\{1\\}a"), "\\{1\\}a");
    }

    #[test]
    fn fixed_and_bytes() {
        assert_eq!(tr("a.b*[c]", Syntax::Fixed), "a\\.b\\*\\[c\\]");
        assert_eq!(tr("é", Syntax::Fixed), "\\xC3\\xA9");
        let o = Options { utf8: true, ..Options::new(Syntax::Fixed) };
        assert_eq!(translate("é".as_bytes(), &o).unwrap().pattern, "é");
        assert_eq!(translate(b"a\xffb", &o).unwrap().pattern, "a(?-u:\\xFF)b");
    }

    #[test]
    fn matching() {
        assert_eq!(find("ab|abcd", Syntax::Extended, "xabcd"), Some((1, 5)));
        assert_eq!(find("a\\|ab", Syntax::Basic, "ab"), Some((0, 2)));
        assert_eq!(find("ab|abcd", Syntax::Perl, "abcd"), Some((0, 2)));
        assert_eq!(find("x*", Syntax::Basic, "abc"), Some((0, 0)));
        assert_eq!(find(".", Syntax::Basic, "\u{e9}"), Some((0, 1)));
        assert_eq!(find("[^a]", Syntax::Basic, "a\nb"), Some((2, 3)));
        assert_eq!(find("a.c", Syntax::Fixed, "abc a.c"), Some((4, 7)));
        let re = compile("hello", Syntax::Basic, true).unwrap();
        assert!(re.is_match(b"say HeLLo"));
        let re = compile("\\bfoo\\b", Syntax::Basic, false).unwrap();
        assert_eq!(re.find_iter(b"foo food foo"), vec![(0, 3), (9, 12)]);
    }

    #[test]
    fn back_references() {
        let re = compile("\\(ab\\)\\1", Syntax::Basic, false).unwrap();
        assert!(re.as_bytes_regex().is_none());
        assert_eq!(re.find_at(b"xabab", 0), Some((1, 5)));
        assert!(!re.is_match(b"abba"));
        let re = compile("(.)\\1", Syntax::Extended, false).unwrap();
        assert_eq!(re.find_at(b"\xe9\xe9 xx", 0), Some((0, 2)));
        assert_eq!(re.find_at(b"\xe9a xx", 0), Some((3, 5)));
        assert_eq!(re.captures_at(b"abb", 0), Some(vec![Some((1, 3)), Some((1, 2))]));
        let re = compile("(?<=a)b", Syntax::Perl, false).unwrap();
        assert_eq!(re.find_at(b"cbab", 0), Some((3, 4)));
    }

    #[test]
    fn many_patterns() {
        let o = Options::new(Syntax::Basic);
        let re = compile_many(&[b"\\(a\\)\\1", b"\\(b\\)\\1"], &o, false).unwrap();
        assert_eq!(re.find_at(b"xbb", 0), Some((1, 3)));
        assert_eq!(re.find_at(b"xaa", 0), Some((1, 3)));
        let re = compile_many(&[b"ab", b"c"], &o, true).unwrap();
        assert!(re.is_match(b"c"));
        assert!(!re.is_match(b"abc"));
        let re = compile_many(&[], &o, false).unwrap();
        assert!(!re.is_match(b"abc"));
    }

    #[test]
    fn unicode_classes() {
        let o = Options { utf8: true, ..Options::new(Syntax::Basic) };
        let re = compile_with("[[:alpha:]]*".as_bytes(), &o).unwrap();
        assert_eq!(re.find_at("été1".as_bytes(), 0), Some((0, 5)));
        let re = compile_with(b"^.$", &o).unwrap();
        assert!(re.is_match("é".as_bytes()));
        let re = compile(b"^.$", Syntax::Basic, false).unwrap();
        assert!(!re.is_match("é".as_bytes()));
    }
}
