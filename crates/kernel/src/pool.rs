//! The threads that run processes: a process-wide cached pool. A process
//! takes an idle thread or starts a new one; a thread idle for a while
//! exits. An idle VM therefore owns no thread at all.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

type Job = Box<dyn FnOnce() + Send>;

/// How long an idle thread waits for work before exiting.
const IDLE: Duration = Duration::from_secs(10);
/// How long a thread that has just finished a process polls for the next
/// one before it parks. Waking a parked thread costs tens of microseconds on
/// an idle host, and back-to-back commands (a script's, `exec` in a loop)
/// come within this.
const SPIN: Duration = Duration::from_micros(100);
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
        let next = match spin(&rx) {
            Some(job) => Ok(job),
            None => rx.recv_timeout(IDLE),
        };
        match next {
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

/// Poll `rx` for up to [`SPIN`].
fn spin(rx: &Receiver<Job>) -> Option<Job> {
    let start = Instant::now();
    loop {
        match rx.try_recv() {
            Ok(job) => return Some(job),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) if start.elapsed() >= SPIN => return None,
            // Yield rather than spin: runnable threads (the rest of a
            // pipeline) keep the core.
            Err(TryRecvError::Empty) => std::thread::yield_now(),
        }
    }
}

/// Threads currently idle in the pool (for tests and benchmarks).
pub fn idle_threads() -> usize {
    IDLE_THREADS.lock().len()
}
