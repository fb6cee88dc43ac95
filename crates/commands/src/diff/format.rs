//! Output formats: normal (`3c3`), unified (`-u`) and context (`-c`),
//! byte for byte as GNU diffutils 3.8 prints them, including the
//! `\ No newline at end of file` marker.

use super::engine::{Change, Line};

/// The output style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Normal,
    Unified(usize),
    Context(usize),
}

/// Append `prefix` + `line`, marking a missing final newline.
fn put_line(out: &mut Vec<u8>, prefix: &[u8], line: &[u8]) {
    out.extend_from_slice(prefix);
    out.extend_from_slice(line);
    if !line.ends_with(b"\n") {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}

/// `N` or `N,M` (1-based, inclusive) for the normal format.
fn normal_range(first: usize, count: usize) -> String {
    if count <= 1 { format!("{}", first + 1) } else { format!("{},{}", first + 1, first + count) }
}

/// The normal format.
pub fn normal(out: &mut Vec<u8>, a: &[Line<'_>], b: &[Line<'_>], changes: &[Change]) {
    for ch in changes {
        let head = if ch.deleted == 0 {
            format!("{}a{}\n", ch.line0, normal_range(ch.line1, ch.inserted))
        } else if ch.inserted == 0 {
            format!("{}d{}\n", normal_range(ch.line0, ch.deleted), ch.line1)
        } else {
            format!("{}c{}\n", normal_range(ch.line0, ch.deleted), normal_range(ch.line1, ch.inserted))
        };
        out.extend_from_slice(head.as_bytes());
        for l in &a[ch.line0..ch.line0 + ch.deleted] {
            put_line(out, b"< ", l);
        }
        if ch.deleted > 0 && ch.inserted > 0 {
            out.extend_from_slice(b"---\n");
        }
        for l in &b[ch.line1..ch.line1 + ch.inserted] {
            put_line(out, b"> ", l);
        }
    }
}

/// Split changes into hunks: changes fewer than `2 * context + 1` unchanged
/// lines apart share one (GNU `find_hunk`).
fn hunks(changes: &[Change], context: usize) -> Vec<&[Change]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=changes.len() {
        let split = match changes.get(i) {
            None => true,
            Some(next) => {
                let prev = &changes[i - 1];
                next.line0 - (prev.line0 + prev.deleted) > 2 * context
            }
        };
        if split {
            out.push(&changes[start..i]);
            start = i;
        }
    }
    out
}

/// The lines a hunk shows: `(first0, last0 + 1, first1, last1 + 1)`.
fn span(h: &[Change], context: usize, n0: usize, n1: usize) -> (usize, usize, usize, usize) {
    let (f, l) = (h[0], h[h.len() - 1]);
    (
        f.line0.saturating_sub(context),
        (l.line0 + l.deleted + context).min(n0),
        f.line1.saturating_sub(context),
        (l.line1 + l.inserted + context).min(n1),
    )
}

fn unified_range(first: usize, end: usize) -> String {
    match end - first {
        0 => format!("{first},0"),
        1 => format!("{}", first + 1),
        n => format!("{},{n}", first + 1),
    }
}

fn context_range(first: usize, end: usize) -> String {
    if end <= first + 1 { format!("{end}") } else { format!("{},{end}", first + 1) }
}

/// The unified format's hunks (headers are written by the caller).
pub fn unified(out: &mut Vec<u8>, a: &[Line<'_>], b: &[Line<'_>], changes: &[Change], context: usize) {
    for h in hunks(changes, context) {
        let (f0, e0, f1, e1) = span(h, context, a.len(), b.len());
        out.extend_from_slice(format!("@@ -{} +{} @@\n", unified_range(f0, e0), unified_range(f1, e1)).as_bytes());
        let mut i = f0;
        for ch in h {
            while i < ch.line0 {
                put_line(out, b" ", a[i]);
                i += 1;
            }
            for l in &a[ch.line0..ch.line0 + ch.deleted] {
                put_line(out, b"-", l);
            }
            for l in &b[ch.line1..ch.line1 + ch.inserted] {
                put_line(out, b"+", l);
            }
            i = ch.line0 + ch.deleted;
        }
        while i < e0 {
            put_line(out, b" ", a[i]);
            i += 1;
        }
    }
}

/// The context format's hunks.
pub fn context(out: &mut Vec<u8>, a: &[Line<'_>], b: &[Line<'_>], changes: &[Change], context: usize) {
    for h in hunks(changes, context) {
        let (f0, e0, f1, e1) = span(h, context, a.len(), b.len());
        out.extend_from_slice(b"***************\n");
        out.extend_from_slice(format!("*** {} ****\n", context_range(f0, e0)).as_bytes());
        if h.iter().any(|c| c.deleted > 0) {
            side(out, a, h, f0, e0, |c| (c.line0, c.deleted, c.inserted), b"- ");
        }
        out.extend_from_slice(format!("--- {} ----\n", context_range(f1, e1)).as_bytes());
        if h.iter().any(|c| c.inserted > 0) {
            side(out, b, h, f1, e1, |c| (c.line1, c.inserted, c.deleted), b"+ ");
        }
    }
}

/// One side of a context hunk: `! ` for changed lines, `mark` for lines
/// only on this side, two spaces for context.
fn side(
    out: &mut Vec<u8>,
    lines: &[Line<'_>],
    h: &[Change],
    first: usize,
    end: usize,
    get: impl Fn(&Change) -> (usize, usize, usize),
    mark: &[u8],
) {
    let mut next = 0;
    for (i, line) in lines.iter().enumerate().take(end).skip(first) {
        while next < h.len() && get(&h[next]).0 + get(&h[next]).1 <= i {
            next += 1;
        }
        let prefix: &[u8] = match h.get(next).map(&get) {
            Some((start, _, other)) if start <= i => {
                if other > 0 {
                    b"! "
                } else {
                    mark
                }
            }
            _ => b"  ",
        };
        put_line(out, prefix, line);
    }
}

#[cfg(test)]
mod tests {
    use super::super::engine::{Compare, diff, lines};
    use super::*;

    fn run(a: &str, b: &str, style: Style) -> String {
        let (la, lb) = (lines(a.as_bytes()), lines(b.as_bytes()));
        let ch = diff(&la, &lb, &Compare::default());
        let mut out = Vec::new();
        match style {
            Style::Normal => normal(&mut out, &la, &lb, &ch),
            Style::Unified(n) => unified(&mut out, &la, &lb, &ch, n),
            Style::Context(n) => context(&mut out, &la, &lb, &ch, n),
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn normal_format() {
        assert_eq!(run("a\nb\nc\n", "a\nB\nc\nd\n", Style::Normal), "2c2\n< b\n---\n> B\n3a4\n> d\n");
        assert_eq!(run("a\nb\n", "b\n", Style::Normal), "1d0\n< a\n");
        assert_eq!(run("a\n", "a", Style::Normal), "1c1\n< a\n---\n> a\n\\ No newline at end of file\n");
    }

    #[test]
    fn unified_format() {
        assert_eq!(run("a\nb\nc\n", "a\nB\nc\n", Style::Unified(3)), "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        assert_eq!(run("", "x\n", Style::Unified(3)), "@@ -0,0 +1 @@\n+x\n");
        let a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        let b = "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n";
        assert_eq!(run(a, b, Style::Unified(1)), "@@ -1,3 +1,3 @@\n 1\n-2\n+X\n 3\n@@ -8,3 +8,3 @@\n 8\n-9\n+Y\n 10\n");
    }

    #[test]
    fn context_format() {
        assert_eq!(
            run("a\nb\nc\n", "a\nB\nc\nd", Style::Context(3)),
            "***************\n*** 1,3 ****\n  a\n! b\n  c\n--- 1,4 ----\n  a\n! B\n  c\n+ d\n\\ No newline at end of file\n"
        );
        assert_eq!(run("x\n", "", Style::Context(3)), "***************\n*** 1 ****\n- x\n--- 0 ----\n");
    }
}
