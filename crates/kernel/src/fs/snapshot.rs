//! Snapshots: a whole filesystem as one tar stream, and back.
//!
//! Format **agentos-snapshot v1**: a POSIX tar stream (GNU long names)
//! whose *first* entry is a regular file named `.agentos-snapshot-v1`
//! holding `agentos-snapshot 1\n`; then one entry per object, parents
//! before children, paths relative to the root without a leading `/`
//! (directories end in `/`). The root directory's mode, owner and times
//! are in an entry named `./`. Each entry keeps mode bits, uid, gid and
//! mtime (seconds); regular files carry their bytes, symlinks their
//! target, device nodes their major/minor, FIFOs nothing. A second name
//! of a hard-linked file is a tar hard-link entry. Whiteouts (character
//! devices 0/0) are kept as such, so an overlay layer round-trips.
//!
//! Analogue: an OCI image layer tarball, or `tar --xattrs -cpf` of a
//! root. [`import`] rejects a stream without the marker (`EINVAL`).

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use crate::abi::{Errno, FileType, KResult, S_IPERM, TimeSet, Timespec};
use crate::clock::Clock;
use crate::fs::mem::{MemFs, MemLimits};
use crate::fs::{FileSystem, Ino, NewNode, SetAttr};

/// Name of the marker entry that starts every snapshot.
pub const MARKER: &str = ".agentos-snapshot-v1";
const MARKER_BODY: &[u8] = b"agentos-snapshot 1\n";

fn io(e: std::io::Error) -> Errno {
    Errno::from_io(&e)
}

fn header(st: &crate::abi::Stat, kind: tar::EntryType) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(st.mode & 0o7777);
    h.set_uid(st.uid.into());
    h.set_gid(st.gid.into());
    h.set_mtime(st.mtime.sec.max(0) as u64);
    h.set_size(0);
    h
}

/// Export everything in `fs` as a snapshot tar stream.
pub fn export(fs: &dyn FileSystem) -> KResult<Vec<u8>> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(0o444);
    h.set_size(MARKER_BODY.len() as u64);
    b.append_data(&mut h, MARKER, MARKER_BODY).map_err(io)?;
    let root = fs.root();
    let st = fs.getattr(root)?;
    b.append_data(&mut header(&st, tar::EntryType::Directory), "./", std::io::empty()).map_err(io)?;
    let mut links = HashMap::new();
    export_dir(fs, root, "", &mut b, &mut links)?;
    b.into_inner().map_err(io)
}

fn export_dir(
    fs: &dyn FileSystem,
    dir: Ino,
    prefix: &str,
    b: &mut tar::Builder<Vec<u8>>,
    links: &mut HashMap<Ino, String>,
) -> KResult<()> {
    for e in fs.readdir(dir)? {
        let path = format!("{prefix}{}", e.name);
        let st = fs.getattr(e.ino)?;
        let kind = FileType::from_mode(st.mode).ok_or(Errno::EIO)?;
        if kind != FileType::Directory && st.nlink > 1 {
            if let Some(first) = links.get(&e.ino) {
                let mut h = header(&st, tar::EntryType::Link);
                b.append_link(&mut h, &path, first).map_err(io)?;
                continue;
            }
            links.insert(e.ino, path.clone());
        }
        match kind {
            FileType::Directory => {
                let p = format!("{path}/");
                b.append_data(&mut header(&st, tar::EntryType::Directory), &p, std::io::empty()).map_err(io)?;
                export_dir(fs, e.ino, &p, b, links)?;
            }
            FileType::Regular => {
                let mut h = header(&st, tar::EntryType::Regular);
                h.set_size(st.size);
                b.append_data(&mut h, &path, Reader { fs, ino: e.ino, off: 0 }).map_err(io)?;
            }
            FileType::Symlink => {
                let target = fs.readlink(e.ino)?;
                b.append_link(&mut header(&st, tar::EntryType::Symlink), &path, &target).map_err(io)?;
            }
            FileType::CharDevice | FileType::BlockDevice | FileType::Fifo | FileType::Socket => {
                let t = match kind {
                    FileType::CharDevice => tar::EntryType::Char,
                    FileType::BlockDevice => tar::EntryType::Block,
                    // Sockets can't be archived; a FIFO stands in, as GNU tar skips them.
                    _ => tar::EntryType::Fifo,
                };
                let mut h = header(&st, t);
                h.set_device_major((st.rdev >> 8) as u32).map_err(io)?;
                h.set_device_minor((st.rdev & 0xff) as u32).map_err(io)?;
                b.append_data(&mut h, &path, std::io::empty()).map_err(io)?;
            }
        }
    }
    Ok(())
}

/// Streams a file's data into the tar builder.
struct Reader<'a> {
    fs: &'a dyn FileSystem,
    ino: Ino,
    off: u64,
}

impl Read for Reader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.fs.read(self.ino, self.off, buf)?;
        self.off += n as u64;
        Ok(n)
    }
}

/// Build an in-memory filesystem from a snapshot (for a lower layer, or a
/// root). `EINVAL` if `bytes` is not a v1 snapshot or is malformed.
pub fn import(bytes: &[u8], clock: Arc<dyn Clock>) -> KResult<MemFs> {
    let fs = MemFs::new(clock, MemLimits { max_bytes: u64::MAX, max_inodes: u64::MAX }, 0o755, 0, 0);
    let mut ar = tar::Archive::new(bytes);
    let mut entries = ar.entries().map_err(|_| Errno::EINVAL)?;
    let mut first = entries.next().ok_or(Errno::EINVAL)?.map_err(|_| Errno::EINVAL)?;
    let mut body = Vec::new();
    first.read_to_end(&mut body).map_err(|_| Errno::EINVAL)?;
    if first.path_bytes().as_ref() != MARKER.as_bytes() || body != MARKER_BODY {
        return Err(Errno::EINVAL);
    }
    let mut dir_times: Vec<(Ino, Timespec)> = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|_| Errno::EINVAL)?;
        let raw = entry.path_bytes().into_owned();
        let path = String::from_utf8(raw).map_err(|_| Errno::EINVAL)?;
        let h = entry.header().clone();
        let mode = h.mode().map_err(|_| Errno::EINVAL)? & S_IPERM;
        let uid = h.uid().map_err(|_| Errno::EINVAL)? as u32;
        let gid = h.gid().map_err(|_| Errno::EINVAL)? as u32;
        let mtime = Timespec { sec: h.mtime().map_err(|_| Errno::EINVAL)? as i64, nsec: 0 };
        let times = SetAttr { atime: TimeSet::At(mtime), mtime: TimeSet::At(mtime), ..Default::default() };
        let clean = path.trim_end_matches('/');
        if clean == "." || clean.is_empty() {
            let root = fs.root();
            fs.setattr(root, &SetAttr { mode: Some(mode), uid: Some(uid), gid: Some(gid), ..Default::default() })?;
            dir_times.push((root, mtime));
            continue;
        }
        if clean.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
            return Err(Errno::EINVAL);
        }
        let (parent, name) = match clean.rsplit_once('/') {
            Some((p, n)) => (walk(&fs, p)?, n),
            None => (fs.root(), clean),
        };
        let et = h.entry_type();
        if et == tar::EntryType::Link {
            let target = entry.link_name_bytes().ok_or(Errno::EINVAL)?.into_owned();
            let target = String::from_utf8(target).map_err(|_| Errno::EINVAL)?;
            fs.link(walk(&fs, target.trim_end_matches('/'))?, parent, name)?;
            continue;
        }
        let link_target = match et {
            tar::EntryType::Symlink => {
                let t = entry.link_name_bytes().ok_or(Errno::EINVAL)?.into_owned();
                String::from_utf8(t).map_err(|_| Errno::EINVAL)?
            }
            _ => String::new(),
        };
        let (kind, rdev) = match et {
            tar::EntryType::Directory => (FileType::Directory, 0),
            tar::EntryType::Regular | tar::EntryType::Continuous => (FileType::Regular, 0),
            tar::EntryType::Symlink => (FileType::Symlink, 0),
            tar::EntryType::Char | tar::EntryType::Block | tar::EntryType::Fifo => {
                let major = h.device_major().ok().flatten().unwrap_or(0) as u64;
                let minor = h.device_minor().ok().flatten().unwrap_or(0) as u64;
                let k = match et {
                    tar::EntryType::Char => FileType::CharDevice,
                    tar::EntryType::Block => FileType::BlockDevice,
                    _ => FileType::Fifo,
                };
                (k, (major << 8) | minor)
            }
            _ => return Err(Errno::EINVAL),
        };
        let node = NewNode { kind, perm: mode, uid, gid, target: &link_target, rdev };
        let ino = fs.create(parent, name, &node)?;
        if kind == FileType::Regular {
            let mut buf = vec![0u8; 64 * 1024];
            let mut off = 0u64;
            loop {
                let n = entry.read(&mut buf).map_err(|_| Errno::EINVAL)?;
                if n == 0 {
                    break;
                }
                fs.write(ino, off, &buf[..n])?;
                off += n as u64;
            }
        }
        match kind {
            FileType::Directory => dir_times.push((ino, mtime)),
            FileType::Symlink => {}
            _ => {
                fs.setattr(ino, &times)?;
            }
        }
    }
    // Directory times last: creating their entries touched them.
    for (ino, t) in dir_times.into_iter().rev() {
        fs.setattr(ino, &SetAttr { atime: TimeSet::At(t), mtime: TimeSet::At(t), ..Default::default() })?;
    }
    Ok(fs)
}

/// The inode at relative `path` inside `fs` (no symlinks followed).
fn walk(fs: &MemFs, path: &str) -> KResult<Ino> {
    let mut ino = fs.root();
    for c in path.split('/').filter(|c| !c.is_empty() && *c != ".") {
        ino = fs.lookup(ino, c)?;
    }
    Ok(ino)
}
