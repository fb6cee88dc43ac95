//! Cron: jobs that run on a schedule of the VM's clock — the reference's
//! `CronManager` (cron(8) inside the VM, without a crontab file).
//!
//! A job is a [`Schedule`] (cron expression, nickname, optional time zone
//! or one-shot time; see `schedule.rs`), an action and an [`Overlap`]
//! policy. One Tokio task per VM (`runner.rs`) fires due jobs; it exists
//! only while jobs do. Time is the kernel's clock, so a VM made with a
//! [`ManualClock`](agentos_kernel::clock::ManualClock) runs its jobs exactly
//! when the test advances it.
//!
//! Missed times are not replayed, as in cron: a job due several times over
//! (the clock jumped) fires once, and its next run is the first match after
//! the current time.
//!
//! Locks: `CronState::jobs` and `CronState::listeners` are never held
//! together, and neither is held while calling user code.

mod action;
mod runner;
mod schedule;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use tokio::sync::Notify;

use crate::error::{Error, Result};
use crate::vm::{AgentOs, VmInner};
use schedule::Schedule;

pub use action::{BoxFuture, CronAction, CronCallback, CronSessionOptions};

/// A subscriber of [`AgentOs::on_cron_event`].
pub type CronEventHandler = Arc<dyn Fn(&CronEvent) + Send + Sync>;

/// What happens when a job comes due while an earlier run still runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Overlap {
    /// Start another run alongside.
    #[default]
    Allow,
    /// Drop this fire.
    Skip,
    /// Run once more when the current run ends (however many fires came
    /// in between: a single pending flag).
    Queue,
}

/// Options of [`AgentOs::schedule_cron`].
#[derive(Clone, Debug)]
pub struct CronJobOptions {
    /// The job's id; a random UUID (v4, from the VM's entropy) when `None`.
    /// Scheduling an id that exists replaces that job.
    pub id: Option<String>,
    /// When to fire: `"0 * * * *"`, `"*/10 * * * * *"`, `"@daily"`,
    /// `"TZ=Europe/Berlin 0 9 * * 1-5"`, `"2026-01-01T10:00:00Z"`, … A time
    /// zone is given as a `TZ=<IANA name>` prefix (default UTC); it also
    /// applies to a one-shot time written without an offset.
    pub schedule: String,
    /// What to do.
    pub action: CronAction,
    /// What to do when a fire comes while the job runs.
    pub overlap: Overlap,
}

impl CronJobOptions {
    /// Options with a generated id and [`Overlap::Allow`].
    pub fn new(schedule: impl Into<String>, action: CronAction) -> CronJobOptions {
        CronJobOptions { id: None, schedule: schedule.into(), action, overlap: Overlap::Allow }
    }
}

/// A scheduled job, as returned by [`AgentOs::schedule_cron`].
pub struct CronJob {
    /// The job's id.
    pub id: String,
    vm: Weak<VmInner>,
    seq: u64,
}

impl CronJob {
    /// Unschedule the job (a run in progress finishes). No-op when it is
    /// already gone, or was replaced by a job with the same id.
    pub fn cancel(&self) {
        if let Some(inner) = self.vm.upgrade() {
            inner.cron.remove(|j| j.seq == self.seq);
        }
    }
}

impl fmt::Debug for CronJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CronJob").field("id", &self.id).finish_non_exhaustive()
    }
}

/// One job, as [`AgentOs::list_cron_jobs`] shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CronJobInfo {
    /// The job's id.
    pub id: String,
    /// The schedule as given.
    pub schedule: String,
    /// What the job does: `exec: rm -rf /tmp/cache`, `session: pi`,
    /// `callback`.
    pub action: String,
    /// The overlap policy.
    pub overlap: Overlap,
    /// When it last fired (VM clock).
    pub last_run: Option<SystemTime>,
    /// When it fires next (VM clock); `None` for a one-shot that fired.
    pub next_run: Option<SystemTime>,
    /// How many runs started.
    pub run_count: u64,
    /// Whether a run is in progress.
    pub running: bool,
}

/// What [`AgentOs::on_cron_event`] handlers hear. Times are the VM clock's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CronEvent {
    /// A run starts (`cron:fire`).
    Fire {
        /// The job.
        job_id: String,
        /// When.
        time: SystemTime,
    },
    /// A run ended (`cron:complete`).
    Complete {
        /// The job.
        job_id: String,
        /// When it ended.
        time: SystemTime,
        /// How long it ran, by the VM's monotonic clock.
        duration_ms: u64,
        /// The exit status of an exec action; `None` for callbacks.
        exit_code: Option<i32>,
    },
    /// A run failed: the callback returned `Err` or panicked, the command
    /// could not be run, or the action is unavailable (`cron:error`).
    Error {
        /// The job.
        job_id: String,
        /// When it ended.
        time: SystemTime,
        /// What went wrong.
        error: String,
    },
}

impl CronEvent {
    /// The job the event is about.
    pub fn job_id(&self) -> &str {
        match self {
            CronEvent::Fire { job_id, .. } | CronEvent::Complete { job_id, .. } | CronEvent::Error { job_id, .. } => {
                job_id
            }
        }
    }

    /// The reference's event type: `cron:fire`, `cron:complete` or
    /// `cron:error`.
    pub fn kind(&self) -> &'static str {
        match self {
            CronEvent::Fire { .. } => "cron:fire",
            CronEvent::Complete { .. } => "cron:complete",
            CronEvent::Error { .. } => "cron:error",
        }
    }
}

/// One scheduled job.
struct Job {
    id: String,
    /// Unique per VM, so a replaced or cancelled job's runs can tell.
    seq: u64,
    text: String,
    schedule: Schedule,
    action: CronAction,
    overlap: Overlap,
    next_run: Option<DateTime<Utc>>,
    last_run: Option<DateTime<Utc>>,
    run_count: u64,
    /// Runs in progress.
    running: usize,
    /// `Queue`: run once more when the current run ends.
    pending: bool,
}

#[derive(Default)]
struct Jobs {
    list: Vec<Job>,
    next_seq: u64,
    /// Whether the scheduler task is alive.
    task: bool,
    /// Subscribed to the clock's changes while the VM lives.
    clock_watch: Option<Arc<dyn Fn() + Send + Sync>>,
}

/// The cron part of a VM.
#[derive(Default)]
pub(crate) struct CronState {
    jobs: Mutex<Jobs>,
    listeners: Mutex<Vec<(u64, CronEventHandler)>>,
    next_listener: AtomicU64,
    /// Wakes the scheduler: a job changed or the clock moved.
    wake: Arc<Notify>,
}

impl CronState {
    /// Remove the jobs `pred` picks, and let the scheduler look again.
    fn remove(&self, pred: impl Fn(&Job) -> bool) {
        // Dropped outside the lock: a callback's captures may be anything.
        let removed: Vec<Job> = {
            let mut jobs = self.jobs.lock();
            let (gone, kept) = std::mem::take(&mut jobs.list).into_iter().partition(|j| pred(j));
            jobs.list = kept;
            gone
        };
        if !removed.is_empty() {
            self.wake.notify_one();
        }
    }

    /// Tell every handler, in subscription order. A panicking handler is
    /// ignored (as the reference swallows handler exceptions).
    fn emit(&self, event: CronEvent) {
        let handlers: Vec<CronEventHandler> = self.listeners.lock().iter().map(|(_, h)| h.clone()).collect();
        for h in handlers {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h(&event)));
        }
    }

    /// Cancel everything and drop the handlers (which may hold the VM).
    pub(crate) fn dispose(&self) {
        self.remove(|_| true);
        let handlers = std::mem::take(&mut *self.listeners.lock());
        drop(handlers);
    }
}

impl Drop for CronState {
    fn drop(&mut self) {
        // The VM is gone: let a sleeping scheduler see it and end now.
        self.wake.notify_one();
    }
}

impl AgentOs {
    /// Schedule a job. Fails with [`Error::InvalidSchedule`] or
    /// [`Error::PastSchedule`] before anything is registered, and with
    /// [`Error::NoRuntime`] outside a Tokio runtime (the jobs run on it).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use agentos::{AgentOs, AgentOsOptions, CronAction, CronEvent, CronJobOptions, ManualClock};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> agentos::Result<()> {
    /// let clock = Arc::new(ManualClock::default()); // 2024-01-01T00:00:00Z
    /// let vm = AgentOs::create(AgentOsOptions { clock: Some(clock.clone()), ..Default::default() }).await?;
    /// let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    /// let _unsubscribe = vm.on_cron_event(Arc::new(move |e: &CronEvent| {
    ///     let _ = tx.send(e.clone());
    /// }));
    /// let job = vm.schedule_cron(CronJobOptions {
    ///     id: Some("cleanup".into()),
    ///     ..CronJobOptions::new("0 * * * *", CronAction::exec("rm", ["-rf", "/tmp/cache"]))
    /// })?;
    /// clock.advance(Duration::from_secs(3600));
    /// assert_eq!(events.recv().await.unwrap().kind(), "cron:fire");
    /// assert!(matches!(events.recv().await.unwrap(), CronEvent::Complete { exit_code: Some(0), .. }));
    /// assert_eq!(vm.list_cron_jobs()[0].run_count, 1);
    /// job.cancel();
    /// vm.dispose().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn schedule_cron(&self, options: CronJobOptions) -> Result<CronJob> {
        let kernel = self.alive()?;
        let handle = tokio::runtime::Handle::try_current().map_err(|_| Error::NoRuntime)?;
        let now = runner::now(kernel);
        let schedule = Schedule::parse(&options.schedule, now)?;
        let id = options.id.unwrap_or_else(|| uuid_v4(kernel));
        let next_run = schedule.next_after(now);
        let (seq, replaced, start) = {
            let mut jobs = self.inner.cron.jobs.lock();
            let seq = jobs.next_seq;
            jobs.next_seq += 1;
            let replaced = jobs.list.iter().position(|j| j.id == id).map(|i| jobs.list.remove(i));
            jobs.list.push(Job {
                id: id.clone(),
                seq,
                text: options.schedule,
                schedule,
                action: options.action,
                overlap: options.overlap,
                next_run,
                last_run: None,
                run_count: 0,
                running: 0,
                pending: false,
            });
            if jobs.clock_watch.is_none() {
                let wake = Arc::downgrade(&self.inner.cron.wake);
                let watch: Arc<dyn Fn() + Send + Sync> = Arc::new(move || {
                    if let Some(w) = wake.upgrade() {
                        w.notify_one();
                    }
                });
                kernel.clock.on_change(Arc::downgrade(&watch));
                jobs.clock_watch = Some(watch);
            }
            let start = !std::mem::replace(&mut jobs.task, true);
            (seq, replaced, start)
        };
        drop(replaced);
        if start {
            handle.spawn(runner::scheduler(Arc::downgrade(&self.inner), self.inner.cron.wake.clone()));
        } else {
            self.inner.cron.wake.notify_one();
        }
        Ok(CronJob { id, vm: Arc::downgrade(&self.inner), seq })
    }

    /// Every scheduled job, in the order they were scheduled.
    pub fn list_cron_jobs(&self) -> Vec<CronJobInfo> {
        self.inner
            .cron
            .jobs
            .lock()
            .list
            .iter()
            .map(|j| CronJobInfo {
                id: j.id.clone(),
                schedule: j.text.clone(),
                action: j.action.describe(),
                overlap: j.overlap,
                last_run: j.last_run.map(SystemTime::from),
                next_run: j.next_run.map(SystemTime::from),
                run_count: j.run_count,
                running: j.running > 0,
            })
            .collect()
    }

    /// Unschedule the job with this id (a run in progress finishes). No-op
    /// when there is none.
    pub fn cancel_cron_job(&self, id: &str) {
        self.inner.cron.remove(|j| j.id == id);
    }

    /// Call `handler` with every cron event of this VM, in order, on the
    /// thread that produced it. Returns a function that unsubscribes.
    /// Handlers are dropped when the VM is disposed.
    pub fn on_cron_event(&self, handler: CronEventHandler) -> impl FnOnce() + Send + use<> {
        let key = self.inner.cron.next_listener.fetch_add(1, Ordering::Relaxed);
        self.inner.cron.listeners.lock().push((key, handler));
        let vm = Arc::downgrade(&self.inner);
        move || {
            if let Some(inner) = vm.upgrade() {
                inner.cron.listeners.lock().retain(|(k, _)| *k != key);
            }
        }
    }
}

/// A random (version 4) UUID from the VM's entropy.
fn uuid_v4(kernel: &agentos_kernel::Kernel) -> String {
    let mut b = [0u8; 16];
    kernel.entropy.fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}
