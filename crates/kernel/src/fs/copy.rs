//! Copying objects between filesystems through the [`FileSystem`] trait:
//! seeding a persistent root from the base image, and overlay copy-up.
//!
//! Analogue: `cp -a` (mode, owner, times, symlinks, device nodes and hard
//! links within the copied tree kept).

use std::collections::HashMap;

use crate::abi::{Errno, FileType, KResult, S_IPERM, Stat, TimeSet};
use crate::fs::{FileSystem, Ino, NewNode, SetAttr};

/// Bytes moved per read/write call while copying file data.
const COPY_CHUNK: usize = 64 * 1024;

/// Copy the data of regular file `src_ino` into `dst_ino`.
pub fn copy_data(src: &dyn FileSystem, src_ino: Ino, dst: &dyn FileSystem, dst_ino: Ino, size: u64) -> KResult<()> {
    let mut buf = vec![0u8; COPY_CHUNK];
    let mut off = 0u64;
    while off < size {
        let n = src.read(src_ino, off, &mut buf)?;
        if n == 0 {
            break;
        }
        // Leave all-zero chunks as holes, so sparse files stay sparse.
        if buf[..n].iter().any(|&b| b != 0) {
            dst.write(dst_ino, off, &buf[..n])?;
        }
        off += n as u64;
    }
    dst.setattr(dst_ino, &SetAttr { size: Some(size), ..Default::default() })?;
    Ok(())
}

/// Create a copy of the single object `src_ino` (described by `st`) as
/// `dst_dir/name`: a directory is created empty. Mode, owner and times are
/// kept. Returns the new inode.
pub fn copy_node(
    src: &dyn FileSystem,
    src_ino: Ino,
    st: &Stat,
    dst: &dyn FileSystem,
    dst_dir: Ino,
    name: &str,
) -> KResult<Ino> {
    let kind = FileType::from_mode(st.mode).ok_or(Errno::EIO)?;
    let target = if kind == FileType::Symlink { src.readlink(src_ino)? } else { String::new() };
    let node = NewNode { kind, perm: st.mode & S_IPERM, uid: st.uid, gid: st.gid, target: &target, rdev: st.rdev };
    let ino = dst.create(dst_dir, name, &node)?;
    if kind == FileType::Regular {
        copy_data(src, src_ino, dst, ino, st.size)?;
    }
    if kind != FileType::Symlink {
        let attr = SetAttr {
            mode: Some(st.mode & S_IPERM),
            atime: TimeSet::At(st.atime),
            mtime: TimeSet::At(st.mtime),
            ..Default::default()
        };
        dst.setattr(ino, &attr)?;
    }
    Ok(ino)
}

/// Copy everything inside directory `src_dir` into directory `dst_dir`
/// (recursively). Hard links inside the tree stay hard links.
pub fn copy_tree(src: &dyn FileSystem, src_dir: Ino, dst: &dyn FileSystem, dst_dir: Ino) -> KResult<()> {
    let mut links = HashMap::new();
    copy_dir(src, src_dir, dst, dst_dir, &mut links)?;
    // Directory times last: creating entries touched them.
    let st = src.getattr(src_dir)?;
    let attr = SetAttr {
        mode: Some(st.mode & S_IPERM),
        uid: Some(st.uid),
        gid: Some(st.gid),
        atime: TimeSet::At(st.atime),
        mtime: TimeSet::At(st.mtime),
        ..Default::default()
    };
    dst.setattr(dst_dir, &attr)?;
    Ok(())
}

fn copy_dir(
    src: &dyn FileSystem,
    src_dir: Ino,
    dst: &dyn FileSystem,
    dst_dir: Ino,
    links: &mut HashMap<Ino, Ino>,
) -> KResult<()> {
    for e in src.readdir(src_dir)? {
        let st = src.getattr(e.ino)?;
        if st.nlink > 1
            && !st.is_dir()
            && let Some(&existing) = links.get(&e.ino)
        {
            dst.link(existing, dst_dir, &e.name)?;
            continue;
        }
        let ino = copy_node(src, e.ino, &st, dst, dst_dir, &e.name)?;
        if st.is_dir() {
            copy_tree_inner(src, e.ino, &st, dst, ino, links)?;
        } else if st.nlink > 1 {
            links.insert(e.ino, ino);
        }
    }
    Ok(())
}

fn copy_tree_inner(
    src: &dyn FileSystem,
    src_dir: Ino,
    st: &Stat,
    dst: &dyn FileSystem,
    dst_dir: Ino,
    links: &mut HashMap<Ino, Ino>,
) -> KResult<()> {
    copy_dir(src, src_dir, dst, dst_dir, links)?;
    let attr = SetAttr { atime: TimeSet::At(st.atime), mtime: TimeSet::At(st.mtime), ..Default::default() };
    dst.setattr(dst_dir, &attr)?;
    Ok(())
}
