//! File and directory ops: the `fs` module's kernel half. Paths arrive
//! already made absolute or relative to the task's cwd; results are plain
//! arrays the JS side wraps into `Stats`/`Dirent` objects.

use agentos_kernel::abi::{FileType, OFlags, Stat, TimeSet, Timespec, Whence};
use rquickjs::function::Opt;
use rquickjs::{Array, Ctx, Object, TypedArray, Value};

use super::error::{Call, OrThrow};
use super::{blocking, def, with_task};
use crate::bytes_unsafe;

fn type_num(t: FileType) -> i32 {
    match t {
        FileType::Regular => 1,
        FileType::Directory => 2,
        FileType::Symlink => 3,
        FileType::CharDevice => 4,
        FileType::BlockDevice => 5,
        FileType::Fifo => 6,
        FileType::Socket => 7,
    }
}

fn stat_array(st: &Stat) -> Vec<f64> {
    let ms = |t: Timespec| t.as_millis_f64();
    vec![
        st.dev as f64,
        st.mode as f64,
        st.nlink as f64,
        st.uid as f64,
        st.gid as f64,
        st.rdev as f64,
        st.blksize as f64,
        st.ino as f64,
        st.size as f64,
        st.blocks as f64,
        ms(st.atime),
        ms(st.mtime),
        ms(st.ctime),
        ms(st.btime),
    ]
}

fn op_open(ctx: Ctx<'_>, path: String, flags: i32, mode: Opt<i32>) -> rquickjs::Result<i32> {
    let mode = mode.0.unwrap_or(0o666) as u32;
    blocking(|t| t.open(&path, OFlags(flags as u32), mode)).or_throw(&ctx, Call::path("open", &path))
}

fn op_close(ctx: Ctx<'_>, fd: i32) -> rquickjs::Result<()> {
    with_task(|t| t.close(fd)).or_throw(&ctx, Call::new("close"))
}

/// Read up to `len` bytes at `pos` (`-1`: the current offset).
fn op_read<'js>(ctx: Ctx<'js>, fd: i32, len: f64, pos: Opt<f64>) -> rquickjs::Result<TypedArray<'js, u8>> {
    let mut buf = vec![0u8; len.max(0.0) as usize];
    let pos = pos.0.unwrap_or(-1.0);
    let n = blocking(|t| if pos >= 0.0 { t.pread(fd, &mut buf, pos as u64) } else { t.read(fd, &mut buf) })
        .or_throw(&ctx, Call::new("read"))?;
    buf.truncate(n);
    TypedArray::new(ctx, buf)
}

/// Write bytes (or a string as UTF-8) at `pos` (`-1`: the current offset).
fn op_write(ctx: Ctx<'_>, fd: i32, data: Value<'_>, pos: Opt<f64>) -> rquickjs::Result<f64> {
    let pos = pos.0.unwrap_or(-1.0);
    let r = bytes_unsafe::with_bytes(&data, |b| {
        blocking(|t| if pos >= 0.0 { t.pwrite(fd, b, pos as u64) } else { t.write_all(fd, b).map(|_| b.len()) })
    });
    match r {
        Some(r) => r.map(|n| n as f64).or_throw(&ctx, Call::new("write")),
        None => Err(rquickjs::Exception::throw_type(&ctx, "data must be a string or a Uint8Array")),
    }
}

fn op_read_file<'js>(ctx: Ctx<'js>, path: String) -> rquickjs::Result<TypedArray<'js, u8>> {
    let data = read_all(&path).or_throw(&ctx, Call::path("open", &path))?;
    TypedArray::new(ctx, data)
}

fn read_all(path: &str) -> agentos_kernel::KResult<Vec<u8>> {
    blocking(|t| {
        let fd = t.open(path, OFlags::RDONLY | OFlags::CLOEXEC, 0)?;
        let st = t.fstat(fd);
        if let Ok(st) = &st
            && st.is_dir()
        {
            let _ = t.close(fd);
            return Err(agentos_kernel::abi::Errno::EISDIR);
        }
        let r = t.read_to_end(fd);
        let _ = t.close(fd);
        r
    })
}

/// Read a whole file as UTF-8 text (module sources).
fn op_read_file_utf8(ctx: Ctx<'_>, path: String) -> rquickjs::Result<String> {
    let data = read_all(&path).or_throw(&ctx, Call::path("open", &path))?;
    Ok(match String::from_utf8(data) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

fn op_write_file(ctx: Ctx<'_>, path: String, data: Value<'_>, flags: i32, mode: i32) -> rquickjs::Result<()> {
    let r = bytes_unsafe::with_bytes(&data, |b| {
        blocking(|t| {
            let fd = t.open(&path, OFlags(flags as u32) | OFlags::CLOEXEC, mode as u32)?;
            let r = t.write_all(fd, b);
            let _ = t.close(fd);
            r
        })
    });
    match r {
        Some(r) => r.or_throw(&ctx, Call::path("open", &path)),
        None => Err(rquickjs::Exception::throw_type(&ctx, "data must be a string or a Uint8Array")),
    }
}

fn op_stat(ctx: Ctx<'_>, path: String, follow: bool) -> rquickjs::Result<Vec<f64>> {
    let (name, r) =
        if follow { ("stat", with_task(|t| t.stat(&path))) } else { ("lstat", with_task(|t| t.lstat(&path))) };
    r.map(|s| stat_array(&s)).or_throw(&ctx, Call::path(name, &path))
}

fn op_fstat(ctx: Ctx<'_>, fd: i32) -> rquickjs::Result<Vec<f64>> {
    with_task(|t| t.fstat(fd)).map(|s| stat_array(&s)).or_throw(&ctx, Call::new("fstat"))
}

/// 0 missing, 1 file, 2 directory, other type numbers otherwise. Never
/// throws: module resolution probes many paths.
fn op_stat_type(path: String) -> i32 {
    with_task(|t| t.stat(&path)).map(|s| type_num(s.file_type())).unwrap_or(0)
}

fn op_readdir<'js>(ctx: Ctx<'js>, path: String) -> rquickjs::Result<Array<'js>> {
    let entries = with_task(|t| t.readdir(&path)).or_throw(&ctx, Call::path("scandir", &path))?;
    let arr = Array::new(ctx.clone())?;
    for (i, e) in entries.iter().enumerate() {
        let pair = Array::new(ctx.clone())?;
        pair.set(0, e.name.as_str())?;
        pair.set(1, type_num(e.kind))?;
        arr.set(i, pair)?;
    }
    Ok(arr)
}

fn op_mkdir(ctx: Ctx<'_>, path: String, mode: i32, recursive: bool) -> rquickjs::Result<()> {
    let r = with_task(|t| if recursive { t.mkdir_all(&path, mode as u32) } else { t.mkdir(&path, mode as u32) });
    r.or_throw(&ctx, Call::path("mkdir", &path))
}

fn op_path1(ctx: Ctx<'_>, which: String, path: String) -> rquickjs::Result<()> {
    let r = with_task(|t| match which.as_str() {
        "unlink" => t.unlink(&path),
        "rmdir" => t.rmdir(&path),
        "chdir" => t.chdir(&path),
        _ => t.access(&path, 0),
    });
    r.or_throw(&ctx, Call::path(&which, &path))
}

fn op_path2(ctx: Ctx<'_>, which: String, a: String, b: String) -> rquickjs::Result<()> {
    let r = with_task(|t| match which.as_str() {
        "rename" => t.rename(&a, &b),
        "link" => t.link(&a, &b),
        _ => t.symlink(&a, &b),
    });
    r.or_throw(&ctx, Call::two(&which, &a, &b))
}

fn op_readlink(ctx: Ctx<'_>, path: String) -> rquickjs::Result<String> {
    with_task(|t| t.readlink(&path)).or_throw(&ctx, Call::path("readlink", &path))
}

fn op_realpath(ctx: Ctx<'_>, path: String) -> rquickjs::Result<String> {
    with_task(|t| t.realpath(&path)).or_throw(&ctx, Call::path("realpath", &path))
}

fn op_access(ctx: Ctx<'_>, path: String, mode: i32) -> rquickjs::Result<()> {
    with_task(|t| t.access(&path, mode as u32)).or_throw(&ctx, Call::path("access", &path))
}

fn op_chmod(ctx: Ctx<'_>, path: String, mode: i32) -> rquickjs::Result<()> {
    with_task(|t| t.chmod(&path, mode as u32)).or_throw(&ctx, Call::path("chmod", &path))
}

fn op_fchmod(ctx: Ctx<'_>, fd: i32, mode: i32) -> rquickjs::Result<()> {
    with_task(|t| t.fchmod(fd, mode as u32)).or_throw(&ctx, Call::new("fchmod"))
}

fn op_truncate(ctx: Ctx<'_>, path: String, len: f64) -> rquickjs::Result<()> {
    with_task(|t| t.truncate(&path, len as u64)).or_throw(&ctx, Call::path("open", &path))
}

fn op_ftruncate(ctx: Ctx<'_>, fd: i32, len: f64) -> rquickjs::Result<()> {
    with_task(|t| t.ftruncate(fd, len as u64)).or_throw(&ctx, Call::new("ftruncate"))
}

fn op_fsync(ctx: Ctx<'_>, fd: i32) -> rquickjs::Result<()> {
    with_task(|t| t.fsync(fd)).or_throw(&ctx, Call::new("fsync"))
}

fn op_lseek(ctx: Ctx<'_>, fd: i32, off: f64, whence: i32) -> rquickjs::Result<f64> {
    let w = match whence {
        1 => Whence::Cur,
        2 => Whence::End,
        _ => Whence::Set,
    };
    with_task(|t| t.lseek(fd, off as i64, w)).map(|n| n as f64).or_throw(&ctx, Call::new("lseek"))
}

/// `utimes` with times in seconds (fractional).
fn op_utimes(ctx: Ctx<'_>, path: String, atime: f64, mtime: f64, follow: bool) -> rquickjs::Result<()> {
    let ts = |s: f64| TimeSet::At(Timespec::from_nanos((s * 1e9) as i128));
    with_task(|t| t.utimens(&path, ts(atime), ts(mtime), follow)).or_throw(&ctx, Call::path("utime", &path))
}

fn op_chown(ctx: Ctx<'_>, path: String, uid: i32, gid: i32, follow: bool) -> rquickjs::Result<()> {
    let id = |v: i32| (v >= 0).then_some(v as u32);
    with_task(|t| t.chown(&path, id(uid), id(gid), follow)).or_throw(&ctx, Call::path("chown", &path))
}

fn op_cwd() -> String {
    with_task(|t| t.getcwd())
}

pub fn install<'js>(ctx: &Ctx<'js>, o: &Object<'js>) -> rquickjs::Result<()> {
    def(ctx, o, "open", op_open)?;
    def(ctx, o, "close", op_close)?;
    def(ctx, o, "read", op_read)?;
    def(ctx, o, "write", op_write)?;
    def(ctx, o, "readFile", op_read_file)?;
    def(ctx, o, "readFileUtf8", op_read_file_utf8)?;
    def(ctx, o, "writeFile", op_write_file)?;
    def(ctx, o, "stat", op_stat)?;
    def(ctx, o, "fstat", op_fstat)?;
    def(ctx, o, "statType", op_stat_type)?;
    def(ctx, o, "readdir", op_readdir)?;
    def(ctx, o, "mkdir", op_mkdir)?;
    def(ctx, o, "path1", op_path1)?;
    def(ctx, o, "path2", op_path2)?;
    def(ctx, o, "readlink", op_readlink)?;
    def(ctx, o, "realpath", op_realpath)?;
    def(ctx, o, "access", op_access)?;
    def(ctx, o, "chmod", op_chmod)?;
    def(ctx, o, "fchmod", op_fchmod)?;
    def(ctx, o, "truncate", op_truncate)?;
    def(ctx, o, "ftruncate", op_ftruncate)?;
    def(ctx, o, "fsync", op_fsync)?;
    def(ctx, o, "lseek", op_lseek)?;
    def(ctx, o, "utimes", op_utimes)?;
    def(ctx, o, "chown", op_chown)?;
    def(ctx, o, "cwd", op_cwd)?;
    Ok(())
}
