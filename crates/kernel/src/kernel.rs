//! One VM's kernel: the VFS, the process table, limits, and the drivers
//! that run programs. Many kernels live in one host process, sharing
//! nothing but the thread pool and whatever immutable base image their
//! root filesystems were forked from.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::Mutex;

use crate::abi::{Cred, Errno, Fd, KResult, Pid, Signal, Timespec, WaitStatus};
use crate::clock::{Clock, Entropy};
use crate::exec::{Binfmts, Image, NativeRegistry, Program};
use crate::file::{OpenFile, Pipe, PipeReader, PipeWriter, Pty, PtyMaster, PtySlave};
use crate::fs::FileSystem;
use crate::process::{ExitHook, FdTable, ProcState, ProcTable, Process, SigState};
use crate::task::{Task, Unwind};
use crate::vfs::{PathCtx, Vfs};

/// Per-VM resource limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Live processes, including zombies (`EAGAIN` past it).
    pub max_processes: usize,
    /// Descriptors per process (`EMFILE` past it).
    pub max_open_fds: usize,
    /// Pipes alive at once in the VM (`ENFILE` past it).
    pub max_pipes: usize,
    /// Bytes that programs may hold in buffers they charge to the VM
    /// (command substitutions, `sort` input, runtime heaps): `ENOMEM` past
    /// it, so a guest that tries to fill memory fails instead of the host.
    pub max_memory: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_processes: 1024, max_open_fds: 1024, max_pipes: 4096, max_memory: 512 << 20 }
    }
}

/// What a kernel is built from.
pub struct KernelConfig {
    pub root: Arc<dyn FileSystem>,
    pub clock: Arc<dyn Clock>,
    pub entropy: Arc<dyn Entropy>,
    pub limits: Limits,
    pub hostname: String,
    pub natives: Arc<NativeRegistry>,
    pub binfmts: Binfmts,
}

/// The state of one VM's kernel.
pub struct KernelInner {
    pub vfs: Vfs,
    /// The VM's own loopback network.
    pub net: Arc<crate::net::Network>,
    pub procs: Mutex<ProcTable>,
    pub limits: Limits,
    pub clock: Arc<dyn Clock>,
    pub entropy: Arc<dyn Entropy>,
    pub natives: Arc<NativeRegistry>,
    pub binfmts: Binfmts,
    pub hostname: String,
    /// Monotonic time at boot, for `/proc/uptime`.
    pub boot: Timespec,
    pipes: Arc<AtomicUsize>,
    next_pipe_id: AtomicU64,
    next_socket_id: AtomicU64,
    memory: AtomicU64,
    shut_down: AtomicBool,
    /// Pseudo-terminals by `/dev/pts` number.
    ptys: Mutex<BTreeMap<u32, Weak<Pty>>>,
}

/// A handle to a VM's kernel. Cheap to clone.
#[derive(Clone)]
pub struct Kernel(pub Arc<KernelInner>);

impl std::ops::Deref for Kernel {
    type Target = KernelInner;
    fn deref(&self) -> &KernelInner {
        &self.0
    }
}

/// Which process a new process joins as its group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Pgroup {
    /// The parent's group.
    #[default]
    Inherit,
    /// A new group led by the new process.
    New,
    /// An existing group.
    Join(Pid),
}

/// How to start a process.
#[derive(Clone, Default)]
pub struct SpawnOptions {
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    /// Working directory; the parent's when `None`.
    pub cwd: Option<String>,
    /// The child's descriptors, exactly (others are not inherited).
    pub fds: Vec<(Fd, Arc<OpenFile>)>,
    pub pgroup: Pgroup,
    /// Called with the final status when the process exits; installed
    /// before it starts, so even the quickest exit is seen.
    pub on_exit: Option<Arc<dyn Fn(WaitStatus) + Send + Sync>>,
}

pub(crate) const INIT: Pid = 1;

impl Kernel {
    /// Boot a kernel: the root filesystem, `/proc`, and the virtual init.
    pub fn new(cfg: KernelConfig, user: Cred) -> KResult<Kernel> {
        let boot = cfg.clock.monotonic();
        let kernel = Kernel(Arc::new_cyclic(|weak| {
            let vfs = Vfs::new(cfg.root.clone());
            let _ = weak;
            KernelInner {
                vfs,
                net: Arc::new(crate::net::Network::new()),
                procs: Mutex::new(ProcTable::default()),
                limits: cfg.limits,
                clock: cfg.clock,
                entropy: cfg.entropy,
                natives: cfg.natives,
                binfmts: cfg.binfmts,
                hostname: cfg.hostname,
                boot,
                pipes: Arc::new(AtomicUsize::new(0)),
                next_pipe_id: AtomicU64::new(1),
                next_socket_id: AtomicU64::new(1),
                memory: AtomicU64::new(0),
                shut_down: AtomicBool::new(false),
                ptys: Mutex::new(BTreeMap::new()),
            }
        }));
        let init = Process::new(
            INIT,
            ProcState {
                ppid: 0,
                pgid: INIT,
                sid: INIT,
                // The host acts through init: as the VM's user, unhindered
                // by permission bits.
                cred: Cred { uid: user.uid, gid: user.gid, dac_override: true },
                umask: 0o022,
                cwd: "/".into(),
                argv: vec!["init".into()],
                env: Vec::new(),
                driver: "kernel",
                sig: SigState::default(),
                status: None,
                children: Vec::new(),
                start_time: kernel.clock.realtime(),
                exit_time: None,
                exit_hooks: Vec::new(),
                ctty: None,
                tier: crate::policy::Tier::Full,
            },
            FdTable::new(),
        );
        kernel.procs.lock().map.insert(INIT, init);
        let procfs = crate::fs::proc::ProcFs::new(Arc::downgrade(&kernel.0));
        let ctx = PathCtx { cred: Cred::ROOT, cwd: "/", pid: INIT, tier: crate::policy::Tier::Full };
        if let Ok(at) = kernel.vfs.resolve(&ctx, "/proc", true) {
            kernel.vfs.mount(&at, Arc::new(procfs), false)?;
        }
        Ok(kernel)
    }

    /// A task acting for the host (the public API): it runs as the virtual
    /// init, with the VM user's ids and permission-bit override.
    pub fn host_task(&self) -> KResult<Task> {
        let init = self.process(INIT).ok_or(Errno::ESRCH)?;
        Ok(Task::new(self.clone(), init, vec!["init".into()], Vec::new()))
    }

    /// Create a pipe, counted against the VM's pipe limit (`ENFILE`).
    pub fn new_pipe(&self) -> KResult<(Arc<PipeReader>, Arc<PipeWriter>)> {
        let n = self.pipes.fetch_add(1, Ordering::SeqCst);
        if n >= self.limits.max_pipes {
            self.pipes.fetch_sub(1, Ordering::SeqCst);
            return Err(Errno::ENFILE);
        }
        let counter = self.pipes.clone();
        let id = self.next_pipe_id.fetch_add(1, Ordering::Relaxed);
        Ok(Pipe::create(
            id,
            Some(Box::new(move || {
                counter.fetch_sub(1, Ordering::SeqCst);
            })),
        ))
    }

    /// Create a pseudo-terminal pair with the lowest free `/dev/pts`
    /// number. Its signals go to this kernel's processes.
    pub fn new_pty(&self) -> KResult<(Arc<PtyMaster>, Arc<PtySlave>)> {
        let mut ptys = self.ptys.lock();
        ptys.retain(|_, p| p.strong_count() > 0);
        let index = (0u32..).find(|i| !ptys.contains_key(i)).ok_or(Errno::ENOSPC)?;
        let weak = Arc::downgrade(&self.0);
        let (m, s) = Pty::create(
            index,
            Box::new(move |pid, sig| {
                // `-1` would mean every process; a group is never 1 here.
                if let (Some(k), true) = (weak.upgrade(), pid != -1) {
                    let _ = Kernel(k).kill(None, pid, sig.0);
                }
            }),
        );
        ptys.insert(index, Arc::downgrade(m.pty()));
        Ok((m, s))
    }

    /// The pseudo-terminal `/dev/pts/<index>`, if it still exists.
    pub fn pty(&self, index: u32) -> Option<Arc<Pty>> {
        self.ptys.lock().get(&index).and_then(Weak::upgrade)
    }

    /// Charge `bytes` of program memory to the VM; `ENOMEM` (and nothing
    /// charged) if that would pass [`Limits::max_memory`].
    pub fn charge_memory(&self, bytes: u64) -> KResult<()> {
        let mut cur = self.memory.load(Ordering::Relaxed);
        loop {
            let new = cur.checked_add(bytes).ok_or(Errno::ENOMEM)?;
            if new > self.limits.max_memory {
                return Err(Errno::ENOMEM);
            }
            match self.memory.compare_exchange_weak(cur, new, Ordering::SeqCst, Ordering::Relaxed) {
                Ok(_) => return Ok(()),
                Err(c) => cur = c,
            }
        }
    }

    /// Return memory charged with [`Kernel::charge_memory`].
    pub fn uncharge_memory(&self, bytes: u64) {
        let _ = self.memory.fetch_update(Ordering::SeqCst, Ordering::Relaxed, |c| Some(c.saturating_sub(bytes)));
    }

    /// Program memory currently charged to the VM.
    pub fn memory_used(&self) -> u64 {
        self.memory.load(Ordering::Relaxed)
    }

    /// A fresh socket inode number.
    pub fn next_socket_id(&self) -> u64 {
        self.next_socket_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Processes by pid.
    pub fn process(&self, pid: Pid) -> Option<Arc<Process>> {
        self.procs.lock().get(pid)
    }

    /// Every process except init, live and zombie.
    pub fn processes(&self) -> Vec<Arc<Process>> {
        self.procs.lock().map.iter().filter(|(p, _)| **p != INIT).map(|(_, p)| p.clone()).collect()
    }

    /// Start a process whose program is the executable at `path`, as a child
    /// of `parent` (init for the host). Errors are `execve`'s.
    pub fn spawn(&self, parent: Option<&Task>, path: &str, mut opts: SpawnOptions, cred: Cred) -> KResult<Pid> {
        if let Some(p) = parent {
            p.permit_spawn(path, &mut opts.env)?;
        } else if let Some(g) = self.vfs.guard() {
            // The host's own spawns are not `child_process` checked, but the
            // environment they pass is filtered like any other.
            opts.env.retain(|(k, _)| g.check(crate::policy::Domain::Env, "read", k).is_ok());
        }
        let proc = self.create_process(parent, &opts, cred)?;
        let task = Task::new(self.clone(), proc.clone(), opts.argv.clone(), opts.env.clone());
        match task.load_image(path, opts.argv.clone()) {
            Ok(image) => {
                self.start(task, image);
                Ok(proc.pid)
            }
            Err(e) => {
                // Never ran: remove without a trace.
                drop(task);
                self.discard(&proc);
                Err(e)
            }
        }
    }

    /// Start a process running `f` (the `fork` of native programs).
    pub fn spawn_fn(
        &self,
        parent: Option<&Task>,
        opts: SpawnOptions,
        cred: Cred,
        f: Box<dyn FnOnce(&mut Task) -> i32 + Send>,
    ) -> KResult<Pid> {
        let proc = self.create_process(parent, &opts, cred)?;
        let task = Task::new(self.clone(), proc.clone(), opts.argv.clone(), opts.env.clone());
        let path = opts.argv.first().cloned().unwrap_or_default();
        self.start(
            task,
            Image { program: Box::new(crate::exec::FnProgram(f)), argv: opts.argv, path, env: Vec::new() },
        );
        Ok(proc.pid)
    }

    fn create_process(&self, parent: Option<&Task>, opts: &SpawnOptions, cred: Cred) -> KResult<Arc<Process>> {
        if self.shut_down.load(Ordering::SeqCst) {
            return Err(Errno::ESRCH);
        }
        let (ppid, pgid_parent, sid, cwd, umask, cred, ctty, tier) = match parent {
            Some(t) => {
                let st = t.process().state.lock();
                (t.pid(), st.pgid, st.sid, st.cwd.clone(), st.umask, st.cred, st.ctty.clone(), st.tier)
            }
            None => (INIT, INIT, INIT, "/".to_string(), 0o022, cred, None, crate::policy::Tier::Full),
        };
        let cwd = match &opts.cwd {
            Some(c) => {
                let ctx = PathCtx { cred, cwd: &cwd, pid: ppid, tier };
                let r = self.vfs.resolve(&ctx, c, true)?;
                if !r.stat.is_dir() {
                    return Err(Errno::ENOTDIR);
                }
                r.path
            }
            None => cwd,
        };
        let mut fds = FdTable::new();
        for (fd, f) in &opts.fds {
            fds.set(*fd, f.clone(), false, self.limits.max_open_fds)?;
        }
        let mut table = self.procs.lock();
        if table.count() >= self.limits.max_processes {
            return Err(Errno::EAGAIN);
        }
        let pid = table.alloc_pid().ok_or(Errno::EAGAIN)?;
        let pgid = match opts.pgroup {
            Pgroup::Inherit => pgid_parent,
            Pgroup::New => pid,
            Pgroup::Join(g) => g,
        };
        let proc = Process::new(
            pid,
            ProcState {
                ppid,
                pgid,
                sid: if parent.is_some() { sid } else { pid },
                cred,
                umask,
                cwd,
                argv: opts.argv.clone(),
                env: opts.env.clone(),
                driver: "native",
                sig: SigState::default(),
                status: None,
                children: Vec::new(),
                start_time: self.clock.realtime(),
                exit_time: None,
                exit_hooks: opts.on_exit.clone().map(|f| -> ExitHook { Box::new(move |s| f(s)) }).into_iter().collect(),
                ctty,
                tier,
            },
            fds,
        );
        table.map.insert(pid, proc.clone());
        if let Some(p) = table.get(ppid) {
            p.state.lock().children.push(pid);
        }
        Ok(proc)
    }

    /// Remove a process that never started.
    fn discard(&self, proc: &Arc<Process>) {
        let fds = proc.fds.lock().take_all();
        drop(fds);
        let mut table = self.procs.lock();
        let ppid = proc.state.lock().ppid;
        table.map.remove(&proc.pid);
        if let Some(p) = table.get(ppid) {
            p.state.lock().children.retain(|c| *c != proc.pid);
        }
    }

    /// Register a hook run with the exit status when `pid` exits (at once if
    /// it already has). `ESRCH` if there is no such process.
    pub fn on_exit(&self, pid: Pid, hook: ExitHook) -> KResult<()> {
        let p = self.process(pid).ok_or(Errno::ESRCH)?;
        let mut st = p.state.lock();
        match st.status {
            Some(s) => {
                drop(st);
                hook(s);
            }
            None => st.exit_hooks.push(hook),
        }
        Ok(())
    }

    fn start(&self, mut task: Task, image: Image) {
        {
            // A `#!` script runs its interpreter: argv is the image's.
            let mut st = task.process().state.lock();
            st.driver = image.program.driver();
            st.argv = image.argv.clone();
            if let Some(t) = self.vfs.tier_of(&image.path) {
                st.tier = t;
            }
        }
        task.argv = image.argv.clone();
        let kernel = self.clone();
        crate::pool::execute(Box::new(move || {
            let status = run(&mut task, image);
            let proc = task.process().clone();
            drop(task);
            kernel.exit_process(&proc, status);
        }));
    }

    /// Final bookkeeping of an exit: close descriptors, become a zombie,
    /// hand children to init, tell the parent, run exit hooks.
    fn exit_process(&self, proc: &Arc<Process>, status: WaitStatus) {
        let fds = proc.fds.lock().take_all();
        drop(fds);
        let (children, hooks) = {
            let mut st = proc.state.lock();
            if let Some(tty) = st.ctty.take()
                && st.sid == proc.pid
            {
                // The controlling process is gone: the terminal is free.
                tty.release(proc.pid);
            }
            st.status = Some(status);
            st.exit_time = Some(self.clock.realtime());
            (std::mem::take(&mut st.children), std::mem::take(&mut st.exit_hooks))
        };
        let mut table = self.procs.lock();
        let init = table.get(INIT);
        for c in children {
            if let Some(cp) = table.get(c) {
                let mut cs = cp.state.lock();
                cs.ppid = INIT;
                if cs.status.is_some() {
                    drop(cs);
                    table.map.remove(&c);
                } else if let Some(init) = &init {
                    drop(cs);
                    init.state.lock().children.push(c);
                }
            }
        }
        let ppid = proc.state.lock().ppid;
        let parent = table.get(ppid).filter(|_| ppid != INIT);
        match parent {
            Some(p) => {
                drop(table);
                p.child_wq.notify_all();
                p.deliver(Signal::SIGCHLD);
            }
            None => {
                // Init reaps at once.
                table.map.remove(&proc.pid);
                if let Some(init) = init {
                    init.state.lock().children.retain(|c| *c != proc.pid);
                }
                drop(table);
            }
        }
        proc.child_wq.notify_all();
        for h in hooks {
            h(status);
        }
    }

    /// Send `sig` (0 = existence check) to `pid`: a process (`> 0`), the
    /// sender's group (`0`, needs `sender`), a group (`< -1`), or every
    /// process but init (`-1`). `ESRCH` if nothing matched.
    pub fn kill(&self, sender: Option<Pid>, pid: Pid, sig: i32) -> KResult<()> {
        if !(0..=64).contains(&sig) {
            return Err(Errno::EINVAL);
        }
        let targets: Vec<Arc<Process>> = {
            let table = self.procs.lock();
            if pid > 0 {
                table.get(pid).into_iter().collect()
            } else {
                let group = match pid {
                    0 => {
                        let s = sender.and_then(|s| table.get(s)).ok_or(Errno::ESRCH)?;
                        Some(s.state.lock().pgid)
                    }
                    -1 => None,
                    g => Some(-g),
                };
                table
                    .map
                    .values()
                    .filter(|p| p.pid != INIT && Some(p.pid) != if group.is_none() { sender } else { None })
                    .filter(|p| group.is_none_or(|g| p.state.lock().pgid == g))
                    .cloned()
                    .collect()
            }
        };
        if targets.is_empty() || (pid > 0 && pid == INIT) {
            return Err(if pid == INIT && sig != 0 { Errno::EPERM } else { Errno::ESRCH });
        }
        if sig != 0 {
            for t in targets {
                t.deliver(Signal(sig));
            }
        }
        Ok(())
    }

    /// Kill every process and refuse new ones. Used by `dispose`.
    pub fn shutdown(&self) {
        self.shut_down.store(true, Ordering::SeqCst);
        for p in self.processes() {
            p.deliver(Signal::SIGKILL);
        }
    }

    /// Whether [`Kernel::shutdown`] was called.
    pub fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::SeqCst)
    }

    /// Live (not yet exited) process count, init excluded.
    pub fn live_processes(&self) -> usize {
        self.processes().iter().filter(|p| !p.exited()).count()
    }
}

/// Run a process's program (and whatever it `exec`s) to its final status.
fn run(task: &mut Task, image: Image) -> WaitStatus {
    let mut program: Box<dyn Program> = image.program;
    loop {
        let r = catch_unwind(AssertUnwindSafe(|| program.run(task)));
        let status = match r {
            Ok(code) => WaitStatus::Exited(code & 0xff),
            Err(payload) => match payload.downcast::<Unwind>() {
                Ok(u) => match *u {
                    Unwind::Exit(code) => WaitStatus::Exited(code & 0xff),
                    Unwind::Killed(sig) => WaitStatus::Signaled(sig),
                    Unwind::Exec(img) => {
                        program = task.commit_exec(img);
                        continue;
                    }
                },
                Err(other) => {
                    let msg = other
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| other.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    let name = task.argv.first().cloned().unwrap_or_default();
                    let _ = task.write_all(2, format!("{name}: internal error: {msg}\n").as_bytes());
                    WaitStatus::Signaled(Signal::SIGABRT)
                }
            },
        };
        return match task.process().state.lock().sig.fatal {
            Some(sig) => WaitStatus::Signaled(sig),
            None => status,
        };
    }
}
