//! `gzip`, `gunzip`, `zcat`: compress or expand files in the gzip format
//! (RFC 1952), like GNU gzip 1.12: `-c -d -k -f -l -n -N -q -t -v -1..-9`,
//! `-S SUF`, `.gz`/`.tgz`/`-gz`/`.z` suffix handling, and its messages.
//! Compressed bytes come from miniz_oxide, so they differ from GNU's.

use std::io::{Read, Write};

use agentos_kernel::abi::{OFlags, TimeSet, Timespec};
use agentos_kernel::{Errno, Task};

use crate::util::{self, Arg, Spec, opts};

const LONG: &[(&str, Arg, char)] = &[
    ("stdout", Arg::No, 'c'),
    ("to-stdout", Arg::No, 'c'),
    ("decompress", Arg::No, 'd'),
    ("uncompress", Arg::No, 'd'),
    ("force", Arg::No, 'f'),
    ("keep", Arg::No, 'k'),
    ("list", Arg::No, 'l'),
    ("no-name", Arg::No, 'n'),
    ("name", Arg::No, 'N'),
    ("quiet", Arg::No, 'q'),
    ("recursive", Arg::No, 'r'),
    ("suffix", Arg::Req, 'S'),
    ("test", Arg::No, 't'),
    ("verbose", Arg::No, 'v'),
    ("fast", Arg::No, '1'),
    ("best", Arg::No, '9'),
    ("help", Arg::No, 'h'),
    ("version", Arg::No, 'V'),
];

struct Opts {
    stdout: bool,
    decompress: bool,
    force: bool,
    keep: bool,
    list: bool,
    name: bool,
    quiet: bool,
    test: bool,
    verbose: bool,
    level: u32,
    suffix: String,
}

/// Compress `data` as one gzip member.
pub fn compress(data: &[u8], level: u32, name: Option<&str>, mtime: u32) -> Vec<u8> {
    let mut b = flate2::GzBuilder::new().mtime(mtime).operating_system(3);
    if let Some(n) = name {
        b = b.filename(n.as_bytes());
    }
    let mut enc = b.write(Vec::new(), flate2::Compression::new(level));
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// Expand every gzip member of `data`.
pub fn decompress(data: &[u8]) -> std::io::Result<Vec<u8>> {
    if data.len() < 2 || data[0] != 0x1f || data[1] != 0x8b {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "not in gzip format"));
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(data).read_to_end(&mut out)?;
    Ok(out)
}

/// The original name and mtime stored in a gzip header.
fn header_info(data: &[u8]) -> (Option<String>, u32) {
    let d = flate2::read::GzDecoder::new(data);
    match d.header() {
        Some(h) => (h.filename().map(|f| String::from_utf8_lossy(f).into_owned()), h.mtime()),
        None => (None, 0),
    }
}

pub fn gzip_main(task: &mut Task) -> i32 {
    run(task, "gzip", false, false)
}

/// gunzip and zcat are gzip underneath, and say so in messages.
pub fn gunzip_main(task: &mut Task) -> i32 {
    run(task, "gzip", true, false)
}

pub fn zcat_main(task: &mut Task) -> i32 {
    run(task, "gzip", true, true)
}

fn run(task: &mut Task, name: &str, decompress: bool, to_stdout: bool) -> i32 {
    let args: Vec<String> = task.argv[1..].to_vec();
    let p = match opts::parse(&Spec::new("cdfklnNqrS:tvV123456789h", LONG), &args) {
        Ok(p) => p,
        Err(e) => return util::usage_error(task, name, &e, 1),
    };
    if p.has('h') {
        return util::help(task, name, "[OPTION]... [FILE]...");
    }
    if p.has('V') {
        util::out(task, b"gzip 1.12\n");
        return 0;
    }
    let mut o = Opts {
        stdout: to_stdout,
        decompress,
        force: false,
        keep: false,
        list: false,
        name: false,
        quiet: false,
        test: false,
        verbose: false,
        level: 6,
        suffix: ".gz".into(),
    };
    for (c, v) in &p.opts {
        match c {
            'c' => o.stdout = true,
            'd' => o.decompress = true,
            'f' => o.force = true,
            'k' => o.keep = true,
            'l' => o.list = true,
            'n' => o.name = false,
            'N' => o.name = true,
            'q' => {
                o.quiet = true;
                o.verbose = false
            }
            't' => o.test = true,
            'v' => {
                o.verbose = true;
                o.quiet = false
            }
            'S' => o.suffix = v.clone().unwrap_or_default(),
            '1'..='9' => o.level = *c as u32 - '0' as u32,
            _ => {}
        }
    }
    if o.list || o.test {
        o.decompress = true;
    }
    let files = if p.operands.is_empty() { vec!["-".to_string()] } else { p.operands.clone() };
    let mut status = 0;
    if o.list {
        util::out(task, b"         compressed        uncompressed  ratio uncompressed_name\n");
    }
    for f in &files {
        let st = one(task, name, &o, f);
        status = if st == 1 || status == 1 { 1 } else { status.max(st) };
    }
    status
}

fn warn(task: &Task, name: &str, o: &Opts, msg: &str) {
    if !o.quiet {
        util::error(task, name, msg);
    }
}

fn strip_suffix(f: &str, suffix: &str) -> Option<String> {
    let base = util::path::basename(f);
    for s in [suffix, ".gz", "-gz", ".z", "-z", "_z", ".Z"] {
        if !s.is_empty() && base.len() > s.len() && f.ends_with(s) {
            return Some(f[..f.len() - s.len()].to_string());
        }
    }
    for (s, r) in [(".tgz", ".tar"), (".taz", ".tar")] {
        if base.len() > s.len() && f.ends_with(s) {
            return Some(format!("{}{r}", &f[..f.len() - s.len()]));
        }
    }
    None
}

fn write_file(task: &Task, path: &str, data: &[u8], excl: bool) -> Result<(), Errno> {
    let mut flags = OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC;
    if excl {
        flags |= OFlags::EXCL;
    }
    let fd = task.open(path, flags, 0o600)?;
    let r = task.write_all(fd, data);
    let _ = task.close(fd);
    r
}

/// Process one operand; returns 0, 1 (error) or 2 (warning).
fn one(task: &Task, name: &str, o: &Opts, f: &str) -> i32 {
    let stdin = f == "-";
    let shown = if stdin { "stdin" } else { f };
    let st = if stdin { None } else { Some(task.stat(f)) };
    if let Some(Err(e)) = st {
        warn(task, name, o, &format!("{f}: {}", e.strerror()));
        return 1;
    }
    let st = st.and_then(|s| s.ok());
    if let Some(s) = &st {
        if s.is_dir() {
            warn(task, name, o, &format!("{f} is a directory -- ignored"));
            return 2;
        }
        if !s.is_file() && !o.force {
            warn(task, name, o, &format!("{f} is not a directory or a regular file - ignored"));
            return 2;
        }
    }
    let to_stdout = o.stdout || stdin || o.test || o.list;
    // Choose the output name before reading anything.
    let out_name = if to_stdout {
        None
    } else if o.decompress {
        match strip_suffix(f, &o.suffix) {
            Some(n) => Some(n),
            None => {
                warn(task, name, o, &format!("{f}: unknown suffix -- ignored"));
                return 2;
            }
        }
    } else {
        if f.ends_with(&o.suffix) || f.ends_with(".tgz") {
            warn(task, name, o, &format!("{f} already has {} suffix -- unchanged", o.suffix));
            return 0;
        }
        Some(format!("{f}{}", o.suffix))
    };
    let data = match util::input::read_file(task, f) {
        Ok(d) => d,
        Err(e) => {
            warn(task, name, o, &format!("{shown}: {}", e.strerror()));
            return 1;
        }
    };
    let result = if o.decompress {
        match decompress(&data) {
            Ok(d) => d,
            Err(e) => {
                let msg = if e.kind() == std::io::ErrorKind::InvalidData && !data.starts_with(&[0x1f, 0x8b]) {
                    // GNU gzip starts this one with a blank line.
                    let _ = task.write_all(2, b"\n");
                    format!("{shown}: not in gzip format")
                } else if e.kind() == std::io::ErrorKind::UnexpectedEof {
                    format!("{shown}: unexpected end of file")
                } else {
                    format!("{shown}: invalid compressed data--format violated")
                };
                if o.decompress && data.is_empty() && !o.test {
                    // An empty input is an error too, but GNU says so plainly.
                    warn(task, name, o, &format!("{shown}: unexpected end of file"));
                    return 1;
                }
                warn(task, name, o, &msg);
                return 1;
            }
        }
    } else {
        let base = if stdin { None } else { Some(util::path::basename(f)) };
        let mtime = st.as_ref().map_or(0, |s| s.mtime.sec.max(0) as u32);
        compress(&data, o.level, if o.name || !stdin { base } else { None }, mtime)
    };
    if o.list {
        let uname = strip_suffix(f, &o.suffix).unwrap_or_else(|| f.to_string());
        let (c, u) = (data.len() as f64, result.len() as f64);
        let ratio = if u == 0.0 { 0.0 } else { (u - c) * 100.0 / u };
        let line = format!("{:>19} {:>19} {:>5.1}% {}\n", data.len(), result.len(), ratio, uname);
        util::out(task, line.as_bytes());
        return 0;
    }
    if o.test {
        if o.verbose {
            let _ = task.write_all(2, format!("{f}:\t OK\n").as_bytes());
        }
        return 0;
    }
    let Some(out_name) = out_name else {
        util::out(task, &result);
        return 0;
    };
    // Restore the original name only with -N.
    let out_name = if o.decompress && o.name {
        match header_info(&data).0 {
            Some(n) => util::path::join(util::path::dirname(f), util::path::basename(&n)),
            None => out_name,
        }
    } else {
        out_name
    };
    if task.lstat(&out_name).is_ok() {
        if !o.force {
            warn(task, name, o, &format!("{out_name} already exists;\tnot overwritten"));
            return 2;
        }
        let _ = task.unlink(&out_name);
    }
    if let Err(e) = write_file(task, &out_name, &result, true) {
        warn(task, name, o, &format!("{out_name}: {}", e.strerror()));
        return 1;
    }
    if let Some(s) = &st {
        let _ = task.chmod(&out_name, s.perm());
        let mtime = if o.decompress && o.name {
            let t = header_info(&data).1;
            if t != 0 { Timespec { sec: t as i64, nsec: 0 } } else { s.mtime }
        } else {
            s.mtime
        };
        let _ = task.utimens(&out_name, TimeSet::At(s.atime), TimeSet::At(mtime), true);
    }
    if o.verbose {
        let (c, u) = if o.decompress { (data.len(), result.len()) } else { (result.len(), data.len()) };
        let ratio = if u == 0 { 0.0 } else { (u as f64 - c as f64) * 100.0 / u as f64 };
        let msg = format!("{f}:\t{ratio:>5.1}% -- {} {out_name}\n", if o.keep { "created" } else { "replaced with" });
        let _ = task.write_all(2, msg.as_bytes());
    }
    if !o.keep && !stdin {
        let _ = task.unlink(f);
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_suffixes() {
        let z = compress(b"hello hello hello\n", 9, Some("x"), 5);
        assert_eq!(&z[..3], &[0x1f, 0x8b, 8]);
        assert_eq!(decompress(&z).unwrap(), b"hello hello hello\n");
        assert_eq!(header_info(&z), (Some("x".into()), 5));
        let two = [compress(b"a", 6, None, 0), compress(b"b", 6, None, 0)].concat();
        assert_eq!(decompress(&two).unwrap(), b"ab");
        assert_eq!(strip_suffix("a.gz", ".gz").as_deref(), Some("a"));
        assert_eq!(strip_suffix("a.tgz", ".gz").as_deref(), Some("a.tar"));
        assert_eq!(strip_suffix(".gz", ".gz"), None);
        assert_eq!(strip_suffix("a.txt", ".gz"), None);
        assert!(decompress(b"plain").is_err());
    }
}
