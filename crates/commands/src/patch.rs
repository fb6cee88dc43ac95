//! `patch [-p N] [-R] [-N] [--dry-run] [-i PATCHFILE] [FILE [PATCHFILE]]`:
//! apply unified diffs, as GNU patch 2.7 does without fuzz: each hunk's
//! context must match exactly, at the stated line or the nearest offset
//! (after, then before). Creates and deletes files, keeps `FILE.orig` when
//! a hunk applies with an offset or fails, writes failed hunks to
//! `FILE.rej`, and detects reversed patches. Exit 1 if any hunk failed.

use agentos_kernel::Task;
use agentos_kernel::abi::OFlags;

use crate::util::{self, Arg, Spec, opts};

const NAME: &str = "patch";

const LONG: &[(&str, Arg, char)] = &[
    ("strip", Arg::Req, 'p'),
    ("reverse", Arg::No, 'R'),
    ("forward", Arg::No, 'N'),
    ("dry-run", Arg::No, '\u{1}'),
    ("input", Arg::Req, 'i'),
    ("silent", Arg::No, 's'),
    ("quiet", Arg::No, 's'),
    ("batch", Arg::No, 't'),
    ("force", Arg::No, 'f'),
    ("directory", Arg::Req, 'd'),
    ("remove-empty-files", Arg::No, 'E'),
    ("no-backup-if-mismatch", Arg::No, '\u{2}'),
    ("backup", Arg::No, 'b'),
    ("output", Arg::Req, 'o'),
    ("help", Arg::No, 'H'),
    ("version", Arg::No, 'v'),
];

/// One hunk: old and new line ranges and its lines, each `(tag, text)`
/// with `text` including its newline unless marked missing.
#[derive(Clone, Debug)]
struct Hunk {
    old_start: usize,
    new_start: usize,
    lines: Vec<(u8, Vec<u8>)>,
    raw: Vec<u8>,
}

impl Hunk {
    fn old_lines(&self) -> Vec<&[u8]> {
        self.lines.iter().filter(|(t, _)| *t != b'+').map(|(_, l)| l.as_slice()).collect()
    }
    fn new_lines(&self) -> Vec<&[u8]> {
        self.lines.iter().filter(|(t, _)| *t != b'-').map(|(_, l)| l.as_slice()).collect()
    }
    fn reversed(&self) -> Hunk {
        let lines = self
            .lines
            .iter()
            .map(|(t, l)| {
                let t = match t {
                    b'+' => b'-',
                    b'-' => b'+',
                    t => *t,
                };
                (t, l.clone())
            })
            .collect();
        Hunk { old_start: self.new_start, new_start: self.old_start, lines, raw: self.raw.clone() }
    }
}

/// The patch for one file.
#[derive(Debug, Default)]
struct FilePatch {
    old_name: String,
    new_name: String,
    header: Vec<u8>,
    hunks: Vec<Hunk>,
    /// The input line where the header started (for messages).
    line_no: usize,
}

fn header_name(line: &[u8]) -> String {
    let s = String::from_utf8_lossy(line);
    let s = s.trim_end_matches('\n');
    let s = s.split('\t').next().unwrap_or("");
    s.trim_end().to_string()
}

fn parse_range(s: &str) -> Option<(usize, usize)> {
    let (a, b) = s.split_once(',').unwrap_or((s, "1"));
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Split a unified diff into per-file patches.
fn parse(data: &[u8]) -> Vec<FilePatch> {
    let lines: Vec<&[u8]> = data.split_inclusive(|&b| b == b'\n').collect();
    let mut out: Vec<FilePatch> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with(b"--- ") && lines.get(i + 1).is_some_and(|n| n.starts_with(b"+++ ")) {
            out.push(FilePatch {
                old_name: header_name(&l[4..]),
                new_name: header_name(&lines[i + 1][4..]),
                header: [l, lines[i + 1]].concat(),
                hunks: Vec::new(),
                line_no: i + 1,
            });
            i += 2;
            continue;
        }
        if l.starts_with(b"@@ -")
            && let Some(fp) = out.last_mut()
        {
            let text = String::from_utf8_lossy(l);
            let mut parts = text.split_whitespace().skip(1);
            let (Some(o), Some(n)) = (parts.next(), parts.next()) else {
                i += 1;
                continue;
            };
            let (Some((os, mut oc)), Some((ns, mut nc))) = (parse_range(&o[1..]), parse_range(&n[1..])) else {
                i += 1;
                continue;
            };
            let mut h = Hunk { old_start: os, new_start: ns, lines: Vec::new(), raw: l.to_vec() };
            i += 1;
            while i < lines.len() && (oc > 0 || nc > 0 || lines[i].starts_with(b"\\")) {
                let b = lines[i];
                h.raw.extend_from_slice(b);
                i += 1;
                match b.first() {
                    Some(b'\\') => {
                        if let Some((_, last)) = h.lines.last_mut()
                            && last.ends_with(b"\n")
                        {
                            last.pop();
                        }
                        continue;
                    }
                    Some(b' ') => {
                        oc = oc.saturating_sub(1);
                        nc = nc.saturating_sub(1);
                        h.lines.push((b' ', b[1..].to_vec()));
                    }
                    Some(b'\n') | None => {
                        oc = oc.saturating_sub(1);
                        nc = nc.saturating_sub(1);
                        h.lines.push((b' ', b"\n".to_vec()));
                    }
                    Some(b'-') => {
                        oc = oc.saturating_sub(1);
                        h.lines.push((b'-', b[1..].to_vec()));
                    }
                    Some(b'+') => {
                        nc = nc.saturating_sub(1);
                        h.lines.push((b'+', b[1..].to_vec()));
                    }
                    _ => break,
                }
            }
            fp.hunks.push(h);
            continue;
        }
        i += 1;
    }
    out.retain(|f| !f.hunks.is_empty());
    out
}

fn strip(name: &str, n: usize) -> String {
    let mut s = name;
    for _ in 0..n {
        match s.find('/') {
            Some(i) => s = s[i + 1..].trim_start_matches('/'),
            None => return String::new(),
        }
    }
    s.to_string()
}

/// Does `old` match `lines` at `at`?
fn matches_at(lines: &[Vec<u8>], at: usize, old: &[&[u8]]) -> bool {
    at + old.len() <= lines.len() && old.iter().enumerate().all(|(k, l)| lines[at + k] == *l)
}

/// Find where a hunk's old lines are, no earlier than `min`: at `guess`,
/// then alternately after and before it.
fn locate(lines: &[Vec<u8>], guess: isize, min: usize, old: &[&[u8]]) -> Option<usize> {
    let ok = |p: isize| p >= min as isize && matches_at(lines, p as usize, old);
    if ok(guess) {
        return Some(guess as usize);
    }
    let max = lines.len() as isize + 1;
    for off in 1..=max {
        if ok(guess + off) {
            return Some((guess + off) as usize);
        }
        if ok(guess - off) {
            return Some((guess - off) as usize);
        }
    }
    None
}

struct Opts {
    strip: Option<usize>,
    reverse: bool,
    forward: bool,
    dry: bool,
    silent: bool,
    backup_mismatch: bool,
    remove_empty: bool,
}

pub fn main(task: &mut Task) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let p = match opts::parse(&Spec::new("p:RNi:stfd:Ebo:", LONG), &args) {
        Ok(p) => p,
        Err(e) => return util::usage_error(task, NAME, &e, 2),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [ORIGFILE [PATCHFILE]]");
    }
    if p.has('v') {
        util::out(task, b"GNU patch 2.7.6\n");
        return 0;
    }
    let strip_n = match p.last('p').map(|v| v.parse::<usize>()) {
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            let v = p.last('p').unwrap_or_default();
            util::error(task, NAME, &format!("**** strip count {v} is not a number"));
            return 2;
        }
        None => None,
    };
    let o = Opts {
        strip: strip_n,
        reverse: p.has('R'),
        forward: p.has('N'),
        dry: p.has('\u{1}'),
        silent: p.has('s'),
        backup_mismatch: !p.has('\u{2}'),
        remove_empty: p.has('E'),
    };
    if let Some(d) = p.last('d')
        && let Err(e) = task.chdir(d)
    {
        util::error(task, NAME, &format!("**** Can't change to directory {d} : {}", e.strerror()));
        return 2;
    }
    let patch_path = p.last('i').map(str::to_string).or_else(|| p.operands.get(1).cloned());
    let data = match util::input::read_file(task, patch_path.as_deref().unwrap_or("-")) {
        Ok(d) => d,
        Err(e) => {
            let n = patch_path.unwrap_or_default();
            util::error(task, NAME, &format!("**** Can't open patch file {n} : {}", e.strerror()));
            return 2;
        }
    };
    let files = parse(&data);
    if files.is_empty() {
        util::error(task, NAME, "**** Only garbage was found in the patch input.");
        return 2;
    }
    let mut out = String::new();
    let mut status = 0;
    for fp in &files {
        let st = apply_file(task, &o, fp, p.operands.first().map(String::as_str), &mut out);
        status = status.max(st);
    }
    if !o.silent {
        util::out(task, out.as_bytes());
    }
    status
}

/// Which file a patch applies to.
fn target(task: &Task, o: &Opts, fp: &FilePatch) -> (String, bool, bool) {
    let creating = fp.old_name == "/dev/null" || fp.hunks.iter().all(|h| h.old_start == 0 && h.old_lines().is_empty());
    let deleting = fp.new_name == "/dev/null" || fp.hunks.iter().all(|h| h.new_start == 0 && h.new_lines().is_empty());
    let (creating, deleting) = if o.reverse { (deleting, creating) } else { (creating, deleting) };
    let pick = |name: &str| -> String {
        match o.strip {
            Some(n) => strip(name, n),
            None => {
                let dir = util::path::dirname(name);
                if !name.starts_with('/') && (dir == "." || util::path::is_dir(task, dir)) {
                    name.to_string()
                } else {
                    util::path::basename(name).to_string()
                }
            }
        }
    };
    let cands: Vec<String> =
        [&fp.old_name, &fp.new_name].iter().filter(|n| **n != "/dev/null").map(|n| pick(n)).collect();
    let exists: Vec<&String> = cands.iter().filter(|c| task.stat(c).is_ok()).collect();
    let name = match exists.as_slice() {
        [] => cands.last().cloned().unwrap_or_default(),
        [one] => (*one).clone(),
        [a, b, ..] => {
            let key = |s: &str| (s.matches('/').count(), util::path::basename(s).len(), s.len());
            if key(b) < key(a) { (*b).clone() } else { (*a).clone() }
        }
    };
    (name, creating, deleting)
}

fn apply_file(task: &Task, o: &Opts, fp: &FilePatch, forced: Option<&str>, out: &mut String) -> i32 {
    let (auto, creating, deleting) = target(task, o, fp);
    let name = forced.map_or(auto, str::to_string);
    let original = match task.stat(&name) {
        Ok(_) => match util::input::read_file(task, &name) {
            Ok(d) => Some(d),
            Err(e) => {
                out.push_str(&format!("patch: **** Can't open file {name} : {}\n", e.strerror()));
                return 2;
            }
        },
        Err(_) => None,
    };
    let hunks: Vec<Hunk> = fp.hunks.iter().map(|h| if o.reverse { h.reversed() } else { h.clone() }).collect();
    if original.is_none() && !creating {
        out.push_str(&format!(
            "can't find file to patch at input line {}\nPerhaps you used the wrong -p or --strip option?\nThe text leading up to this was:\n--------------------------\n",
            fp.line_no + 2
        ));
        for l in String::from_utf8_lossy(&fp.header).lines() {
            out.push_str(&format!("|{l}\n"));
        }
        out.push_str("--------------------------\nNo file to patch.  Skipping patch.\n");
        let n = hunks.len();
        out.push_str(&format!("{n} out of {n} hunk{} ignored\n", if n == 1 { "" } else { "s" }));
        return 1;
    }
    out.push_str(&format!("{} file {name}\n", if o.dry { "checking" } else { "patching" }));
    let orig = original.clone().unwrap_or_default();
    let mut lines: Vec<Vec<u8>> = orig.split_inclusive(|&b| b == b'\n').map(|l| l.to_vec()).collect();
    let mut failed: Vec<&Hunk> = Vec::new();
    let mut mismatch = false;
    // Offsets carry over from one hunk to the next, as in GNU patch.
    let mut last_offset: isize = 0;
    let mut delta: isize = 0;
    let mut min = 0usize;
    for (k, h) in hunks.iter().enumerate() {
        let old = h.old_lines();
        let stated = if old.is_empty() { h.old_start as isize } else { h.old_start as isize - 1 };
        let guess = stated + last_offset + delta;
        match locate(&lines, guess, min, &old) {
            Some(at) => {
                let off = at as isize - stated - delta;
                if off != 0 {
                    mismatch = true;
                    let n = off.abs();
                    out.push_str(&format!(
                        "Hunk #{} succeeded at {} (offset {off} line{}).\n",
                        k + 1,
                        at + 1,
                        if n == 1 { "" } else { "s" }
                    ));
                }
                last_offset = off;
                let new: Vec<Vec<u8>> = h.new_lines().iter().map(|l| l.to_vec()).collect();
                let nlen = new.len();
                lines.splice(at..at + old.len(), new);
                delta += nlen as isize - old.len() as isize;
                min = at + nlen;
            }
            None => {
                // Does it look already applied?
                let rev = h.reversed();
                if k == 0 && !old.is_empty() && locate(&lines, guess, 0, &rev.old_lines()).is_some() {
                    if o.forward {
                        out.push_str("Reversed (or previously applied) patch detected!  Skipping patch.\n");
                    } else {
                        out.push_str(
                            "Reversed (or previously applied) patch detected!  Assume -R? [n] \nApply anyway? [n] \nSkipping patch.\n",
                        );
                    }
                    let n = hunks.len();
                    out.push_str(&format!(
                        "{n} out of {n} hunk{} ignored -- saving rejects to file {name}.rej\n",
                        if n == 1 { "" } else { "s" }
                    ));
                    if !o.dry {
                        write_rej(task, &name, fp, &fp.hunks.iter().collect::<Vec<_>>());
                    }
                    return 1;
                }
                out.push_str(&format!("Hunk #{} FAILED at {}.\n", k + 1, h.old_start));
                failed.push(&fp.hunks[k]);
            }
        }
    }
    if !failed.is_empty() {
        mismatch = true;
    }
    if !o.dry {
        if mismatch && o.backup_mismatch && original.is_some() {
            let _ = write(task, &format!("{name}.orig"), &orig);
        }
        let result = lines.concat();
        if deleting && result.is_empty() || (o.remove_empty && result.is_empty()) {
            let _ = task.unlink(&name);
        } else {
            if original.is_none() {
                let dir = util::path::dirname(&name);
                if dir != "." {
                    let _ = task.mkdir_all(dir, 0o777);
                }
            }
            if let Err(e) = write(task, &name, &result) {
                out.push_str(&format!("patch: **** Can't create file {name} : {}\n", e.strerror()));
                return 2;
            }
        }
    }
    if failed.is_empty() {
        return 0;
    }
    let n = hunks.len();
    out.push_str(&format!(
        "{} out of {n} hunk{} FAILED -- saving rejects to file {name}.rej\n",
        failed.len(),
        if n == 1 { "" } else { "s" }
    ));
    if !o.dry {
        write_rej(task, &name, fp, &failed);
    }
    1
}

fn write_rej(task: &Task, name: &str, fp: &FilePatch, hunks: &[&Hunk]) {
    let mut data = fp.header.clone();
    for h in hunks {
        data.extend_from_slice(&h.raw);
    }
    let _ = write(task, &format!("{name}.rej"), &data);
}

fn write(task: &Task, path: &str, data: &[u8]) -> agentos_kernel::KResult<()> {
    let fd = task.open(path, OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC, 0o666)?;
    let r = task.write_all(fd, data);
    let _ = task.close(fd);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_unified() {
        let p = b"--- a/x\t2024\n+++ b/x\t2024\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n";
        let f = parse(p);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].old_name, "a/x");
        assert_eq!(f[0].hunks[0].old_lines(), vec![&b"a\n"[..], b"b\n"]);
        assert_eq!(f[0].hunks[0].new_lines(), vec![&b"a\n"[..], b"c"]);
        assert_eq!(strip("a/b/c", 1), "b/c");
        assert_eq!(strip("/a/b", 1), "a/b");
    }

    #[test]
    fn locates_with_offset() {
        let lines: Vec<Vec<u8>> = ["x\n", "a\n", "b\n"].iter().map(|s| s.as_bytes().to_vec()).collect();
        assert_eq!(locate(&lines, 0, 0, &[b"a\n", b"b\n"]), Some(1));
        assert_eq!(locate(&lines, 2, 0, &[b"x\n"]), Some(0));
        assert_eq!(locate(&lines, 0, 0, &[b"q\n"]), None);
    }
}
