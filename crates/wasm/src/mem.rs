//! Bounds-checked access to a guest's linear memory.
//!
//! Every pointer a guest hands to an import is an untrusted offset into its
//! own memory. This module is the only place that turns such offsets into
//! byte slices, and each conversion is checked: an offset or length that
//! leaves the memory is `EFAULT`, never a host fault. Analogue: wasmtime's
//! `GuestMemory`, Linux `copy_{from,to}_user`.

use agentos_kernel::{Errno, KResult};

/// A guest's linear memory, borrowed for the duration of one import call.
pub struct GuestMem<'a> {
    bytes: &'a mut [u8],
}

impl<'a> GuestMem<'a> {
    pub fn new(bytes: &'a mut [u8]) -> GuestMem<'a> {
        GuestMem { bytes }
    }

    fn range(&self, ptr: u32, len: u32) -> KResult<std::ops::Range<usize>> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::EFAULT)?;
        if end > self.bytes.len() {
            return Err(Errno::EFAULT);
        }
        Ok(start..end)
    }

    /// `len` bytes at `ptr`.
    pub fn slice(&self, ptr: u32, len: u32) -> KResult<&[u8]> {
        let r = self.range(ptr, len)?;
        Ok(&self.bytes[r])
    }

    /// `len` writable bytes at `ptr`.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> KResult<&mut [u8]> {
        let r = self.range(ptr, len)?;
        Ok(&mut self.bytes[r])
    }

    /// A UTF-8 string of `len` bytes at `ptr` (`EILSEQ` if not UTF-8).
    pub fn str(&self, ptr: u32, len: u32) -> KResult<&str> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| Errno::EILSEQ)
    }

    /// Copy `data` to `ptr`.
    pub fn write(&mut self, ptr: u32, data: &[u8]) -> KResult<()> {
        let len = u32::try_from(data.len()).map_err(|_| Errno::EFAULT)?;
        self.slice_mut(ptr, len)?.copy_from_slice(data);
        Ok(())
    }

    pub fn read_u8(&self, ptr: u32) -> KResult<u8> {
        Ok(self.slice(ptr, 1)?[0])
    }

    pub fn read_u16(&self, ptr: u32) -> KResult<u16> {
        let mut b = [0u8; 2];
        b.copy_from_slice(self.slice(ptr, 2)?);
        Ok(u16::from_le_bytes(b))
    }

    pub fn read_u32(&self, ptr: u32) -> KResult<u32> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.slice(ptr, 4)?);
        Ok(u32::from_le_bytes(b))
    }

    pub fn read_u64(&self, ptr: u32) -> KResult<u64> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.slice(ptr, 8)?);
        Ok(u64::from_le_bytes(b))
    }

    pub fn write_u8(&mut self, ptr: u32, v: u8) -> KResult<()> {
        self.write(ptr, &[v])
    }

    pub fn write_u16(&mut self, ptr: u32, v: u16) -> KResult<()> {
        self.write(ptr, &v.to_le_bytes())
    }

    pub fn write_u32(&mut self, ptr: u32, v: u32) -> KResult<()> {
        self.write(ptr, &v.to_le_bytes())
    }

    pub fn write_u64(&mut self, ptr: u32, v: u64) -> KResult<()> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// The `(buf, len)` pairs of an `iovec`/`ciovec` array.
    pub fn iovecs(&self, ptr: u32, count: u32) -> KResult<Vec<(u32, u32)>> {
        let bytes = count.checked_mul(8).ok_or(Errno::EFAULT)?;
        let raw = self.slice(ptr, bytes)?;
        Ok(raw
            .chunks_exact(8)
            .map(|c| {
                let word = |i: usize| u32::from_le_bytes([c[i], c[i + 1], c[i + 2], c[i + 3]]);
                (word(0), word(4))
            })
            .collect())
    }

    /// A NUL-separated list of strings (argv/envp of the host ABI). A
    /// trailing NUL is optional; empty input is an empty list.
    pub fn string_list(&self, ptr: u32, len: u32) -> KResult<Vec<String>> {
        let raw = self.slice(ptr, len)?;
        let raw = raw.strip_suffix(&[0]).unwrap_or(raw);
        if raw.is_empty() {
            return Ok(Vec::new());
        }
        raw.split(|&b| b == 0).map(|s| String::from_utf8(s.to_vec()).map_err(|_| Errno::EILSEQ)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked() {
        let mut buf = vec![0u8; 16];
        let mut m = GuestMem::new(&mut buf);
        assert!(m.write_u32(12, 7).is_ok());
        assert_eq!(m.read_u32(12), Ok(7));
        assert_eq!(m.write_u32(13, 7), Err(Errno::EFAULT));
        assert_eq!(m.slice(u32::MAX, 2).err(), Some(Errno::EFAULT));
        assert_eq!(m.slice(16, 0).map(|s| s.len()), Ok(0));
    }

    #[test]
    fn string_lists() {
        let mut buf = b"ab\0c\0".to_vec();
        let m = GuestMem::new(&mut buf);
        assert_eq!(m.string_list(0, 5), Ok(vec!["ab".to_string(), "c".to_string()]));
        assert_eq!(m.string_list(0, 0), Ok(vec![]));
    }
}
