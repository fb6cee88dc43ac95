//! The host edge: the only crate that touches the real machine. It
//! implements traits the kernel defines (time, entropy, host-directory
//! mounts, SQLite- and S3-backed filesystems, outbound TCP for guests), so
//! that guest code can only reach what the kernel hands it.

#![forbid(unsafe_code)]

pub mod aospkg;
pub mod hostfs;
pub mod net;
pub mod s3fs;
pub mod sqlitefs;

pub use aospkg::{Package, PackageError, PackageFs};
pub use hostfs::{HostDirOptions, HostFs};
pub use net::HostNet;
pub use s3fs::{S3Fs, S3Options};
pub use sqlitefs::SqliteFs;

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use agentos_kernel::abi::Timespec;
use agentos_kernel::clock::{Clock, Entropy};

/// The host's wall clock and monotonic clock.
#[derive(Debug)]
pub struct HostClock {
    start: Instant,
}

impl Default for HostClock {
    fn default() -> Self {
        HostClock { start: Instant::now() }
    }
}

impl Clock for HostClock {
    fn realtime(&self) -> Timespec {
        let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        Timespec { sec: d.as_secs() as i64, nsec: d.subsec_nanos() }
    }
    fn monotonic(&self) -> Timespec {
        let d = self.start.elapsed();
        Timespec { sec: d.as_secs() as i64, nsec: d.subsec_nanos() }
    }
}

/// The host's cryptographic random source.
#[derive(Debug, Default)]
pub struct HostEntropy;

impl Entropy for HostEntropy {
    fn fill(&self, buf: &mut [u8]) {
        if getrandom::fill(buf).is_err() {
            // The OS source failed (it practically never does): fall back to
            // time-seeded mixing rather than handing out zeros.
            let mut x = Instant::now().elapsed().as_nanos() as u64 ^ 0x9e37_79b9_7f4a_7c15;
            for b in buf {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
        }
    }
}
