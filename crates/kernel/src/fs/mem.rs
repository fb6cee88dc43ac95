//! The in-memory filesystem: the default root of every VM, and `tmpfs`
//! wherever it is mounted.
//!
//! Analogue: Linux `tmpfs`. The inode table is a persistent hash map
//! (`imbl`), so [`MemFs::fork`] is O(1): a forked filesystem shares every
//! inode with its parent until one side writes it, and then only that inode
//! is copied. Many VMs boot from one shared base image this way without
//! copying it.
//!
//! Locking: one mutex around the whole state. Operations are short and never
//! block while holding it.

use std::sync::Arc;

use parking_lot::Mutex;

use crate::abi::{DirEntry, Errno, FileType, KResult, S_IPERM, Stat, TimeSet, Timespec};
use crate::clock::Clock;
use crate::fs::{FileSystem, FsUsage, Ino, NewNode, SetAttr};

/// Size reported for directories, as ext4 does.
const DIR_SIZE: u64 = 4096;

/// Capacity limits of one in-memory filesystem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemLimits {
    /// Bytes of file data and symlink targets (`ENOSPC` past it).
    pub max_bytes: u64,
    /// Number of inodes (`ENOSPC` past it).
    pub max_inodes: u64,
}

impl Default for MemLimits {
    fn default() -> Self {
        MemLimits { max_bytes: 1 << 30, max_inodes: 1 << 20 }
    }
}

#[derive(Clone, Debug)]
struct Meta {
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u64,
    rdev: u64,
    atime: Timespec,
    mtime: Timespec,
    ctime: Timespec,
    btime: Timespec,
}

#[derive(Clone, Debug)]
enum Data {
    /// Stored bytes and logical size; bytes past `stored.len()` and below
    /// `size` are a hole and read as zeros.
    File {
        stored: Vec<u8>,
        size: u64,
    },
    Dir(imbl::OrdMap<String, Ino>),
    Symlink(String),
    /// Device node, FIFO or socket: no data of its own.
    Node,
}

#[derive(Clone, Debug)]
struct Node {
    meta: Meta,
    data: Data,
    /// Open file descriptions referring to this inode.
    open_count: u32,
}

#[derive(Clone)]
struct State {
    inodes: imbl::HashMap<Ino, Arc<Node>>,
    next_ino: Ino,
    bytes_used: u64,
}

/// An in-memory filesystem.
pub struct MemFs {
    state: Mutex<State>,
    limits: Mutex<MemLimits>,
    clock: Arc<dyn Clock>,
}

const ROOT: Ino = 1;

impl MemFs {
    /// An empty filesystem whose root directory has `perm` and owner `uid:gid`.
    pub fn new(clock: Arc<dyn Clock>, limits: MemLimits, perm: u32, uid: u32, gid: u32) -> MemFs {
        let now = clock.realtime();
        let root = Node {
            meta: Meta {
                mode: FileType::Directory.mode_bits() | (perm & S_IPERM),
                uid,
                gid,
                nlink: 2,
                rdev: 0,
                atime: now,
                mtime: now,
                ctime: now,
                btime: now,
            },
            data: Data::Dir(imbl::OrdMap::new()),
            open_count: 0,
        };
        let mut inodes = imbl::HashMap::new();
        inodes.insert(ROOT, Arc::new(root));
        MemFs {
            state: Mutex::new(State { inodes, next_ino: ROOT + 1, bytes_used: 0 }),
            limits: Mutex::new(limits),
            clock,
        }
    }

    /// A copy-on-write clone: O(1) now, each inode copied on first write.
    pub fn fork(&self, limits: MemLimits) -> MemFs {
        let state = self.state.lock().clone();
        MemFs { state: Mutex::new(state), limits: Mutex::new(limits), clock: self.clock.clone() }
    }

    /// Change the capacity limits.
    pub fn set_limits(&self, limits: MemLimits) {
        *self.limits.lock() = limits;
    }

    fn now(&self) -> Timespec {
        self.clock.realtime()
    }
}

impl State {
    fn node(&self, ino: Ino) -> KResult<&Arc<Node>> {
        self.inodes.get(&ino).ok_or(Errno::ENOENT)
    }

    fn node_mut(&mut self, ino: Ino) -> KResult<&mut Node> {
        let n = self.inodes.get_mut(&ino).ok_or(Errno::ENOENT)?;
        Ok(Arc::make_mut(n))
    }

    fn dir(&self, ino: Ino) -> KResult<&imbl::OrdMap<String, Ino>> {
        match &self.node(ino)?.data {
            Data::Dir(d) => Ok(d),
            _ => Err(Errno::ENOTDIR),
        }
    }

    fn dir_mut(&mut self, ino: Ino) -> KResult<&mut imbl::OrdMap<String, Ino>> {
        match &mut self.node_mut(ino)?.data {
            Data::Dir(d) => Ok(d),
            _ => Err(Errno::ENOTDIR),
        }
    }

    fn touch_dir(&mut self, ino: Ino, now: Timespec) -> KResult<()> {
        let n = self.node_mut(ino)?;
        n.meta.mtime = now;
        n.meta.ctime = now;
        Ok(())
    }

    /// Drop one link to `ino`, freeing it when no link and no open file
    /// description remain.
    fn drop_link(&mut self, ino: Ino, now: Timespec) -> KResult<()> {
        let n = self.node_mut(ino)?;
        n.meta.nlink = n.meta.nlink.saturating_sub(1);
        n.meta.ctime = now;
        self.maybe_free(ino);
        Ok(())
    }

    fn maybe_free(&mut self, ino: Ino) {
        let free = match self.inodes.get(&ino) {
            Some(n) => {
                let links = if matches!(n.data, Data::Dir(_)) { n.meta.nlink > 1 } else { n.meta.nlink > 0 };
                !links && n.open_count == 0
            }
            None => false,
        };
        if free && let Some(n) = self.inodes.remove(&ino) {
            self.bytes_used = self.bytes_used.saturating_sub(data_bytes(&n.data));
        }
    }
}

fn data_bytes(d: &Data) -> u64 {
    match d {
        Data::File { stored, .. } => stored.len() as u64,
        Data::Symlink(t) => t.len() as u64,
        _ => 0,
    }
}

fn set_time(slot: &mut Timespec, t: TimeSet, now: Timespec) {
    match t {
        TimeSet::Omit => {}
        TimeSet::Now => *slot = now,
        TimeSet::At(ts) => *slot = ts,
    }
}

impl FileSystem for MemFs {
    fn fs_type(&self) -> &'static str {
        "tmpfs"
    }

    fn root(&self) -> Ino {
        ROOT
    }

    fn lookup(&self, dir: Ino, name: &str) -> KResult<Ino> {
        let st = self.state.lock();
        st.dir(dir)?.get(name).copied().ok_or(Errno::ENOENT)
    }

    fn getattr(&self, ino: Ino) -> KResult<Stat> {
        let st = self.state.lock();
        let n = st.node(ino)?;
        let m = &n.meta;
        let (size, stored) = match &n.data {
            Data::File { stored, size } => (*size, stored.len() as u64),
            Data::Dir(_) => (DIR_SIZE, DIR_SIZE),
            Data::Symlink(t) => (t.len() as u64, 0),
            Data::Node => (0, 0),
        };
        Ok(Stat {
            dev: 0,
            ino,
            mode: m.mode,
            nlink: m.nlink,
            uid: m.uid,
            gid: m.gid,
            rdev: m.rdev,
            size,
            blksize: 4096,
            blocks: stored.div_ceil(4096) * 8,
            atime: m.atime,
            mtime: m.mtime,
            ctime: m.ctime,
            btime: m.btime,
        })
    }

    fn setattr(&self, ino: Ino, attr: &SetAttr) -> KResult<Stat> {
        let now = self.now();
        {
            let max_bytes = self.limits.lock().max_bytes;
            let mut st = self.state.lock();
            let mut delta: i64 = 0;
            {
                let n = st.node_mut(ino)?;
                if let Some(mode) = attr.mode {
                    n.meta.mode = (n.meta.mode & !S_IPERM) | (mode & S_IPERM);
                }
                if let Some(uid) = attr.uid {
                    n.meta.uid = uid;
                }
                if let Some(gid) = attr.gid {
                    n.meta.gid = gid;
                }
                if let Some(new_size) = attr.size {
                    match &mut n.data {
                        Data::File { stored, size } => {
                            if (new_size as usize) < stored.len() {
                                delta = new_size as i64 - stored.len() as i64;
                                stored.truncate(new_size as usize);
                                stored.shrink_to(new_size as usize * 2);
                            }
                            *size = new_size;
                            n.meta.mtime = now;
                        }
                        Data::Dir(_) => return Err(Errno::EISDIR),
                        _ => return Err(Errno::EINVAL),
                    }
                }
                set_time(&mut n.meta.atime, attr.atime, now);
                set_time(&mut n.meta.mtime, attr.mtime, now);
                n.meta.ctime = now;
            }
            let _ = max_bytes;
            st.bytes_used = (st.bytes_used as i64 + delta).max(0) as u64;
        }
        self.getattr(ino)
    }

    fn readlink(&self, ino: Ino) -> KResult<String> {
        let st = self.state.lock();
        match &st.node(ino)?.data {
            Data::Symlink(t) => Ok(t.clone()),
            _ => Err(Errno::EINVAL),
        }
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> KResult<usize> {
        let st = self.state.lock();
        match &st.node(ino)?.data {
            Data::File { stored, size } => {
                if offset >= *size {
                    return Ok(0);
                }
                let n = buf.len().min((*size - offset) as usize);
                let off = offset as usize;
                let from_stored = stored.len().saturating_sub(off).min(n);
                if from_stored > 0 {
                    buf[..from_stored].copy_from_slice(&stored[off..off + from_stored]);
                }
                buf[from_stored..n].fill(0);
                Ok(n)
            }
            Data::Dir(_) => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }

    fn write(&self, ino: Ino, offset: u64, data: &[u8]) -> KResult<usize> {
        if data.is_empty() {
            return Ok(0);
        }
        let now = self.now();
        let max_bytes = self.limits.lock().max_bytes;
        let mut st = self.state.lock();
        let used = st.bytes_used;
        let n = st.node_mut(ino)?;
        let Data::File { stored, size } = &mut n.data else {
            return Err(if matches!(n.data, Data::Dir(_)) { Errno::EISDIR } else { Errno::EINVAL });
        };
        let end = offset.checked_add(data.len() as u64).ok_or(Errno::EFBIG)?;
        let grow = end.saturating_sub(stored.len() as u64);
        if used + grow > max_bytes {
            return Err(Errno::ENOSPC);
        }
        let off = offset as usize;
        if off > stored.len() {
            // A hole before the new bytes reads as zeros.
            stored.resize(off, 0);
        }
        // Overwrite what exists, append the rest (no zero-fill of the tail).
        let overlap = (stored.len() - off).min(data.len());
        stored[off..off + overlap].copy_from_slice(&data[..overlap]);
        stored.extend_from_slice(&data[overlap..]);
        *size = (*size).max(end);
        n.meta.mtime = now;
        n.meta.ctime = now;
        st.bytes_used += grow;
        Ok(data.len())
    }

    fn create(&self, dir: Ino, name: &str, node: &NewNode<'_>) -> KResult<Ino> {
        let now = self.now();
        let limits = *self.limits.lock();
        let mut st = self.state.lock();
        if st.dir(dir)?.contains_key(name) {
            return Err(Errno::EEXIST);
        }
        if st.inodes.len() as u64 >= limits.max_inodes {
            return Err(Errno::ENOSPC);
        }
        let data = match node.kind {
            FileType::Regular => Data::File { stored: Vec::new(), size: 0 },
            FileType::Directory => Data::Dir(imbl::OrdMap::new()),
            FileType::Symlink => {
                if st.bytes_used + node.target.len() as u64 > limits.max_bytes {
                    return Err(Errno::ENOSPC);
                }
                Data::Symlink(node.target.to_string())
            }
            _ => Data::Node,
        };
        let is_dir = node.kind == FileType::Directory;
        let perm = if node.kind == FileType::Symlink { 0o777 } else { node.perm & S_IPERM };
        let ino = st.next_ino;
        st.next_ino += 1;
        st.bytes_used += data_bytes(&data);
        st.inodes.insert(
            ino,
            Arc::new(Node {
                meta: Meta {
                    mode: node.kind.mode_bits() | perm,
                    uid: node.uid,
                    gid: node.gid,
                    nlink: if is_dir { 2 } else { 1 },
                    rdev: node.rdev,
                    atime: now,
                    mtime: now,
                    ctime: now,
                    btime: now,
                },
                data,
                open_count: 0,
            }),
        );
        st.dir_mut(dir)?.insert(name.to_string(), ino);
        st.touch_dir(dir, now)?;
        if is_dir {
            st.node_mut(dir)?.meta.nlink += 1;
        }
        Ok(ino)
    }

    fn link(&self, ino: Ino, newdir: Ino, newname: &str) -> KResult<()> {
        let now = self.now();
        let mut st = self.state.lock();
        if st.dir(newdir)?.contains_key(newname) {
            return Err(Errno::EEXIST);
        }
        {
            let n = st.node_mut(ino)?;
            if matches!(n.data, Data::Dir(_)) {
                return Err(Errno::EPERM);
            }
            n.meta.nlink += 1;
            n.meta.ctime = now;
        }
        st.dir_mut(newdir)?.insert(newname.to_string(), ino);
        st.touch_dir(newdir, now)
    }

    fn unlink(&self, dir: Ino, name: &str) -> KResult<()> {
        let now = self.now();
        let mut st = self.state.lock();
        let ino = *st.dir(dir)?.get(name).ok_or(Errno::ENOENT)?;
        if matches!(st.node(ino)?.data, Data::Dir(_)) {
            return Err(Errno::EISDIR);
        }
        st.dir_mut(dir)?.remove(name);
        st.touch_dir(dir, now)?;
        st.drop_link(ino, now)
    }

    fn rmdir(&self, dir: Ino, name: &str) -> KResult<()> {
        let now = self.now();
        let mut st = self.state.lock();
        let ino = *st.dir(dir)?.get(name).ok_or(Errno::ENOENT)?;
        match &st.node(ino)?.data {
            Data::Dir(d) if !d.is_empty() => return Err(Errno::ENOTEMPTY),
            Data::Dir(_) => {}
            _ => return Err(Errno::ENOTDIR),
        }
        st.dir_mut(dir)?.remove(name);
        st.touch_dir(dir, now)?;
        st.node_mut(dir)?.meta.nlink -= 1;
        let n = st.node_mut(ino)?;
        n.meta.nlink = 0;
        n.meta.ctime = now;
        st.maybe_free(ino);
        Ok(())
    }

    fn rename(&self, olddir: Ino, oldname: &str, newdir: Ino, newname: &str) -> KResult<()> {
        let now = self.now();
        let mut st = self.state.lock();
        let src = *st.dir(olddir)?.get(oldname).ok_or(Errno::ENOENT)?;
        let src_is_dir = matches!(st.node(src)?.data, Data::Dir(_));
        let existing = st.dir(newdir)?.get(newname).copied();
        if let Some(dst) = existing {
            if dst == src {
                // Same inode (hard links or the same name): Linux does nothing.
                return Ok(());
            }
            match (&st.node(dst)?.data, src_is_dir) {
                (Data::Dir(d), true) => {
                    if !d.is_empty() {
                        return Err(Errno::ENOTEMPTY);
                    }
                }
                (Data::Dir(_), false) => return Err(Errno::EISDIR),
                (_, true) => return Err(Errno::ENOTDIR),
                (_, false) => {}
            }
        }
        st.dir_mut(olddir)?.remove(oldname);
        st.dir_mut(newdir)?.insert(newname.to_string(), src);
        if let Some(dst) = existing {
            if src_is_dir {
                st.node_mut(newdir)?.meta.nlink -= 1;
                st.node_mut(dst)?.meta.nlink = 0;
                st.maybe_free(dst);
            } else {
                st.drop_link(dst, now)?;
            }
        }
        if src_is_dir && olddir != newdir {
            st.node_mut(olddir)?.meta.nlink -= 1;
            st.node_mut(newdir)?.meta.nlink += 1;
        }
        st.touch_dir(olddir, now)?;
        st.touch_dir(newdir, now)?;
        st.node_mut(src)?.meta.ctime = now;
        Ok(())
    }

    fn readdir(&self, dir: Ino) -> KResult<Vec<DirEntry>> {
        let st = self.state.lock();
        let d = st.dir(dir)?;
        let mut out = Vec::with_capacity(d.len());
        for (name, &ino) in d.iter() {
            let kind = st.node(ino).map(|n| FileType::from_mode(n.meta.mode).unwrap_or(FileType::Regular))?;
            out.push(DirEntry { name: name.clone(), ino, kind });
        }
        Ok(out)
    }

    fn open(&self, ino: Ino) -> KResult<()> {
        let mut st = self.state.lock();
        st.node_mut(ino)?.open_count += 1;
        Ok(())
    }

    fn release(&self, ino: Ino) {
        let mut st = self.state.lock();
        if let Ok(n) = st.node_mut(ino) {
            n.open_count = n.open_count.saturating_sub(1);
            st.maybe_free(ino);
        }
    }

    fn usage(&self) -> FsUsage {
        let limits = *self.limits.lock();
        let st = self.state.lock();
        FsUsage {
            bytes_used: st.bytes_used,
            bytes_total: limits.max_bytes,
            inodes_used: st.inodes.len() as u64,
            inodes_total: limits.max_inodes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    fn fs() -> MemFs {
        MemFs::new(Arc::new(ManualClock::default()), MemLimits::default(), 0o755, 0, 0)
    }

    fn file(name: &str) -> NewNode<'_> {
        let _ = name;
        NewNode { kind: FileType::Regular, perm: 0o644, uid: 1000, gid: 1000, target: "", rdev: 0 }
    }

    #[test]
    fn sparse_write_reads_zeros_in_hole() {
        let fs = fs();
        let ino = fs.create(ROOT, "f", &file("f")).unwrap();
        fs.write(ino, 10, b"xy").unwrap();
        let mut buf = [9u8; 20];
        assert_eq!(fs.read(ino, 0, &mut buf).unwrap(), 12);
        assert_eq!(&buf[..12], b"\0\0\0\0\0\0\0\0\0\0xy");
        assert_eq!(fs.getattr(ino).unwrap().size, 12);
    }

    #[test]
    fn truncate_extends_without_storing() {
        let fs = fs();
        let ino = fs.create(ROOT, "f", &file("f")).unwrap();
        let st = fs.setattr(ino, &SetAttr { size: Some(1 << 40), ..Default::default() }).unwrap();
        assert_eq!(st.size, 1 << 40);
        assert_eq!(st.blocks, 0);
        assert_eq!(fs.usage().bytes_used, 0);
    }

    #[test]
    fn byte_and_inode_limits_give_enospc() {
        let fs = MemFs::new(Arc::new(ManualClock::default()), MemLimits { max_bytes: 10, max_inodes: 2 }, 0o755, 0, 0);
        let ino = fs.create(ROOT, "f", &file("f")).unwrap();
        assert_eq!(fs.write(ino, 0, b"0123456789x"), Err(Errno::ENOSPC));
        assert_eq!(fs.write(ino, 0, b"0123456789"), Ok(10));
        assert_eq!(fs.create(ROOT, "g", &file("g")), Err(Errno::ENOSPC));
    }

    #[test]
    fn unlinked_open_file_survives_until_release() {
        let fs = fs();
        let ino = fs.create(ROOT, "f", &file("f")).unwrap();
        fs.write(ino, 0, b"data").unwrap();
        fs.open(ino).unwrap();
        fs.unlink(ROOT, "f").unwrap();
        let mut buf = [0u8; 4];
        assert_eq!(fs.read(ino, 0, &mut buf), Ok(4));
        fs.release(ino);
        assert_eq!(fs.read(ino, 0, &mut buf), Err(Errno::ENOENT));
        assert_eq!(fs.usage().bytes_used, 0);
    }

    #[test]
    fn fork_is_copy_on_write() {
        let a = fs();
        let ino = a.create(ROOT, "f", &file("f")).unwrap();
        a.write(ino, 0, b"one").unwrap();
        let b = a.fork(MemLimits::default());
        b.write(ino, 0, b"two").unwrap();
        let mut buf = [0u8; 3];
        a.read(ino, 0, &mut buf).unwrap();
        assert_eq!(&buf, b"one");
        b.read(ino, 0, &mut buf).unwrap();
        assert_eq!(&buf, b"two");
    }

    #[test]
    fn rename_rules() {
        let fs = fs();
        let dir = NewNode { kind: FileType::Directory, perm: 0o755, uid: 0, gid: 0, target: "", rdev: 0 };
        let d1 = fs.create(ROOT, "d1", &dir).unwrap();
        let d2 = fs.create(ROOT, "d2", &dir).unwrap();
        fs.create(d2, "x", &file("x")).unwrap();
        fs.create(ROOT, "f", &file("f")).unwrap();
        assert_eq!(fs.rename(ROOT, "d1", ROOT, "d2"), Err(Errno::ENOTEMPTY));
        assert_eq!(fs.rename(ROOT, "f", ROOT, "d1"), Err(Errno::EISDIR));
        assert_eq!(fs.rename(ROOT, "d1", ROOT, "f"), Err(Errno::ENOTDIR));
        fs.rename(ROOT, "d1", d2, "moved").unwrap();
        assert_eq!(fs.getattr(d2).unwrap().nlink, 3);
        assert_eq!(fs.getattr(ROOT).unwrap().nlink, 3);
        assert_eq!(fs.lookup(d2, "moved"), Ok(d1));
    }
}
