//! Cron on a manual clock: every schedule form, time zones and DST,
//! overlap policies, one-shots, events, errors, cancel and dispose. No test
//! sleeps: the clock is advanced and the events awaited.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use agentos::{
    AgentOs, AgentOsOptions, CronAction, CronEvent, CronJobInfo, CronJobOptions, CronSessionOptions, Error,
    ManualClock, MkdirOptions, Overlap,
};
use agentos_kernel::abi::Timespec;
use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// How long a test waits for something that should happen at once.
const PATIENCE: Duration = Duration::from_secs(10);

fn t(s: &str) -> SystemTime {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc).into()
}

struct Vm {
    vm: AgentOs,
    clock: Arc<ManualClock>,
    events: UnboundedReceiver<CronEvent>,
}

/// A VM on a manual clock set to `now`, with its cron events in a channel.
async fn vm_at(now: &str) -> Vm {
    let clock = Arc::new(ManualClock::default());
    let nanos = DateTime::parse_from_rfc3339(now).unwrap().timestamp_nanos_opt().unwrap();
    clock.set(Timespec::from_nanos(nanos as i128));
    let vm = AgentOs::create(AgentOsOptions { clock: Some(clock.clone()), ..Default::default() }).await.unwrap();
    let (tx, events) = unbounded_channel();
    let _unsubscribe = vm.on_cron_event(Arc::new(move |e: &CronEvent| {
        let _ = tx.send(e.clone());
    }));
    Vm { vm, clock, events }
}

impl Vm {
    fn schedule(&self, id: &str, schedule: &str, action: CronAction, overlap: Overlap) -> agentos::CronJob {
        self.vm
            .schedule_cron(CronJobOptions { id: Some(id.into()), schedule: schedule.into(), action, overlap })
            .unwrap()
    }

    fn advance(&self, secs: u64) {
        self.clock.advance(Duration::from_secs(secs));
    }

    async fn event(&mut self) -> CronEvent {
        tokio::time::timeout(PATIENCE, self.events.recv()).await.expect("a cron event").unwrap()
    }

    /// Let every ready task run, then check that no event came.
    async fn quiet(&mut self) {
        for _ in 0..100 {
            tokio::task::yield_now().await;
        }
        assert_eq!(self.events.try_recv().ok(), None);
    }

    fn job(&self, id: &str) -> CronJobInfo {
        self.vm.list_cron_jobs().into_iter().find(|j| j.id == id).expect("job listed")
    }

    /// Wait until the scheduler has moved `id`'s next run to `next`.
    async fn wait_next(&self, id: &str, next: &str) {
        let want = Some(t(next));
        tokio::time::timeout(PATIENCE, async {
            while self.job(id).next_run != want {
                tokio::task::yield_now().await;
            }
        })
        .await
        .expect("next run moves");
    }
}

fn fire(id: &str, time: &str) -> CronEvent {
    CronEvent::Fire { job_id: id.into(), time: t(time) }
}

fn complete(id: &str, time: &str, duration_ms: u64, exit_code: Option<i32>) -> CronEvent {
    CronEvent::Complete { job_id: id.into(), time: t(time), duration_ms, exit_code }
}

fn error(id: &str, time: &str, error: &str) -> CronEvent {
    CronEvent::Error { job_id: id.into(), time: t(time), error: error.into() }
}

fn noop() -> CronAction {
    CronAction::callback(|| async { Ok(()) })
}

/// A callback that waits for a permit of `gate` each run.
fn gated(gate: &Arc<Semaphore>) -> CronAction {
    let gate = gate.clone();
    CronAction::callback(move || {
        let gate = gate.clone();
        async move {
            gate.acquire().await.map_err(|e| e.to_string())?.forget();
            Ok(())
        }
    })
}

#[tokio::test]
async fn every_schedule_form_has_its_next_run() {
    let v = vm_at("2026-01-01T10:00:00.500Z").await;
    let forms = [
        ("five", "* * * * *", "2026-01-01T10:01:00Z"),
        ("six", "*/10 * * * * *", "2026-01-01T10:00:10Z"),
        ("hourly", "@hourly", "2026-01-01T11:00:00Z"),
        ("daily", "@daily", "2026-01-02T00:00:00Z"),
        ("midnight", "@midnight", "2026-01-02T00:00:00Z"),
        ("weekly", "@weekly", "2026-01-04T00:00:00Z"),
        ("monthly", "@monthly", "2026-02-01T00:00:00Z"),
        ("yearly", "@yearly", "2027-01-01T00:00:00Z"),
        ("annually", "@annually", "2027-01-01T00:00:00Z"),
        ("named", "30 9 * * MON-FRI", "2026-01-02T09:30:00Z"),
        ("berlin", "TZ=Europe/Berlin 0 9 * * *", "2026-01-02T08:00:00Z"),
        ("once", "2026-01-01T12:00:00Z", "2026-01-01T12:00:00Z"),
        ("once-space", "2026-01-01 12:00", "2026-01-01T12:00:00Z"),
        ("once-offset", "2026-01-01T12:00:30.25+01:00", "2026-01-01T11:00:30.250Z"),
        ("once-date", "2026-06-01", "2026-06-01T00:00:00Z"),
        ("once-zone", "TZ=Asia/Tokyo 2026-01-02T09:00", "2026-01-02T00:00:00Z"),
    ];
    for (id, schedule, _) in forms {
        v.schedule(id, schedule, noop(), Overlap::Allow);
    }
    let listed = v.vm.list_cron_jobs();
    assert_eq!(listed.len(), forms.len());
    for ((id, schedule, next), job) in forms.iter().zip(&listed) {
        assert_eq!(
            job,
            &CronJobInfo {
                id: id.to_string(),
                schedule: schedule.to_string(),
                action: "callback".into(),
                overlap: Overlap::Allow,
                last_run: None,
                next_run: Some(t(next)),
                run_count: 0,
                running: false,
            }
        );
    }
}

#[tokio::test]
async fn default_id_is_a_uuid_and_actions_are_described() {
    let v = vm_at("2026-01-01T10:00:00Z").await;
    let a = v.vm.schedule_cron(CronJobOptions::new("@hourly", CronAction::exec("rm", ["-rf", "/tmp/a b"]))).unwrap();
    let b =
        v.vm.schedule_cron(CronJobOptions {
            overlap: Overlap::Queue,
            ..CronJobOptions::new(
                "@daily",
                CronAction::Session {
                    agent_type: "pi".into(),
                    prompt: "hi".into(),
                    options: CronSessionOptions::default(),
                },
            )
        })
        .unwrap();
    for id in [&a.id, &b.id] {
        let shape: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(shape, [8, 4, 4, 4, 12], "{id}");
        assert_eq!(id.as_bytes()[14], b'4', "{id}");
        assert!(matches!(id.as_bytes()[19], b'8' | b'9' | b'a' | b'b'), "{id}");
    }
    assert_ne!(a.id, b.id);
    let jobs = v.vm.list_cron_jobs();
    assert_eq!(
        (jobs[0].action.as_str(), jobs[0].overlap, jobs[1].action.as_str(), jobs[1].overlap),
        ("exec: rm -rf '/tmp/a b'", Overlap::Allow, "session: pi", Overlap::Queue)
    );
}

#[tokio::test]
async fn seconds_field_fires_every_second() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    let runs = Arc::new(AtomicUsize::new(0));
    let r = runs.clone();
    v.schedule(
        "tick",
        "* * * * * *",
        CronAction::callback(move || {
            r.fetch_add(1, Ordering::SeqCst);
            async { Ok(()) }
        }),
        Overlap::Allow,
    );
    for s in 1..=3 {
        v.advance(1);
        let time = format!("2026-01-01T10:00:0{s}Z");
        assert_eq!(v.event().await, fire("tick", &time));
        assert_eq!(v.event().await, complete("tick", &time, 0, None));
    }
    assert_eq!(runs.load(Ordering::SeqCst), 3);
    let job = v.job("tick");
    assert_eq!(
        (job.run_count, job.last_run, job.next_run, job.running),
        (3, Some(t("2026-01-01T10:00:03Z")), Some(t("2026-01-01T10:00:04Z")), false)
    );
}

#[tokio::test]
async fn a_clock_jump_fires_due_jobs_once_each_in_order() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    v.schedule("late", "0 12 * * *", noop(), Overlap::Allow);
    v.schedule("early", "0 11 * * *", noop(), Overlap::Allow);
    v.schedule("never", "0 14 * * *", noop(), Overlap::Allow);
    v.advance(3 * 3600);
    let mut got = Vec::new();
    for _ in 0..4 {
        got.push(v.event().await);
    }
    // Fires come in due order; each run's completion follows its fire.
    let fires: Vec<_> = got.iter().filter(|e| e.kind() == "cron:fire").map(|e| e.job_id().to_string()).collect();
    assert_eq!(fires, ["early", "late"]);
    assert!(got.contains(&complete("early", "2026-01-01T13:00:00Z", 0, None)));
    assert!(got.contains(&complete("late", "2026-01-01T13:00:00Z", 0, None)));
    v.quiet().await;
    assert_eq!(v.job("early").next_run, Some(t("2026-01-02T11:00:00Z")));
    assert_eq!(v.job("never").next_run, Some(t("2026-01-01T14:00:00Z")));
}

#[tokio::test]
async fn time_zones_and_dst() {
    // Berlin springs forward on 2026-03-29: 02:00 CET becomes 03:00 CEST,
    // so 02:30 does not exist that day. croner runs a fixed-time job at the
    // first valid time after the gap (03:00 CEST = 01:00Z), and the next
    // day at 02:30 CEST (00:30Z).
    let mut v = vm_at("2026-03-28T12:00:00Z").await;
    v.schedule("gap", "TZ=Europe/Berlin 30 2 * * *", noop(), Overlap::Allow);
    v.schedule("summer", "TZ=Europe/Berlin 0 9 * * *", noop(), Overlap::Allow);
    assert_eq!(v.job("gap").next_run, Some(t("2026-03-29T01:00:00Z")));
    assert_eq!(v.job("summer").next_run, Some(t("2026-03-29T07:00:00Z")));
    v.clock.set(Timespec::from_nanos(1_774_746_000 * 1_000_000_000)); // 2026-03-29T01:00:00Z
    assert_eq!(v.event().await, fire("gap", "2026-03-29T01:00:00Z"));
    assert_eq!(v.event().await, complete("gap", "2026-03-29T01:00:00Z", 0, None));
    v.wait_next("gap", "2026-03-30T00:30:00Z").await;

    // Berlin falls back on 2026-10-25: 02:30 happens twice (00:30Z CEST,
    // 01:30Z CET); a fixed-time job runs only in the first.
    let mut v = vm_at("2026-10-24T12:00:00Z").await;
    v.schedule("fold", "TZ=Europe/Berlin 30 2 * * *", noop(), Overlap::Allow);
    assert_eq!(v.job("fold").next_run, Some(t("2026-10-25T00:30:00Z")));
    v.advance(12 * 3600 + 30 * 60);
    assert_eq!(v.event().await, fire("fold", "2026-10-25T00:30:00Z"));
    v.wait_next("fold", "2026-10-26T01:30:00Z").await;

    // An interval job skips the times that do not exist: 02:00 and 02:30
    // on the 29th, so its next run is 02:00 CEST on the 30th.
    let v = vm_at("2026-03-28T12:00:00Z").await;
    v.schedule("interval", "TZ=Europe/Berlin */30 2 * * *", noop(), Overlap::Allow);
    assert_eq!(v.job("interval").next_run, Some(t("2026-03-30T00:00:00Z")));
}

#[tokio::test]
async fn overlap_skip_drops_fires_while_running() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    let gate = Arc::new(Semaphore::new(0));
    v.schedule("slow", "* * * * *", gated(&gate), Overlap::Skip);
    v.advance(60);
    assert_eq!(v.event().await, fire("slow", "2026-01-01T10:01:00Z"));
    assert!(v.job("slow").running);
    v.advance(60);
    v.wait_next("slow", "2026-01-01T10:03:00Z").await;
    v.advance(60);
    v.wait_next("slow", "2026-01-01T10:04:00Z").await;
    v.quiet().await;
    gate.add_permits(1);
    assert_eq!(v.event().await, complete("slow", "2026-01-01T10:03:00Z", 120_000, None));
    v.quiet().await;
    let job = v.job("slow");
    assert_eq!((job.run_count, job.running), (1, false));
    v.advance(60);
    assert_eq!(v.event().await, fire("slow", "2026-01-01T10:04:00Z"));
    gate.add_permits(1);
    assert_eq!(v.event().await, complete("slow", "2026-01-01T10:04:00Z", 0, None));
    assert_eq!(v.job("slow").run_count, 2);
}

#[tokio::test]
async fn overlap_queue_runs_once_more_after() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    let gate = Arc::new(Semaphore::new(0));
    v.schedule("slow", "* * * * *", gated(&gate), Overlap::Queue);
    v.advance(60);
    assert_eq!(v.event().await, fire("slow", "2026-01-01T10:01:00Z"));
    // Two fires while it runs: one pending run.
    v.advance(60);
    v.wait_next("slow", "2026-01-01T10:03:00Z").await;
    v.advance(60);
    v.wait_next("slow", "2026-01-01T10:04:00Z").await;
    v.quiet().await;
    gate.add_permits(1);
    assert_eq!(v.event().await, complete("slow", "2026-01-01T10:03:00Z", 120_000, None));
    assert_eq!(v.event().await, fire("slow", "2026-01-01T10:03:00Z"));
    assert!(v.job("slow").running);
    gate.add_permits(1);
    assert_eq!(v.event().await, complete("slow", "2026-01-01T10:03:00Z", 0, None));
    v.quiet().await;
    let job = v.job("slow");
    assert_eq!((job.run_count, job.running, job.last_run), (2, false, Some(t("2026-01-01T10:03:00Z"))));
}

#[tokio::test]
async fn overlap_allow_runs_concurrently() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    let gate = Arc::new(Semaphore::new(0));
    v.schedule("slow", "* * * * *", gated(&gate), Overlap::Allow);
    v.advance(60);
    assert_eq!(v.event().await, fire("slow", "2026-01-01T10:01:00Z"));
    v.advance(60);
    assert_eq!(v.event().await, fire("slow", "2026-01-01T10:02:00Z"));
    let job = v.job("slow");
    assert_eq!((job.run_count, job.running), (2, true));
    gate.add_permits(2);
    assert_eq!(v.event().await.kind(), "cron:complete");
    assert_eq!(v.event().await.kind(), "cron:complete");
    v.quiet().await;
    assert!(!v.job("slow").running);
}

#[tokio::test]
async fn one_shot_fires_once_then_is_gone() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    v.schedule("once", "2026-01-01T10:00:30Z", noop(), Overlap::Allow);
    v.advance(29);
    v.quiet().await;
    assert_eq!(v.vm.list_cron_jobs().len(), 1);
    v.advance(1);
    assert_eq!(v.event().await, fire("once", "2026-01-01T10:00:30Z"));
    assert_eq!(v.event().await, complete("once", "2026-01-01T10:00:30Z", 0, None));
    assert!(v.vm.list_cron_jobs().is_empty());
    v.advance(3600);
    v.quiet().await;
}

#[tokio::test]
async fn invalid_and_past_schedules_are_refused() {
    let v = vm_at("2026-01-01T10:00:00Z").await;
    let try_schedule = |s: &str| v.vm.schedule_cron(CronJobOptions::new(s, noop())).map(|j| j.id);
    let e = try_schedule("every day").unwrap_err();
    assert_eq!(e, Error::InvalidSchedule { schedule: "every day".into() });
    assert_eq!(
        e.to_string(),
        "Invalid schedule \"every day\". Expected a cron expression or an ISO-like one-shot timestamp."
    );
    for bad in ["* * * *", "60 * * * *", "@sometimes", "TZ=Nowhere/City * * * * *", "2026-13-01T00:00Z", "0 0 31 2 *"] {
        assert_eq!(try_schedule(bad).unwrap_err(), Error::InvalidSchedule { schedule: bad.into() });
    }
    for past in ["2026-01-01T10:00:00Z", "2025-12-31", "2026-01-01T11:00+02:00"] {
        let e = try_schedule(past).unwrap_err();
        assert_eq!(e, Error::PastSchedule { schedule: past.into() });
        assert_eq!(e.to_string(), format!("One-shot schedule \"{past}\" is already in the past."));
    }
    assert!(v.vm.list_cron_jobs().is_empty());
}

#[tokio::test]
async fn events_in_order_with_durations_and_errors() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    let gate = Arc::new(Semaphore::new(0));
    v.schedule("timed", "0 * * * *", gated(&gate), Overlap::Allow);
    v.schedule("fails", "0 * * * *", CronAction::callback(|| async { Err("boom".to_string()) }), Overlap::Allow);
    v.schedule("panics", "0 * * * *", CronAction::callback(|| async { panic!("oops") }), Overlap::Allow);
    v.schedule("status", "0 * * * *", CronAction::exec("exit", ["3"]), Overlap::Allow);
    v.schedule(
        "agent",
        "0 * * * *",
        CronAction::Session { agent_type: "pi".into(), prompt: "hi".into(), options: Default::default() },
        Overlap::Allow,
    );
    v.advance(3600);
    let at = "2026-01-01T11:00:00Z";
    let mut got = Vec::new();
    for _ in 0..9 {
        got.push(v.event().await);
    }
    let fires: Vec<_> = got.iter().filter(|e| e.kind() == "cron:fire").cloned().collect();
    assert_eq!(fires, ["timed", "fails", "panics", "status", "agent"].map(|id| fire(id, at)));
    for want in [
        error("fails", at, "boom"),
        error("panics", at, "callback panicked: oops"),
        complete("status", at, 0, Some(3)),
        error("agent", at, "Unknown agent type: pi"),
    ] {
        assert!(got.contains(&want), "{want:?} in {got:?}");
        // Each end comes after its job's fire.
        let end = got.iter().position(|e| *e == want).unwrap();
        let start = got.iter().position(|e| *e == fire(want.job_id(), at)).unwrap();
        assert!(start < end);
    }
    v.clock.advance(Duration::from_millis(1500));
    gate.add_permits(1);
    assert_eq!(v.event().await, complete("timed", "2026-01-01T11:00:01.500Z", 1500, None));
    v.quiet().await;
}

#[tokio::test]
async fn exec_args_are_quoted() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    v.schedule(
        "quote",
        "* * * * *",
        CronAction::exec(r#"sh -c 'printf "[%s]" "$@" > /tmp/out' sh"#, ["a b", "it's", "$HOME", "*", ""]),
        Overlap::Allow,
    );
    v.advance(60);
    assert_eq!(v.event().await, fire("quote", "2026-01-01T10:01:00Z"));
    assert_eq!(v.event().await, complete("quote", "2026-01-01T10:01:00Z", 0, Some(0)));
    assert_eq!(v.vm.read_file("/tmp/out").await.unwrap(), b"[a b][it's][$HOME][*][]");
}

#[tokio::test]
async fn cancel_by_handle_and_by_id() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    let a = v.schedule("a", "* * * * *", noop(), Overlap::Allow);
    v.schedule("b", "* * * * *", noop(), Overlap::Allow);
    v.schedule("c", "* * * * *", noop(), Overlap::Allow);
    a.cancel();
    a.cancel();
    v.vm.cancel_cron_job("b");
    v.vm.cancel_cron_job("nope");
    let ids: Vec<_> = v.vm.list_cron_jobs().into_iter().map(|j| j.id).collect();
    assert_eq!(ids, ["c"]);
    v.advance(60);
    assert_eq!(v.event().await, fire("c", "2026-01-01T10:01:00Z"));
    assert_eq!(v.event().await, complete("c", "2026-01-01T10:01:00Z", 0, None));
    v.quiet().await;

    // A run in progress finishes; the job does not fire again.
    let gate = Arc::new(Semaphore::new(0));
    v.schedule("c", "* * * * *", gated(&gate), Overlap::Allow);
    v.advance(60);
    assert_eq!(v.event().await, fire("c", "2026-01-01T10:02:00Z"));
    v.vm.cancel_cron_job("c");
    assert!(v.vm.list_cron_jobs().is_empty());
    gate.add_permits(1);
    assert_eq!(v.event().await, complete("c", "2026-01-01T10:02:00Z", 0, None));
    v.advance(60);
    v.quiet().await;
}

#[tokio::test]
async fn same_id_replaces_and_old_handle_is_inert() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    let old = v.schedule("job", "@daily", noop(), Overlap::Allow);
    v.schedule("job", "* * * * *", noop(), Overlap::Skip);
    old.cancel();
    let jobs = v.vm.list_cron_jobs();
    assert_eq!((jobs.len(), jobs[0].schedule.as_str(), jobs[0].overlap), (1, "* * * * *", Overlap::Skip));
    v.advance(60);
    assert_eq!(v.event().await, fire("job", "2026-01-01T10:01:00Z"));
}

#[tokio::test]
async fn unsubscribe_stops_events() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    let (tx, mut seen) = unbounded_channel();
    let unsubscribe = v.vm.on_cron_event(Arc::new(move |e: &CronEvent| {
        let _ = tx.send(e.kind());
    }));
    // A panicking handler does not stop the others.
    let _ = v.vm.on_cron_event(Arc::new(|_: &CronEvent| panic!("handler bug")));
    // Handlers run in subscription order: once this one has an event, the
    // earlier ones have had it too.
    let (tx, mut last) = unbounded_channel();
    let _ = v.vm.on_cron_event(Arc::new(move |e: &CronEvent| {
        let _ = tx.send(e.kind());
    }));
    v.schedule("a", "* * * * *", noop(), Overlap::Allow);
    v.advance(60);
    for _ in 0..2 {
        v.event().await;
        last.recv().await.unwrap();
    }
    assert_eq!((seen.try_recv(), seen.try_recv()), (Ok("cron:fire"), Ok("cron:complete")));
    unsubscribe();
    v.advance(60);
    for _ in 0..2 {
        v.event().await;
        last.recv().await.unwrap();
    }
    assert!(seen.try_recv().is_err());
}

#[tokio::test]
async fn dispose_cancels_everything() {
    let mut v = vm_at("2026-01-01T10:00:00Z").await;
    v.schedule("a", "* * * * *", noop(), Overlap::Allow);
    v.schedule("b", "2026-01-01T10:00:30Z", noop(), Overlap::Allow);
    v.vm.dispose().await.unwrap();
    assert!(v.vm.list_cron_jobs().is_empty());
    v.advance(3600);
    v.quiet().await;
    let e = v.vm.schedule_cron(CronJobOptions::new("* * * * *", noop())).unwrap_err();
    assert_eq!(e, Error::Disposed);
}

#[tokio::test]
async fn no_task_without_jobs() {
    let v = vm_at("2026-01-01T10:00:00Z").await;
    let metrics = tokio::runtime::Handle::current().metrics();
    assert_eq!(metrics.num_alive_tasks(), 0);
    let job = v.schedule("a", "* * * * *", noop(), Overlap::Allow);
    assert_eq!(metrics.num_alive_tasks(), 1);
    job.cancel();
    tokio::time::timeout(PATIENCE, async {
        while metrics.num_alive_tasks() != 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the scheduler task ends with the last job");
    // A VM dropped without dispose takes its scheduler with it.
    v.schedule("b", "* * * * *", noop(), Overlap::Allow);
    assert_eq!(metrics.num_alive_tasks(), 1);
    drop(v);
    tokio::time::timeout(PATIENCE, async {
        while metrics.num_alive_tasks() != 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the scheduler task ends with the VM");
}

#[test]
fn outside_a_runtime_is_an_error() {
    let vm = AgentOs::create_sync(AgentOsOptions::default()).unwrap();
    let e = vm.schedule_cron(CronJobOptions::new("@hourly", noop())).unwrap_err();
    assert_eq!(e, Error::NoRuntime);
    assert_eq!(e.to_string(), "cron needs a Tokio runtime: call schedule_cron from inside one");
}

/// The seed's example: hourly `rm -rf /tmp/cache`.
#[tokio::test]
async fn seed_example_cleans_the_cache_every_hour() {
    let mut v = vm_at("2026-01-01T10:17:00Z").await;
    v.vm.mkdir("/tmp/cache", MkdirOptions::default()).await.unwrap();
    v.vm.write_file("/tmp/cache/data.bin", "cached").await.unwrap();
    let job =
        v.vm.schedule_cron(CronJobOptions {
            id: Some("cleanup".into()),
            ..CronJobOptions::new("0 * * * *", CronAction::exec("rm", ["-rf", "/tmp/cache"]))
        })
        .unwrap();
    assert_eq!(job.id, "cleanup");
    assert_eq!(v.job("cleanup").next_run, Some(t("2026-01-01T11:00:00Z")));
    v.advance(43 * 60);
    assert_eq!(v.event().await, fire("cleanup", "2026-01-01T11:00:00Z"));
    assert_eq!(v.event().await, complete("cleanup", "2026-01-01T11:00:00Z", 0, Some(0)));
    assert!(!v.vm.exists("/tmp/cache").await.unwrap());
    let info = v.job("cleanup");
    assert_eq!(
        (info.action.as_str(), info.run_count, info.next_run),
        ("exec: rm -rf /tmp/cache", 1, Some(t("2026-01-01T12:00:00Z")))
    );
    job.cancel();
    assert!(v.vm.list_cron_jobs().is_empty());
    v.vm.dispose().await.unwrap();
}
