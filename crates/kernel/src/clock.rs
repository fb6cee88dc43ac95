//! Time and entropy as the kernel sees them: injected, so that nothing in
//! the kernel reads the host's wall clock or random source directly. The
//! `host` side supplies real ones; tests use [`ManualClock`].

use std::sync::atomic::{AtomicI64, Ordering};

use crate::abi::Timespec;

/// The VM's notion of the current time.
pub trait Clock: Send + Sync {
    /// Wall-clock time (`CLOCK_REALTIME`).
    fn realtime(&self) -> Timespec;
    /// Monotonic time since an arbitrary start (`CLOCK_MONOTONIC`).
    fn monotonic(&self) -> Timespec;
}

/// A clock that moves only when told to. Starts at 2024-01-01T00:00:00Z.
#[derive(Debug)]
pub struct ManualClock {
    nanos: AtomicI64,
}

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock { nanos: AtomicI64::new(1_704_067_200 * 1_000_000_000) }
    }
}

impl ManualClock {
    /// Move the clock forward.
    pub fn advance(&self, d: std::time::Duration) {
        self.nanos.fetch_add(d.as_nanos() as i64, Ordering::SeqCst);
    }
    /// Set the wall-clock time.
    pub fn set(&self, t: Timespec) {
        self.nanos.store(t.as_nanos() as i64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn realtime(&self) -> Timespec {
        Timespec::from_nanos(self.nanos.load(Ordering::SeqCst) as i128)
    }
    fn monotonic(&self) -> Timespec {
        Timespec::from_nanos(self.nanos.load(Ordering::SeqCst) as i128 - 1_704_067_200 * 1_000_000_000)
    }
}

/// Source of random bytes for `/dev/urandom` and `getrandom`.
pub trait Entropy: Send + Sync {
    fn fill(&self, buf: &mut [u8]);
}

/// A deterministic generator (xorshift) for tests. Not for production.
#[derive(Debug)]
pub struct SeededEntropy {
    state: parking_lot::Mutex<u64>,
}

impl SeededEntropy {
    pub fn new(seed: u64) -> Self {
        SeededEntropy { state: parking_lot::Mutex::new(seed | 1) }
    }
}

impl Entropy for SeededEntropy {
    fn fill(&self, buf: &mut [u8]) {
        let mut s = self.state.lock();
        for b in buf {
            *s ^= *s << 13;
            *s ^= *s >> 7;
            *s ^= *s << 17;
            *b = (*s >> 24) as u8;
        }
    }
}
