//! The one place where a kernel `Errno` becomes a Node-style error:
//! `Error: ENOENT: no such file or directory, open '/x'` with `code`,
//! `errno` (negative, as libuv reports it), `syscall`, `path` and `dest`.
//!
//! Analogue: Node's `uvException` (`lib/internal/errors.js`).

use agentos_kernel::abi::Errno;
use rquickjs::{Ctx, Exception, Object};

/// What the failing call was, for the message.
#[derive(Clone, Copy, Debug)]
pub struct Call<'a> {
    pub syscall: &'a str,
    pub path: Option<&'a str>,
    pub dest: Option<&'a str>,
}

impl<'a> Call<'a> {
    pub fn new(syscall: &'a str) -> Self {
        Call { syscall, path: None, dest: None }
    }
    pub fn path(syscall: &'a str, path: &'a str) -> Self {
        Call { syscall, path: Some(path), dest: None }
    }
    pub fn two(syscall: &'a str, path: &'a str, dest: &'a str) -> Self {
        Call { syscall, path: Some(path), dest: Some(dest) }
    }
}

/// Node's text for an errno (libuv's `uv_strerror`), where it differs from
/// Linux's `strerror`.
fn uv_text(e: Errno) -> &'static str {
    match e {
        Errno::ENOENT => "no such file or directory",
        Errno::EEXIST => "file already exists",
        Errno::ENOTDIR => "not a directory",
        Errno::EISDIR => "illegal operation on a directory",
        Errno::ENOTEMPTY => "directory not empty",
        Errno::EACCES => "permission denied",
        Errno::EPERM => "operation not permitted",
        Errno::EBADF => "bad file descriptor",
        Errno::EINVAL => "invalid argument",
        Errno::ELOOP => "too many symbolic links encountered",
        Errno::EMFILE => "too many open files",
        Errno::ENOSPC => "no space left on device",
        Errno::EROFS => "read-only file system",
        Errno::EXDEV => "cross-device link not permitted",
        Errno::EPIPE => "broken pipe",
        Errno::EAGAIN => "resource temporarily unavailable",
        Errno::ESRCH => "no such process",
        Errno::ENAMETOOLONG => "name too long",
        Errno::ECHILD => "no child processes",
        Errno::EINTR => "interrupted system call",
        _ => e.strerror(),
    }
}

/// The message Node gives: `CODE: text, syscall 'path' -> 'dest'`.
pub fn message(e: Errno, call: &Call<'_>) -> String {
    let mut m = format!("{}: {}, {}", e.name(), uv_text(e), call.syscall);
    if let Some(p) = call.path {
        m.push_str(&format!(" '{p}'"));
    }
    if let Some(d) = call.dest {
        m.push_str(&format!(" -> '{d}'"));
    }
    m
}

/// Build the error object (not thrown).
pub fn node_error<'js>(ctx: &Ctx<'js>, e: Errno, call: &Call<'_>) -> rquickjs::Result<Object<'js>> {
    let exc = Exception::from_message(ctx.clone(), &message(e, call))?;
    let obj = exc.into_object();
    obj.set("errno", -e.raw())?;
    obj.set("code", e.name())?;
    obj.set("syscall", call.syscall)?;
    if let Some(p) = call.path {
        obj.set("path", p)?;
    }
    if let Some(d) = call.dest {
        obj.set("dest", d)?;
    }
    Ok(obj)
}

/// Throw the Node error for `e`.
pub fn throw(ctx: &Ctx<'_>, e: Errno, call: &Call<'_>) -> rquickjs::Error {
    match node_error(ctx, e, call) {
        Ok(obj) => ctx.throw(obj.into_value()),
        Err(err) => err,
    }
}

/// Extension to turn kernel results into thrown Node errors.
pub trait OrThrow<T> {
    fn or_throw(self, ctx: &Ctx<'_>, call: Call<'_>) -> rquickjs::Result<T>;
}

impl<T> OrThrow<T> for Result<T, Errno> {
    fn or_throw(self, ctx: &Ctx<'_>, call: Call<'_>) -> rquickjs::Result<T> {
        self.map_err(|e| throw(ctx, e, &call))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_like_node() {
        assert_eq!(message(Errno::ENOENT, &Call::path("open", "/x")), "ENOENT: no such file or directory, open '/x'");
        assert_eq!(
            message(Errno::EEXIST, &Call::two("rename", "/a", "/b")),
            "EEXIST: file already exists, rename '/a' -> '/b'"
        );
        assert_eq!(message(Errno::EBADF, &Call::new("close")), "EBADF: bad file descriptor, close");
    }
}
