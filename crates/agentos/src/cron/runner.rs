//! The scheduler task and job runs.
//!
//! One Tokio task per VM, alive while the VM has jobs: it fires what is
//! due by the VM clock, then sleeps until the earliest next run (real time)
//! or until woken — a job was added or removed, a run ended, or a manual
//! clock moved. Each fire runs in a task of its own, so a slow job never
//! delays the others, and the overlap policy decides what a fire does while
//! its job still runs.

use std::sync::{Arc, Weak};
use std::time::Duration;

use agentos_kernel::Kernel;
use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use super::{CronAction, CronEvent, Overlap};
use crate::process::ExecOptions;
use crate::vm::{AgentOs, VmInner};

/// The longest the scheduler sleeps without looking at the clock again, so
/// that a host clock stepped by NTP is noticed within this.
const MAX_NAP: Duration = Duration::from_secs(60);

/// The VM clock's wall time.
pub(super) fn now(kernel: &Kernel) -> DateTime<Utc> {
    let t = kernel.clock.realtime();
    // Out of chrono's range (±262,000 years) only for a nonsense clock.
    DateTime::from_timestamp(t.sec, t.nsec).unwrap_or_default()
}

/// Milliseconds of the VM's monotonic clock.
fn monotonic_ms(kernel: &Kernel) -> u64 {
    u64::try_from(kernel.clock.monotonic().as_nanos() / 1_000_000).unwrap_or(0)
}

/// A run the scheduler decided to start.
struct Start {
    id: String,
    seq: u64,
    action: CronAction,
    /// The VM's monotonic clock at the fire, in milliseconds.
    started: u64,
}

/// The scheduler loop of one VM. Holds the VM only weakly, so a VM dropped
/// without `dispose` still goes away (and this task with it).
pub(super) async fn scheduler(vm: Weak<VmInner>, wake: Arc<Notify>) {
    loop {
        let nap = match vm.upgrade() {
            Some(inner) => match tick(&AgentOs { inner }) {
                Some(nap) => nap,
                None => return,
            },
            None => return,
        };
        tokio::select! {
            _ = tokio::time::sleep(nap) => {}
            _ = wake.notified() => {}
        }
    }
}

/// Fire every due job, in order of due time, and say how long to sleep.
/// `None` ends the task: no jobs are left (the flag is cleared under the
/// lock, so `schedule_cron` starts a new task for the next job).
fn tick(vm: &AgentOs) -> Option<Duration> {
    let kernel = &vm.inner.kernel;
    let now = now(kernel);
    let mut starts = Vec::new();
    let earliest = {
        let mut jobs = vm.inner.cron.jobs.lock();
        if jobs.list.is_empty() || vm.alive().is_err() {
            jobs.task = false;
            return None;
        }
        let mut due: Vec<(DateTime<Utc>, usize)> = jobs
            .list
            .iter()
            .enumerate()
            .filter_map(|(i, j)| j.next_run.filter(|t| *t <= now).map(|t| (t, i)))
            .collect();
        due.sort();
        for (_, i) in due {
            let job = &mut jobs.list[i];
            job.next_run = job.schedule.next_after(now);
            if job.running > 0 {
                match job.overlap {
                    Overlap::Allow => {}
                    Overlap::Skip => continue,
                    Overlap::Queue => {
                        job.pending = true;
                        continue;
                    }
                }
            }
            job.running += 1;
            job.run_count += 1;
            job.last_run = Some(now);
            let started = monotonic_ms(kernel);
            starts.push(Start { id: job.id.clone(), seq: job.seq, action: job.action.clone(), started });
        }
        jobs.list.iter().filter_map(|j| j.next_run).min()
    };
    for start in starts {
        vm.inner.cron.emit(CronEvent::Fire { job_id: start.id.clone(), time: now.into() });
        tokio::spawn(run(Arc::downgrade(&vm.inner), start));
    }
    Some(earliest.map_or(MAX_NAP, |t| (t - now).to_std().unwrap_or(Duration::ZERO).min(MAX_NAP)))
}

/// One run of a job (plus the queued re-runs of `Overlap::Queue`). Its
/// `Fire` event was sent by the scheduler.
async fn run(vm: Weak<VmInner>, mut start: Start) {
    loop {
        let outcome = act(&vm, &start.action).await;
        let Some(inner) = vm.upgrade() else { return };
        let vm = AgentOs { inner };
        let kernel = &vm.inner.kernel;
        let time = now(kernel);
        // Book-keeping first, so that a handler hearing of the end already
        // sees it in `list_cron_jobs`.
        let mut gone = None;
        let again = {
            let mut jobs = vm.inner.cron.jobs.lock();
            match jobs.list.iter().position(|j| j.seq == start.seq) {
                Some(i) if jobs.list[i].pending => {
                    let job = &mut jobs.list[i];
                    job.pending = false;
                    job.run_count += 1;
                    job.last_run = Some(time);
                    true
                }
                Some(i) => {
                    let job = &mut jobs.list[i];
                    job.running -= 1;
                    if job.running == 0 && job.schedule.is_once() {
                        // Dropped outside the lock (it holds user code).
                        gone = Some(jobs.list.remove(i));
                    }
                    false
                }
                None => false,
            }
        };
        drop(gone);
        let job_id = start.id.clone();
        let ended = monotonic_ms(kernel);
        vm.inner.cron.emit(match outcome {
            Ok(exit_code) => {
                let duration_ms = ended.saturating_sub(start.started);
                CronEvent::Complete { job_id, time: time.into(), duration_ms, exit_code }
            }
            Err(error) => CronEvent::Error { job_id, time: time.into(), error },
        });
        if !again {
            // The scheduler may have nothing left to do and should end.
            vm.inner.cron.wake.notify_one();
            return;
        }
        start.started = ended;
        vm.inner.cron.emit(CronEvent::Fire { job_id: start.id.clone(), time: time.into() });
    }
}

/// Do the action: `Ok(exit status)` (none for callbacks) or `Err(message)`.
async fn act(vm: &Weak<VmInner>, action: &CronAction) -> Result<Option<i32>, String> {
    match action {
        CronAction::Exec { command, args } => {
            let Some(inner) = vm.upgrade() else { return Err(crate::Error::Disposed.to_string()) };
            let line = CronAction::command_line(command, args);
            match (AgentOs { inner }).exec(&line, ExecOptions::default()).await {
                Ok(r) => Ok(Some(r.exit_code)),
                Err(e) => Err(e.to_string()),
            }
        }
        CronAction::Session { agent_type, prompt, options } => {
            // A fresh session for each run, closed (process tree and all)
            // whatever the prompt's outcome.
            let Some(inner) = vm.upgrade() else { return Err(crate::Error::Disposed.to_string()) };
            let vm = AgentOs { inner };
            let create = crate::CreateSessionOptions {
                env: options.env.clone(),
                cwd: options.cwd.clone(),
                ..Default::default()
            };
            let id = vm.create_session(agent_type, create).await.map_err(|e| e.to_string())?;
            let result = vm.prompt(&id, prompt.as_str()).await;
            let _ = vm.close_session(&id);
            result.map(|_| None).map_err(|e| e.to_string())
        }
        CronAction::Callback(f) => {
            // In a task of its own, so that a panic becomes an error event
            // instead of a run that never ends.
            match tokio::spawn(f()).await {
                Ok(Ok(())) => Ok(None),
                Ok(Err(e)) => Err(e),
                Err(join) => Err(match join.try_into_panic() {
                    Ok(p) => {
                        let msg = p
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| p.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        format!("callback panicked: {msg}")
                    }
                    Err(_) => "callback was cancelled".to_string(),
                }),
            }
        }
    }
}
