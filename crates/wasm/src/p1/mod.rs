//! `wasi_snapshot_preview1` over the agentOS kernel, written for this
//! crate because wasmtime-wasi reaches only real host files.
//!
//! Every function is registered twice, as `wasi_snapshot_preview1` and as
//! the older `wasi_unstable` (whose numbering of the imports we use is the
//! same). Descriptors are the kernel's, 1:1: WASI fd 5 is kernel fd 5, so
//! pipes and redirections set up by the shell are what the guest sees.
//! Families: [`env`] (arguments, environment, clocks, randomness, exit),
//! [`fd`] (descriptor I/O), [`dir`] (directory listing and preopens),
//! [`path`] (path operations relative to a directory descriptor), [`poll`]
//! (`poll_oneoff` and the socket calls). Errnos are translated in
//! [`errno`] only.
//!
//! Paths: WASI hands every path relative to a directory descriptor; we
//! join it to the path that descriptor was opened by (`Task::fd_path`) and
//! let the kernel walk it, with the process's credentials. Absolute paths
//! are refused with `EPERM`, as WASI forbids them; `..` is resolved by the
//! kernel like `openat(2)` would, which cannot escape anything because the
//! only preopen is the VM's `/`.

pub mod dir;
pub mod env;
pub mod errno;
pub mod fd;
pub mod path;
pub mod poll;

use wasmtime::Linker;

use crate::ctx::Ctx;

/// The import module names this family answers to.
pub const MODULES: [&str; 2] = ["wasi_snapshot_preview1", "wasi_unstable"];

/// WASI `filetype` values.
pub mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// The WASI file type of a kernel file type.
pub fn wasi_filetype(t: agentos_kernel::abi::FileType) -> u8 {
    use agentos_kernel::abi::FileType as F;
    match t {
        F::Regular => filetype::REGULAR_FILE,
        F::Directory => filetype::DIRECTORY,
        F::Symlink => filetype::SYMBOLIC_LINK,
        F::CharDevice => filetype::CHARACTER_DEVICE,
        F::BlockDevice => filetype::BLOCK_DEVICE,
        F::Socket => filetype::SOCKET_STREAM,
        // WASI has no FIFO type; wasmtime-wasi reports pipes as unknown too.
        F::Fifo => filetype::UNKNOWN,
    }
}

/// Register every preview1 function under both module names.
pub fn add_to_linker(l: &mut Linker<Ctx>) -> wasmtime::Result<()> {
    for m in MODULES {
        env::add(l, m)?;
        fd::add(l, m)?;
        dir::add(l, m)?;
        path::add(l, m)?;
        poll::add(l, m)?;
    }
    Ok(())
}
