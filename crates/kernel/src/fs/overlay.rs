//! A union of read-only lower layers under one writable upper layer.
//!
//! Analogue: Linux `overlayfs` (Documentation/filesystems/overlayfs.rst).
//! Reads fall through to the highest layer that has a name; the first write
//! to an object *copies it up* into the upper layer (its parent directories
//! first), after which only the upper copy changes. Removing a name that a
//! lower layer has leaves a **whiteout** in the upper layer: a character
//! device with device number 0/0, as overlayfs stores it. A directory
//! created where a lower layer had a (now whited-out) name is **opaque**:
//! lower directories at that path no longer show through. Since the
//! filesystem trait has no extended attributes, opacity is marked by an
//! empty file named `.wh..wh..opq` inside the upper directory (the OCI image
//! layer convention); the marker and whiteouts are never listed or looked up.
//!
//! Directories merge: `readdir` lists upper entries, then entries of each
//! lower directory not already listed nor whited out above. Renaming a
//! directory copies up its whole tree first and makes the result opaque
//! (overlayfs without `redirect_dir` answers `EXDEV` there instead).
//!
//! Inode numbers are the overlay's own: an object keeps its number across
//! copy-up, and hard links in the upper layer share one. Lower layers must
//! not change while mounted (they are snapshots).
//!
//! Locking: one mutex around the inode table. It is never held while
//! calling a layer, except for the short lookups that build table entries.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use parking_lot::Mutex;

use crate::abi::{DirEntry, Errno, FileType, KResult, Stat};
use crate::fs::{FileSystem, FsUsage, Ino, NewNode, SetAttr, copy};

/// Name of the opaque-directory marker inside an upper directory.
pub const OPAQUE_MARKER: &str = ".wh..wh..opq";

const ROOT: Ino = 1;

/// Lower objects at one path, highest layer first: `(layer, inode)`.
type Lowers = Vec<(usize, Ino)>;

/// Where an object lives: the upper layer or lower layer `n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Upper(Ino),
    Lower(usize, Ino),
}

#[derive(Clone, Debug)]
struct Node {
    parent: Ino,
    name: String,
    upper: Option<Ino>,
    /// Lower objects at this path, highest first: one for a non-directory,
    /// every merged directory for a directory.
    lowers: Lowers,
    /// Open descriptions forwarded to the upper layer.
    upper_opens: u32,
}

impl Node {
    fn key(&self) -> Key {
        match (self.upper, self.lowers.first()) {
            (Some(u), _) => Key::Upper(u),
            (None, Some(&(l, i))) => Key::Lower(l, i),
            (None, None) => Key::Upper(0),
        }
    }
}

struct Table {
    nodes: HashMap<Ino, Node>,
    by_key: HashMap<Key, Ino>,
    next: Ino,
}

/// An overlay filesystem.
pub struct OverlayFs {
    upper: Arc<dyn FileSystem>,
    lowers: Vec<Arc<dyn FileSystem>>,
    table: Mutex<Table>,
}

fn is_whiteout(st: &Stat) -> bool {
    FileType::from_mode(st.mode) == Some(FileType::CharDevice) && st.rdev == 0
}

impl OverlayFs {
    /// An overlay of `lowers` (highest precedence first) under `upper`.
    /// The root directory merges every layer's root.
    pub fn new(upper: Arc<dyn FileSystem>, lowers: Vec<Arc<dyn FileSystem>>) -> OverlayFs {
        let root_lowers = lowers.iter().enumerate().map(|(i, l)| (i, l.root())).collect();
        let root =
            Node { parent: ROOT, name: String::new(), upper: Some(upper.root()), lowers: root_lowers, upper_opens: 0 };
        let mut nodes = HashMap::new();
        let mut by_key = HashMap::new();
        by_key.insert(root.key(), ROOT);
        nodes.insert(ROOT, root);
        OverlayFs { upper, lowers, table: Mutex::new(Table { nodes, by_key, next: ROOT + 1 }) }
    }

    /// The writable layer.
    pub fn upper(&self) -> &Arc<dyn FileSystem> {
        &self.upper
    }

    /// The read-only layers, highest precedence first.
    pub fn lowers(&self) -> &[Arc<dyn FileSystem>] {
        &self.lowers
    }

    fn node(&self, ino: Ino) -> KResult<Node> {
        self.table.lock().nodes.get(&ino).cloned().ok_or(Errno::ENOENT)
    }

    /// The layer and inode that answer for `n`.
    fn top(&self, n: &Node) -> KResult<(&dyn FileSystem, Ino)> {
        match (n.upper, n.lowers.first()) {
            (Some(u), _) => Ok((self.upper.as_ref(), u)),
            (None, Some(&(l, i))) => Ok((self.lowers[l].as_ref(), i)),
            (None, None) => Err(Errno::ENOENT),
        }
    }

    fn is_opaque(&self, upper_dir: Ino) -> bool {
        self.upper.lookup(upper_dir, OPAQUE_MARKER).is_ok()
    }

    /// What `name` in directory node `dn` resolves to, without the table.
    fn resolve(&self, dn: &Node, name: &str) -> KResult<(Option<Ino>, Lowers)> {
        if name == OPAQUE_MARKER {
            return Err(Errno::ENOENT);
        }
        let mut upper = None;
        let mut opaque = false;
        if let Some(ud) = dn.upper {
            match self.upper.lookup(ud, name) {
                Ok(u) => {
                    let st = self.upper.getattr(u)?;
                    if is_whiteout(&st) {
                        return Err(Errno::ENOENT);
                    }
                    if !st.is_dir() {
                        return Ok((Some(u), Vec::new()));
                    }
                    opaque = self.is_opaque(u);
                    upper = Some(u);
                }
                Err(Errno::ENOENT) => {}
                Err(e) => return Err(e),
            }
        }
        let mut lowers = Vec::new();
        if !opaque {
            for &(l, ld) in &dn.lowers {
                let layer = &self.lowers[l];
                let Ok(x) = layer.lookup(ld, name) else { continue };
                let st = layer.getattr(x)?;
                if is_whiteout(&st) {
                    break;
                }
                if !st.is_dir() {
                    // A non-directory hides everything below; under an
                    // upper or lower directory it is itself hidden.
                    if upper.is_none() && lowers.is_empty() {
                        lowers.push((l, x));
                    }
                    break;
                }
                lowers.push((l, x));
                if layer.lookup(x, OPAQUE_MARKER).is_ok() {
                    break;
                }
            }
        }
        if upper.is_none() && lowers.is_empty() {
            return Err(Errno::ENOENT);
        }
        Ok((upper, lowers))
    }

    /// The overlay inode for `name` in `dir`, creating the table entry.
    fn intern(&self, dir: Ino, name: &str, upper: Option<Ino>, lowers: Lowers) -> Ino {
        let fresh = Node { parent: dir, name: name.to_string(), upper, lowers, upper_opens: 0 };
        let key = fresh.key();
        let mut t = self.table.lock();
        if let Some(&ino) = t.by_key.get(&key)
            && let Some(n) = t.nodes.get_mut(&ino)
        {
            n.parent = dir;
            n.name = name.to_string();
            n.lowers = fresh.lowers;
            return ino;
        }
        let ino = t.next;
        t.next += 1;
        t.by_key.insert(key, ino);
        t.nodes.insert(ino, fresh);
        ino
    }

    /// Forget `ino`'s table entry (its name is gone).
    fn forget(&self, ino: Ino) {
        let mut t = self.table.lock();
        if let Some(n) = t.nodes.get(&ino)
            && n.upper_opens == 0
        {
            let key = n.key();
            t.by_key.remove(&key);
            t.nodes.remove(&ino);
        }
    }

    /// Make sure `ino` exists in the upper layer (copying it and its
    /// parents up); its upper inode.
    fn copy_up(&self, ino: Ino) -> KResult<Ino> {
        let n = self.node(ino)?;
        if let Some(u) = n.upper {
            return Ok(u);
        }
        let parent_upper = self.copy_up(n.parent)?;
        let (layer, li) = self.top(&n)?;
        let st = layer.getattr(li)?;
        let u = copy::copy_node(layer, li, &st, self.upper.as_ref(), parent_upper, &n.name)?;
        let mut t = self.table.lock();
        let opens = match t.nodes.get_mut(&ino) {
            Some(node) => {
                node.upper = Some(u);
                if !st.is_dir() {
                    node.lowers.clear();
                }
                node.upper_opens
            }
            None => 0,
        };
        t.by_key.insert(Key::Upper(u), ino);
        drop(t);
        // Descriptions opened before the copy-up now refer to the copy.
        for _ in 0..opens {
            self.upper.open(u)?;
        }
        Ok(u)
    }

    /// Copy up a whole directory tree (for rename).
    fn copy_up_tree(&self, ino: Ino) -> KResult<()> {
        self.copy_up(ino)?;
        let n = self.node(ino)?;
        if n.lowers.is_empty() || !self.getattr(ino)?.is_dir() {
            return Ok(());
        }
        for e in self.readdir(ino)? {
            self.copy_up_tree(e.ino)?;
        }
        Ok(())
    }

    /// Remove everything the overlay hides in upper directory `ud` (whiteouts
    /// and the opaque marker), so the upper layer can remove or replace it.
    fn clear_hidden(&self, ud: Ino) -> KResult<()> {
        for e in self.upper.readdir(ud)? {
            if e.name == OPAQUE_MARKER || is_whiteout(&self.upper.getattr(e.ino)?) {
                self.upper.unlink(ud, &e.name)?;
            }
        }
        Ok(())
    }

    /// Leave a whiteout for `name` in upper directory `ud`.
    fn whiteout(&self, ud: Ino, name: &str) -> KResult<()> {
        let node = NewNode { kind: FileType::CharDevice, perm: 0, uid: 0, gid: 0, target: "", rdev: 0 };
        self.upper.create(ud, name, &node).map(|_| ())
    }

    /// If the upper layer has a whiteout at `name`, remove it; whether it had.
    fn drop_whiteout(&self, ud: Ino, name: &str) -> KResult<bool> {
        match self.upper.lookup(ud, name) {
            Ok(u) if is_whiteout(&self.upper.getattr(u)?) => {
                self.upper.unlink(ud, name)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn mark_opaque(&self, ud: Ino) -> KResult<()> {
        if self.is_opaque(ud) {
            return Ok(());
        }
        let node = NewNode { kind: FileType::Regular, perm: 0, uid: 0, gid: 0, target: "", rdev: 0 };
        self.upper.create(ud, OPAQUE_MARKER, &node).map(|_| ())
    }

    fn dir_node(&self, dir: Ino) -> KResult<Node> {
        let n = self.node(dir)?;
        if !self.getattr(dir)?.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        Ok(n)
    }
}

impl FileSystem for OverlayFs {
    fn fs_type(&self) -> &'static str {
        "overlay"
    }

    fn root(&self) -> Ino {
        ROOT
    }

    fn lookup(&self, dir: Ino, name: &str) -> KResult<Ino> {
        let dn = self.dir_node(dir)?;
        let (upper, lowers) = self.resolve(&dn, name)?;
        Ok(self.intern(dir, name, upper, lowers))
    }

    fn getattr(&self, ino: Ino) -> KResult<Stat> {
        let n = self.node(ino)?;
        let (layer, i) = self.top(&n)?;
        let mut st = layer.getattr(i)?;
        st.ino = ino;
        Ok(st)
    }

    fn setattr(&self, ino: Ino, attr: &SetAttr) -> KResult<Stat> {
        let u = self.copy_up(ino)?;
        let mut st = self.upper.setattr(u, attr)?;
        st.ino = ino;
        Ok(st)
    }

    fn readlink(&self, ino: Ino) -> KResult<String> {
        let n = self.node(ino)?;
        let (layer, i) = self.top(&n)?;
        layer.readlink(i)
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> KResult<usize> {
        let n = self.node(ino)?;
        let (layer, i) = self.top(&n)?;
        layer.read(i, offset, buf)
    }

    fn write(&self, ino: Ino, offset: u64, data: &[u8]) -> KResult<usize> {
        let u = self.copy_up(ino)?;
        self.upper.write(u, offset, data)
    }

    fn create(&self, dir: Ino, name: &str, node: &NewNode<'_>) -> KResult<Ino> {
        if name == OPAQUE_MARKER {
            return Err(Errno::EPERM);
        }
        let dn = self.dir_node(dir)?;
        match self.resolve(&dn, name) {
            Ok(_) => return Err(Errno::EEXIST),
            Err(Errno::ENOENT) => {}
            Err(e) => return Err(e),
        }
        let ud = self.copy_up(dir)?;
        let had_whiteout = self.drop_whiteout(ud, name)?;
        let u = self.upper.create(ud, name, node)?;
        // A directory made where a lower name was removed must not show
        // the lower directory's old entries.
        if node.kind == FileType::Directory && (had_whiteout || !dn.lowers.is_empty()) {
            let dn = self.node(dir)?;
            let lower_has = dn.lowers.iter().any(|&(l, ld)| self.lowers[l].lookup(ld, name).is_ok());
            if had_whiteout || lower_has {
                self.mark_opaque(u)?;
            }
        }
        Ok(self.intern(dir, name, Some(u), Vec::new()))
    }

    fn link(&self, ino: Ino, newdir: Ino, newname: &str) -> KResult<()> {
        let dn = self.dir_node(newdir)?;
        if self.resolve(&dn, newname).is_ok() {
            return Err(Errno::EEXIST);
        }
        if self.getattr(ino)?.is_dir() {
            return Err(Errno::EPERM);
        }
        let u = self.copy_up(ino)?;
        let ud = self.copy_up(newdir)?;
        self.drop_whiteout(ud, newname)?;
        self.upper.link(u, ud, newname)
    }

    fn unlink(&self, dir: Ino, name: &str) -> KResult<()> {
        let dn = self.dir_node(dir)?;
        let (upper, lowers) = self.resolve(&dn, name)?;
        let ino = self.intern(dir, name, upper, lowers.clone());
        if self.getattr(ino)?.is_dir() {
            return Err(Errno::EISDIR);
        }
        let ud = self.copy_up(dir)?;
        if upper.is_some() {
            self.upper.unlink(ud, name)?;
        }
        let dn = self.node(dir)?;
        if dn.lowers.iter().any(|&(l, ld)| self.lowers[l].lookup(ld, name).is_ok()) {
            self.whiteout(ud, name)?;
        }
        self.forget(ino);
        Ok(())
    }

    fn rmdir(&self, dir: Ino, name: &str) -> KResult<()> {
        let dn = self.dir_node(dir)?;
        let (upper, lowers) = self.resolve(&dn, name)?;
        let ino = self.intern(dir, name, upper, lowers);
        if !self.getattr(ino)?.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if !self.readdir(ino)?.is_empty() {
            return Err(Errno::ENOTEMPTY);
        }
        let ud = self.copy_up(dir)?;
        if let Some(u) = upper {
            self.clear_hidden(u)?;
            self.upper.rmdir(ud, name)?;
        }
        let dn = self.node(dir)?;
        if dn.lowers.iter().any(|&(l, ld)| self.lowers[l].lookup(ld, name).is_ok()) {
            self.whiteout(ud, name)?;
        }
        self.forget(ino);
        Ok(())
    }

    fn rename(&self, olddir: Ino, oldname: &str, newdir: Ino, newname: &str) -> KResult<()> {
        let odn = self.dir_node(olddir)?;
        let ndn = self.dir_node(newdir)?;
        let (su, sl) = self.resolve(&odn, oldname)?;
        let src = self.intern(olddir, oldname, su, sl);
        let src_is_dir = self.getattr(src)?.is_dir();
        let dst = match self.resolve(&ndn, newname) {
            Ok((du, dl)) => Some(self.intern(newdir, newname, du, dl)),
            Err(Errno::ENOENT) => None,
            Err(e) => return Err(e),
        };
        if let Some(dst) = dst {
            if dst == src {
                return Ok(());
            }
            match (self.getattr(dst)?.is_dir(), src_is_dir) {
                (true, true) if !self.readdir(dst)?.is_empty() => return Err(Errno::ENOTEMPTY),
                (true, false) => return Err(Errno::EISDIR),
                (false, true) => return Err(Errno::ENOTDIR),
                _ => {}
            }
        }
        if src_is_dir {
            self.copy_up_tree(src)?;
        } else {
            self.copy_up(src)?;
        }
        let oud = self.copy_up(olddir)?;
        let nud = self.copy_up(newdir)?;
        self.drop_whiteout(nud, newname)?;
        if let Some(dst) = dst
            && let Some(du) = self.node(dst)?.upper
            && src_is_dir
        {
            self.clear_hidden(du)?;
        }
        self.upper.rename(oud, oldname, nud, newname)?;
        if let Some(dst) = dst {
            self.forget(dst);
        }
        let su = self.node(src)?.upper.ok_or(Errno::EIO)?;
        if src_is_dir {
            // Everything was copied up: lower directories at the new path
            // must not show through.
            self.mark_opaque(su)?;
        }
        let odn = self.node(olddir)?;
        if odn.lowers.iter().any(|&(l, ld)| self.lowers[l].lookup(ld, oldname).is_ok()) {
            self.whiteout(oud, oldname)?;
        }
        let mut t = self.table.lock();
        if let Some(n) = t.nodes.get_mut(&src) {
            n.parent = newdir;
            n.name = newname.to_string();
            n.lowers.clear();
        }
        Ok(())
    }

    fn readdir(&self, dir: Ino) -> KResult<Vec<DirEntry>> {
        let dn = self.dir_node(dir)?;
        let mut seen: HashSet<String> = HashSet::new();
        let mut names: Vec<String> = Vec::new();
        let mut opaque = false;
        if let Some(ud) = dn.upper {
            for e in self.upper.readdir(ud)? {
                if e.name == OPAQUE_MARKER {
                    opaque = true;
                    continue;
                }
                if seen.insert(e.name.clone()) && !is_whiteout(&self.upper.getattr(e.ino)?) {
                    names.push(e.name);
                }
            }
        }
        if !opaque {
            for &(l, ld) in &dn.lowers {
                let layer = &self.lowers[l];
                for e in layer.readdir(ld)? {
                    if e.name == OPAQUE_MARKER {
                        continue;
                    }
                    if seen.insert(e.name.clone()) && !is_whiteout(&layer.getattr(e.ino)?) {
                        names.push(e.name);
                    }
                }
            }
        }
        names.sort();
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let ino = self.lookup(dir, &name)?;
            let kind = FileType::from_mode(self.getattr(ino)?.mode).unwrap_or(FileType::Regular);
            out.push(DirEntry { name, ino, kind });
        }
        Ok(out)
    }

    fn open(&self, ino: Ino) -> KResult<()> {
        let mut t = self.table.lock();
        let n = t.nodes.get_mut(&ino).ok_or(Errno::ENOENT)?;
        if let Some(u) = n.upper {
            n.upper_opens += 1;
            drop(t);
            self.upper.open(u)?;
        }
        Ok(())
    }

    fn release(&self, ino: Ino) {
        let mut t = self.table.lock();
        let Some(n) = t.nodes.get_mut(&ino) else { return };
        if let Some(u) = n.upper
            && n.upper_opens > 0
        {
            n.upper_opens -= 1;
            drop(t);
            self.upper.release(u);
        }
    }

    fn fsync(&self, ino: Ino) -> KResult<()> {
        match self.node(ino)?.upper {
            Some(u) => self.upper.fsync(u),
            None => Ok(()),
        }
    }

    fn usage(&self) -> FsUsage {
        self.upper.usage()
    }
}
