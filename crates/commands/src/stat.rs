//! `stat [-L] [-c FORMAT | --printf FORMAT | -t] FILE...`: file status in
//! GNU's default layout or a custom format (`%n %s %a %A %F %U %G %u %g %i
//! %h %x %y %z %X %Y %Z %N %b %B %o %d %D %t %T %w %W %m`).

use agentos_kernel::Task;
use agentos_kernel::abi::{FileType, Stat, Timespec};

use crate::util::{self, Arg, Spec, escape, opts, time, users::Db};

const NAME: &str = "stat";

const LONG: &[(&str, Arg, char)] = &[
    ("dereference", Arg::No, 'L'),
    ("file-system", Arg::No, 'f'),
    ("format", Arg::Req, 'c'),
    ("printf", Arg::Req, '\u{1}'),
    ("terse", Arg::No, 't'),
    ("cached", Arg::Req, '\u{2}'),
    ("help", Arg::No, 'H'),
];

/// `%F`: the file type in words.
pub fn type_name(st: &Stat) -> &'static str {
    match st.file_type() {
        FileType::Regular if st.size == 0 => "regular empty file",
        FileType::Regular => "regular file",
        FileType::Directory => "directory",
        FileType::Symlink => "symbolic link",
        FileType::CharDevice => "character special file",
        FileType::BlockDevice => "block special file",
        FileType::Fifo => "fifo",
        FileType::Socket => "socket",
    }
}

fn stamp(t: Timespec) -> String {
    time::strftime("%Y-%m-%d %H:%M:%S.%N %z", t)
}

struct Ctx<'a> {
    task: &'a Task,
    /// `%N` unquoted, as in the default format.
    raw: bool,
    db: Db,
    name: &'a str,
    st: Stat,
}

impl Ctx<'_> {
    fn field(&self, c: char) -> Option<String> {
        let st = &self.st;
        let (maj, min) = util::dev_major_minor(st.dev);
        let (rmaj, rmin) = util::dev_major_minor(st.rdev);
        Some(match c {
            'a' => format!("{:o}", st.perm()),
            'A' => util::mode_string(st.mode),
            'b' => st.blocks.to_string(),
            'B' => "512".into(),
            'd' => st.dev.to_string(),
            'D' => format!("{:x}", st.dev),
            'f' => format!("{:x}", st.mode),
            'F' => type_name(st).into(),
            'g' => st.gid.to_string(),
            'G' => self.db.group_name(st.gid),
            'h' => st.nlink.to_string(),
            'i' => st.ino.to_string(),
            'm' => self.mount_point(),
            'n' => self.name.to_string(),
            'N' => {
                let q = |s: &str| if self.raw { s.to_string() } else { util::quote(s) };
                let mut s = q(self.name);
                if st.is_symlink()
                    && let Ok(t) = self.task.readlink(self.name)
                {
                    s.push_str(&format!(" -> {}", q(&t)));
                }
                s
            }
            'o' => st.blksize.to_string(),
            's' => st.size.to_string(),
            't' => format!("{rmaj:x}"),
            'T' => format!("{rmin:x}"),
            'r' => st.rdev.to_string(),
            'R' => format!("{:x}", st.rdev),
            'H' => maj.to_string(),
            'L' => min.to_string(),
            'u' => st.uid.to_string(),
            'U' => self.db.user_name(st.uid),
            'w' => stamp(st.btime),
            'W' => st.btime.sec.to_string(),
            'x' => stamp(st.atime),
            'X' => st.atime.sec.to_string(),
            'y' => stamp(st.mtime),
            'Y' => st.mtime.sec.to_string(),
            'z' => stamp(st.ctime),
            'Z' => st.ctime.sec.to_string(),
            _ => return None,
        })
    }

    fn mount_point(&self) -> String {
        let path = self.task.realpath(self.name).unwrap_or_default();
        let mut best = "/".to_string();
        for m in self.task.kernel().vfs.mounts() {
            let prefix = if m.path == "/" { "/".to_string() } else { format!("{}/", m.path) };
            if (path == m.path || path.starts_with(&prefix)) && m.path.len() >= best.len() {
                best = m.path.clone();
            }
        }
        best
    }

    fn render(&self, fmt: &str) -> String {
        let b = fmt.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'%' {
                let n = fmt[i..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
                out.push_str(&fmt[i..i + n]);
                i += n;
                continue;
            }
            let start = i;
            i += 1;
            while i < b.len() && matches!(b[i], b'-' | b'+' | b' ' | b'#' | b'0' | b'\'') {
                i += 1;
            }
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            if i >= b.len() {
                out.push_str(&fmt[start..]);
                break;
            }
            let c = b[i] as char;
            i += 1;
            if c == '%' {
                out.push('%');
                continue;
            }
            // %Hd / %Ld / %Hr / %Lr
            let c = if (c == 'H' || c == 'L') && i < b.len() && (b[i] == b'd' || b[i] == b'r') {
                let r = b[i] == b'r';
                i += 1;
                match (c, r) {
                    ('H', false) => 'H',
                    ('L', false) => 'L',
                    ('H', true) => '1',
                    _ => '2',
                }
            } else {
                c
            };
            let v = match c {
                '1' => Some(util::dev_major_minor(self.st.rdev).0.to_string()),
                '2' => Some(util::dev_major_minor(self.st.rdev).1.to_string()),
                c => self.field(c),
            };
            match v {
                Some(v) => {
                    let spec = &fmt[start + 1..i - 1];
                    out.push_str(&apply_width(spec, &v));
                }
                None => out.push_str(&fmt[start..i]),
            }
        }
        out
    }
}

/// Apply `%-10`/`%5`/`%04`-style flags and width to a rendered value.
fn apply_width(spec: &str, v: &str) -> String {
    let left = spec.contains('-');
    let zero = spec.trim_start_matches(['-', '+', ' ', '#', '\'']).starts_with('0');
    let digits: String = spec.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    let digits = digits.trim_start_matches('0');
    let (w, prec) = match digits.split_once('.') {
        Some((w, p)) => (w.parse().unwrap_or(0), p.parse::<usize>().ok()),
        None => (digits.parse().unwrap_or(0), None),
    };
    let v: String = match prec {
        Some(p) if v.parse::<f64>().is_err() => v.chars().take(p).collect(),
        _ => v.to_string(),
    };
    if v.len() >= w {
        return v;
    }
    let fill = w - v.len();
    if left {
        format!("{v}{}", " ".repeat(fill))
    } else if zero && v.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}{v}", "0".repeat(fill))
    } else {
        format!("{}{v}", " ".repeat(fill))
    }
}

const DEFAULT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\nDevice: %Hd,%Ld\tInode: %-11i Links: %h\nAccess: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n";
const DEFAULT_DEV: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\nDevice: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\nAccess: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n";
const TERSE: &str = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n";

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("Lfc:t", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... FILE...");
    }
    if p.operands.is_empty() {
        return util::usage_error(task, NAME, "missing operand", 1);
    }
    let db = Db::load(task);
    let printf = p
        .last('\u{1}')
        .map(|f| String::from_utf8_lossy(&escape::unescape(f.as_bytes(), escape::Mode::Format).0).into_owned());
    let format = p.last('c').map(|f| format!("{f}\n"));
    let mut status = 0;
    let mut out = String::new();
    for f in &p.operands {
        let r = if p.has('L') { task.stat(f) } else { task.lstat(f) };
        let st = match r {
            Ok(st) => st,
            Err(e) => {
                util::out(task, out.as_bytes());
                out.clear();
                util::error(task, NAME, &format!("cannot statx {}: {}", util::quote(f), e.strerror()));
                status = 1;
                continue;
            }
        };
        let dev = matches!(st.file_type(), FileType::CharDevice | FileType::BlockDevice);
        let raw = printf.is_none() && format.is_none();
        let ctx = Ctx { task, raw, db: db.clone(), name: f, st };
        let fmt = printf.clone().or_else(|| format.clone()).unwrap_or_else(|| {
            if p.has('t') {
                TERSE.into()
            } else if dev {
                DEFAULT_DEV.into()
            } else {
                DEFAULT.into()
            }
        });
        out.push_str(&ctx.render(&fmt));
    }
    util::out(task, out.as_bytes());
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(apply_width("-10", "5"), "5         ");
        assert_eq!(apply_width("04", "644"), "0644");
        assert_eq!(apply_width("5", "1000"), " 1000");
        assert_eq!(apply_width("10.10", "-rw-r--r--"), "-rw-r--r--");
        assert_eq!(apply_width("", "x"), "x");
    }
}
