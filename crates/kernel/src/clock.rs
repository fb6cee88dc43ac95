//! Time and entropy as the kernel sees them: injected, so that nothing in
//! the kernel reads the host's wall clock or random source directly. The
//! `host` side supplies real ones; tests use [`ManualClock`].

use std::sync::Weak;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::abi::Timespec;

/// The VM's notion of the current time.
pub trait Clock: Send + Sync {
    /// Wall-clock time (`CLOCK_REALTIME`).
    fn realtime(&self) -> Timespec;
    /// Monotonic time since an arbitrary start (`CLOCK_MONOTONIC`).
    fn monotonic(&self) -> Timespec;
    /// Ask to be called whenever the clock is moved by hand (a
    /// [`ManualClock`] being advanced or set), so that a sleeper waiting for
    /// a time on this clock can look again. The clock holds `cb` weakly:
    /// dropping the last strong reference unsubscribes. Callbacks run on
    /// the thread that moved the clock and must be quick. Clocks that only
    /// move by themselves (the host's) keep the default, which never calls.
    fn on_change(&self, cb: Weak<dyn Fn() + Send + Sync>) {
        let _ = cb;
    }
}

/// Callbacks of [`Clock::on_change`].
type Watchers = parking_lot::Mutex<Vec<Weak<dyn Fn() + Send + Sync>>>;

/// A clock that moves only when told to. Starts at 2024-01-01T00:00:00Z.
pub struct ManualClock {
    nanos: AtomicI64,
    watchers: Watchers,
}

impl std::fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualClock").field("nanos", &self.nanos).finish_non_exhaustive()
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock { nanos: AtomicI64::new(1_704_067_200 * 1_000_000_000), watchers: Default::default() }
    }
}

impl ManualClock {
    /// Move the clock forward.
    pub fn advance(&self, d: std::time::Duration) {
        self.nanos.fetch_add(d.as_nanos() as i64, Ordering::SeqCst);
        self.changed();
    }
    /// Set the wall-clock time.
    pub fn set(&self, t: Timespec) {
        self.nanos.store(t.as_nanos() as i64, Ordering::SeqCst);
        self.changed();
    }
    /// Call the live watchers, outside the lock (a watcher may subscribe
    /// again), and forget the dead ones.
    fn changed(&self) {
        let live: Vec<_> = {
            let mut w = self.watchers.lock();
            w.retain(|cb| cb.strong_count() > 0);
            w.iter().filter_map(Weak::upgrade).collect()
        };
        for cb in live {
            cb();
        }
    }
}

impl Clock for ManualClock {
    fn realtime(&self) -> Timespec {
        Timespec::from_nanos(self.nanos.load(Ordering::SeqCst) as i128)
    }
    fn monotonic(&self) -> Timespec {
        Timespec::from_nanos(self.nanos.load(Ordering::SeqCst) as i128 - 1_704_067_200 * 1_000_000_000)
    }
    fn on_change(&self, cb: Weak<dyn Fn() + Send + Sync>) {
        self.watchers.lock().push(cb);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn manual_clock_calls_live_watchers() {
        let clock = ManualClock::default();
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let watcher: Arc<dyn Fn() + Send + Sync> = Arc::new(move || {
            c.fetch_add(1, Ordering::SeqCst);
        });
        clock.on_change(Arc::downgrade(&watcher));
        clock.advance(std::time::Duration::from_secs(1));
        clock.set(Timespec { sec: 5, nsec: 0 });
        assert_eq!((calls.load(Ordering::SeqCst), clock.realtime()), (2, Timespec { sec: 5, nsec: 0 }));
        drop(watcher);
        clock.advance(std::time::Duration::from_secs(1));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert!(clock.watchers.lock().is_empty());
    }
}
