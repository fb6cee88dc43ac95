//! The current record (`$0`) and its fields. Fields are split lazily, on
//! the first reference to a field or `NF`, into byte ranges of `$0`; only
//! an assignment to a field materializes them as values and rebuilds `$0`
//! with `OFS`.

use std::rc::Rc;

use regex::bytes::Regex;

use super::value::{Value, str_to_num};

/// How `FS` splits a record.
#[derive(Clone, Debug)]
pub enum FieldSep {
    /// `FS = " "`: runs of blanks and newlines, ends trimmed.
    Blank,
    /// A single literal byte (`-F,`, `-F '\t'`).
    Byte(u8),
    /// `FS = ""`: every character is a field (gawk).
    Chars,
    Regex(Rc<Regex>),
}

impl FieldSep {
    /// Split `s` into field ranges, appending to `out`. In paragraph mode
    /// (`RS = ""`) newlines separate fields too.
    pub fn split(&self, s: &[u8], paragraph: bool, out: &mut Vec<(usize, usize)>) {
        match self {
            FieldSep::Blank => {
                let mut i = 0;
                let n = s.len();
                loop {
                    while i < n && matches!(s[i], b' ' | b'\t' | b'\n') {
                        i += 1;
                    }
                    if i >= n {
                        return;
                    }
                    let start = i;
                    while i < n && !matches!(s[i], b' ' | b'\t' | b'\n') {
                        i += 1;
                    }
                    out.push((start, i));
                }
            }
            FieldSep::Byte(c) => {
                if s.is_empty() {
                    return;
                }
                let mut start = 0;
                for (i, &b) in s.iter().enumerate() {
                    if b == *c || (paragraph && b == b'\n') {
                        out.push((start, i));
                        start = i + 1;
                    }
                }
                out.push((start, s.len()));
            }
            FieldSep::Chars => {
                for (i, &b) in s.iter().enumerate() {
                    if !(paragraph && b == b'\n') {
                        out.push((i, i + 1));
                    }
                }
            }
            FieldSep::Regex(re) => {
                if s.is_empty() {
                    return;
                }
                let mut start = 0;
                for m in re.find_iter(s) {
                    if m.end() == m.start() {
                        continue;
                    }
                    // A leading match at 0 of a regex FS still makes an
                    // empty first field, as in gawk.
                    out.push((start, m.start()));
                    start = m.end();
                }
                out.push((start, s.len()));
                if paragraph {
                    let mut more = Vec::with_capacity(out.len());
                    for &(a, b) in out.iter() {
                        let mut st = a;
                        for (i, &c) in s.iter().enumerate().take(b).skip(a) {
                            if c == b'\n' {
                                more.push((st, i));
                                st = i + 1;
                            }
                        }
                        more.push((st, b));
                    }
                    *out = more;
                }
            }
        }
    }
}

#[derive(Default)]
pub struct Record {
    pub text: Vec<u8>,
    ranges: Vec<(usize, usize)>,
    /// Materialized fields `$1..$NF` once one was assigned.
    vals: Vec<Value>,
    split: bool,
    materialized: bool,
    /// `$0` as a value, cached.
    whole: Option<Value>,
}

impl Record {
    /// Replace `$0`.
    pub fn set(&mut self, text: &[u8]) {
        self.text.clear();
        self.text.extend_from_slice(text);
        self.reset();
    }

    /// `$0` was replaced in place (`text` written directly).
    pub fn reset(&mut self) {
        self.split = false;
        self.materialized = false;
        self.whole = None;
    }

    fn ensure_split(&mut self, fs: &FieldSep, paragraph: bool) {
        if !self.split {
            self.ranges.clear();
            fs.split(&self.text, paragraph, &mut self.ranges);
            self.split = true;
        }
    }

    pub fn nf(&mut self, fs: &FieldSep, paragraph: bool) -> usize {
        self.ensure_split(fs, paragraph);
        if self.materialized { self.vals.len() } else { self.ranges.len() }
    }

    /// `$0` as a value (a strnum if it looks numeric).
    pub fn whole(&mut self) -> Value {
        if self.whole.is_none() {
            self.whole = Some(Value::input(&self.text));
        }
        self.whole.clone().unwrap_or_default()
    }

    /// `$i` for `i >= 1`.
    pub fn field(&mut self, i: usize, fs: &FieldSep, paragraph: bool) -> Value {
        self.ensure_split(fs, paragraph);
        if self.materialized {
            return self.vals.get(i - 1).cloned().unwrap_or_default();
        }
        match self.ranges.get(i - 1) {
            Some(&(a, b)) => Value::input(&self.text[a..b]),
            None => Value::Uninit,
        }
    }

    /// `$i` in numeric context, without allocating.
    pub fn field_num(&mut self, i: usize, fs: &FieldSep, paragraph: bool) -> f64 {
        if i == 0 {
            return str_to_num(&self.text);
        }
        self.ensure_split(fs, paragraph);
        if self.materialized {
            return self.vals.get(i - 1).map(|v| v.to_num()).unwrap_or(0.0);
        }
        match self.ranges.get(i - 1) {
            Some(&(a, b)) => str_to_num(&self.text[a..b]),
            None => 0.0,
        }
    }

    fn materialize(&mut self, fs: &FieldSep, paragraph: bool) {
        self.ensure_split(fs, paragraph);
        if !self.materialized {
            self.vals.clear();
            for &(a, b) in &self.ranges {
                self.vals.push(Value::input(&self.text[a..b]));
            }
            self.materialized = true;
        }
    }

    /// Assign `$i` (`i >= 1`) and rebuild `$0`.
    pub fn set_field(&mut self, i: usize, v: Value, fs: &FieldSep, paragraph: bool, ofs: &[u8], convfmt: &[u8]) {
        self.materialize(fs, paragraph);
        if self.vals.len() < i {
            self.vals.resize(i, Value::Uninit);
        }
        self.vals[i - 1] = v;
        self.rebuild(ofs, convfmt);
    }

    /// Assign `NF`: truncate or extend, and rebuild `$0`.
    pub fn set_nf(&mut self, n: usize, fs: &FieldSep, paragraph: bool, ofs: &[u8], convfmt: &[u8]) {
        self.materialize(fs, paragraph);
        self.vals.resize(n, Value::Uninit);
        self.rebuild(ofs, convfmt);
    }

    fn rebuild(&mut self, ofs: &[u8], convfmt: &[u8]) {
        self.text.clear();
        for (k, v) in self.vals.iter().enumerate() {
            if k > 0 {
                self.text.extend_from_slice(ofs);
            }
            self.text.extend_from_slice(&v.to_str(convfmt));
        }
        self.whole = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(fs: &FieldSep, s: &str) -> Vec<String> {
        let mut v = Vec::new();
        fs.split(s.as_bytes(), false, &mut v);
        v.iter().map(|&(a, b)| s[a..b].to_string()).collect()
    }

    #[test]
    fn splitting() {
        assert_eq!(split(&FieldSep::Blank, "  a b\t\tc  "), vec!["a", "b", "c"]);
        assert_eq!(split(&FieldSep::Blank, "   "), Vec::<String>::new());
        assert_eq!(split(&FieldSep::Byte(b','), "a,,b,"), vec!["a", "", "b", ""]);
        assert_eq!(split(&FieldSep::Byte(b','), ""), Vec::<String>::new());
        assert_eq!(split(&FieldSep::Chars, "abc"), vec!["a", "b", "c"]);
        let re = Rc::new(Regex::new("[,;]+").unwrap());
        assert_eq!(split(&FieldSep::Regex(re), ";a,;b"), vec!["", "a", "b"]);
    }

    #[test]
    fn field_assignment_rebuilds() {
        let mut r = Record::default();
        r.set(b"a b");
        let fs = FieldSep::Blank;
        r.set_field(3, Value::str(b"c"), &fs, false, b"-", b"%.6g");
        assert_eq!(r.text, b"a-b-c");
        assert_eq!(r.nf(&fs, false), 3);
        r.set_nf(2, &fs, false, b" ", b"%.6g");
        assert_eq!(r.text, b"a b");
        assert_eq!(r.field_num(2, &fs, false), 0.0);
    }
}
