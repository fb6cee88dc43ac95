//! A whole filesystem in one SQLite database file: the VM's persistence.
//!
//! Analogue: a FUSE filesystem over a database (like `libsqlfs`), or
//! Linux `ext4` with the journal replaced by SQLite's. Every operation is
//! one SQLite transaction, so a crash leaves the file at the state after
//! the last completed operation, and a later process (or VM) opening the
//! same file sees every file the earlier one wrote.
//!
//! Format (version in `meta.format = "agentos-sqlitefs-v1"`):
//!
//! | table | columns | meaning |
//! |---|---|---|
//! | `inodes` | `ino, mode, uid, gid, nlink, size, rdev, {a,m,c,b}time_{s,ns}, target` | one row per inode; `target` for symlinks |
//! | `dirents` | `parent, name, ino` | directory entries (no `.`/`..`) |
//! | `data` | `ino, chunk_index, bytes` | file contents in 64 KiB chunks; a missing chunk is a hole |
//! | `meta` | `key, value` | format version; `seeded` once a base image was copied in |
//! | `usage` | `id = 1, bytes, inodes` | what the limits count (recomputed at every open) |
//!
//! The database runs in WAL mode with `synchronous=NORMAL`: each commit is
//! durable against a process crash; a power loss may lose the last commits.
//! Inodes unlinked while open live on (with `nlink = 0`) until released, and
//! are collected when the file is next opened if the process died first.
//!
//! Limits ([`SqliteFs::with_limits`], what a VM's root gets from its
//! `VmLimits`) count what the in-memory filesystem counts: bytes stored
//! (file chunks as written, so holes are free, plus symlink targets) and
//! inodes (an inode unlinked while open still counts until released). Past
//! either, the operation fails with `ENOSPC` and its transaction is rolled
//! back. The counters live in the database and are updated in each
//! operation's transaction, so every process sharing the file sees the
//! same usage; each open recomputes them from the tables.
//!
//! Locking: one mutex around the connection; open counts in the same lock.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use agentos_kernel::abi::{DirEntry, Errno, FileType, KResult, S_IPERM, Stat, TimeSet, Timespec};
use agentos_kernel::clock::Clock;
use agentos_kernel::fs::mem::MemLimits;
use agentos_kernel::fs::{FileSystem, FsUsage, Ino, NewNode, SetAttr};
use parking_lot::Mutex;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// Bytes per row of the `data` table.
pub const CHUNK: u64 = 64 * 1024;
/// Size reported for directories, as ext4 does.
const DIR_SIZE: u64 = 4096;
const ROOT: Ino = 1;
const FORMAT: &str = "agentos-sqlitefs-v1";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inodes(
    ino INTEGER PRIMARY KEY, mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL,
    nlink INTEGER NOT NULL, size INTEGER NOT NULL, rdev INTEGER NOT NULL,
    atime_s INTEGER NOT NULL, atime_ns INTEGER NOT NULL, mtime_s INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_s INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, btime_s INTEGER NOT NULL, btime_ns INTEGER NOT NULL,
    target TEXT);
CREATE TABLE IF NOT EXISTS dirents(parent INTEGER NOT NULL, name TEXT NOT NULL, ino INTEGER NOT NULL,
    PRIMARY KEY(parent, name)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dirents_by_ino ON dirents(ino);
CREATE TABLE IF NOT EXISTS data(ino INTEGER NOT NULL, chunk_index INTEGER NOT NULL, bytes BLOB NOT NULL,
    PRIMARY KEY(ino, chunk_index)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS usage(id INTEGER PRIMARY KEY CHECK (id = 1), bytes INTEGER NOT NULL,
    inodes INTEGER NOT NULL);
";

/// Limits of a filesystem opened without [`SqliteFs::with_limits`].
const UNLIMITED: MemLimits = MemLimits { max_bytes: 1 << 40, max_inodes: 1 << 32 };

/// A filesystem stored in one SQLite file.
pub struct SqliteFs {
    state: Mutex<State>,
    clock: Arc<dyn Clock>,
    limits: MemLimits,
}

struct State {
    conn: Connection,
    open: OpenCounts,
}

fn db(e: rusqlite::Error) -> Errno {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => Errno::ENOSPC,
        Some(rusqlite::ErrorCode::ReadOnly) => Errno::EROFS,
        _ => Errno::EIO,
    }
}

struct Row {
    mode: u32,
    nlink: u64,
    size: u64,
}

fn is_dir(mode: u32) -> bool {
    FileType::from_mode(mode) == Some(FileType::Directory)
}

fn row(tx: &Transaction<'_>, ino: Ino) -> KResult<Row> {
    tx.query_row("SELECT mode, nlink, size FROM inodes WHERE ino = ?1", [ino as i64], |r| {
        Ok(Row {
            mode: r.get::<_, i64>(0)? as u32,
            nlink: r.get::<_, i64>(1)? as u64,
            size: r.get::<_, i64>(2)? as u64,
        })
    })
    .optional()
    .map_err(db)?
    .ok_or(Errno::ENOENT)
}

fn child(tx: &Transaction<'_>, dir: Ino, name: &str) -> KResult<Option<Ino>> {
    tx.query_row("SELECT ino FROM dirents WHERE parent = ?1 AND name = ?2", params![dir as i64, name], |r| {
        r.get::<_, i64>(0)
    })
    .optional()
    .map(|o| o.map(|i| i as Ino))
    .map_err(db)
}

/// `dir` must be an existing directory.
fn dir_row(tx: &Transaction<'_>, dir: Ino) -> KResult<Row> {
    let r = row(tx, dir)?;
    if is_dir(r.mode) { Ok(r) } else { Err(Errno::ENOTDIR) }
}

fn touch(tx: &Transaction<'_>, ino: Ino, now: Timespec, mtime: bool) -> KResult<()> {
    let sql = if mtime {
        "UPDATE inodes SET mtime_s = ?2, mtime_ns = ?3, ctime_s = ?2, ctime_ns = ?3 WHERE ino = ?1"
    } else {
        "UPDATE inodes SET ctime_s = ?2, ctime_ns = ?3 WHERE ino = ?1"
    };
    tx.execute(sql, params![ino as i64, now.sec, now.nsec]).map_err(db)?;
    Ok(())
}

fn add_nlink(tx: &Transaction<'_>, ino: Ino, delta: i64) -> KResult<()> {
    tx.execute("UPDATE inodes SET nlink = max(nlink + ?2, 0) WHERE ino = ?1", params![ino as i64, delta])
        .map_err(db)?;
    Ok(())
}

/// Open file descriptions per inode (not persisted).
type OpenCounts = HashMap<Ino, u32>;

/// Bytes and inodes counted against the limits.
fn usage_get(tx: &Transaction<'_>) -> KResult<(u64, u64)> {
    tx.query_row("SELECT bytes, inodes FROM usage WHERE id = 1", [], |r| {
        Ok((r.get::<_, i64>(0)?.max(0) as u64, r.get::<_, i64>(1)?.max(0) as u64))
    })
    .optional()
    .map_err(db)
    .map(Option::unwrap_or_default)
}

fn usage_add(tx: &Transaction<'_>, bytes: i64, inodes: i64) -> KResult<()> {
    if bytes != 0 || inodes != 0 {
        tx.execute(
            "UPDATE usage SET bytes = max(bytes + ?1, 0), inodes = max(inodes + ?2, 0) WHERE id = 1",
            params![bytes, inodes],
        )
        .map_err(db)?;
    }
    Ok(())
}

/// Count usage from the tables (at open: after orphans are collected, and
/// for databases written before the `usage` table existed).
fn usage_recompute(tx: &Transaction<'_>) -> KResult<()> {
    tx.execute(
        "INSERT OR REPLACE INTO usage(id, bytes, inodes) VALUES (1,
            (SELECT coalesce(sum(length(bytes)), 0) FROM data)
              + (SELECT coalesce(sum(length(CAST(target AS BLOB))), 0) FROM inodes),
            (SELECT count(*) FROM inodes))",
        [],
    )
    .map_err(db)?;
    Ok(())
}

/// Bytes `ino` holds: its chunks and its symlink target.
fn stored_bytes(tx: &Transaction<'_>, ino: Ino) -> KResult<i64> {
    tx.query_row(
        "SELECT (SELECT coalesce(sum(length(bytes)), 0) FROM data WHERE ino = ?1)
              + (SELECT coalesce(length(CAST(target AS BLOB)), 0) FROM inodes WHERE ino = ?1)",
        [ino as i64],
        |r| r.get(0),
    )
    .map_err(db)
}

/// Delete `ino` if no name and no open description refers to it.
fn maybe_free(open: &OpenCounts, tx: &Transaction<'_>, ino: Ino) -> KResult<()> {
    let r = row(tx, ino)?;
    let linked = if is_dir(r.mode) { r.nlink > 1 } else { r.nlink > 0 };
    if !linked && open.get(&ino).copied().unwrap_or(0) == 0 {
        let bytes = stored_bytes(tx, ino)?;
        tx.execute("DELETE FROM data WHERE ino = ?1", [ino as i64]).map_err(db)?;
        tx.execute("DELETE FROM inodes WHERE ino = ?1", [ino as i64]).map_err(db)?;
        usage_add(tx, -bytes, -1)?;
    }
    Ok(())
}

fn drop_link(open: &OpenCounts, tx: &Transaction<'_>, ino: Ino, now: Timespec) -> KResult<()> {
    add_nlink(tx, ino, -1)?;
    touch(tx, ino, now, false)?;
    maybe_free(open, tx, ino)
}

impl SqliteFs {
    /// Open (or create) the filesystem in `path`. A new file gets an empty
    /// root directory (mode 0755, owner root).
    pub fn open(path: &Path, clock: Arc<dyn Clock>) -> KResult<SqliteFs> {
        let conn = Connection::open(path).map_err(db)?;
        SqliteFs::with_connection(conn, clock)
    }

    /// A filesystem in a private in-memory database (for tests).
    pub fn in_memory(clock: Arc<dyn Clock>) -> KResult<SqliteFs> {
        SqliteFs::with_connection(Connection::open_in_memory().map_err(db)?, clock)
    }

    fn with_connection(mut conn: Connection, clock: Arc<dyn Clock>) -> KResult<SqliteFs> {
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(db)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(db)?;
        let tx = conn.transaction().map_err(db)?;
        tx.execute_batch(SCHEMA).map_err(db)?;
        let format: Option<String> =
            tx.query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| r.get(0)).optional().map_err(db)?;
        match format.as_deref() {
            None => {
                tx.execute("INSERT INTO meta(key, value) VALUES ('format', ?1)", [FORMAT]).map_err(db)?;
            }
            Some(FORMAT) => {}
            // A database of another format or version: refuse, don't guess.
            Some(_) => return Err(Errno::EINVAL),
        }
        if row(&tx, ROOT).is_err() {
            let now = clock.realtime();
            insert_inode(&tx, Some(ROOT), FileType::Directory.mode_bits() | 0o755, 0, 0, 2, 0, now, None)?;
        }
        // Collect inodes orphaned by a process that died with them open.
        tx.execute("DELETE FROM data WHERE ino IN (SELECT ino FROM inodes WHERE nlink = 0)", []).map_err(db)?;
        tx.execute("DELETE FROM inodes WHERE nlink = 0", []).map_err(db)?;
        usage_recompute(&tx)?;
        tx.commit().map_err(db)?;
        Ok(SqliteFs { state: Mutex::new(State { conn, open: HashMap::new() }), clock, limits: UNLIMITED })
    }

    /// The same filesystem, refusing with `ENOSPC` to store more than
    /// `limits.max_bytes` bytes or `limits.max_inodes` inodes in all (what
    /// is already in the file counts). Reaching a limit never refuses
    /// deleting or truncating.
    pub fn with_limits(mut self, limits: MemLimits) -> SqliteFs {
        self.limits = limits;
        self
    }

    /// Whether a base image was already copied in ([`SqliteFs::mark_seeded`]).
    pub fn is_seeded(&self) -> KResult<bool> {
        let st = self.state.lock();
        let v: Option<String> = st
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'seeded'", [], |r| r.get(0))
            .optional()
            .map_err(db)?;
        Ok(v.is_some())
    }

    /// Record that the base image has been copied in, so it is not again.
    pub fn mark_seeded(&self) -> KResult<()> {
        let st = self.state.lock();
        st.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('seeded', '1')", []).map_err(db)?;
        Ok(())
    }

    /// Run `f` in one transaction.
    fn tx<R>(&self, f: impl FnOnce(&OpenCounts, &Transaction<'_>) -> KResult<R>) -> KResult<R> {
        let mut guard = self.state.lock();
        let State { conn, open } = &mut *guard;
        let tx = conn.transaction().map_err(db)?;
        // On error, dropping the transaction rolls it back.
        let v = f(open, &tx)?;
        tx.commit().map_err(db)?;
        Ok(v)
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_inode(
    tx: &Transaction<'_>,
    ino: Option<Ino>,
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u64,
    rdev: u64,
    now: Timespec,
    target: Option<&str>,
) -> KResult<Ino> {
    let size = target.map_or(0, |t| t.len() as i64);
    tx.execute(
        "INSERT INTO inodes(ino, mode, uid, gid, nlink, size, rdev, atime_s, atime_ns, mtime_s, mtime_ns,
            ctime_s, ctime_ns, btime_s, btime_ns, target)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8, ?9, ?8, ?9, ?8, ?9, ?10)",
        params![ino.map(|i| i as i64), mode, uid, gid, nlink as i64, size, rdev as i64, now.sec, now.nsec, target],
    )
    .map_err(db)?;
    Ok(tx.last_insert_rowid() as Ino)
}

fn set_time(t: TimeSet, now: Timespec) -> Option<Timespec> {
    match t {
        TimeSet::Omit => None,
        TimeSet::Now => Some(now),
        TimeSet::At(t) => Some(t),
    }
}

/// Read chunk `idx` of `ino` (empty if it is a hole).
fn chunk(tx: &Transaction<'_>, ino: Ino, idx: u64) -> KResult<Vec<u8>> {
    tx.query_row("SELECT bytes FROM data WHERE ino = ?1 AND chunk_index = ?2", params![ino as i64, idx as i64], |r| {
        r.get(0)
    })
    .optional()
    .map(Option::unwrap_or_default)
    .map_err(db)
}

fn put_chunk(tx: &Transaction<'_>, ino: Ino, idx: u64, bytes: &[u8]) -> KResult<()> {
    tx.execute(
        "INSERT OR REPLACE INTO data(ino, chunk_index, bytes) VALUES (?1, ?2, ?3)",
        params![ino as i64, idx as i64, bytes],
    )
    .map_err(db)?;
    Ok(())
}

/// Drop data at and past `size` (and count the bytes freed).
fn truncate_data(tx: &Transaction<'_>, ino: Ino, size: u64) -> KResult<()> {
    let keep = size.div_ceil(CHUNK);
    let dropped: i64 = tx
        .query_row(
            "SELECT coalesce(sum(length(bytes)), 0) FROM data WHERE ino = ?1 AND chunk_index >= ?2",
            params![ino as i64, keep as i64],
            |r| r.get(0),
        )
        .map_err(db)?;
    tx.execute("DELETE FROM data WHERE ino = ?1 AND chunk_index >= ?2", params![ino as i64, keep as i64])
        .map_err(db)?;
    let mut freed = dropped;
    if !size.is_multiple_of(CHUNK) {
        let idx = size / CHUNK;
        let mut c = chunk(tx, ino, idx)?;
        let len = (size % CHUNK) as usize;
        if c.len() > len {
            freed += (c.len() - len) as i64;
            c.truncate(len);
            put_chunk(tx, ino, idx, &c)?;
        }
    }
    usage_add(tx, -freed, 0)
}

impl FileSystem for SqliteFs {
    fn fs_type(&self) -> &'static str {
        "sqlitefs"
    }

    fn root(&self) -> Ino {
        ROOT
    }

    fn lookup(&self, dir: Ino, name: &str) -> KResult<Ino> {
        self.tx(|_, tx| {
            dir_row(tx, dir)?;
            child(tx, dir, name)?.ok_or(Errno::ENOENT)
        })
    }

    fn getattr(&self, ino: Ino) -> KResult<Stat> {
        self.tx(|_, tx| {
            tx.query_row(
                "SELECT mode, uid, gid, nlink, size, rdev, atime_s, atime_ns, mtime_s, mtime_ns, ctime_s, ctime_ns,
                    btime_s, btime_ns FROM inodes WHERE ino = ?1",
                [ino as i64],
                |r| {
                    let mode = r.get::<_, i64>(0)? as u32;
                    let t = |i: usize| -> rusqlite::Result<Timespec> {
                        Ok(Timespec { sec: r.get(i)?, nsec: r.get::<_, i64>(i + 1)? as u32 })
                    };
                    let size = if is_dir(mode) { DIR_SIZE } else { r.get::<_, i64>(4)? as u64 };
                    let stored = if FileType::from_mode(mode) == Some(FileType::Regular) { size } else { 0 };
                    Ok(Stat {
                        dev: 0,
                        ino,
                        mode,
                        nlink: r.get::<_, i64>(3)? as u64,
                        uid: r.get::<_, i64>(1)? as u32,
                        gid: r.get::<_, i64>(2)? as u32,
                        rdev: r.get::<_, i64>(5)? as u64,
                        size,
                        blksize: 4096,
                        blocks: stored.div_ceil(4096) * 8,
                        atime: t(6)?,
                        mtime: t(8)?,
                        ctime: t(10)?,
                        btime: t(12)?,
                    })
                },
            )
            .optional()
            .map_err(db)?
            .ok_or(Errno::ENOENT)
        })
    }

    fn setattr(&self, ino: Ino, attr: &SetAttr) -> KResult<Stat> {
        let now = self.clock.realtime();
        self.tx(|_, tx| {
            let r = row(tx, ino)?;
            let id = ino as i64;
            if let Some(mode) = attr.mode {
                let m = (r.mode & !S_IPERM) | (mode & S_IPERM);
                tx.execute("UPDATE inodes SET mode = ?2 WHERE ino = ?1", params![id, m]).map_err(db)?;
            }
            if let Some(uid) = attr.uid {
                tx.execute("UPDATE inodes SET uid = ?2 WHERE ino = ?1", params![id, uid]).map_err(db)?;
            }
            if let Some(gid) = attr.gid {
                tx.execute("UPDATE inodes SET gid = ?2 WHERE ino = ?1", params![id, gid]).map_err(db)?;
            }
            if let Some(size) = attr.size {
                match FileType::from_mode(r.mode) {
                    Some(FileType::Regular) => {}
                    Some(FileType::Directory) => return Err(Errno::EISDIR),
                    _ => return Err(Errno::EINVAL),
                }
                if size < r.size {
                    truncate_data(tx, ino, size)?;
                }
                tx.execute("UPDATE inodes SET size = ?2 WHERE ino = ?1", params![id, size as i64]).map_err(db)?;
                touch(tx, ino, now, true)?;
            }
            if let Some(t) = set_time(attr.atime, now) {
                tx.execute("UPDATE inodes SET atime_s = ?2, atime_ns = ?3 WHERE ino = ?1", params![id, t.sec, t.nsec])
                    .map_err(db)?;
            }
            if let Some(t) = set_time(attr.mtime, now) {
                tx.execute("UPDATE inodes SET mtime_s = ?2, mtime_ns = ?3 WHERE ino = ?1", params![id, t.sec, t.nsec])
                    .map_err(db)?;
            }
            touch(tx, ino, now, false)
        })?;
        self.getattr(ino)
    }

    fn readlink(&self, ino: Ino) -> KResult<String> {
        self.tx(|_, tx| {
            let t: Option<Option<String>> = tx
                .query_row("SELECT target FROM inodes WHERE ino = ?1", [ino as i64], |r| r.get(0))
                .optional()
                .map_err(db)?;
            t.ok_or(Errno::ENOENT)?.ok_or(Errno::EINVAL)
        })
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> KResult<usize> {
        self.tx(|_, tx| {
            let r = row(tx, ino)?;
            match FileType::from_mode(r.mode) {
                Some(FileType::Regular) => {}
                Some(FileType::Directory) => return Err(Errno::EISDIR),
                _ => return Err(Errno::EINVAL),
            }
            if offset >= r.size {
                return Ok(0);
            }
            let n = buf.len().min((r.size - offset) as usize);
            let out = &mut buf[..n];
            out.fill(0);
            let (first, last) = (offset / CHUNK, (offset + n as u64 - 1) / CHUNK);
            let mut stmt = tx
                .prepare_cached("SELECT chunk_index, bytes FROM data WHERE ino = ?1 AND chunk_index BETWEEN ?2 AND ?3")
                .map_err(db)?;
            let rows = stmt
                .query_map(params![ino as i64, first as i64, last as i64], |r| {
                    Ok((r.get::<_, i64>(0)? as u64, r.get::<_, Vec<u8>>(1)?))
                })
                .map_err(db)?;
            for item in rows {
                let (idx, bytes) = item.map_err(db)?;
                let cstart = idx * CHUNK;
                // Overlap of [cstart, cstart+len) with [offset, offset+n).
                let lo = cstart.max(offset);
                let hi = (cstart + bytes.len() as u64).min(offset + n as u64);
                if lo < hi {
                    out[(lo - offset) as usize..(hi - offset) as usize]
                        .copy_from_slice(&bytes[(lo - cstart) as usize..(hi - cstart) as usize]);
                }
            }
            Ok(n)
        })
    }

    fn write(&self, ino: Ino, offset: u64, data: &[u8]) -> KResult<usize> {
        if data.is_empty() {
            return Ok(0);
        }
        let now = self.clock.realtime();
        self.tx(|_, tx| {
            let r = row(tx, ino)?;
            match FileType::from_mode(r.mode) {
                Some(FileType::Regular) => {}
                Some(FileType::Directory) => return Err(Errno::EISDIR),
                _ => return Err(Errno::EINVAL),
            }
            let end = offset.checked_add(data.len() as u64).ok_or(Errno::EFBIG)?;
            let mut pos = offset;
            let mut grow = 0u64;
            while pos < end {
                let idx = pos / CHUNK;
                let cstart = idx * CHUNK;
                let within = (pos - cstart) as usize;
                let take = ((CHUNK - (pos - cstart)) as usize).min((end - pos) as usize);
                let mut c = chunk(tx, ino, idx)?;
                if c.len() < within + take {
                    grow += (within + take - c.len()) as u64;
                    c.resize(within + take, 0);
                }
                let from = (pos - offset) as usize;
                c[within..within + take].copy_from_slice(&data[from..from + take]);
                put_chunk(tx, ino, idx, &c)?;
                pos += take as u64;
            }
            if grow > 0 {
                // Dropping the transaction undoes the chunks written above.
                let (used, _) = usage_get(tx)?;
                if used + grow > self.limits.max_bytes {
                    return Err(Errno::ENOSPC);
                }
                usage_add(tx, grow as i64, 0)?;
            }
            if end > r.size {
                tx.execute("UPDATE inodes SET size = ?2 WHERE ino = ?1", params![ino as i64, end as i64])
                    .map_err(db)?;
            }
            touch(tx, ino, now, true)?;
            Ok(data.len())
        })
    }

    fn create(&self, dir: Ino, name: &str, node: &NewNode<'_>) -> KResult<Ino> {
        let now = self.clock.realtime();
        self.tx(|_, tx| {
            dir_row(tx, dir)?;
            if child(tx, dir, name)?.is_some() {
                return Err(Errno::EEXIST);
            }
            let is_dir = node.kind == FileType::Directory;
            let perm = if node.kind == FileType::Symlink { 0o777 } else { node.perm & S_IPERM };
            let target = (node.kind == FileType::Symlink).then_some(node.target);
            let bytes = target.map_or(0, |t| t.len() as u64);
            let (used, inodes) = usage_get(tx)?;
            if inodes >= self.limits.max_inodes || used + bytes > self.limits.max_bytes {
                return Err(Errno::ENOSPC);
            }
            usage_add(tx, bytes as i64, 1)?;
            let ino = insert_inode(
                tx,
                None,
                node.kind.mode_bits() | perm,
                node.uid,
                node.gid,
                if is_dir { 2 } else { 1 },
                node.rdev,
                now,
                target,
            )?;
            tx.execute(
                "INSERT INTO dirents(parent, name, ino) VALUES (?1, ?2, ?3)",
                params![dir as i64, name, ino as i64],
            )
            .map_err(db)?;
            if is_dir {
                add_nlink(tx, dir, 1)?;
            }
            touch(tx, dir, now, true)?;
            Ok(ino)
        })
    }

    fn link(&self, ino: Ino, newdir: Ino, newname: &str) -> KResult<()> {
        let now = self.clock.realtime();
        self.tx(|_, tx| {
            dir_row(tx, newdir)?;
            if child(tx, newdir, newname)?.is_some() {
                return Err(Errno::EEXIST);
            }
            if is_dir(row(tx, ino)?.mode) {
                return Err(Errno::EPERM);
            }
            add_nlink(tx, ino, 1)?;
            touch(tx, ino, now, false)?;
            tx.execute(
                "INSERT INTO dirents(parent, name, ino) VALUES (?1, ?2, ?3)",
                params![newdir as i64, newname, ino as i64],
            )
            .map_err(db)?;
            touch(tx, newdir, now, true)
        })
    }

    fn unlink(&self, dir: Ino, name: &str) -> KResult<()> {
        let now = self.clock.realtime();
        self.tx(|st, tx| {
            dir_row(tx, dir)?;
            let ino = child(tx, dir, name)?.ok_or(Errno::ENOENT)?;
            if is_dir(row(tx, ino)?.mode) {
                return Err(Errno::EISDIR);
            }
            tx.execute("DELETE FROM dirents WHERE parent = ?1 AND name = ?2", params![dir as i64, name]).map_err(db)?;
            touch(tx, dir, now, true)?;
            drop_link(st, tx, ino, now)
        })
    }

    fn rmdir(&self, dir: Ino, name: &str) -> KResult<()> {
        let now = self.clock.realtime();
        self.tx(|st, tx| {
            dir_row(tx, dir)?;
            let ino = child(tx, dir, name)?.ok_or(Errno::ENOENT)?;
            if !is_dir(row(tx, ino)?.mode) {
                return Err(Errno::ENOTDIR);
            }
            let nonempty: bool = tx
                .query_row("SELECT EXISTS(SELECT 1 FROM dirents WHERE parent = ?1)", [ino as i64], |r| r.get(0))
                .map_err(db)?;
            if nonempty {
                return Err(Errno::ENOTEMPTY);
            }
            tx.execute("DELETE FROM dirents WHERE parent = ?1 AND name = ?2", params![dir as i64, name]).map_err(db)?;
            add_nlink(tx, dir, -1)?;
            touch(tx, dir, now, true)?;
            tx.execute("UPDATE inodes SET nlink = 0 WHERE ino = ?1", [ino as i64]).map_err(db)?;
            maybe_free(st, tx, ino)
        })
    }

    fn rename(&self, olddir: Ino, oldname: &str, newdir: Ino, newname: &str) -> KResult<()> {
        let now = self.clock.realtime();
        self.tx(|st, tx| {
            dir_row(tx, olddir)?;
            dir_row(tx, newdir)?;
            let src = child(tx, olddir, oldname)?.ok_or(Errno::ENOENT)?;
            let src_is_dir = is_dir(row(tx, src)?.mode);
            let existing = child(tx, newdir, newname)?;
            if let Some(dst) = existing {
                if dst == src {
                    return Ok(());
                }
                let dst_is_dir = is_dir(row(tx, dst)?.mode);
                match (dst_is_dir, src_is_dir) {
                    (true, true) => {
                        let nonempty: bool = tx
                            .query_row("SELECT EXISTS(SELECT 1 FROM dirents WHERE parent = ?1)", [dst as i64], |r| {
                                r.get(0)
                            })
                            .map_err(db)?;
                        if nonempty {
                            return Err(Errno::ENOTEMPTY);
                        }
                    }
                    (true, false) => return Err(Errno::EISDIR),
                    (false, true) => return Err(Errno::ENOTDIR),
                    (false, false) => {}
                }
            }
            tx.execute("DELETE FROM dirents WHERE parent = ?1 AND name = ?2", params![olddir as i64, oldname])
                .map_err(db)?;
            tx.execute(
                "INSERT OR REPLACE INTO dirents(parent, name, ino) VALUES (?1, ?2, ?3)",
                params![newdir as i64, newname, src as i64],
            )
            .map_err(db)?;
            if let Some(dst) = existing {
                if src_is_dir {
                    add_nlink(tx, newdir, -1)?;
                    tx.execute("UPDATE inodes SET nlink = 0 WHERE ino = ?1", [dst as i64]).map_err(db)?;
                    maybe_free(st, tx, dst)?;
                } else {
                    drop_link(st, tx, dst, now)?;
                }
            }
            if src_is_dir && olddir != newdir {
                add_nlink(tx, olddir, -1)?;
                add_nlink(tx, newdir, 1)?;
            }
            touch(tx, olddir, now, true)?;
            touch(tx, newdir, now, true)?;
            touch(tx, src, now, false)
        })
    }

    fn readdir(&self, dir: Ino) -> KResult<Vec<DirEntry>> {
        self.tx(|_, tx| {
            dir_row(tx, dir)?;
            let mut stmt = tx
                .prepare_cached(
                    "SELECT d.name, d.ino, i.mode FROM dirents d JOIN inodes i ON i.ino = d.ino
                     WHERE d.parent = ?1 ORDER BY d.name",
                )
                .map_err(db)?;
            let rows = stmt
                .query_map([dir as i64], |r| {
                    let mode = r.get::<_, i64>(2)? as u32;
                    Ok(DirEntry {
                        name: r.get(0)?,
                        ino: r.get::<_, i64>(1)? as Ino,
                        kind: FileType::from_mode(mode).unwrap_or(FileType::Regular),
                    })
                })
                .map_err(db)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db)
        })
    }

    fn open(&self, ino: Ino) -> KResult<()> {
        *self.state.lock().open.entry(ino).or_default() += 1;
        Ok(())
    }

    fn release(&self, ino: Ino) {
        let last = {
            let mut st = self.state.lock();
            let n = st.open.entry(ino).or_default();
            *n = n.saturating_sub(1);
            let last = *n == 0;
            if last {
                st.open.remove(&ino);
            }
            last
        };
        if last {
            // Free an inode unlinked while open; nothing to report on failure
            // (it is collected at the next open of the database).
            let _ = self.tx(|st, tx| match maybe_free(st, tx, ino) {
                Err(Errno::ENOENT) => Ok(()),
                r => r,
            });
        }
    }

    fn usage(&self) -> FsUsage {
        let (bytes, inodes) = self.tx(|_, tx| usage_get(tx)).unwrap_or_default();
        FsUsage {
            bytes_used: bytes,
            bytes_total: self.limits.max_bytes,
            inodes_used: inodes,
            inodes_total: self.limits.max_inodes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentos_kernel::clock::ManualClock;

    fn file() -> NewNode<'static> {
        NewNode { kind: FileType::Regular, perm: 0o644, uid: 1000, gid: 1000, target: "", rdev: 0 }
    }

    #[test]
    fn chunks_holes_and_truncate() {
        let fs = SqliteFs::in_memory(Arc::new(ManualClock::default())).unwrap();
        let ino = fs.create(ROOT, "f", &file()).unwrap();
        let big: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        assert_eq!(fs.write(ino, 10, &big), Ok(big.len()));
        let mut buf = vec![1u8; 200_010];
        assert_eq!(fs.read(ino, 0, &mut buf), Ok(200_010));
        assert_eq!(&buf[..10], &[0u8; 10]);
        assert_eq!(&buf[10..], &big[..]);
        fs.setattr(ino, &SetAttr { size: Some(70_000), ..Default::default() }).unwrap();
        fs.setattr(ino, &SetAttr { size: Some(300_000), ..Default::default() }).unwrap();
        let mut tail = vec![9u8; 10];
        assert_eq!(fs.read(ino, 69_995, &mut tail), Ok(10));
        assert_eq!(&tail[..5], &big[69_985..69_990]);
        assert_eq!(&tail[5..], &[0u8; 5]);
        assert_eq!(fs.getattr(ino).unwrap().size, 300_000);
    }

    #[test]
    fn unlinked_open_file_lives_until_release() {
        let fs = SqliteFs::in_memory(Arc::new(ManualClock::default())).unwrap();
        let ino = fs.create(ROOT, "f", &file()).unwrap();
        fs.write(ino, 0, b"data").unwrap();
        fs.open(ino).unwrap();
        fs.unlink(ROOT, "f").unwrap();
        let mut b = [0u8; 4];
        assert_eq!(fs.read(ino, 0, &mut b), Ok(4));
        fs.release(ino);
        assert_eq!(fs.read(ino, 0, &mut b), Err(Errno::ENOENT));
        assert_eq!(fs.lookup(ROOT, "f"), Err(Errno::ENOENT));
    }
}
