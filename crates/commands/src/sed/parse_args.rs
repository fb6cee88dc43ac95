//! Arguments of the `s` and `y` commands: the regex, the replacement
//! (`&`, `\1`..`\9`, `\n`, case conversion `\U \L \u \l \E`) and the
//! flags (`g p N i m e w`), with GNU's messages.

use super::parse::{Error, Parser, Repl, Subst};

impl Parser<'_> {
    pub(super) fn subst(&mut self) -> Result<Box<Subst>, Error> {
        const UNTERM: &str = "unterminated `s' command";
        let delim = match self.next() {
            None | Some(b'\n' | b'\\') => return Err(self.err(UNTERM)),
            Some(d) => d,
        };
        let body = self.regex_body(delim, UNTERM)?;
        let (repl, max_group) = self.replacement(delim)?;
        let mut s = Subst {
            re: None,
            uses_groups: repl.iter().any(|r| matches!(r, Repl::Group(n) if *n > 0)),
            repl,
            global: false,
            nth: 1,
            print: 0,
            write: None,
        };
        let (mut icase, mut multi, mut have_n) = (false, false, false);
        loop {
            match self.peek() {
                Some(b'g') => {
                    if s.global {
                        self.pos += 1;
                        return Err(self.err("multiple `g' options to `s' command"));
                    }
                    s.global = true;
                }
                Some(b'p') => {
                    if s.print > 0 {
                        self.pos += 1;
                        return Err(self.err("multiple `p' options to `s' command"));
                    }
                    s.print += 1;
                }
                Some(b'i' | b'I') => icase = true,
                Some(b'm' | b'M') => multi = true,
                Some(b'e') => {}
                Some(c) if c.is_ascii_digit() => {
                    if have_n {
                        self.pos += 1;
                        return Err(self.err("multiple number options to `s' command"));
                    }
                    let n = self.number().unwrap_or(0);
                    if n == 0 {
                        return Err(self.err("number option to `s' command may not be zero"));
                    }
                    s.nth = n as usize;
                    have_n = true;
                    continue;
                }
                Some(b'w') => {
                    self.pos += 1;
                    let f = self.filename();
                    s.write = Some(self.wfile(f));
                    break;
                }
                None | Some(b'\n' | b';' | b' ' | b'\t' | b'}' | b'#') => break,
                Some(_) => {
                    self.pos += 1;
                    return Err(self.err("unknown option to `s'"));
                }
            }
            self.pos += 1;
        }
        s.re = self.compile(&body, icase, multi)?;
        if let Some(re) = &s.re
            && max_group >= re.captures_len()
        {
            return Err(self.err(&format!("invalid reference \\{max_group} on `s' command's RHS")));
        }
        Ok(Box::new(s))
    }

    fn replacement(&mut self, delim: u8) -> Result<(Vec<Repl>, usize), Error> {
        let mut parts = Vec::new();
        let mut lit = Vec::new();
        let mut max = 0;
        let flush = |lit: &mut Vec<u8>, parts: &mut Vec<Repl>| {
            if !lit.is_empty() {
                parts.push(Repl::Lit(std::mem::take(lit)));
            }
        };
        loop {
            let Some(c) = self.next() else { return Err(self.err("unterminated `s' command")) };
            if c == delim {
                break;
            }
            match c {
                b'\n' => return Err(self.err_at(self.pos - 1, "unterminated `s' command")),
                b'&' => {
                    flush(&mut lit, &mut parts);
                    parts.push(Repl::Group(0));
                }
                b'\\' => {
                    let Some(e) = self.next() else { return Err(self.err("unterminated `s' command")) };
                    match e {
                        b'0'..=b'9' => {
                            flush(&mut lit, &mut parts);
                            let n = (e - b'0') as usize;
                            max = max.max(n);
                            parts.push(Repl::Group(n));
                        }
                        b'L' | b'U' | b'l' | b'u' | b'E' => {
                            flush(&mut lit, &mut parts);
                            parts.push(Repl::Case(e));
                        }
                        b'n' => lit.push(b'\n'),
                        b't' => lit.push(b'\t'),
                        b'r' => lit.push(b'\r'),
                        b'f' => lit.push(0x0c),
                        b'v' => lit.push(0x0b),
                        b'a' => lit.push(0x07),
                        e => lit.push(e),
                    }
                }
                c => lit.push(c),
            }
        }
        flush(&mut lit, &mut parts);
        Ok((parts, max))
    }

    pub(super) fn translate(&mut self) -> Result<Box<[u8; 256]>, Error> {
        const UNTERM: &str = "unterminated `y' command";
        let delim = match self.next() {
            None | Some(b'\n' | b'\\') => return Err(self.err(UNTERM)),
            Some(d) => d,
        };
        let side = |p: &mut Self| -> Result<Vec<u8>, Error> {
            let mut out = Vec::new();
            loop {
                let Some(c) = p.next() else { return Err(p.err(UNTERM)) };
                if c == delim {
                    return Ok(out);
                }
                if c == b'\\' {
                    match p.next() {
                        Some(b'n') => out.push(b'\n'),
                        Some(b't') => out.push(b'\t'),
                        Some(b'\\') => out.push(b'\\'),
                        Some(e) if e == delim => out.push(e),
                        Some(b'\n') => out.push(b'\n'),
                        Some(_) => return Err(p.err("unknown command: `\\'")),
                        None => return Err(p.err(UNTERM)),
                    }
                    continue;
                }
                out.push(c);
            }
        };
        let from = side(self)?;
        let to = side(self)?;
        if from.len() != to.len() {
            return Err(self.err("strings for `y' command are different lengths"));
        }
        let mut map = Box::new([0u8; 256]);
        for (i, m) in map.iter_mut().enumerate() {
            *m = i as u8;
        }
        for (f, t) in from.iter().zip(&to) {
            map[*f as usize] = *t;
        }
        Ok(map)
    }
}
