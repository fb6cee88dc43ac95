//! Packed command packages (`.aospkg`, the file the agentOS registry's npm
//! packages ship as `dist/package.aospkg`), read as a read-only filesystem.
//!
//! The format, as read from the published packages (all integers little
//! endian; `str` = LEB128 length + UTF-8 bytes; `n` = LEB128 count):
//!
//! ```text
//! magic "\x89AOS"  u32 format (1)  u32 header_len  u32 index_len
//! header:  u16 version (1)  str name  str version  n=0  n=0
//!          n commands × (str command, str path relative to the package root)
//!          n=0  n=0
//! index:   u16 version (1)  n entries × (str absolute path, u8 kind
//!          (0 file, 1 directory, 2 symlink), u64 data offset, u64 size,
//!          u32 mode, u32 uid, u32 gid, u64 mtime seconds, str link target)
//! data:    file bytes at 16 + header_len + index_len + offset
//! ```
//!
//! The four empty lists of the header carry nothing in any published
//! package; a package where they are not empty is refused as unsupported
//! rather than misread. A package is loaded once per host process and
//! shared by every VM that mounts it.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::SystemTime;

use agentos_kernel::abi::{DirEntry, Errno, FileType, KResult, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, Stat, Timespec};
use agentos_kernel::fs::{FileSystem, FsUsage, Ino, NewNode, SetAttr};
use parking_lot::Mutex;

const MAGIC: &[u8; 4] = b"\x89AOS";
const KIND_FILE: u8 = 0;
const KIND_DIR: u8 = 1;
const KIND_SYMLINK: u8 = 2;

/// Why a package could not be read.
#[derive(Debug)]
pub enum PackageError {
    /// The file could not be read.
    Io(std::io::Error),
    /// The bytes are not a package this reader understands.
    Format(String),
}

impl std::fmt::Display for PackageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackageError::Io(e) => {
                // "no such file or directory", as the platform says it.
                let m = e.to_string();
                let m = m.split(" (os error").next().unwrap_or(&m);
                let mut c = m.chars();
                let first = c.next().map(|c| c.to_lowercase().collect::<String>()).unwrap_or_default();
                write!(f, "{first}{}", c.as_str())
            }
            PackageError::Format(m) => write!(f, "not a valid .aospkg package: {m}"),
        }
    }
}

impl std::error::Error for PackageError {}

fn bad(m: impl Into<String>) -> PackageError {
    PackageError::Format(m.into())
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], PackageError> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.b.len()).ok_or_else(|| bad("truncated"))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, PackageError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, PackageError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }
    fn u32(&mut self) -> Result<u32, PackageError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> Result<u64, PackageError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    fn leb(&mut self) -> Result<u64, PackageError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(bad("integer too long"))
    }
    fn str(&mut self) -> Result<String, PackageError> {
        let n = self.leb()?;
        let n = usize::try_from(n).map_err(|_| bad("string too long"))?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| bad("a name is not UTF-8"))
    }
    fn empty_list(&mut self, what: &str) -> Result<(), PackageError> {
        match self.leb()? {
            0 => Ok(()),
            n => Err(bad(format!("unsupported {what} section with {n} entries"))),
        }
    }
}

struct Node {
    kind: FileType,
    mode: u32,
    uid: u32,
    gid: u32,
    mtime: i64,
    data: Range<usize>,
    target: String,
    children: BTreeMap<String, Ino>,
}

/// A package: its name, version, commands, and its files as a read-only
/// filesystem (mount it with `Kernel::mount`).
pub struct Package {
    name: String,
    version: String,
    commands: Vec<(String, String)>,
    bytes: Vec<u8>,
    /// Inode `i` is `nodes[i - 1]`; inode 1 is the root.
    nodes: Vec<Node>,
}

impl std::fmt::Debug for Package {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package").field("name", &self.name).field("version", &self.version).finish_non_exhaustive()
    }
}

type CacheKey = (PathBuf, u64, Option<SystemTime>);

fn cache() -> &'static Mutex<HashMap<CacheKey, Weak<Package>>> {
    static CACHE: std::sync::OnceLock<Mutex<HashMap<CacheKey, Weak<Package>>>> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

impl Package {
    /// Load the package at `path`, or share the copy this process already
    /// loaded if the file has not changed since.
    pub fn open(path: &Path) -> Result<Arc<Package>, PackageError> {
        let meta = std::fs::metadata(path).map_err(PackageError::Io)?;
        let key = (path.canonicalize().map_err(PackageError::Io)?, meta.len(), meta.modified().ok());
        let mut c = cache().lock();
        if let Some(p) = c.get(&key).and_then(Weak::upgrade) {
            return Ok(p);
        }
        c.retain(|_, w| w.strong_count() > 0);
        let p = Arc::new(Package::parse(std::fs::read(path).map_err(PackageError::Io)?)?);
        c.insert(key, Arc::downgrade(&p));
        Ok(p)
    }

    /// Read a package from its bytes.
    pub fn parse(bytes: Vec<u8>) -> Result<Package, PackageError> {
        let mut r = Reader { b: &bytes, at: 0 };
        if r.take(4)? != MAGIC {
            return Err(bad("bad magic"));
        }
        let format = r.u32()?;
        if format != 1 {
            return Err(bad(format!("format version {format}")));
        }
        let hlen = r.u32()? as usize;
        let ilen = r.u32()? as usize;
        let header = r.take(hlen)?;
        let index = r.take(ilen)?;
        let base = r.at;

        let mut h = Reader { b: header, at: 0 };
        if h.u16()? != 1 {
            return Err(bad("header version"));
        }
        let name = h.str()?;
        let version = h.str()?;
        h.empty_list("header")?;
        h.empty_list("header")?;
        let n = h.leb()?;
        let mut commands = Vec::new();
        for _ in 0..n {
            let cmd = h.str()?;
            let path = h.str()?;
            commands.push((cmd, path));
        }
        while h.at < header.len() {
            h.empty_list("header")?;
        }

        let root = Node {
            kind: FileType::Directory,
            mode: S_IFDIR | 0o755,
            uid: 0,
            gid: 0,
            mtime: 0,
            data: 0..0,
            target: String::new(),
            children: BTreeMap::new(),
        };
        let mut nodes = vec![root];
        let mut by_path: HashMap<String, Ino> = HashMap::from([("/".to_string(), 1)]);
        let mut x = Reader { b: index, at: 0 };
        if x.u16()? != 1 {
            return Err(bad("index version"));
        }
        let n = x.leb()?;
        for _ in 0..n {
            let path = x.str()?;
            let kind = x.u8()?;
            let (offset, size) = (x.u64()?, x.u64()?);
            let (mode, uid, gid) = (x.u32()?, x.u32()?, x.u32()?);
            let mtime = x.u64()? as i64;
            let target = x.str()?;
            let (kind, ty) = match kind {
                KIND_FILE => (FileType::Regular, S_IFREG),
                KIND_DIR => (FileType::Directory, S_IFDIR),
                KIND_SYMLINK => (FileType::Symlink, S_IFLNK),
                k => return Err(bad(format!("{path}: unknown entry kind {k}"))),
            };
            let data = if kind == FileType::Regular {
                let start = usize::try_from(offset).ok().and_then(|o| base.checked_add(o));
                let end = start.zip(usize::try_from(size).ok()).and_then(|(s, n)| s.checked_add(n));
                match (start, end) {
                    (Some(s), Some(e)) if e <= bytes.len() => s..e,
                    _ => return Err(bad(format!("{path}: data outside the file"))),
                }
            } else {
                0..0
            };
            let node =
                Node { kind, mode: ty | (mode & 0o7777), uid, gid, mtime, data, target, children: BTreeMap::new() };
            if path == "/" {
                nodes[0] = Node { kind: FileType::Directory, mode: S_IFDIR | (mode & 0o7777), ..node };
                continue;
            }
            let (parent, leaf) = path
                .strip_prefix('/')
                .map(|p| p.rsplit_once('/').map(|(d, l)| (format!("/{d}"), l)).unwrap_or(("/".into(), p)))
                .ok_or_else(|| bad(format!("{path}: not an absolute path")))?;
            if leaf.is_empty() || leaf == "." || leaf == ".." || by_path.contains_key(&path) {
                return Err(bad(format!("{path}: bad or repeated name")));
            }
            let pino = *by_path.get(&parent).ok_or_else(|| bad(format!("{path}: parent not listed first")))?;
            if nodes[pino as usize - 1].kind != FileType::Directory {
                return Err(bad(format!("{path}: parent is not a directory")));
            }
            nodes.push(node);
            let ino = nodes.len() as Ino;
            nodes[pino as usize - 1].children.insert(leaf.to_string(), ino);
            by_path.insert(path, ino);
        }
        for (cmd, path) in &commands {
            let ok = by_path.get(&format!("/{path}")).is_some_and(|i| nodes[*i as usize - 1].kind == FileType::Regular);
            if !ok || cmd.is_empty() || cmd.contains('/') {
                return Err(bad(format!("command '{cmd}' names missing file '{path}'")));
            }
        }
        Ok(Package { name, version, commands, bytes, nodes })
    }

    /// The package's name (`coreutils`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The package's version (`0.3.4`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// `(command, path relative to the package root)` pairs.
    pub fn commands(&self) -> &[(String, String)] {
        &self.commands
    }

    fn node(&self, ino: Ino) -> KResult<&Node> {
        usize::try_from(ino).ok().and_then(|i| i.checked_sub(1)).and_then(|i| self.nodes.get(i)).ok_or(Errno::ENOENT)
    }
}

/// A package's files as a read-only filesystem.
#[derive(Debug, Clone)]
pub struct PackageFs(pub Arc<Package>);

impl FileSystem for PackageFs {
    fn fs_type(&self) -> &'static str {
        "aospkg"
    }
    fn root(&self) -> Ino {
        1
    }
    fn lookup(&self, dir: Ino, name: &str) -> KResult<Ino> {
        let d = self.0.node(dir)?;
        if d.kind != FileType::Directory {
            return Err(Errno::ENOTDIR);
        }
        d.children.get(name).copied().ok_or(Errno::ENOENT)
    }
    fn getattr(&self, ino: Ino) -> KResult<Stat> {
        let n = self.0.node(ino)?;
        let size = match n.kind {
            FileType::Regular => n.data.len() as u64,
            FileType::Symlink => n.target.len() as u64,
            _ => 4096,
        };
        let t = Timespec { sec: n.mtime, nsec: 0 };
        Ok(Stat {
            dev: 0,
            ino,
            mode: n.mode,
            nlink: if n.kind == FileType::Directory { 2 + n.children.len() as u64 } else { 1 },
            uid: n.uid,
            gid: n.gid,
            rdev: 0,
            size,
            blksize: 4096,
            blocks: size.div_ceil(512),
            atime: t,
            mtime: t,
            ctime: t,
            btime: t,
        })
    }
    fn setattr(&self, ino: Ino, _attr: &SetAttr) -> KResult<Stat> {
        self.0.node(ino)?;
        Err(Errno::EROFS)
    }
    fn readlink(&self, ino: Ino) -> KResult<String> {
        let n = self.0.node(ino)?;
        if n.mode & S_IFMT != S_IFLNK {
            return Err(Errno::EINVAL);
        }
        Ok(n.target.clone())
    }
    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> KResult<usize> {
        let n = self.0.node(ino)?;
        if n.kind == FileType::Directory {
            return Err(Errno::EISDIR);
        }
        let data = &self.0.bytes[n.data.clone()];
        let Ok(off) = usize::try_from(offset) else { return Ok(0) };
        if off >= data.len() {
            return Ok(0);
        }
        let k = buf.len().min(data.len() - off);
        buf[..k].copy_from_slice(&data[off..off + k]);
        Ok(k)
    }
    fn write(&self, _ino: Ino, _offset: u64, _data: &[u8]) -> KResult<usize> {
        Err(Errno::EROFS)
    }
    fn create(&self, _dir: Ino, _name: &str, _node: &NewNode<'_>) -> KResult<Ino> {
        Err(Errno::EROFS)
    }
    fn link(&self, _ino: Ino, _newdir: Ino, _newname: &str) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn unlink(&self, _dir: Ino, _name: &str) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn rmdir(&self, _dir: Ino, _name: &str) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn rename(&self, _od: Ino, _on: &str, _nd: Ino, _nn: &str) -> KResult<()> {
        Err(Errno::EROFS)
    }
    fn readdir(&self, dir: Ino) -> KResult<Vec<DirEntry>> {
        let d = self.0.node(dir)?;
        if d.kind != FileType::Directory {
            return Err(Errno::ENOTDIR);
        }
        Ok(d.children
            .iter()
            .map(|(name, ino)| DirEntry { name: name.clone(), ino: *ino, kind: self.0.nodes[*ino as usize - 1].kind })
            .collect())
    }
    fn usage(&self) -> FsUsage {
        let bytes: u64 = self.0.nodes.iter().map(|n| n.data.len() as u64).sum();
        let inodes = self.0.nodes.len() as u64;
        FsUsage { bytes_used: bytes, bytes_total: bytes, inodes_used: inodes, inodes_total: inodes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leb(out: &mut Vec<u8>, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            out.push(if v == 0 { b } else { b | 0x80 });
            if v == 0 {
                break;
            }
        }
    }
    fn s(out: &mut Vec<u8>, t: &str) {
        leb(out, t.len() as u64);
        out.extend_from_slice(t.as_bytes());
    }

    /// A package with `/bin/hi` (data "hello") and command `hi`.
    fn sample(extra_header: &[u8]) -> Vec<u8> {
        let mut h = vec![1, 0];
        s(&mut h, "demo");
        s(&mut h, "1.0.0");
        h.extend_from_slice(&[0, 0, 1]);
        s(&mut h, "hi");
        s(&mut h, "bin/hi");
        h.extend_from_slice(&[0, 0]);
        h.extend_from_slice(extra_header);
        let mut x = vec![1, 0, 3];
        for (path, kind, off, size, mode) in
            [("/", 1u8, 0u64, 0u64, 0o755u32), ("/bin", 1, 0, 0, 0o755), ("/bin/hi", 0, 2, 5, 0o755)]
        {
            s(&mut x, path);
            x.push(kind);
            x.extend_from_slice(&off.to_le_bytes());
            x.extend_from_slice(&size.to_le_bytes());
            for v in [mode, 1000, 1000] {
                x.extend_from_slice(&v.to_le_bytes());
            }
            x.extend_from_slice(&1_700_000_000u64.to_le_bytes());
            s(&mut x, "");
        }
        let mut out = MAGIC.to_vec();
        for v in [1u32, h.len() as u32, x.len() as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&h);
        out.extend_from_slice(&x);
        out.extend_from_slice(b"..hello");
        out
    }

    #[test]
    fn reads_names_commands_and_files() {
        let p = Package::parse(sample(&[])).unwrap();
        assert_eq!((p.name(), p.version()), ("demo", "1.0.0"));
        assert_eq!(p.commands(), &[("hi".to_string(), "bin/hi".to_string())]);
        let fs = PackageFs(Arc::new(p));
        let bin = fs.lookup(fs.root(), "bin").unwrap();
        let hi = fs.lookup(bin, "hi").unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(fs.read(hi, 1, &mut buf), Ok(4));
        assert_eq!(&buf[..4], b"ello");
        let st = fs.getattr(hi).unwrap();
        assert_eq!((st.mode, st.size, st.uid, st.mtime.sec), (S_IFREG | 0o755, 5, 1000, 1_700_000_000));
        assert_eq!(fs.lookup(bin, "nope"), Err(Errno::ENOENT));
        assert_eq!(fs.lookup(hi, "x"), Err(Errno::ENOTDIR));
        assert_eq!(fs.write(hi, 0, b"x"), Err(Errno::EROFS));
        assert_eq!(fs.readdir(bin).unwrap().iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["hi"]);
    }

    #[test]
    fn refuses_what_it_does_not_understand() {
        let err = |b: Vec<u8>| Package::parse(b).unwrap_err().to_string();
        assert_eq!(err(b"nope".to_vec()), "not a valid .aospkg package: bad magic");
        assert_eq!(err(sample(&[2])), "not a valid .aospkg package: unsupported header section with 2 entries");
        let mut short = sample(&[]);
        short.truncate(short.len() - 3);
        assert_eq!(err(short), "not a valid .aospkg package: /bin/hi: data outside the file");
        assert_eq!(err(sample(&[])[..10].to_vec()), "not a valid .aospkg package: truncated");
    }
}
