//! The one place where a kernel `Errno` becomes a Node-style error:
//! `Error: ENOENT: no such file or directory, open '/x'` with `code`,
//! `errno` (negative, as libuv reports it), `syscall`, `path` and `dest`.
//!
//! Analogue: Node's `uvException` (`lib/internal/errors.js`).

use agentos_kernel::abi::Errno;
use rquickjs::{Ctx, Object};

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
        Errno::EADDRINUSE => "address already in use",
        Errno::EADDRNOTAVAIL => "address not available",
        Errno::ECONNREFUSED => "connection refused",
        Errno::ECONNRESET => "connection reset by peer",
        Errno::ENOTCONN => "socket is not connected",
        Errno::EISCONN => "socket is already connected",
        Errno::ETIMEDOUT => "connection timed out",
        Errno::ENOTSOCK => "socket operation on non-socket",
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

/// A new `Error` with `msg`, built by the JS constructor so that its
/// `stack` (captured at construction) starts with `Error: msg`.
fn new_error<'js>(ctx: &Ctx<'js>, msg: &str) -> rquickjs::Result<Object<'js>> {
    let ctor: rquickjs::Function = ctx.globals().get("Error")?;
    ctor.call((msg,))
}

/// Build the error object (not thrown).
pub fn node_error<'js>(ctx: &Ctx<'js>, e: Errno, call: &Call<'_>) -> rquickjs::Result<Object<'js>> {
    let obj = new_error(ctx, &message(e, call))?;
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

/// Where a failing socket call was going, for Node's network errors.
#[derive(Clone, Copy, Debug)]
pub struct NetCall<'a> {
    pub syscall: &'a str,
    pub address: Option<&'a str>,
    pub port: u16,
    /// `listen`/`bind` errors carry libuv's text (`UVExceptionWithHostPort`:
    /// `listen EADDRINUSE: address already in use :::3000`); connect, read
    /// and write errors do not (`exceptionWithHostPort`:
    /// `connect ECONNREFUSED 127.0.0.1:3001`).
    pub with_text: bool,
}

/// The message of Node's network errors (see [`NetCall::with_text`]).
pub fn net_message(e: Errno, call: &NetCall<'_>) -> String {
    let mut m = format!("{} {}", call.syscall, e.name());
    if call.with_text {
        m.push_str(&format!(": {}", uv_text(e)));
    }
    match call.address {
        Some(a) if call.port > 0 => m.push_str(&format!(" {a}:{}", call.port)),
        Some(a) => m.push_str(&format!(" {a}")),
        None => {}
    }
    m
}

/// Throw Node's network error for `e`: message per [`net_message`], with
/// `errno`, `code`, `syscall`, `address` and `port`.
pub fn throw_net(ctx: &Ctx<'_>, e: Errno, call: &NetCall<'_>) -> rquickjs::Error {
    let build = || -> rquickjs::Result<Object<'_>> {
        let obj = new_error(ctx, &net_message(e, call))?;
        // Node's two constructors order the fields differently.
        if call.with_text {
            obj.set("code", e.name())?;
            obj.set("errno", -e.raw())?;
        } else {
            obj.set("errno", -e.raw())?;
            obj.set("code", e.name())?;
        }
        obj.set("syscall", call.syscall)?;
        if let Some(a) = call.address {
            obj.set("address", a)?;
        }
        if call.port > 0 {
            obj.set("port", call.port)?;
        }
        Ok(obj)
    };
    match build() {
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

    #[test]
    fn network_messages_read_like_node() {
        let listen = NetCall { syscall: "listen", address: Some("::"), port: 3000, with_text: true };
        assert_eq!(net_message(Errno::EADDRINUSE, &listen), "listen EADDRINUSE: address already in use :::3000");
        let connect = NetCall { syscall: "connect", address: Some("127.0.0.1"), port: 3001, with_text: false };
        assert_eq!(net_message(Errno::ECONNREFUSED, &connect), "connect ECONNREFUSED 127.0.0.1:3001");
        let write = NetCall { syscall: "write", address: None, port: 0, with_text: false };
        assert_eq!(net_message(Errno::EPIPE, &write), "write EPIPE");
    }
}
