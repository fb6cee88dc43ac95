//! Sleeping and waking: every blocking kernel call sleeps on its task's
//! [`Waiter`] after registering it with the [`WaitQueue`]s of the objects it
//! waits for. Objects notify their queue when their state changes; signals
//! notify the task's waiter directly, so a blocked call notices them.
//!
//! Analogue: Linux wait queues, gVisor `waiter.Queue`. A generation counter
//! closes the race between checking a condition and going to sleep.

use std::sync::Arc;
use std::time::Instant;

use parking_lot::{Condvar, Mutex};

/// One sleeping thread's wake-up slot.
#[derive(Default)]
pub struct Waiter {
    generation: Mutex<u64>,
    cv: Condvar,
}

impl Waiter {
    pub fn new() -> Arc<Waiter> {
        Arc::new(Waiter::default())
    }

    /// The current generation; pass it to [`Waiter::wait`].
    pub fn generation(&self) -> u64 {
        *self.generation.lock()
    }

    /// Wake the thread (now or the next time it waits on an older
    /// generation).
    pub fn notify(&self) {
        let mut g = self.generation.lock();
        *g += 1;
        self.cv.notify_all();
    }

    /// Sleep until notified after generation `seen`, or until `deadline`.
    /// Returns false on timeout.
    pub fn wait(&self, seen: u64, deadline: Option<Instant>) -> bool {
        let mut g = self.generation.lock();
        while *g == seen {
            match deadline {
                Some(d) => {
                    if self.cv.wait_until(&mut g, d).timed_out() {
                        return *g != seen;
                    }
                }
                None => self.cv.wait(&mut g),
            }
        }
        true
    }
}

/// The waiters interested in one object.
#[derive(Default)]
pub struct WaitQueue {
    waiters: Mutex<Vec<Arc<Waiter>>>,
}

impl WaitQueue {
    pub fn new() -> WaitQueue {
        WaitQueue::default()
    }

    /// Wake everyone waiting on this object.
    pub fn notify_all(&self) {
        let ws = self.waiters.lock();
        for w in ws.iter() {
            w.notify();
        }
    }

    pub fn register(&self, w: &Arc<Waiter>) {
        self.waiters.lock().push(w.clone());
    }

    pub fn unregister(&self, w: &Arc<Waiter>) {
        let mut ws = self.waiters.lock();
        if let Some(i) = ws.iter().position(|x| Arc::ptr_eq(x, w)) {
            ws.swap_remove(i);
        }
    }
}

/// Registers a waiter with several queues and unregisters on drop.
pub struct Registration<'a> {
    waiter: &'a Arc<Waiter>,
    queues: Vec<&'a WaitQueue>,
}

impl<'a> Registration<'a> {
    pub fn new(waiter: &'a Arc<Waiter>) -> Self {
        Registration { waiter, queues: Vec::new() }
    }
    pub fn add(&mut self, q: &'a WaitQueue) {
        if !self.queues.iter().any(|x| std::ptr::eq(*x, q)) {
            q.register(self.waiter);
            self.queues.push(q);
        }
    }
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        for q in &self.queues {
            q.unregister(self.waiter);
        }
    }
}
