//! `ls [-1aACdFhilnpRrSstU] [FILE]...`: list directory contents like GNU
//! ls 9.1 in the C locale: byte-order names, one per line unless standard
//! output is a terminal (then columns), GNU's `-l` layout with owner names
//! from `/etc/passwd`, and exit status 2 for a missing operand.

use agentos_kernel::Task;
use agentos_kernel::abi::{DirEntry, FileType, Stat, Timespec};

use crate::util::{self, Arg, Spec, opts, path, size, time, users::Db};

const NAME: &str = "ls";

const LONG: &[(&str, Arg, char)] = &[
    ("all", Arg::No, 'a'),
    ("almost-all", Arg::No, 'A'),
    ("directory", Arg::No, 'd'),
    ("classify", Arg::Opt, 'F'),
    ("human-readable", Arg::No, 'h'),
    ("si", Arg::No, '\u{1}'),
    ("inode", Arg::No, 'i'),
    ("numeric-uid-gid", Arg::No, 'n'),
    ("recursive", Arg::No, 'R'),
    ("reverse", Arg::No, 'r'),
    ("size", Arg::No, 's'),
    ("color", Arg::Opt, '\u{2}'),
    ("full-time", Arg::No, '\u{3}'),
    ("time-style", Arg::Req, '\u{4}'),
    ("group-directories-first", Arg::No, '\u{5}'),
    ("sort", Arg::Req, '\u{6}'),
    ("time", Arg::Req, '\u{7}'),
    ("no-group", Arg::No, 'G'),
    ("dereference", Arg::No, 'L'),
    ("indicator-style", Arg::Req, '\u{8}'),
    ("literal", Arg::No, 'N'),
    ("quote-name", Arg::No, 'Q'),
    ("width", Arg::Req, 'w'),
    ("tabsize", Arg::Req, 'T'),
    ("help", Arg::No, 'H'),
    ("version", Arg::No, 'V'),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    Name,
    Size,
    Time,
    None,
    Ext,
    Version,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Indicator {
    None,
    Slash,
    Classify,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Long,
    OnePerLine,
    Columns,
    Commas,
}

struct Opts {
    all: bool,
    almost_all: bool,
    directory: bool,
    human: Option<u64>,
    inode: bool,
    numeric: bool,
    recursive: bool,
    reverse: bool,
    size_blocks: bool,
    sort: Sort,
    indicator: Indicator,
    format: Format,
    show_owner: bool,
    show_group: bool,
    time_field: char,
    time_style: String,
    dirs_first: bool,
    dereference: bool,
    quote: bool,
    width: usize,
    /// `-x`: fill rows first.
    across: bool,
    /// Tab stops used to pad columns (0: spaces only).
    tabsize: usize,
}

/// One thing to list: its display name, the path to reach it, its stat.
struct Entry {
    name: String,
    path: String,
    st: Option<Stat>,
    /// For symlinks in long format: target and its stat.
    link: Option<(String, Option<Stat>)>,
}

struct Ls<'a> {
    task: &'a Task,
    o: Opts,
    db: Option<Db>,
    now: Timespec,
    status: i32,
    out: Vec<u8>,
    /// Stats that widen the next long listing's columns.
    extra: Vec<Stat>,
}

fn mtime(st: &Stat, field: char) -> Timespec {
    match field {
        'c' => st.ctime,
        'u' => st.atime,
        'b' => st.btime,
        _ => st.mtime,
    }
}

/// Compare names the way `ls -v`/`sort -V` does.
fn version_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    crate::sort::version_cmp(a.as_bytes(), b.as_bytes())
}

impl Ls<'_> {
    fn stat_entry(&self, name: String, p: String, follow: bool) -> Result<Entry, agentos_kernel::Errno> {
        let lst = self.task.lstat(&p)?;
        let st = if lst.is_symlink() && follow { self.task.stat(&p).unwrap_or(lst) } else { lst };
        let link = if st.is_symlink() && (self.o.format == Format::Long) {
            let target = self.task.readlink(&p).unwrap_or_default();
            Some((target, self.task.stat(&p).ok()))
        } else {
            None
        };
        Ok(Entry { name, path: p, st: Some(st), link })
    }

    fn sort(&self, v: &mut [Entry]) {
        let field = self.o.time_field;
        match self.o.sort {
            Sort::None => {}
            Sort::Name => v.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes())),
            Sort::Version => v.sort_by(|a, b| version_cmp(&a.name, &b.name)),
            Sort::Ext => v.sort_by(|a, b| {
                let ext = |n: &str| n.rfind('.').filter(|&i| i > 0).map(|i| n[i..].to_string()).unwrap_or_default();
                ext(&a.name).cmp(&ext(&b.name)).then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
            }),
            Sort::Size => v.sort_by(|a, b| {
                let sa = a.st.as_ref().map(|s| s.size).unwrap_or(0);
                let sb = b.st.as_ref().map(|s| s.size).unwrap_or(0);
                sb.cmp(&sa).then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
            }),
            Sort::Time => v.sort_by(|a, b| {
                let ta = a.st.as_ref().map(|s| mtime(s, field)).unwrap_or_default();
                let tb = b.st.as_ref().map(|s| mtime(s, field)).unwrap_or_default();
                tb.cmp(&ta).then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
            }),
        }
        if self.o.reverse && self.o.sort != Sort::None {
            v.reverse();
        }
        if self.o.dirs_first {
            v.sort_by_key(|e| {
                !e.st.as_ref().is_some_and(|s| {
                    s.is_dir()
                        || (s.is_symlink() && e.link.as_ref().is_some_and(|l| l.1.as_ref().is_some_and(|t| t.is_dir())))
                })
            });
        }
    }

    fn indicator(&self, st: &Stat) -> &'static str {
        match self.o.indicator {
            Indicator::None => "",
            Indicator::Slash => {
                if st.is_dir() {
                    "/"
                } else {
                    ""
                }
            }
            Indicator::Classify => match st.file_type() {
                FileType::Directory => "/",
                FileType::Symlink => "@",
                FileType::Fifo => "|",
                FileType::Socket => "=",
                FileType::Regular if st.mode & 0o111 != 0 => "*",
                _ => "",
            },
        }
    }

    fn display_name(&self, name: &str) -> String {
        if self.o.quote { util::shell_quote(name, false, false) } else { name.to_string() }
    }

    fn blocks(&self, st: &Stat) -> String {
        // st_blocks is in 512-byte units; show 1K blocks, rounding up.
        let bytes = st.blocks * 512;
        match self.o.human {
            Some(base) => size::human(bytes, base),
            None => bytes.div_ceil(1024).to_string(),
        }
    }

    fn time_str(&self, t: Timespec) -> String {
        match self.o.time_style.as_str() {
            "full-iso" => time::strftime("%Y-%m-%d %H:%M:%S.%N %z", t),
            "long-iso" => time::strftime("%Y-%m-%d %H:%M", t),
            "iso" => {
                if self.recent(t) {
                    time::strftime("%m-%d %H:%M", t)
                } else {
                    time::strftime("%Y-%m-%d ", t)
                }
            }
            s if s.starts_with('+') => time::strftime(&s[1..], t),
            _ => {
                if self.recent(t) {
                    time::strftime("%b %e %H:%M", t)
                } else {
                    time::strftime("%b %e  %Y", t)
                }
            }
        }
    }

    fn recent(&self, t: Timespec) -> bool {
        // GNU: within the past six months (half a Gregorian year), not future.
        let six_months = 31_556_952 / 2;
        t.sec > self.now.sec - six_months && t <= self.now
    }

    /// Print a group of entries in the chosen format.
    fn print(&mut self, entries: &[Entry], show_total: bool) {
        match self.o.format {
            Format::Long => self.print_long(entries, show_total),
            fmt => {
                if show_total && self.o.size_blocks {
                    let total: u64 = entries.iter().filter_map(|e| e.st.as_ref()).map(|s| s.blocks).sum();
                    let t = Stat { blocks: total, ..zero_stat() };
                    let line = format!("total {}\n", self.blocks(&t));
                    self.out.extend_from_slice(line.as_bytes());
                }
                let inode_w =
                    entries.iter().filter_map(|e| e.st.as_ref()).map(|s| s.ino.to_string().len()).max().unwrap_or(0);
                let block_w =
                    entries.iter().filter_map(|e| e.st.as_ref()).map(|s| self.blocks(s).len()).max().unwrap_or(0);
                // A quoted name gets its quotes outside the column; other
                // names are indented by one to line up (GNU 8.25+).
                let align = self.o.quote && entries.iter().any(|e| self.display_name(&e.name) != e.name);
                let cells: Vec<String> = entries
                    .iter()
                    .map(|e| {
                        let mut s = String::new();
                        if let Some(st) = &e.st {
                            if self.o.inode {
                                s.push_str(&format!("{:>inode_w$} ", st.ino));
                            }
                            if self.o.size_blocks {
                                s.push_str(&format!("{:>block_w$} ", self.blocks(st)));
                            }
                        }
                        let shown = self.display_name(&e.name);
                        if align && shown == e.name {
                            s.push(' ');
                        }
                        s.push_str(&shown);
                        if let Some(st) = &e.st {
                            s.push_str(self.indicator(st));
                        }
                        s
                    })
                    .collect();
                match fmt {
                    Format::Columns => self.columns(&cells),
                    Format::Commas => {
                        let line = cells.join(", ");
                        if !line.is_empty() {
                            self.out.extend_from_slice(line.as_bytes());
                            self.out.push(b'\n');
                        }
                    }
                    _ => {
                        for c in cells {
                            self.out.extend_from_slice(c.as_bytes());
                            self.out.push(b'\n');
                        }
                    }
                }
            }
        }
    }

    /// GNU's column layout (`calculate_columns` and `print_many_per_line`
    /// / `print_horizontal`): as many columns as fit in `width`, padded
    /// with tabs where a tab stop allows, down (`-C`) or across (`-x`).
    fn columns(&mut self, cells: &[String]) {
        let lens: Vec<usize> = cells.iter().map(|c| c.chars().count()).collect();
        let text = layout(cells, &lens, self.o.width.max(1), self.o.across, self.o.tabsize);
        self.out.extend_from_slice(text.as_bytes());
    }

    fn print_long(&mut self, entries: &[Entry], show_total: bool) {
        if self.db.is_none() && !self.o.numeric {
            self.db = Some(Db::load(self.task));
        }
        struct Row {
            inode: String,
            blocks: String,
            mode: String,
            nlink: String,
            owner: String,
            group: String,
            size: String,
            time: String,
            name: String,
            /// Counts toward column widths only (GNU sizes the columns of
            /// the file operands together with the directory operands).
            phantom: bool,
        }
        let extra = std::mem::take(&mut self.extra);
        let phantoms: Vec<Entry> = extra
            .into_iter()
            .map(|st| Entry { name: String::new(), path: String::new(), st: Some(st), link: None })
            .collect();
        let mut rows = Vec::new();
        let mut total = 0u64;
        for (e, phantom) in entries.iter().map(|e| (e, false)).chain(phantoms.iter().map(|e| (e, true))) {
            let Some(st) = &e.st else { continue };
            if !phantom {
                total += st.blocks;
            }
            let (owner, group) = match &self.db {
                Some(db) if !self.o.numeric => (db.user_name(st.uid), db.group_name(st.gid)),
                _ => (st.uid.to_string(), st.gid.to_string()),
            };
            let size = match st.file_type() {
                FileType::CharDevice | FileType::BlockDevice => {
                    let (ma, mi) = util::dev_major_minor(st.rdev);
                    format!("{ma}, {mi}")
                }
                _ => match self.o.human {
                    Some(b) => size::human(st.size, b),
                    None => st.size.to_string(),
                },
            };
            let mut name = self.display_name(&e.name);
            match &e.link {
                Some((target, tst)) => {
                    name.push_str(" -> ");
                    name.push_str(&self.display_name(target));
                    if let Some(t) = tst
                        && self.o.indicator == Indicator::Classify
                    {
                        name.push_str(self.indicator(t));
                    }
                }
                None => name.push_str(self.indicator(st)),
            }
            rows.push(Row {
                inode: st.ino.to_string(),
                blocks: self.blocks(st),
                mode: util::mode_string(st.mode),
                nlink: st.nlink.to_string(),
                owner,
                group,
                size,
                time: self.time_str(mtime(st, self.o.time_field)),
                name,
                phantom,
            });
        }
        if show_total {
            let t = Stat { blocks: total, ..zero_stat() };
            let line = format!("total {}\n", self.blocks(&t));
            self.out.extend_from_slice(line.as_bytes());
        }
        let w = |f: &dyn Fn(&Row) -> usize| rows.iter().map(f).max().unwrap_or(0);
        let (wi, wb, wn, wo, wg, ws) = (
            w(&|r| r.inode.len()),
            w(&|r| r.blocks.len()),
            w(&|r| r.nlink.len()),
            w(&|r| r.owner.len()),
            w(&|r| r.group.len()),
            w(&|r| r.size.len()),
        );
        for r in rows.iter().filter(|r| !r.phantom) {
            let mut line = String::new();
            if self.o.inode {
                line.push_str(&format!("{:>wi$} ", r.inode));
            }
            if self.o.size_blocks {
                line.push_str(&format!("{:>wb$} ", r.blocks));
            }
            line.push_str(&format!("{} {:>wn$} ", r.mode, r.nlink));
            if self.o.show_owner {
                line.push_str(&format!("{:<wo$} ", r.owner));
            }
            if self.o.show_group {
                line.push_str(&format!("{:<wg$} ", r.group));
            }
            line.push_str(&format!("{:>ws$} {} {}\n", r.size, r.time, r.name));
            self.out.extend_from_slice(line.as_bytes());
        }
    }

    fn flush(&mut self) {
        if !self.out.is_empty() {
            util::out(self.task, &self.out);
            self.out.clear();
        }
    }

    /// Read and list one directory (and, with -R, its subdirectories).
    fn list_dir(&mut self, dir: &str, header: bool, first: &mut bool, top: bool) {
        let entries = match self.task.readdir(dir) {
            Ok(v) => v,
            Err(e) => {
                self.flush();
                util::error(self.task, NAME, &format!("cannot open directory {}: {}", util::quote(dir), e.strerror()));
                self.status = self.status.max(if top { 2 } else { 1 });
                return;
            }
        };
        if !*first {
            self.out.push(b'\n');
        }
        *first = false;
        if header {
            self.out.extend_from_slice(format!("{}:\n", dir).as_bytes());
        }
        let mut names: Vec<DirEntry> = entries;
        if self.o.all {
            let st = self.task.stat(dir).ok();
            let ino = st.map(|s| s.ino).unwrap_or(0);
            names.insert(0, DirEntry { name: "..".into(), ino, kind: FileType::Directory });
            names.insert(0, DirEntry { name: ".".into(), ino, kind: FileType::Directory });
        }
        let mut list = Vec::new();
        for d in names {
            if !self.o.all && !self.o.almost_all && d.name.starts_with('.') {
                continue;
            }
            let p = path::join(dir, &d.name);
            match self.stat_entry(d.name.clone(), p.clone(), self.o.dereference) {
                Ok(e) => list.push(e),
                Err(e) => {
                    util::error(self.task, NAME, &format!("cannot access {}: {}", util::quote(&p), e.strerror()));
                    self.status = self.status.max(1);
                    list.push(Entry { name: d.name, path: p, st: None, link: None });
                }
            }
        }
        self.sort(&mut list);
        self.print(&list, self.o.format == Format::Long || self.o.size_blocks);
        if self.o.recursive {
            let subdirs: Vec<String> = list
                .iter()
                .filter(|e| e.name != "." && e.name != ".." && e.st.as_ref().is_some_and(|s| s.is_dir()))
                .map(|e| e.path.clone())
                .collect();
            for s in subdirs {
                self.list_dir(&s, true, first, false);
            }
        }
    }
}

/// Pad from column `from` to `to`, with tabs where they fit (GNU `indent`).
fn indent(out: &mut String, mut from: usize, to: usize, tabsize: usize) {
    while from < to {
        if tabsize != 0 && to / tabsize > (from + 1) / tabsize {
            out.push('\t');
            from += tabsize - from % tabsize;
        } else {
            out.push(' ');
            from += 1;
        }
    }
}

/// Lay out names in columns as GNU ls does; `lens` are display widths.
pub fn layout(cells: &[String], lens: &[usize], width: usize, across: bool, tabsize: usize) -> String {
    let n = cells.len();
    if n == 0 {
        return String::new();
    }
    const MIN_COLUMN_WIDTH: usize = 3;
    let max_cols = (width / MIN_COLUMN_WIDTH).max(1).min(n);
    // (valid, line length, column widths) for 1..=max_cols columns.
    let mut info: Vec<(bool, usize, Vec<usize>)> =
        (0..max_cols).map(|i| (true, (i + 1) * MIN_COLUMN_WIDTH, vec![MIN_COLUMN_WIDTH; i + 1])).collect();
    for (f, &len) in lens.iter().enumerate() {
        for (i, ci) in info.iter_mut().enumerate() {
            if !ci.0 {
                continue;
            }
            let idx = if across { f % (i + 1) } else { f / n.div_ceil(i + 1) };
            let real = len + if idx == i { 0 } else { 2 };
            if ci.2[idx] < real {
                ci.1 += real - ci.2[idx];
                ci.2[idx] = real;
                ci.0 = ci.1 < width;
            }
        }
    }
    let cols = (1..=max_cols).rev().find(|c| info[c - 1].0).unwrap_or(1);
    let widths = &info[cols - 1].2;
    let mut out = String::new();
    if across {
        let mut pos = 0;
        for f in 0..n {
            let col = f % cols;
            if f > 0 {
                if col == 0 {
                    out.push('\n');
                    pos = 0;
                } else {
                    let prev = widths[col - 1];
                    indent(&mut out, pos + lens[f - 1], pos + prev, tabsize);
                    pos += prev;
                }
            }
            out.push_str(&cells[f]);
        }
        out.push('\n');
        return out;
    }
    let rows = n.div_ceil(cols);
    for row in 0..rows {
        let mut f = row;
        let mut pos = 0;
        let mut col = 0;
        loop {
            out.push_str(&cells[f]);
            let w = widths[col];
            col += 1;
            let len = lens[f];
            f += rows;
            if f >= n {
                break;
            }
            indent(&mut out, pos + len, pos + w, tabsize);
            pos += w;
        }
        out.push('\n');
    }
    out
}

fn zero_stat() -> Stat {
    Stat {
        dev: 0,
        ino: 0,
        mode: 0,
        nlink: 0,
        uid: 0,
        gid: 0,
        rdev: 0,
        size: 0,
        blksize: 0,
        blocks: 0,
        atime: Timespec::default(),
        mtime: Timespec::default(),
        ctime: Timespec::default(),
        btime: Timespec::default(),
    }
}

pub fn main(task: &mut Task) -> i32 {
    let p = match opts::parse(&Spec::new("1aAcCdFghiLlmnNopQrRsStT:uUvw:xX", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 2),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [FILE]...");
    }
    let tty = task.isatty(1);
    let mut o = Opts {
        all: false,
        almost_all: false,
        directory: false,
        human: None,
        inode: false,
        numeric: false,
        recursive: false,
        reverse: false,
        size_blocks: false,
        sort: Sort::Name,
        indicator: Indicator::None,
        format: if tty { Format::Columns } else { Format::OnePerLine },
        show_owner: true,
        show_group: true,
        time_field: 'm',
        time_style: task.getenv("TIME_STYLE").unwrap_or("locale").to_string(),
        dirs_first: false,
        dereference: false,
        quote: tty,
        width: task.getenv("COLUMNS").and_then(|c| c.parse().ok()).unwrap_or(80),
        across: false,
        tabsize: task.getenv("TABSIZE").and_then(|c| c.parse().ok()).unwrap_or(8),
    };
    let mut time_sort = false;
    for (c, v) in &p.opts {
        match c {
            '1' => o.format = Format::OnePerLine,
            'a' => {
                o.all = true;
                o.almost_all = false;
            }
            'A' => {
                o.almost_all = true;
                o.all = false;
            }
            'c' => o.time_field = 'c',
            'u' => o.time_field = 'u',
            'C' => {
                o.format = Format::Columns;
                o.across = false;
            }
            'x' => {
                o.format = Format::Columns;
                o.across = true;
            }
            'm' => o.format = Format::Commas,
            'd' => o.directory = true,
            'F' => match v.as_deref() {
                None | Some("always") | Some("yes") | Some("force") => o.indicator = Indicator::Classify,
                Some("auto") | Some("tty") | Some("if-tty") => {
                    o.indicator = if tty { Indicator::Classify } else { Indicator::None }
                }
                _ => o.indicator = Indicator::None,
            },
            'p' => o.indicator = Indicator::Slash,
            '\u{8}' => {
                o.indicator = match v.as_deref() {
                    Some("slash") => Indicator::Slash,
                    Some("classify") | Some("file-type") => Indicator::Classify,
                    _ => Indicator::None,
                }
            }
            'h' => o.human = Some(1024),
            '\u{1}' => o.human = Some(1000),
            'i' => o.inode = true,
            'l' => o.format = Format::Long,
            'n' => {
                o.numeric = true;
                o.format = Format::Long;
            }
            'g' => {
                o.show_owner = false;
                o.format = Format::Long;
            }
            'o' => {
                o.show_group = false;
                o.format = Format::Long;
            }
            'G' => o.show_group = false,
            'L' => o.dereference = true,
            'N' => o.quote = false,
            'Q' => o.quote = true,
            'R' => o.recursive = true,
            'r' => o.reverse = true,
            's' => o.size_blocks = true,
            'S' => o.sort = Sort::Size,
            't' => {
                o.sort = Sort::Time;
                time_sort = true;
            }
            'U' => o.sort = Sort::None,
            'v' => o.sort = Sort::Version,
            'X' => o.sort = Sort::Ext,
            'w' => o.width = v.as_deref().and_then(|w| w.parse().ok()).unwrap_or(80),
            'T' => o.tabsize = v.as_deref().and_then(|w| w.parse().ok()).unwrap_or(8),
            '\u{3}' => {
                o.format = Format::Long;
                o.time_style = "full-iso".into();
            }
            '\u{4}' => o.time_style = v.clone().unwrap_or_default().trim_start_matches("posix-").to_string(),
            '\u{5}' => o.dirs_first = true,
            '\u{6}' => {
                o.sort = match v.as_deref() {
                    Some("size") => Sort::Size,
                    Some("time") => Sort::Time,
                    Some("none") => Sort::None,
                    Some("extension") => Sort::Ext,
                    Some("version") => Sort::Version,
                    _ => Sort::Name,
                }
            }
            '\u{7}' => {
                o.time_field = match v.as_deref() {
                    Some("ctime") | Some("status") => 'c',
                    Some("atime") | Some("access") | Some("use") => 'u',
                    Some("birth") | Some("creation") => 'b',
                    _ => 'm',
                }
            }
            _ => {}
        }
    }
    // -c/-u sort by that time unless -l shows it.
    if (o.time_field == 'c' || o.time_field == 'u') && o.format != Format::Long && !time_sort && o.sort == Sort::Name {
        o.sort = Sort::Time;
    }
    if o.sort == Sort::None && !p.has('a') && !p.has('A') && p.has('f') {
        o.all = true;
    }
    let task: &Task = task;
    let mut ls = Ls { task, o, db: None, now: task.now(), status: 0, out: Vec::new(), extra: Vec::new() };
    let operands = if p.operands.is_empty() { vec![".".to_string()] } else { p.operands.clone() };
    let follow_args =
        !ls.o.directory && ls.o.format != Format::Long && ls.o.indicator == Indicator::None || ls.o.dereference;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for name in &operands {
        let e = match ls.stat_entry(name.clone(), name.clone(), follow_args) {
            Ok(e) => e,
            Err(e) => {
                util::error(task, NAME, &format!("cannot access {}: {}", util::quote(name), e.strerror()));
                ls.status = 2;
                continue;
            }
        };
        let st = e.st.clone();
        let is_dir = st.as_ref().is_some_and(|s| s.is_dir())
            || (!ls.o.directory
                && st.as_ref().is_some_and(|s| s.is_symlink())
                && ls.o.format == Format::Long
                && name.ends_with('/')
                && path::is_dir(task, name));
        if is_dir && !ls.o.directory {
            dirs.push(e);
        } else {
            files.push(e);
        }
    }
    ls.sort(&mut files);
    ls.sort(&mut dirs);
    if !files.is_empty() {
        ls.extra = dirs.iter().filter_map(|d| d.st.clone()).collect();
    }
    ls.print(&files, false);
    ls.extra.clear();
    let mut first = files.is_empty();
    let header = operands.len() > 1 || ls.o.recursive;
    for d in &dirs {
        ls.list_dir(&d.path, header, &mut first, true);
    }
    ls.flush();
    let mut w = task.stdout();
    util::finish(task, NAME, &mut w, ls.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lay(names: &[&str], width: usize, across: bool) -> String {
        let cells: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let lens: Vec<usize> = names.iter().map(|s| s.len()).collect();
        layout(&cells, &lens, width, across, 8)
    }

    #[test]
    fn columns_like_gnu() {
        let names = ["a", "a b", "alphaalpha", "b", "betabeta", "big", "d", "deltadelta"];
        assert_eq!(lay(&names, 80, false), "a  a b\talphaalpha  b  betabeta  big  d  deltadelta\n");
        assert_eq!(lay(&names, 30, false), "a\t    betabeta\na b\t    big\nalphaalpha  d\nb\t    deltadelta\n");
        assert_eq!(lay(&names, 30, true), "a  a b\t       alphaalpha\nb  betabeta    big\nd  deltadelta\n");
        assert_eq!(lay(&["a", "b", "c"], 80, true), "a  b  c\n");
        assert_eq!(lay(&["aaaa", "bbbb", "cccc"], 10, false), "aaaa\nbbbb\ncccc\n");
        assert_eq!(lay(&["aa", "bb", "cc", "dd"], 9, false), "aa  cc\nbb  dd\n");
        assert_eq!(lay(&["aa", "bb", "cc", "dd"], 9, true), "aa  bb\ncc  dd\n");
    }
}
