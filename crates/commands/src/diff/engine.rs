//! The comparison itself: split files into lines, give equal lines (under
//! `-i`, `-b`, `-w`) equal numbers, find a shortest edit script with Myers'
//! algorithm, then normalise it the way GNU diff's `shift_boundaries` does
//! so that runs of changes land where GNU puts them, and group it into
//! [`Change`]s.

use std::collections::HashMap;

/// How lines are compared.
#[derive(Clone, Copy, Debug, Default)]
pub struct Compare {
    pub ignore_case: bool,
    /// `-b`: whitespace runs compare equal, trailing whitespace ignored.
    pub ignore_space_change: bool,
    /// `-w`: all whitespace ignored.
    pub ignore_all_space: bool,
    /// `-B`: changes made only of blank lines are dropped.
    pub ignore_blank_lines: bool,
    pub strip_trailing_cr: bool,
    /// `-Z`: whitespace at line end ignored.
    pub ignore_trailing_space: bool,
}

/// One line of a file, including its newline (absent only on the last
/// line of a file that does not end with one).
pub type Line<'a> = &'a [u8];

/// Split `data` into lines, each keeping its `\n`.
pub fn lines(data: &[u8]) -> Vec<Line<'_>> {
    let mut v = Vec::new();
    let mut start = 0;
    for (i, &b) in data.iter().enumerate() {
        if b == b'\n' {
            v.push(&data[start..=i]);
            start = i + 1;
        }
    }
    if start < data.len() {
        v.push(&data[start..]);
    }
    v
}

/// A run of changes: `deleted` lines of file 0 from `line0` replaced by
/// `inserted` lines of file 1 from `line1` (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub line0: usize,
    pub deleted: usize,
    pub line1: usize,
    pub inserted: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// The form of a line that is compared.
fn key(line: &[u8], c: &Compare) -> Vec<u8> {
    let mut l = line;
    if c.strip_trailing_cr {
        if let Some(s) = l.strip_suffix(b"\r\n") {
            let mut v = s.to_vec();
            v.push(b'\n');
            return key_rest(&v, c);
        }
        if !l.ends_with(b"\n") {
            l = l.strip_suffix(b"\r").unwrap_or(l);
        }
    }
    key_rest(l, c)
}

fn key_rest(line: &[u8], c: &Compare) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    if c.ignore_all_space {
        out.extend(line.iter().copied().filter(|b| !is_space(*b)));
    } else if c.ignore_space_change {
        let mut in_space = false;
        for &b in line {
            if is_space(b) {
                in_space = true;
            } else {
                if in_space && !out.is_empty() {
                    out.push(b' ');
                }
                in_space = false;
                out.push(b);
            }
        }
        // Leading whitespace still counts as a (single) space.
        if line.first().is_some_and(|b| is_space(*b) && *b != b'\n') && !out.is_empty() {
            out.insert(0, b' ');
        }
    } else if c.ignore_trailing_space {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let end = body.iter().rposition(|b| !is_space(*b)).map_or(0, |i| i + 1);
        out.extend_from_slice(&body[..end]);
    } else {
        out.extend_from_slice(line);
    }
    if c.ignore_case {
        out.make_ascii_lowercase();
    }
    out
}

/// Whether a line is blank for `-B`.
pub fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| is_space(*b))
}

/// Compute the changes turning `a` into `b`.
pub fn diff(a: &[Line<'_>], b: &[Line<'_>], c: &Compare) -> Vec<Change> {
    let mut ids: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut id = |l: &[u8]| {
        let n = ids.len() as u32;
        *ids.entry(key(l, c)).or_insert(n)
    };
    let ea: Vec<u32> = a.iter().map(|l| id(l)).collect();
    let eb: Vec<u32> = b.iter().map(|l| id(l)).collect();
    let mut ch0 = vec![false; ea.len() + 1];
    let mut ch1 = vec![false; eb.len() + 1];
    let mut m = Myers { a: &ea, b: &eb, fd: Vec::new(), bd: Vec::new(), off: eb.len() as isize + 1 };
    let size = ea.len() + eb.len() + 3;
    m.fd = vec![0; size];
    m.bd = vec![0; size];
    m.compareseq(0, ea.len() as isize, 0, eb.len() as isize, &mut ch0, &mut ch1);
    shift_boundaries(&ea, &mut ch0, &ch1);
    shift_boundaries(&eb, &mut ch1, &ch0);
    let mut script = build_script(&ch0, &ch1, ea.len(), eb.len());
    if c.ignore_blank_lines {
        script.retain(|ch| {
            !(a[ch.line0..ch.line0 + ch.deleted].iter().all(|l| is_blank(l))
                && b[ch.line1..ch.line1 + ch.inserted].iter().all(|l| is_blank(l)))
        });
    }
    script
}

/// Myers' O(ND) algorithm with the forward and backward searches meeting
/// in the middle, as GNU's `diffseq.h` does it, so that among equally short
/// edit scripts the same one is chosen.
struct Myers<'a> {
    a: &'a [u32],
    b: &'a [u32],
    fd: Vec<isize>,
    bd: Vec<isize>,
    /// Diagonal `k` lives at index `k + off`.
    off: isize,
}

impl Myers<'_> {
    fn eq(&self, x: isize, y: isize) -> bool {
        self.a[x as usize] == self.b[y as usize]
    }

    /// Find the midpoint of the shortest edit script of a[xoff..xlim] and
    /// b[yoff..ylim].
    fn diag(&mut self, xoff: isize, xlim: isize, yoff: isize, ylim: isize) -> (isize, isize) {
        let o = self.off;
        let (dmin, dmax) = (xoff - ylim, xlim - yoff);
        let (fmid, bmid) = (xoff - yoff, xlim - ylim);
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        let odd = (fmid - bmid) & 1 != 0;
        self.fd[(fmid + o) as usize] = xoff;
        self.bd[(bmid + o) as usize] = xlim;
        loop {
            if fmin > dmin {
                fmin -= 1;
                self.fd[(fmin - 1 + o) as usize] = -1;
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                self.fd[(fmax + 1 + o) as usize] = -1;
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let (tlo, thi) = (self.fd[(d - 1 + o) as usize], self.fd[(d + 1 + o) as usize]);
                let mut x = if tlo < thi { thi } else { tlo + 1 };
                let mut y = x - d;
                while x < xlim && y < ylim && self.eq(x, y) {
                    x += 1;
                    y += 1;
                }
                self.fd[(d + o) as usize] = x;
                if odd && bmin <= d && d <= bmax && self.bd[(d + o) as usize] <= x {
                    return (x, y);
                }
                d -= 2;
            }
            if bmin > dmin {
                bmin -= 1;
                self.bd[(bmin - 1 + o) as usize] = isize::MAX;
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                self.bd[(bmax + 1 + o) as usize] = isize::MAX;
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let (tlo, thi) = (self.bd[(d - 1 + o) as usize], self.bd[(d + 1 + o) as usize]);
                let mut x = if tlo < thi { tlo } else { thi - 1 };
                let mut y = x - d;
                while xoff < x && yoff < y && self.eq(x - 1, y - 1) {
                    x -= 1;
                    y -= 1;
                }
                self.bd[(d + o) as usize] = x;
                if !odd && fmin <= d && d <= fmax && x <= self.fd[(d + o) as usize] {
                    return (x, y);
                }
                d -= 2;
            }
        }
    }

    fn compareseq(
        &mut self,
        mut xoff: isize,
        mut xlim: isize,
        mut yoff: isize,
        mut ylim: isize,
        ch0: &mut [bool],
        ch1: &mut [bool],
    ) {
        while xoff < xlim && yoff < ylim && self.eq(xoff, yoff) {
            xoff += 1;
            yoff += 1;
        }
        while xoff < xlim && yoff < ylim && self.eq(xlim - 1, ylim - 1) {
            xlim -= 1;
            ylim -= 1;
        }
        if xoff == xlim {
            ch1[yoff as usize..ylim as usize].fill(true);
        } else if yoff == ylim {
            ch0[xoff as usize..xlim as usize].fill(true);
        } else {
            let (xmid, ymid) = self.diag(xoff, xlim, yoff, ylim);
            self.compareseq(xoff, xmid, yoff, ymid, ch0, ch1);
            self.compareseq(xmid, xlim, ymid, ylim, ch0, ch1);
        }
    }
}

/// GNU diff's `shift_boundaries`: slide each run of changed lines so that
/// runs merge where possible, and otherwise sit as late as possible, or
/// against a run of changes in the other file.
fn shift_boundaries(equivs: &[u32], changed: &mut [bool], other: &[bool]) {
    let n = equivs.len();
    // `changed` and `other` have a false sentinel at the end; index -1 is
    // treated as unchanged too.
    let ch = |v: &[bool], i: isize| i >= 0 && v.get(i as usize).copied().unwrap_or(false);
    let mut i: usize = 0;
    let mut j: isize = 0;
    loop {
        // Find the start of the next run of changes in this file, keeping
        // `j` at the corresponding line of the other file.
        while i < n && !changed[i] {
            while ch(other, j) {
                j += 1;
            }
            i += 1;
            j += 1;
        }
        if i == n {
            break;
        }
        let mut start = i;
        // Find the end of this run.
        while changed[i] {
            i += 1;
        }
        while ch(other, j) {
            j += 1;
        }
        let mut corresponding;
        loop {
            let runlength = i - start;
            // Move the run back while the previous unchanged line equals
            // the last changed one.
            while start > 0 && equivs[start - 1] == equivs[i - 1] {
                start -= 1;
                changed[start] = true;
                i -= 1;
                changed[i] = false;
                while start > 0 && changed[start - 1] {
                    start -= 1;
                }
                loop {
                    j -= 1;
                    if !ch(other, j) {
                        break;
                    }
                }
            }
            corresponding = if ch(other, j - 1) { i } else { n };
            // Move it forward while the first changed line equals the
            // following unchanged one.
            while i != n && equivs[start] == equivs[i] {
                changed[start] = false;
                start += 1;
                changed[i] = true;
                i += 1;
                while changed[i] {
                    i += 1;
                }
                loop {
                    j += 1;
                    if !ch(other, j) {
                        break;
                    }
                    corresponding = i;
                }
            }
            if runlength == i - start {
                break;
            }
        }
        // Move the merged run back to a corresponding run in the other
        // file if possible.
        while corresponding < i {
            start -= 1;
            changed[start] = true;
            i -= 1;
            changed[i] = false;
            loop {
                j -= 1;
                if !ch(other, j) {
                    break;
                }
            }
        }
    }
}

fn build_script(ch0: &[bool], ch1: &[bool], n0: usize, n1: usize) -> Vec<Change> {
    let mut out = Vec::new();
    let (mut i0, mut i1) = (0, 0);
    while i0 < n0 || i1 < n1 {
        if ch0[i0] || ch1[i1] {
            let (l0, l1) = (i0, i1);
            while ch0[i0] {
                i0 += 1;
            }
            while ch1[i1] {
                i1 += 1;
            }
            out.push(Change { line0: l0, deleted: i0 - l0, line1: l1, inserted: i1 - l1 });
        } else {
            i0 += 1;
            i1 += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> Vec<(usize, usize, usize, usize)> {
        let (la, lb) = (lines(a.as_bytes()), lines(b.as_bytes()));
        diff(&la, &lb, &Compare::default()).iter().map(|c| (c.line0, c.deleted, c.line1, c.inserted)).collect()
    }

    #[test]
    fn basic_changes() {
        assert_eq!(d("a\nb\nc\n", "a\nb\nc\n"), vec![]);
        assert_eq!(d("a\nb\nc\n", "a\nc\n"), vec![(1, 1, 1, 0)]);
        assert_eq!(d("a\nc\n", "a\nb\nc\n"), vec![(1, 0, 1, 1)]);
        assert_eq!(d("a\nb\nc\n", "a\nX\nc\n"), vec![(1, 1, 1, 1)]);
        assert_eq!(d("a\n", "a"), vec![(0, 1, 0, 1)]);
    }

    #[test]
    fn runs_slide_like_gnu() {
        // An inserted duplicate line is reported after the existing one.
        assert_eq!(d("x\ny\n", "x\ny\ny\n"), vec![(2, 0, 2, 1)]);
        assert_eq!(d("a\nb\na\nb\n", "a\nb\n"), vec![(2, 2, 2, 0)]);
    }

    #[test]
    fn whitespace_options() {
        let c = Compare { ignore_all_space: true, ..Default::default() };
        assert_eq!(key(b"a b\tc\n", &c), b"abc");
        let c = Compare { ignore_space_change: true, ..Default::default() };
        assert_eq!(key(b"a  b \n", &c), b"a b");
        let c = Compare { ignore_case: true, ..Default::default() };
        assert_eq!(key(b"AbC\n", &c), b"abc\n");
    }
}
