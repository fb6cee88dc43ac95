//! Ops without a file or process behind them: clocks, randomness,
//! hashing (`crypto.createHash`/`createHmac`), compression (`zlib`), text
//! decoding, base64, script evaluation through the bytecode cache, and
//! promise introspection for `util.inspect`.

use std::io::{Read, Write};

use md5::Md5;
use rquickjs::function::Opt;
use rquickjs::promise::PromiseState;
use rquickjs::{Array, Ctx, Exception, Object, Promise, TypedArray, Value};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::{STATE, def, with_task};
use crate::bytes_unsafe::{to_vec, with_bytes};

fn bytes_arg(ctx: &Ctx<'_>, v: &Value<'_>) -> rquickjs::Result<Vec<u8>> {
    to_vec(v).ok_or_else(|| Exception::throw_type(ctx, "expected a string, Buffer, TypedArray or ArrayBuffer"))
}

/// Wall clock in ms since the epoch.
fn op_now() -> f64 {
    with_task(|t| t.now().as_millis_f64())
}

/// Monotonic clock in ns (as a double: exact for 104 days of uptime).
fn op_hrtime() -> f64 {
    with_task(|t| t.monotonic().as_nanos() as f64)
}

/// CPU time used so far in µs (time not blocked in the kernel).
fn op_cpu_usage() -> f64 {
    STATE.with(|s| s.cpu_used().as_micros() as f64)
}

fn op_random<'js>(ctx: Ctx<'js>, n: f64) -> rquickjs::Result<TypedArray<'js, u8>> {
    let mut buf = vec![0u8; n.max(0.0) as usize];
    with_task(|t| t.random(&mut buf));
    TypedArray::new(ctx, buf)
}

fn digest(alg: &str, data: &[u8]) -> Option<Vec<u8>> {
    Some(match alg {
        "md5" => Md5::digest(data).to_vec(),
        "sha1" => Sha1::digest(data).to_vec(),
        "sha224" => Sha224::digest(data).to_vec(),
        "sha256" => Sha256::digest(data).to_vec(),
        "sha384" => Sha384::digest(data).to_vec(),
        "sha512" => Sha512::digest(data).to_vec(),
        _ => return None,
    })
}

fn block_size(alg: &str) -> usize {
    if matches!(alg, "sha384" | "sha512") { 128 } else { 64 }
}

fn norm_alg(alg: &str) -> String {
    alg.to_ascii_lowercase().replace('-', "")
}

fn op_hash<'js>(ctx: Ctx<'js>, alg: String, data: Value<'js>) -> rquickjs::Result<TypedArray<'js, u8>> {
    let alg = norm_alg(&alg);
    let out = with_bytes(&data, |b| digest(&alg, b));
    match out {
        Some(Some(d)) => TypedArray::new(ctx, d),
        Some(None) => Err(Exception::throw_message(&ctx, "Digest method not supported")),
        None => Err(Exception::throw_type(&ctx, "data must be a string or a Buffer")),
    }
}

/// HMAC (RFC 2104) over any of the digests above.
fn op_hmac<'js>(
    ctx: Ctx<'js>,
    alg: String,
    key: Value<'js>,
    data: Value<'js>,
) -> rquickjs::Result<TypedArray<'js, u8>> {
    let alg = norm_alg(&alg);
    let mut key = bytes_arg(&ctx, &key)?;
    let data = bytes_arg(&ctx, &data)?;
    let bs = block_size(&alg);
    if key.len() > bs {
        key = digest(&alg, &key).ok_or_else(|| Exception::throw_message(&ctx, "Invalid digest"))?;
    }
    key.resize(bs, 0);
    let mut inner: Vec<u8> = key.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(&data);
    let ih = digest(&alg, &inner).ok_or_else(|| Exception::throw_message(&ctx, "Invalid digest"))?;
    let mut outer: Vec<u8> = key.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&ih);
    let d = digest(&alg, &outer).ok_or_else(|| Exception::throw_message(&ctx, "Invalid digest"))?;
    TypedArray::new(ctx, d)
}

/// One-shot compression: `kind` is `gzip`, `deflate` (zlib) or `raw`.
fn op_deflate<'js>(
    ctx: Ctx<'js>,
    data: Value<'js>,
    kind: String,
    level: Opt<Value<'js>>,
) -> rquickjs::Result<TypedArray<'js, u8>> {
    use flate2::Compression;
    let data = bytes_arg(&ctx, &data)?;
    let level = level.0.and_then(|v| v.as_number()).map(|n| n as i32);
    let lvl = match level {
        Some(l) if (0..=9).contains(&l) => Compression::new(l as u32),
        _ => Compression::default(),
    };
    let r = match kind.as_str() {
        "gzip" => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), lvl);
            e.write_all(&data).and_then(|_| e.finish())
        }
        "raw" => {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), lvl);
            e.write_all(&data).and_then(|_| e.finish())
        }
        _ => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), lvl);
            e.write_all(&data).and_then(|_| e.finish())
        }
    };
    match r {
        Ok(v) => TypedArray::new(ctx, v),
        Err(e) => Err(Exception::throw_message(&ctx, &e.to_string())),
    }
}

/// One-shot decompression; `unzip` detects gzip or zlib. Errors read like
/// zlib's (`incorrect header check`).
fn op_inflate<'js>(ctx: Ctx<'js>, data: Value<'js>, kind: String) -> rquickjs::Result<TypedArray<'js, u8>> {
    let data = bytes_arg(&ctx, &data)?;
    let kind =
        if kind == "unzip" { if data.starts_with(&[0x1f, 0x8b]) { "gzip" } else { "deflate" } } else { kind.as_str() };
    let mut out = Vec::new();
    let r = match kind {
        "gzip" => flate2::read::MultiGzDecoder::new(&data[..]).read_to_end(&mut out),
        "raw" => flate2::read::DeflateDecoder::new(&data[..]).read_to_end(&mut out),
        _ => flate2::read::ZlibDecoder::new(&data[..]).read_to_end(&mut out),
    };
    match r {
        Ok(_) => TypedArray::new(ctx, out),
        Err(_) => {
            let msg = if kind == "gzip" && !data.starts_with(&[0x1f, 0x8b]) {
                "incorrect header check"
            } else if data.is_empty() {
                "unexpected end of file"
            } else {
                "invalid stored block lengths"
            };
            let e = Exception::from_message(ctx.clone(), msg)?;
            e.as_object().set("code", "Z_DATA_ERROR")?;
            e.as_object().set("errno", -3)?;
            Err(ctx.throw(e.into_value()))
        }
    }
}

/// CRC-32 (IEEE), continuing from `init`.
fn op_crc32(ctx: Ctx<'_>, data: Value<'_>, init: Opt<f64>) -> rquickjs::Result<f64> {
    let data = bytes_arg(&ctx, &data)?;
    let mut c: u32 = !(init.0.unwrap_or(0.0) as u32);
    for &b in &data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
        }
    }
    Ok(!c as f64)
}

/// UTF-8 decode (invalid sequences become U+FFFD), or `null` with `fatal`.
fn op_utf8_decode<'js>(ctx: Ctx<'js>, data: Value<'js>, fatal: Opt<bool>) -> rquickjs::Result<Value<'js>> {
    let r = with_bytes(&data, |b| match std::str::from_utf8(b) {
        Ok(s) => Some(s.to_string()),
        Err(_) if fatal.0 == Some(true) => None,
        Err(_) => Some(String::from_utf8_lossy(b).into_owned()),
    });
    match r {
        Some(Some(s)) => Ok(rquickjs::String::from_str(ctx, &s)?.into_value()),
        Some(None) => Ok(Value::new_null(ctx)),
        None => Err(Exception::throw_type(&ctx, "expected a Buffer")),
    }
}

fn op_utf8_encode<'js>(ctx: Ctx<'js>, s: String) -> rquickjs::Result<TypedArray<'js, u8>> {
    TypedArray::new(ctx, s.into_bytes())
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn op_b64_encode(ctx: Ctx<'_>, data: Value<'_>, url: Opt<bool>) -> rquickjs::Result<String> {
    let data = bytes_arg(&ctx, &data)?;
    let url = url.0 == Some(true);
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n =
            (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..=chunk.len() {
            let c = B64[((n >> (18 - 6 * i)) & 63) as usize];
            out.push(match (url, c) {
                (true, b'+') => '-',
                (true, b'/') => '_',
                _ => c as char,
            });
        }
        if !url {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    Ok(out)
}

/// Lenient base64/base64url decode, as Node's `Buffer.from(s, 'base64')`:
/// skips characters outside the alphabet, stops at `=`.
fn op_b64_decode<'js>(ctx: Ctx<'js>, s: String) -> rquickjs::Result<TypedArray<'js, u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    TypedArray::new(ctx, out)
}

/// Evaluate a sloppy script with a file name (CommonJS wrappers, built-in
/// sources), through the process-wide bytecode cache.
fn op_eval_script<'js>(ctx: Ctx<'js>, src: String, filename: String) -> rquickjs::Result<Value<'js>> {
    crate::cache_unsafe::eval_script(&ctx, &src, &filename)
}

/// Source of a built-in JS module, or `null`.
fn op_builtin_source<'js>(ctx: Ctx<'js>, name: String) -> rquickjs::Result<Value<'js>> {
    match crate::builtins::source(&name) {
        Some(s) => Ok(rquickjs::String::from_str(ctx, s)?.into_value()),
        None => Ok(Value::new_null(ctx)),
    }
}

/// `[state, value]`: 0 pending, 1 fulfilled, 2 rejected.
fn op_promise_state<'js>(ctx: Ctx<'js>, p: Promise<'js>) -> rquickjs::Result<Array<'js>> {
    let arr = Array::new(ctx.clone())?;
    match p.state() {
        PromiseState::Pending => arr.set(0, 0)?,
        PromiseState::Resolved => {
            arr.set(0, 1)?;
            if let Some(Ok(v)) = p.result::<Value>() {
                arr.set(1, v)?;
            }
        }
        PromiseState::Rejected => {
            arr.set(0, 2)?;
            if let Some(Err(rquickjs::Error::Exception)) = p.result::<Value>() {
                arr.set(1, ctx.catch())?;
            }
        }
    }
    Ok(arr)
}

/// Run pending promise jobs until `p` settles (synchronous `require` of an
/// ES module); returns the final state like `promiseState`.
fn op_run_until_settled<'js>(ctx: Ctx<'js>, p: Promise<'js>) -> rquickjs::Result<Array<'js>> {
    while p.state() == PromiseState::Pending {
        if !ctx.execute_pending_job() {
            break;
        }
    }
    op_promise_state(ctx, p)
}

/// The ES-module loader's entry for synchronous `require(esm)` and the
/// main module: start importing `specifier` (absolute), returning the
/// promise of its namespace.
fn op_import<'js>(ctx: Ctx<'js>, specifier: String) -> rquickjs::Result<Promise<'js>> {
    rquickjs::Module::import(&ctx, specifier)
}

pub fn install<'js>(ctx: &Ctx<'js>, o: &Object<'js>) -> rquickjs::Result<()> {
    def(ctx, o, "now", op_now)?;
    def(ctx, o, "hrtime", op_hrtime)?;
    def(ctx, o, "cpuUsage", op_cpu_usage)?;
    def(ctx, o, "random", op_random)?;
    def(ctx, o, "hash", op_hash)?;
    def(ctx, o, "hmac", op_hmac)?;
    def(ctx, o, "deflate", op_deflate)?;
    def(ctx, o, "inflate", op_inflate)?;
    def(ctx, o, "crc32", op_crc32)?;
    def(ctx, o, "utf8Decode", op_utf8_decode)?;
    def(ctx, o, "utf8Encode", op_utf8_encode)?;
    def(ctx, o, "b64Encode", op_b64_encode)?;
    def(ctx, o, "b64Decode", op_b64_decode)?;
    def(ctx, o, "evalScript", op_eval_script)?;
    def(ctx, o, "builtinSource", op_builtin_source)?;
    def(ctx, o, "promiseState", op_promise_state)?;
    def(ctx, o, "runUntilSettled", op_run_until_settled)?;
    def(ctx, o, "import", op_import)?;
    Ok(())
}
