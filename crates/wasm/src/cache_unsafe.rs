//! The on-disk cache of compiled modules: `Module::serialize` output in a
//! directory, one file per (module content, engine) pair.
//!
//! This is the crate's only `unsafe`: wasmtime's `Module::deserialize_file`
//! trusts its input to be machine code that wasmtime itself produced. The
//! file name is the SHA-256 of the module's bytes plus a hash of the
//! engine's version and compilation settings, files are written to a
//! temporary name and renamed into place, and only this module writes the
//! directory, so a file found under a name is our own serialization of
//! that exact module for this exact engine. wasmtime additionally checks
//! the version and settings recorded in the artifact's header.
//!
//! Analogue: wasmtime's own `cache` feature (which we do not use: it pulls
//! in a configuration system and compression we do not need).

#![allow(unsafe_code)]
// The cache lives on the host's disk by design; the embedder chose the
// directory (`WasmConfig::cache_dir`).
#![allow(clippy::disallowed_methods)]

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use wasmtime::{Engine, Module};

fn file_for(dir: &Path, engine: &Engine, hash: &[u8; 32]) -> PathBuf {
    let mut h = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    engine.precompile_compatibility_hash().hash(&mut h);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    dir.join(format!("{hex}-{:016x}.cwasm", h.finish()))
}

/// The cached compilation of the module whose bytes hash to `hash`.
pub fn load(dir: &Path, engine: &Engine, hash: &[u8; 32]) -> Option<Module> {
    let path = file_for(dir, engine, hash);
    if !path.is_file() {
        return None;
    }
    // SAFETY: `path` is named after the module's content hash and this
    // engine's compatibility hash, and only `store` below creates such
    // names, atomically, from `Module::serialize` of a module that
    // wasmtime compiled from exactly those bytes with this engine. So the
    // file is wasmtime's own artifact for this engine; wasmtime verifies
    // its header (version, target, settings) before using it.
    let module = unsafe { Module::deserialize_file(engine, &path) };
    match module {
        Ok(m) => Some(m),
        Err(e) => {
            tracing::warn!("wasm cache: ignoring {}: {e:#}", path.display());
            let _ = std::fs::remove_file(&path);
            None
        }
    }
}

/// Save `module` (compiled from bytes hashing to `hash`). Failures only
/// cost a recompilation later, so they are logged and ignored.
pub fn store(dir: &Path, engine: &Engine, hash: &[u8; 32], module: &Module) {
    let path = file_for(dir, engine, hash);
    let result = (|| -> std::io::Result<()> {
        let bytes = module.serialize().map_err(std::io::Error::other)?;
        std::fs::create_dir_all(dir)?;
        // A name no other writer (thread or process) uses, so a reader
        // never sees a half-written or interleaved file under `path`.
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let seq = SEQ.fetch_add(1, Ordering::Relaxed);
        let tmp = path.with_extension(format!("tmp{}-{seq}", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)
    })();
    if let Err(e) = result {
        tracing::warn!("wasm cache: cannot write {}: {e}", path.display());
    }
}
