//! The pieces of the WebAssembly binary format that hand-encoded test
//! modules need. Shared by path with `crates/agentos/tests/all/software.rs`.

/// `v` as unsigned LEB128.
pub fn leb(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Section `id` with its size prefix.
pub fn section(id: u8, body: Vec<u8>, out: &mut Vec<u8>) {
    out.push(id);
    leb(body.len() as u64, out);
    out.extend(body);
}

/// A length-prefixed name.
pub fn name(s: &str, out: &mut Vec<u8>) {
    leb(s.len() as u64, out);
    out.extend_from_slice(s.as_bytes());
}
