//! An S3 bucket (or a prefix of one) as a VM filesystem.
//!
//! Analogue: `s3fs-fuse` / `mountpoint-s3`. A file is one object under the
//! prefix (`<prefix>/<path>`); a directory is implied by any key below it,
//! and an empty directory is kept by a marker object `<dir>/.agentos-dir`
//! (hidden from listings). Reads are range requests; a write rewrites the
//! whole object (read-modify-write), so this suits configuration, results
//! and artifacts rather than databases. Renaming is copy + delete, object
//! by object (not atomic for directories). There are no symlinks, hard
//! links, device nodes or per-file modes (`EPERM`): files show `0644`,
//! directories `0755`, owned by the mount's owner, with the object's
//! last-modified time (`utimens` succeeds and changes nothing). A file
//! deleted while open can't be read any more (`ESTALE`, as on NFS).
//! These are declared to the shared conformance suite as
//! `Caps::OBJECT_STORE`. Network and server faults are `EIO`; a rejected
//! credential is `EACCES`.
//!
//! Requests run on a small Tokio runtime owned by the filesystem, so the
//! synchronous kernel trait can be served from any thread, including an
//! async caller's.
//!
//! Locking: one mutex around the inode table, never held across a request.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use agentos_kernel::abi::{DirEntry, Errno, FileType, KResult, Stat, Timespec};
use agentos_kernel::fs::{FileSystem, Ino, NewNode, SetAttr};
use futures::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};
use parking_lot::Mutex;

/// Marker object that keeps an empty directory.
pub const DIR_MARKER: &str = ".agentos-dir";
const ROOT: Ino = 1;

/// Where the bucket is and how to reach it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct S3Options {
    /// Bucket name.
    pub bucket: String,
    /// Key prefix (without leading or trailing `/`); empty for the whole bucket.
    pub prefix: String,
    /// Endpoint URL for S3-compatible servers (`http://127.0.0.1:9000`);
    /// else `AWS_ENDPOINT_URL`.
    pub endpoint: Option<String>,
    /// Region (else `AWS_REGION`, else `us-east-1`).
    pub region: Option<String>,
    /// Access key id; from `AWS_ACCESS_KEY_ID` when `None`.
    pub access_key_id: Option<String>,
    /// Secret key; from `AWS_SECRET_ACCESS_KEY` when `None`.
    pub secret_access_key: Option<String>,
    /// Owner every object appears to have in the VM.
    pub uid: u32,
    /// Group every object appears to have in the VM.
    pub gid: u32,
}

struct Node {
    rel: String,
    is_dir: bool,
}

#[derive(Default)]
struct Table {
    nodes: HashMap<Ino, Node>,
    by_rel: HashMap<String, Ino>,
    next: Ino,
}

/// An S3 prefix mounted into a VM.
pub struct S3Fs {
    store: Arc<dyn ObjectStore>,
    /// Always `Some` until dropped (taken in `Drop`).
    rt: Option<tokio::runtime::Runtime>,
    prefix: String,
    table: Mutex<Table>,
    uid: u32,
    gid: u32,
}

fn s3err(e: object_store::Error) -> Errno {
    match e {
        object_store::Error::NotFound { .. } => Errno::ENOENT,
        object_store::Error::AlreadyExists { .. } => Errno::EEXIST,
        object_store::Error::PermissionDenied { .. } | object_store::Error::Unauthenticated { .. } => Errno::EACCES,
        // The client reports most server refusals as generic errors; the
        // S3 error code in the message tells them apart.
        e => {
            let msg = e.to_string();
            if msg.contains("NoSuchBucket") {
                Errno::ENOENT
            } else if ["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403 Forbidden"]
                .iter()
                .any(|c| msg.contains(c))
            {
                Errno::EACCES
            } else {
                Errno::EIO
            }
        }
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") }
}

impl S3Fs {
    /// Connect to the bucket. Fails with `EIO` if the client can't be built
    /// and `ENOENT` if the bucket does not exist; a wrong key is `EACCES`.
    pub fn open(opts: &S3Options) -> KResult<S3Fs> {
        // `AWS_*` variables (keys, region, `AWS_ENDPOINT_URL`) fill in
        // whatever the options leave out.
        let mut b = AmazonS3Builder::from_env().with_bucket_name(&opts.bucket);
        if let Some(r) = &opts.region {
            b = b.with_region(r);
        }
        let env_endpoint = std::env::var("AWS_ENDPOINT_URL").or_else(|_| std::env::var("AWS_ENDPOINT")).ok();
        if let Some(e) = opts.endpoint.clone().or(env_endpoint) {
            // Plain HTTP only for an explicitly configured http:// endpoint.
            b = b.with_allow_http(e.starts_with("http://")).with_endpoint(e);
        }
        if let Some(k) = &opts.access_key_id {
            b = b.with_access_key_id(k);
        }
        if let Some(s) = &opts.secret_access_key {
            b = b.with_secret_access_key(s);
        }
        let store: Arc<dyn ObjectStore> = Arc::new(b.build().map_err(|_| Errno::EIO)?);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("agentos-s3")
            .enable_all()
            .build()
            .map_err(|e| Errno::from_io(&e))?;
        let mut table = Table { next: ROOT + 1, ..Default::default() };
        table.nodes.insert(ROOT, Node { rel: String::new(), is_dir: true });
        table.by_rel.insert(String::new(), ROOT);
        let fs = S3Fs {
            store,
            rt: Some(rt),
            prefix: opts.prefix.trim_matches('/').to_string(),
            table: Mutex::new(table),
            uid: opts.uid,
            gid: opts.gid,
        };
        // Fail now, not at first use, on a missing bucket or a bad key.
        let store = fs.store.clone();
        let root = fs.key("");
        fs.run(async move { store.list_with_delimiter(root.as_ref()).await.map(|_| ()) })?;
        Ok(fs)
    }

    /// Run a request on our runtime and wait for it, from any thread.
    fn run<T: Send + 'static>(
        &self,
        fut: impl Future<Output = object_store::Result<T>> + Send + 'static,
    ) -> KResult<T> {
        let (tx, rx) = std::sync::mpsc::channel();
        let rt = self.rt.as_ref().ok_or(Errno::EIO)?;
        rt.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv().map_err(|_| Errno::EIO)?.map_err(s3err)
    }

    /// The object path of `rel` (`None` for the bucket root).
    fn key(&self, rel: &str) -> Option<Path> {
        match (self.prefix.is_empty(), rel.is_empty()) {
            (true, true) => None,
            (true, false) => Some(Path::from(rel)),
            (false, true) => Some(Path::from(self.prefix.as_str())),
            (false, false) => Some(Path::from(format!("{}/{rel}", self.prefix))),
        }
    }

    fn file_key(&self, rel: &str) -> KResult<Path> {
        self.key(rel).ok_or(Errno::EISDIR)
    }

    fn marker(&self, rel: &str) -> Path {
        Path::from(match self.key(rel) {
            Some(k) => format!("{k}/{DIR_MARKER}"),
            None => DIR_MARKER.to_string(),
        })
    }

    fn node(&self, ino: Ino) -> KResult<(String, bool)> {
        let t = self.table.lock();
        // An inode we no longer know was deleted under an open descriptor:
        // as on NFS, the handle is stale.
        t.nodes.get(&ino).map(|n| (n.rel.clone(), n.is_dir)).ok_or(Errno::ESTALE)
    }

    fn intern(&self, rel: String, is_dir: bool) -> Ino {
        let mut t = self.table.lock();
        if let Some(&ino) = t.by_rel.get(&rel)
            && let Some(n) = t.nodes.get_mut(&ino)
            && n.is_dir == is_dir
        {
            return ino;
        }
        let ino = t.next;
        t.next += 1;
        t.by_rel.insert(rel.clone(), ino);
        t.nodes.insert(ino, Node { rel, is_dir });
        ino
    }

    fn forget(&self, rel: &str) {
        let mut t = self.table.lock();
        if let Some(ino) = t.by_rel.remove(rel) {
            t.nodes.remove(&ino);
        }
    }

    /// What `rel` is: `Some(false)` a file, `Some(true)` a directory.
    fn probe(&self, rel: &str) -> KResult<Option<bool>> {
        let Some(key) = self.key(rel) else { return Ok(Some(true)) };
        let store = self.store.clone();
        let k = key.clone();
        match self.run(async move { store.head(&k).await }) {
            Ok(_) => return Ok(Some(false)),
            Err(Errno::ENOENT) => {}
            Err(e) => return Err(e),
        }
        let store = self.store.clone();
        let any = self.run(async move {
            let mut s = store.list(Some(&key));
            s.try_next().await.map(|o| o.is_some())
        })?;
        Ok(any.then_some(true))
    }

    /// Every object at or below directory `rel`.
    fn list_all(&self, rel: &str) -> KResult<Vec<Path>> {
        let store = self.store.clone();
        let key = self.key(rel);
        self.run(async move {
            let v: Vec<_> = store.list(key.as_ref()).try_collect().await?;
            Ok(v.into_iter().map(|m| m.location).collect())
        })
    }

    fn get_all(&self, key: &Path) -> KResult<Vec<u8>> {
        let store = self.store.clone();
        let k = key.clone();
        self.run(async move { store.get(&k).await?.bytes().await.map(|b| b.to_vec()) })
    }

    fn put(&self, key: &Path, data: Vec<u8>) -> KResult<()> {
        let store = self.store.clone();
        let k = key.clone();
        self.run(async move { store.put(&k, PutPayload::from(data)).await.map(|_| ()) })
    }

    fn delete(&self, key: &Path) -> KResult<()> {
        let store = self.store.clone();
        let k = key.clone();
        self.run(async move { store.delete(&k).await })
    }

    fn copy(&self, from: &Path, to: &Path) -> KResult<()> {
        let store = self.store.clone();
        let (f, t) = (from.clone(), to.clone());
        self.run(async move { store.copy(&f, &t).await })
    }

    fn stat_of(&self, ino: Ino, is_dir: bool, size: u64, mtime: Timespec) -> Stat {
        let (kind, perm, nlink) = if is_dir { (FileType::Directory, 0o755, 2) } else { (FileType::Regular, 0o644, 1) };
        Stat {
            dev: 0,
            ino,
            mode: kind.mode_bits() | perm,
            nlink,
            uid: self.uid,
            gid: self.gid,
            rdev: 0,
            size: if is_dir { 4096 } else { size },
            blksize: 4096,
            blocks: size.div_ceil(512),
            atime: mtime,
            mtime,
            ctime: mtime,
            btime: mtime,
        }
    }
}

impl Drop for S3Fs {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside an async caller
        // (a VM disposed from async code): let its threads wind down alone.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl FileSystem for S3Fs {
    fn fs_type(&self) -> &'static str {
        "s3"
    }

    fn root(&self) -> Ino {
        ROOT
    }

    fn lookup(&self, dir: Ino, name: &str) -> KResult<Ino> {
        let (drel, is_dir) = self.node(dir)?;
        if !is_dir {
            return Err(Errno::ENOTDIR);
        }
        if name == DIR_MARKER {
            return Err(Errno::ENOENT);
        }
        let rel = join(&drel, name);
        match self.probe(&rel)? {
            Some(d) => Ok(self.intern(rel, d)),
            None => Err(Errno::ENOENT),
        }
    }

    fn getattr(&self, ino: Ino) -> KResult<Stat> {
        let (rel, is_dir) = self.node(ino)?;
        if is_dir {
            return Ok(self.stat_of(ino, true, 0, Timespec::default()));
        }
        let store = self.store.clone();
        let key = self.file_key(&rel)?;
        // The object went away behind a known inode (deleted by another
        // mount): the handle is stale.
        let meta = self.run(async move { store.head(&key).await }).map_err(|e| match e {
            Errno::ENOENT => Errno::ESTALE,
            e => e,
        })?;
        let t = meta.last_modified;
        let mtime = Timespec { sec: t.timestamp(), nsec: t.timestamp_subsec_nanos() };
        Ok(self.stat_of(ino, false, meta.size, mtime))
    }

    fn setattr(&self, ino: Ino, attr: &SetAttr) -> KResult<Stat> {
        if attr.mode.is_some() || attr.uid.is_some_and(|u| u != self.uid) || attr.gid.is_some_and(|g| g != self.gid) {
            return Err(Errno::EPERM);
        }
        if let Some(size) = attr.size {
            let (rel, is_dir) = self.node(ino)?;
            if is_dir {
                return Err(Errno::EISDIR);
            }
            let key = self.file_key(&rel)?;
            let mut data = self.get_all(&key)?;
            data.resize(size as usize, 0);
            self.put(&key, data)?;
        }
        // Times can't be set on objects: they stay the last-modified time.
        self.getattr(ino)
    }

    fn readlink(&self, _ino: Ino) -> KResult<String> {
        Err(Errno::EINVAL)
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> KResult<usize> {
        let (rel, is_dir) = self.node(ino)?;
        if is_dir {
            return Err(Errno::EISDIR);
        }
        let size = self.getattr(ino)?.size;
        if offset >= size || buf.is_empty() {
            return Ok(0);
        }
        let end = size.min(offset + buf.len() as u64);
        let store = self.store.clone();
        let key = self.file_key(&rel)?;
        let bytes = self.run(async move { store.get_range(&key, offset..end).await })?;
        let n = bytes.len().min(buf.len());
        buf[..n].copy_from_slice(&bytes[..n]);
        Ok(n)
    }

    fn write(&self, ino: Ino, offset: u64, data: &[u8]) -> KResult<usize> {
        let (rel, is_dir) = self.node(ino)?;
        if is_dir {
            return Err(Errno::EISDIR);
        }
        let key = self.file_key(&rel)?;
        let mut all = self.get_all(&key)?;
        let end = usize::try_from(offset).map_err(|_| Errno::EFBIG)? + data.len();
        if all.len() < end {
            all.resize(end, 0);
        }
        all[offset as usize..end].copy_from_slice(data);
        self.put(&key, all)?;
        Ok(data.len())
    }

    fn create(&self, dir: Ino, name: &str, node: &NewNode<'_>) -> KResult<Ino> {
        let (drel, is_dir) = self.node(dir)?;
        if !is_dir {
            return Err(Errno::ENOTDIR);
        }
        if name == DIR_MARKER {
            return Err(Errno::EPERM);
        }
        let rel = join(&drel, name);
        if self.probe(&rel)?.is_some() {
            return Err(Errno::EEXIST);
        }
        match node.kind {
            FileType::Regular => self.put(&self.file_key(&rel)?, Vec::new())?,
            FileType::Directory => self.put(&self.marker(&rel), Vec::new())?,
            _ => return Err(Errno::EPERM),
        }
        Ok(self.intern(rel, node.kind == FileType::Directory))
    }

    fn link(&self, _ino: Ino, _newdir: Ino, _newname: &str) -> KResult<()> {
        Err(Errno::EPERM)
    }

    fn unlink(&self, dir: Ino, name: &str) -> KResult<()> {
        let (drel, _) = self.node(dir)?;
        let rel = join(&drel, name);
        match self.probe(&rel)? {
            None => Err(Errno::ENOENT),
            Some(true) => Err(Errno::EISDIR),
            Some(false) => {
                self.delete(&self.file_key(&rel)?)?;
                self.forget(&rel);
                Ok(())
            }
        }
    }

    fn rmdir(&self, dir: Ino, name: &str) -> KResult<()> {
        let (drel, _) = self.node(dir)?;
        let rel = join(&drel, name);
        match self.probe(&rel)? {
            None => return Err(Errno::ENOENT),
            Some(false) => return Err(Errno::ENOTDIR),
            Some(true) => {}
        }
        let marker = self.marker(&rel);
        if self.list_all(&rel)?.iter().any(|k| *k != marker) {
            return Err(Errno::ENOTEMPTY);
        }
        self.delete(&marker)?;
        self.forget(&rel);
        Ok(())
    }

    fn rename(&self, olddir: Ino, oldname: &str, newdir: Ino, newname: &str) -> KResult<()> {
        let (odrel, _) = self.node(olddir)?;
        let (ndrel, _) = self.node(newdir)?;
        let (from, to) = (join(&odrel, oldname), join(&ndrel, newname));
        let src_dir = self.probe(&from)?.ok_or(Errno::ENOENT)?;
        match (self.probe(&to)?, src_dir) {
            (Some(true), false) => return Err(Errno::EISDIR),
            (Some(false), true) => return Err(Errno::ENOTDIR),
            (Some(true), true) => {
                let marker = self.marker(&to);
                if self.list_all(&to)?.iter().any(|k| *k != marker) {
                    return Err(Errno::ENOTEMPTY);
                }
            }
            _ => {}
        }
        if !src_dir {
            self.copy(&self.file_key(&from)?, &self.file_key(&to)?)?;
            self.delete(&self.file_key(&from)?)?;
        } else {
            let (fk, tk) = (self.file_key(&from)?, self.file_key(&to)?);
            for k in self.list_all(&from)? {
                let rest = k.as_ref().strip_prefix(fk.as_ref()).unwrap_or(k.as_ref());
                let dest = Path::from(format!("{tk}{rest}"));
                self.copy(&k, &dest)?;
                self.delete(&k)?;
            }
        }
        // Re-home the moved names in the table.
        let mut t = self.table.lock();
        let prefix = format!("{from}/");
        let moved: Vec<(Ino, String)> = t
            .nodes
            .iter()
            .filter_map(|(&ino, n)| {
                if n.rel == from {
                    Some((ino, to.clone()))
                } else {
                    n.rel.strip_prefix(&prefix).map(|rest| (ino, format!("{to}/{rest}")))
                }
            })
            .collect();
        if let Some(old) = t.by_rel.remove(&to) {
            t.nodes.remove(&old);
        }
        for (ino, rel) in moved {
            if let Some(n) = t.nodes.get_mut(&ino) {
                let old = std::mem::replace(&mut n.rel, rel.clone());
                t.by_rel.remove(&old);
                t.by_rel.insert(rel, ino);
            }
        }
        Ok(())
    }

    fn readdir(&self, dir: Ino) -> KResult<Vec<DirEntry>> {
        let (rel, is_dir) = self.node(dir)?;
        if !is_dir {
            return Err(Errno::ENOTDIR);
        }
        let store = self.store.clone();
        let key = self.key(&rel);
        let list = self.run(async move { store.list_with_delimiter(key.as_ref()).await })?;
        let mut out = Vec::new();
        for p in list.common_prefixes {
            if let Some(name) = p.filename() {
                let ino = self.intern(join(&rel, name), true);
                out.push(DirEntry { name: name.to_string(), ino, kind: FileType::Directory });
            }
        }
        for o in list.objects {
            if let Some(name) = o.location.filename()
                && name != DIR_MARKER
            {
                let ino = self.intern(join(&rel, name), false);
                out.push(DirEntry { name: name.to_string(), ino, kind: FileType::Regular });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}
