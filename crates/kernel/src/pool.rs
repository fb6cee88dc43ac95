//! The threads that run processes: a process-wide cached pool. A process
//! takes an idle thread or starts a new one; a thread idle for a while
//! exits. An idle VM therefore owns no thread at all.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use parking_lot::Mutex;

type Job = Box<dyn FnOnce() + Send>;

/// How long an idle thread waits for work before exiting.
const IDLE: Duration = Duration::from_secs(10);
/// Stack of each process thread. Virtual: only touched pages cost memory.
const STACK: usize = 16 << 20;

struct Idle {
    id: u64,
    tx: Sender<Job>,
}

static IDLE_THREADS: Mutex<Vec<Idle>> = Mutex::new(Vec::new());
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Run `job` on a pool thread.
pub fn execute(job: Job) {
    let mut job = job;
    loop {
        let idle = IDLE_THREADS.lock().pop();
        match idle {
            Some(w) => match w.tx.send(job) {
                Ok(()) => return,
                Err(e) => job = e.0,
            },
            None => break,
        }
    }
    let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (tx, rx) = channel::<Job>();
    let spawned = std::thread::Builder::new()
        .name("agentos-proc".into())
        .stack_size(STACK)
        .spawn(move || worker(id, tx, rx, job));
    if let Err(e) = spawned {
        // Out of host threads: nothing sensible can run the job.
        tracing::error!("cannot start a process thread: {e}");
    }
}

fn worker(id: u64, tx: Sender<Job>, rx: Receiver<Job>, first: Job) {
    first();
    loop {
        IDLE_THREADS.lock().push(Idle { id, tx: tx.clone() });
        match rx.recv_timeout(IDLE) {
            Ok(job) => job(),
            Err(RecvTimeoutError::Timeout) => {
                let mut idle = IDLE_THREADS.lock();
                if let Some(i) = idle.iter().position(|w| w.id == id) {
                    idle.swap_remove(i);
                    return;
                }
                drop(idle);
                // Someone took our slot just now: their job is on its way.
                match rx.recv() {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Threads currently idle in the pool (for tests and benchmarks).
pub fn idle_threads() -> usize {
    IDLE_THREADS.lock().len()
}
