//! The process-wide WebAssembly engine: one wasmtime `Engine` (pooling
//! allocator, epoch interruption with a 10 ms ticker thread), one `Linker`
//! with every import this crate provides, and the compiled-module caches
//! shared by all VMs of the process.
//!
//! Caches, fastest first: by file identity (filesystem, inode, mtime,
//! ctime, size) so a warm spawn neither reads nor hashes the file; by the
//! SHA-256 of the bytes, so the same binary in two VMs compiles once; and
//! on disk ([`crate::cache_unsafe`]) when a cache directory is configured.
//!
//! Lock order: `by_file` and `by_hash` are never held together, and never
//! across a compilation.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

use agentos_kernel::fs::FileSystem;
use agentos_kernel::vfs::Resolved;
use agentos_kernel::{Errno, KResult};
use parking_lot::Mutex;
use sha2::{Digest, Sha256};
use wasmtime::{Config, Engine, ExternType, InstancePre, Linker, Module, Val, ValType};

use crate::WasmConfig;
use crate::ctx::Ctx;

/// How often the epoch advances: the granularity of signal checks and CPU
/// accounting for running guests.
pub const TICK: Duration = Duration::from_millis(10);

/// A module ready to instantiate.
pub struct Loaded {
    pub pre: InstancePre<Ctx>,
}

struct FileEntry {
    fs: Weak<dyn FileSystem>,
    stamp: (i128, i128, u64),
    loaded: Arc<Loaded>,
}

/// The engine and caches, created on first use.
pub struct Runtime {
    pub engine: Engine,
    pub config: WasmConfig,
    linker: Linker<Ctx>,
    by_hash: Mutex<HashMap<[u8; 32], Arc<Loaded>>>,
    by_file: Mutex<HashMap<(usize, u64), FileEntry>>,
}

static CONFIG: OnceLock<WasmConfig> = OnceLock::new();
static RUNTIME: OnceLock<Option<Runtime>> = OnceLock::new();

/// Set the process-wide configuration. Only the first call before the
/// engine starts counts; returns whether this one did.
pub fn configure(config: WasmConfig) -> bool {
    CONFIG.set(config).is_ok()
}

fn engine_config(pooling: bool) -> Config {
    let mut c = Config::new();
    c.epoch_interruption(true);
    if pooling {
        let mut p = wasmtime::PoolingAllocationConfig::default();
        p.total_core_instances(1000).total_memories(1000).total_tables(1000).table_elements(100_000);
        c.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(p));
    }
    c
}

/// The runtime, or `None` if no engine could be built on this host.
pub fn runtime() -> Option<&'static Runtime> {
    RUNTIME.get_or_init(|| Runtime::new(CONFIG.get_or_init(WasmConfig::default).clone())).as_ref()
}

impl Runtime {
    fn new(config: WasmConfig) -> Option<Runtime> {
        // The pooling allocator reserves address space up front; fall back
        // to on-demand allocation where the host refuses that.
        let engine = Engine::new(&engine_config(true)).or_else(|_| Engine::new(&engine_config(false))).ok()?;
        let mut linker = Linker::new(&engine);
        crate::p1::add_to_linker(&mut linker).ok()?;
        crate::host::add_to_linker(&mut linker).ok()?;
        let ticker = engine.weak();
        std::thread::Builder::new()
            .name("wasm-epoch".into())
            .spawn(move || {
                while let Some(e) = ticker.upgrade() {
                    e.increment_epoch();
                    drop(e);
                    std::thread::sleep(TICK);
                }
            })
            .ok()?;
        Some(Runtime { engine, config, linker, by_hash: Mutex::default(), by_file: Mutex::default() })
    }

    /// The module at `exe`, compiled and linked, from the fastest cache
    /// that has it. `ENOEXEC` if it is not a valid module or its imports
    /// cannot be satisfied.
    pub fn load(&self, exe: &Resolved) -> KResult<Arc<Loaded>> {
        let fs = &exe.vnode.mount.fs;
        let key = (Arc::as_ptr(fs) as *const () as usize, exe.vnode.ino);
        let st = &exe.stat;
        let stamp = (st.mtime.as_nanos(), st.ctime.as_nanos(), st.size);
        if let Some(e) = self.by_file.lock().get(&key) {
            // The weak reference pins the address, so equal pointers mean
            // the same filesystem.
            if e.stamp == stamp && std::ptr::addr_eq(e.fs.as_ptr(), Arc::as_ptr(fs)) {
                return Ok(e.loaded.clone());
            }
        }
        let bytes = read_all(exe)?;
        let loaded = self.load_bytes(&bytes)?;
        let entry = FileEntry { fs: Arc::downgrade(fs), stamp, loaded: loaded.clone() };
        self.by_file.lock().insert(key, entry);
        Ok(loaded)
    }

    /// Compile (or find) the module with these bytes.
    pub fn load_bytes(&self, bytes: &[u8]) -> KResult<Arc<Loaded>> {
        let hash: [u8; 32] = Sha256::digest(bytes).into();
        if let Some(l) = self.by_hash.lock().get(&hash) {
            return Ok(l.clone());
        }
        let dir = self.config.cache_dir.as_deref();
        let module = match dir.and_then(|d| crate::cache_unsafe::load(d, &self.engine, &hash)) {
            Some(m) => m,
            None => {
                let m = Module::new(&self.engine, bytes).map_err(|e| {
                    tracing::warn!("wasm: cannot compile module: {e:#}");
                    Errno::ENOEXEC
                })?;
                if let Some(d) = dir {
                    crate::cache_unsafe::store(d, &self.engine, &hash, &m);
                }
                m
            }
        };
        let pre = self.link(&module).map_err(|e| {
            tracing::warn!("wasm: cannot link module: {e:#}");
            Errno::ENOEXEC
        })?;
        let loaded = Arc::new(Loaded { pre });
        self.by_hash.lock().insert(hash, loaded.clone());
        Ok(loaded)
    }

    fn link(&self, module: &Module) -> wasmtime::Result<InstancePre<Ctx>> {
        let mut linker = self.linker.clone();
        stub_unknown_imports(&mut linker, module);
        linker.instantiate_pre(module)
    }
}

/// Give every function import we do not provide a stub: `ENOSYS` (WASI
/// 52) for functions returning one `i32`, `-1` for one `i64`, nothing for
/// none, and a trap for any other shape.
fn stub_unknown_imports(linker: &mut Linker<Ctx>, module: &Module) {
    for imp in module.imports() {
        let ExternType::Func(ty) = imp.ty() else { continue };
        let results: Vec<ValType> = ty.results().collect();
        let (m, n) = (imp.module().to_string(), imp.name().to_string());
        let what = format!("{m}::{n}");
        // Defining a name the linker has fails (no shadowing): ours stays.
        let _ =
            linker.func_new(&m, &n, ty.clone(), move |_c, _args, out| match (results.as_slice(), out.first_mut()) {
                ([], _) => Ok(()),
                ([ValType::I32], Some(v)) => {
                    *v = Val::I32(52);
                    Ok(())
                }
                ([ValType::I64], Some(v)) => {
                    *v = Val::I64(-1);
                    Ok(())
                }
                _ => Err(wasmtime::Error::msg(format!("unsupported import {what}"))),
            });
    }
}

/// The whole content of the executable.
fn read_all(exe: &Resolved) -> KResult<Vec<u8>> {
    let size = usize::try_from(exe.stat.size).map_err(|_| Errno::EFBIG)?;
    let mut buf = vec![0u8; size];
    let mut off = 0;
    while off < size {
        let n = exe.vnode.mount.fs.read(exe.vnode.ino, off as u64, &mut buf[off..])?;
        if n == 0 {
            break;
        }
        off += n;
    }
    buf.truncate(off);
    Ok(buf)
}
