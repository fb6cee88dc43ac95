//! The agentOS host ABI: the import modules that the agentOS registry's
//! libc adds to WASI, so that its published command binaries run here
//! unchanged. `host_process` ([`process`]), `host_user` ([`user`]),
//! `host_fs` ([`fs`]), `host_net` ([`net`]). Exact signatures, read from
//! the import sections of the published binaries, are in `src/abi.md`.
//!
//! `host_tty` is not defined yet: like every other import this crate does
//! not know, its functions are answered by stubs that return WASI `ENOSYS`
//! (see `engine::stub_unknown_imports`), so a binary that links them still
//! starts and fails only when it uses them.

pub mod fs;
pub mod net;
pub mod process;
pub mod user;

use wasmtime::Linker;

use crate::ctx::Ctx;

pub fn add_to_linker(l: &mut Linker<Ctx>) -> wasmtime::Result<()> {
    process::add(l)?;
    user::add(l)?;
    fs::add(l)?;
    net::add(l)?;
    Ok(())
}
