//! The one translation from kernel errnos (Linux numbers) to WASI
//! preview1 errnos. Every import of this crate returns through here.
//!
//! Analogue: wasmtime-wasi's `From<std::io::Error> for Errno`.

use agentos_kernel::Errno;

/// WASI `errno::success`.
pub const SUCCESS: u16 = 0;
/// WASI `errno::badf`.
pub const BADF: u16 = 8;
/// WASI `errno::inval`.
pub const INVAL: u16 = 28;
/// WASI `errno::notsup`.
pub const NOTSUP: u16 = 58;

/// The WASI errno for a kernel errno.
pub fn to_wasi(e: Errno) -> u16 {
    match e.raw() {
        7 => 1,         // E2BIG
        13 => 2,        // EACCES
        98 => 3,        // EADDRINUSE
        99 => 4,        // EADDRNOTAVAIL
        97 => 5,        // EAFNOSUPPORT
        11 => 6,        // EAGAIN
        114 => 7,       // EALREADY
        9 => BADF,      // EBADF
        16 => 10,       // EBUSY
        125 => 11,      // ECANCELED
        10 => 12,       // ECHILD
        103 => 13,      // ECONNABORTED
        111 => 14,      // ECONNREFUSED
        104 => 15,      // ECONNRESET
        35 => 16,       // EDEADLK
        89 => 17,       // EDESTADDRREQ
        33 => 18,       // EDOM
        17 => 20,       // EEXIST
        14 => 21,       // EFAULT
        27 => 22,       // EFBIG
        113 => 23,      // EHOSTUNREACH
        84 => 25,       // EILSEQ
        115 => 26,      // EINPROGRESS
        4 => 27,        // EINTR
        22 => INVAL,    // EINVAL
        5 => 29,        // EIO
        106 => 30,      // EISCONN
        21 => 31,       // EISDIR
        40 => 32,       // ELOOP
        24 => 33,       // EMFILE
        31 => 34,       // EMLINK
        90 => 35,       // EMSGSIZE
        36 => 37,       // ENAMETOOLONG
        100 => 38,      // ENETDOWN
        101 => 40,      // ENETUNREACH
        23 => 41,       // ENFILE
        105 => 42,      // ENOBUFS
        19 => 43,       // ENODEV
        2 => 44,        // ENOENT
        8 => 45,        // ENOEXEC
        12 => 48,       // ENOMEM
        92 => 50,       // ENOPROTOOPT
        28 => 51,       // ENOSPC
        38 => 52,       // ENOSYS
        107 => 53,      // ENOTCONN
        20 => 54,       // ENOTDIR
        39 => 55,       // ENOTEMPTY
        88 => 57,       // ENOTSOCK
        95 => NOTSUP,   // EOPNOTSUPP
        25 => 59,       // ENOTTY
        6 => 60,        // ENXIO
        75 => 61,       // EOVERFLOW
        1 => 63,        // EPERM
        32 => 64,       // EPIPE
        93 => 66,       // EPROTONOSUPPORT
        91 => 67,       // EPROTOTYPE
        34 => 68,       // ERANGE
        30 => 69,       // EROFS
        29 => 70,       // ESPIPE
        3 => 71,        // ESRCH
        116 => 72,      // ESTALE
        110 | 62 => 73, // ETIMEDOUT ETIME
        26 => 74,       // ETXTBSY
        18 => 75,       // EXDEV
        // No WASI counterpart (or an errno added later): an I/O error.
        _ => 29,
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_errnos() {
        assert_eq!(to_wasi(Errno::ENOENT), 44);
        assert_eq!(to_wasi(Errno::EACCES), 2);
        assert_eq!(to_wasi(Errno::EBADF), 8);
        assert_eq!(to_wasi(Errno::EEXIST), 20);
        assert_eq!(to_wasi(Errno::ENOTEMPTY), 55);
        assert_eq!(to_wasi(Errno::ENOSYS), 52);
    }
}
