//! Compiling the C guests in `tests/guests/` with `clang-16 --target=
//! wasm32-wasi`, cached in the build directory by a hash of the source and
//! the flags, so reruns do not invoke clang at all.

use std::path::PathBuf;
use std::process::Command;

use sha2::{Digest, Sha256};

const CLANG: &str = "clang-16";
const FLAGS: &[&str] = &["--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wall", "-Werror", "-Wl,--strip-all"];

fn source_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/guests")
}

/// The compiled module for `tests/guests/<name>.c`.
pub fn wasm(name: &str) -> Vec<u8> {
    let src = source_dir().join(format!("{name}.c"));
    let code = std::fs::read(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let mut h = Sha256::new();
    h.update(&code);
    for f in FLAGS {
        h.update(f.as_bytes());
    }
    let key: String = h.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wasm-guests");
    let out = dir.join(format!("{name}-{key}.wasm"));
    if let Ok(bytes) = std::fs::read(&out) {
        return bytes;
    }
    std::fs::create_dir_all(&dir).unwrap();
    // Unique per call: tests of one process may compile the same guest at once.
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!("{name}-{key}.{}.{seq}.tmp", std::process::id()));
    let status = Command::new(CLANG)
        .args(FLAGS)
        .arg(&src)
        .arg("-o")
        .arg(&tmp)
        .status()
        .unwrap_or_else(|e| panic!("{CLANG} not runnable ({e}); test.sh installs clang-16 lld-16 wasi-libc"));
    assert!(status.success(), "{CLANG} failed on {}", src.display());
    std::fs::rename(&tmp, &out).unwrap();
    std::fs::read(&out).unwrap()
}
