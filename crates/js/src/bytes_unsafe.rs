//! Borrowing the bytes of JS typed arrays and array buffers.
//!
//! rquickjs only offers raw views of an `ArrayBuffer`'s storage, because JS
//! code may detach or resize it. Every view here lives inside a closure that
//! runs pure Rust (kernel calls, hashing), so no JS can run — and so nothing
//! can detach the buffer — while the slice is alive.

use rquickjs::{ArrayBuffer, TypedArray, Value};

/// Run `f` over the bytes of `v` (a `Uint8Array`/any typed array view,
/// `ArrayBuffer`, or string as UTF-8). `None` if `v` is none of those.
pub fn with_bytes<R>(v: &Value<'_>, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
    if let Some(s) = v.as_string() {
        let s = s.to_string().ok()?;
        return Some(f(s.as_bytes()));
    }
    let obj = v.as_object()?;
    if let Ok(ta) = TypedArray::<u8>::from_object(obj.clone()) {
        // SAFETY: the slice is used only inside `f`, which runs no JS, so
        // the buffer cannot be detached or resized while it is borrowed.
        let bytes = unsafe { ta.as_bytes() }?;
        return Some(f(bytes));
    }
    if let Some(ab) = ArrayBuffer::from_object(obj.clone()) {
        // SAFETY: as above: no JS runs while `f` holds the slice.
        let bytes = unsafe { ab.as_bytes() }?;
        return Some(f(bytes));
    }
    // Other typed-array views (Int32Array, DataView...): look at their
    // buffer through byteOffset/byteLength.
    let buf: Value = obj.get("buffer").ok()?;
    let off: usize = obj.get::<_, f64>("byteOffset").ok()? as usize;
    let len: usize = obj.get::<_, f64>("byteLength").ok()? as usize;
    let ab = ArrayBuffer::from_object(buf.as_object()?.clone())?;
    // SAFETY: as above: no JS runs while `f` holds the slice.
    let bytes = unsafe { ab.as_bytes() }?;
    Some(f(bytes.get(off..off + len)?))
}

/// Copy the bytes of `v` (see [`with_bytes`]).
pub fn to_vec(v: &Value<'_>) -> Option<Vec<u8>> {
    with_bytes(v, |b| b.to_vec())
}
