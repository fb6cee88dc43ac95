//! Process-wide bytecode caches, keyed by a SHA-256 of the file name and
//! source text, shared by every guest process of every VM in this host
//! process: the second start of a program skips parsing and compiling.
//!
//! Scripts (CommonJS wrappers, built-in modules) are compiled with
//! QuickJS's `COMPILE_ONLY` flag and serialized with `JS_WriteObject`;
//! ES modules use rquickjs's `Module::write`/`Module::load`. This is the
//! crate's only raw QuickJS use: the bytes fed back to QuickJS are always
//! bytes QuickJS itself produced in this process, never guest input.

use std::collections::HashMap;
use std::ffi::CString;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;
use rquickjs::module::{Declared, WriteOptions};
use rquickjs::{Ctx, Module, Value, qjs};
use sha2::{Digest, Sha256};

type Key = [u8; 32];

/// Most bytes of bytecode kept; beyond it new entries are not cached.
const MAX_BYTES: usize = 512 << 20;

#[derive(Default)]
struct Cache {
    map: HashMap<Key, Arc<Vec<u8>>>,
    bytes: usize,
}

fn cache() -> &'static Mutex<Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn key(kind: u8, name: &str, src: &str) -> Key {
    let mut h = Sha256::new();
    h.update([kind]);
    h.update(name.as_bytes());
    h.update([0]);
    h.update(src.as_bytes());
    h.finalize().into()
}

fn get(k: &Key) -> Option<Arc<Vec<u8>>> {
    cache().lock().map.get(k).cloned()
}

fn put(k: Key, bytes: Vec<u8>) {
    let mut c = cache().lock();
    if c.bytes + bytes.len() <= MAX_BYTES && !c.map.contains_key(&k) {
        c.bytes += bytes.len();
        c.map.insert(k, Arc::new(bytes));
    }
}

/// Number of cached entries and their bytes (for tests and benchmarks).
pub fn stats() -> (usize, usize) {
    let c = cache().lock();
    (c.map.len(), c.bytes)
}

/// Evaluate `src` as a sloppy-mode global script named `filename` and
/// return its completion value, through the bytecode cache.
pub fn eval_script<'js>(ctx: &Ctx<'js>, src: &str, filename: &str) -> rquickjs::Result<Value<'js>> {
    let (Ok(csrc), Ok(cname)) = (CString::new(src), CString::new(filename)) else {
        let mut o = rquickjs::context::EvalOptions::default();
        o.strict = false;
        o.filename = Some(filename.to_string());
        return ctx.eval_with_options(src, o);
    };
    let k = key(b's', filename, src);
    let raw = ctx.as_raw().as_ptr();
    let func = if let Some(bc) = get(&k) {
        // SAFETY: `bc` was produced by `JS_WriteObject` on a function
        // compiled by this same QuickJS build (see below); `raw` is the live
        // context of `ctx`.
        unsafe { qjs::JS_ReadObject(raw, bc.as_ptr(), bc.len() as _, qjs::JS_READ_OBJ_BYTECODE as i32) }
    } else {
        let flags = (qjs::JS_EVAL_TYPE_GLOBAL | qjs::JS_EVAL_FLAG_COMPILE_ONLY) as i32;
        // SAFETY: `csrc` is NUL-terminated at `len` as JS_Eval requires, and
        // both C strings outlive the call.
        let func = unsafe { qjs::JS_Eval(raw, csrc.as_ptr(), src.len() as _, cname.as_ptr(), flags) };
        if !is_exception(func) {
            let mut len: qjs::size_t = 0;
            // SAFETY: `func` is a valid function object just compiled; the
            // returned buffer holds `len` bytes and is freed right after the
            // copy with the context's allocator.
            unsafe {
                let buf = qjs::JS_WriteObject(raw, &mut len, func, qjs::JS_WRITE_OBJ_BYTECODE as i32);
                if !buf.is_null() {
                    put(k, std::slice::from_raw_parts(buf, len as usize).to_vec());
                    qjs::js_free(raw, buf as _);
                }
            }
        }
        func
    };
    if is_exception(func) {
        return Err(rquickjs::Error::Exception);
    }
    // SAFETY: `func` is an owned function-bytecode value; JS_EvalFunction
    // takes ownership of it and returns an owned value (or an exception),
    // which `Value::from_raw` adopts.
    let v = unsafe { qjs::JS_EvalFunction(raw, func) };
    if is_exception(v) {
        return Err(rquickjs::Error::Exception);
    }
    // SAFETY: `v` is an owned, non-exception value of this context.
    Ok(unsafe { Value::from_raw(ctx.clone(), v) })
}

fn is_exception(v: qjs::JSValue) -> bool {
    // SAFETY: reading the tag of a value is always valid.
    unsafe { qjs::JS_VALUE_GET_TAG(v) == qjs::JS_TAG_EXCEPTION }
}

/// Declare (compile) the ES module `name`, through the bytecode cache.
pub fn declare_module<'js>(ctx: &Ctx<'js>, name: &str, src: &str) -> rquickjs::Result<Module<'js, Declared>> {
    let k = key(b'm', name, src);
    if let Some(bc) = get(&k) {
        // SAFETY: `bc` came from `Module::write` of a module compiled by
        // this QuickJS build in this process.
        return unsafe { Module::load(ctx.clone(), &bc) };
    }
    let m = Module::declare(ctx.clone(), name, src)?;
    if let Ok(bytes) = m.write(WriteOptions::default()) {
        put(k, bytes);
    }
    Ok(m)
}
