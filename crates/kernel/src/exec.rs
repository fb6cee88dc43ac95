//! Programs and how files become them: native Rust programs, `#!` scripts,
//! and handlers that runtimes register for their formats (WebAssembly,
//! JavaScript). The kernel knows none of those runtimes; it only matches a
//! file's first bytes against registered handlers.
//!
//! Analogue: Linux `fs/exec.c`, `binfmt_script`, `binfmt_misc`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::abi::{Errno, KResult, X_OK};
use crate::task::Task;
use crate::vfs::{PathCtx, Resolved};

/// Content of a native program's file: this magic, the program name, `\n`.
pub const NATIVE_MAGIC: &[u8] = b"\x7fAGENTOS-NATIVE\n";
/// Interpreter nesting Linux allows for `#!` (`BINPRM_MAX_RECURSION`).
const MAX_INTERP_DEPTH: usize = 4;
/// Longest `#!` line Linux reads.
const MAX_SHEBANG: usize = 256;

/// A loaded program, ready to run on a process's thread.
pub trait Program: Send {
    /// Run to completion and return the exit code.
    fn run(self: Box<Self>, task: &mut Task) -> i32;
    /// Which driver runs it, for process listings.
    fn driver(&self) -> &'static str {
        "native"
    }
}

/// The entry point of a native program. `argv` and the environment are on
/// the task.
pub type NativeMain = fn(&mut Task) -> i32;

/// Native programs by name.
#[derive(Default, Clone)]
pub struct NativeRegistry {
    map: HashMap<String, NativeMain>,
}

impl NativeRegistry {
    pub fn new() -> NativeRegistry {
        NativeRegistry::default()
    }
    pub fn register(&mut self, name: &str, main: NativeMain) {
        self.map.insert(name.to_string(), main);
    }
    pub fn get(&self, name: &str) -> Option<NativeMain> {
        self.map.get(name).copied()
    }
    /// Names, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<_> = self.map.keys().cloned().collect();
        v.sort();
        v
    }
    /// The file content that makes `name` executable as this program.
    pub fn file_content(name: &str) -> Vec<u8> {
        let mut v = NATIVE_MAGIC.to_vec();
        v.extend_from_slice(name.as_bytes());
        v.push(b'\n');
        v
    }
}

/// A handler for a binary format, registered by a runtime.
pub trait Binfmt: Send + Sync {
    /// Whether files starting with `header` (up to 256 bytes) are ours.
    fn matches(&self, header: &[u8]) -> bool;
    /// Load the executable at `exe` (already checked to be an executable
    /// regular file). `ENOEXEC` for a malformed file.
    fn load(&self, task: &Task, exe: &Resolved) -> KResult<Box<dyn Program>>;
}

struct Native(NativeMain);

impl Program for Native {
    fn run(self: Box<Self>, task: &mut Task) -> i32 {
        (self.0)(task)
    }
}

/// A closure run as a process (the kernel's answer to `fork` for native
/// code: the shell runs subshells and pipeline members this way).
pub struct FnProgram(pub Box<dyn FnOnce(&mut Task) -> i32 + Send>);

impl Program for FnProgram {
    fn run(self: Box<Self>, task: &mut Task) -> i32 {
        (self.0)(task)
    }
}

/// A program ready to replace a process image.
pub struct Image {
    pub program: Box<dyn Program>,
    pub argv: Vec<String>,
    /// Canonical path of the executable.
    pub path: String,
    /// The environment for `exec` (spawn passes its own).
    pub env: Vec<(String, String)>,
}

/// Parse `#!interp [arg]`.
fn parse_shebang(header: &[u8]) -> Option<(String, Option<String>)> {
    let line = header.strip_prefix(b"#!")?;
    let end = line.iter().position(|&b| b == b'\n').unwrap_or(line.len().min(MAX_SHEBANG));
    let line = std::str::from_utf8(&line[..end]).ok()?.trim_matches(|c| c == ' ' || c == '\t' || c == '\r');
    if line.is_empty() {
        return None;
    }
    let (interp, rest) = match line.find([' ', '\t']) {
        Some(i) => (&line[..i], line[i..].trim_matches(|c| c == ' ' || c == '\t')),
        None => (line, ""),
    };
    Some((interp.to_string(), (!rest.is_empty()).then(|| rest.to_string())))
}

impl Task {
    /// Resolve `path` to a runnable image the way `execve(2)` does: `ENOENT`
    /// if missing, `EACCES` for a directory, a non-regular file or one
    /// without execute permission, `ENOEXEC` for an unknown format,
    /// `ELOOP` for interpreters nested too deep.
    pub fn load_image(&self, path: &str, argv: Vec<String>) -> KResult<Image> {
        let mut path = path.to_string();
        let mut argv = argv;
        for _ in 0..=MAX_INTERP_DEPTH {
            let cwd = self.getcwd();
            let ctx = PathCtx { cred: self.cred(), cwd: &cwd, pid: self.pid(), tier: self.tier() };
            let exe = self.kernel().vfs.resolve(&ctx, &path, true)?;
            if !exe.stat.is_file() || !ctx.cred.may(&exe.stat, X_OK) {
                return Err(Errno::EACCES);
            }
            let mut header = vec![0u8; MAX_SHEBANG];
            let n = exe.vnode.mount.fs.read(exe.vnode.ino, 0, &mut header)?;
            header.truncate(n);
            if let Some(rest) = header.strip_prefix(NATIVE_MAGIC) {
                let name = rest.split(|&b| b == b'\n').next().unwrap_or_default();
                let name = std::str::from_utf8(name).map_err(|_| Errno::ENOEXEC)?;
                let main = self.kernel().natives.get(name).ok_or(Errno::ENOEXEC)?;
                return Ok(Image { program: Box::new(Native(main)), argv, path: exe.path, env: Vec::new() });
            }
            if header.starts_with(b"#!") {
                let (interp, arg) = parse_shebang(&header).ok_or(Errno::ENOEXEC)?;
                let mut new_argv = vec![interp.clone()];
                new_argv.extend(arg);
                new_argv.push(path.clone());
                new_argv.extend(argv.into_iter().skip(1));
                argv = new_argv;
                path = interp;
                continue;
            }
            for b in self.kernel().binfmts.iter() {
                if b.matches(&header) {
                    let program = b.load(self, &exe)?;
                    return Ok(Image { program, argv, path: exe.path, env: Vec::new() });
                }
            }
            return Err(Errno::ENOEXEC);
        }
        Err(Errno::ELOOP)
    }
}

/// Handlers registered with a kernel.
pub type Binfmts = Vec<Arc<dyn Binfmt>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebang_lines() {
        assert_eq!(parse_shebang(b"#!/bin/sh\necho"), Some(("/bin/sh".into(), None)));
        assert_eq!(parse_shebang(b"#! /usr/bin/env  node \n"), Some(("/usr/bin/env".into(), Some("node".into()))));
        assert_eq!(parse_shebang(b"#!/bin/awk -f -x\n"), Some(("/bin/awk".into(), Some("-f -x".into()))));
        assert_eq!(parse_shebang(b"#!\n"), None);
    }
}
