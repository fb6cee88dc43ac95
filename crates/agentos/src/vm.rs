//! Creating and disposing VMs, and their options.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use agentos_kernel::abi::Cred;
use agentos_kernel::exec::NativeRegistry;
use agentos_kernel::fs::mem::{MemFs, MemLimits};
use agentos_kernel::rootfs::{self, DEFAULT_PATH, USER_HOME, USER_NAME, USER_UID};
use agentos_kernel::{Kernel, KernelConfig, Limits};
use parking_lot::Mutex;

use crate::error::{Error, Result};
use crate::process::Spawned;

/// Resource limits of one VM. Every field has a sane default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VmLimits {
    /// Bytes of file data in the root filesystem (`ENOSPC` past it).
    pub fs_bytes: u64,
    /// Inodes in the root filesystem (`ENOSPC` past it).
    pub fs_inodes: u64,
    /// Processes alive at once (`EAGAIN` past it).
    pub processes: usize,
    /// Open descriptors per process (`EMFILE` past it).
    pub open_fds: usize,
    /// Pipes alive at once (`ENFILE` past it).
    pub pipes: usize,
    /// Bytes programs may hold in charged buffers (`ENOMEM` past it).
    pub memory: u64,
}

impl Default for VmLimits {
    fn default() -> Self {
        VmLimits {
            fs_bytes: 1 << 30,
            fs_inodes: 1 << 20,
            processes: 1024,
            open_fds: 1024,
            pipes: 4096,
            memory: 512 << 20,
        }
    }
}

/// Options of [`AgentOs::create`].
#[derive(Clone, Default)]
pub struct AgentOsOptions {
    /// Extra environment for every process (over the defaults: `HOME`,
    /// `USER`, `PATH`, `SHELL`, `LANG`, …).
    pub env: Vec<(String, String)>,
    /// Default working directory of processes (default `/home/user`).
    pub cwd: Option<String>,
    /// Resource limits.
    pub limits: VmLimits,
    /// Hostname (default `agentos`).
    pub hostname: Option<String>,
    /// The VM's clock: the kernel's time and what cron jobs follow (default
    /// the host's). Tests pass a
    /// [`ManualClock`](agentos_kernel::clock::ManualClock) and advance it.
    pub clock: Option<Arc<dyn agentos_kernel::clock::Clock>>,
    /// Filesystems mounted at boot (host directories, memory, SQLite),
    /// visible to every guest program.
    pub mounts: Vec<crate::mounts::MountConfig>,
    /// Where the root filesystem lives (default: a fork of the base image).
    pub root: Option<crate::mounts::RootConfig>,
    /// Boot from a snapshot ([`AgentOs::snapshot`]): it becomes the
    /// read-only lower layer of an overlay root with a fresh writable upper
    /// layer. VMs booted from the same bytes share the layer. Overrides
    /// `root`.
    pub root_snapshot: Option<Arc<Vec<u8>>>,
    /// Agents that [`AgentOs::create_session`] can start, by id.
    pub agents: Vec<crate::session::AgentDescriptor>,
    /// A permission policy for guest programs and API calls, deny-by-default
    /// in every domain it leaves out (see [`crate::Policy`]). `None`: the VM
    /// is free inside itself. Mounts given in `mounts` are made before it
    /// applies.
    pub permissions: Option<crate::Policy>,
    /// Software installed at boot: WASM command packages, npm tools and
    /// agents (see [`crate::Software`]). Meta-packages are flattened.
    pub software: Vec<crate::Software>,
    /// Host tools guests call as `agentos-<toolkit> <tool> --flag value`
    /// (see [`crate::ToolKit`]; the policy's `tool` domain governs them).
    pub toolkits: Vec<crate::ToolKit>,
    /// Outbound network: the `host:port` patterns guests may connect to
    /// (`api.example.com:443`, `*.example.com:*`, `10.0.0.5:8080`,
    /// `10.0.0.0/8:*`, `[::1]:80`, `host.agentos.internal:8080` for the
    /// host's own loopback). Empty (the default): no outbound network at
    /// all. Names resolving only to loopback, private or link-local
    /// addresses are refused unless an IP pattern covers them; see the
    /// README's network section. An invalid pattern fails `create`.
    pub allow_net: Vec<String>,
    /// Names the host resolves to fixed addresses instead of asking DNS
    /// (like `curl --resolve`); the allow-list still applies.
    pub dns_overrides: Vec<(String, Vec<std::net::IpAddr>)>,
    /// PEM root certificates guests' TLS clients trust besides Mozilla's
    /// (`https`, `tls.connect`, `fetch('https://…')`).
    pub tls_roots: Vec<Vec<u8>>,
}

impl std::fmt::Debug for AgentOsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentOsOptions")
            .field("env", &self.env)
            .field("cwd", &self.cwd)
            .field("limits", &self.limits)
            .field("hostname", &self.hostname)
            .field("clock", &self.clock.as_ref().map(|_| "<clock>"))
            .field("mounts", &self.mounts)
            .field("root", &self.root)
            .field("permissions", &self.permissions)
            .field("software", &self.software)
            .field("toolkits", &self.toolkits)
            .field("allow_net", &self.allow_net)
            .field("dns_overrides", &self.dns_overrides)
            .field("tls_roots", &self.tls_roots.len())
            .finish_non_exhaustive()
    }
}

pub(crate) struct VmInner {
    pub kernel: Kernel,
    pub env: Vec<(String, String)>,
    pub cwd: String,
    pub disposed: AtomicBool,
    pub spawned: Mutex<HashMap<i32, Arc<Spawned>>>,
    pub cron: crate::cron::CronState,
    /// The root filesystem by kind, and the options it was built from
    /// (for `fork`).
    pub root: crate::mounts::RootFs,
    pub options: AgentOsOptions,
    pub shells: crate::shell::Shells,
    pub sessions: crate::session::Sessions,
}

/// A VM: a kernel of its own, with a filesystem, processes and a shell,
/// living inside this process.
///
/// Cheap to clone (a handle). Idle VMs own no thread.
#[derive(Clone)]
pub struct AgentOs {
    pub(crate) inner: Arc<VmInner>,
}

/// The user every guest process runs as.
pub(crate) const USER: Cred = Cred::user(USER_UID, USER_UID);

struct Base {
    natives: Arc<NativeRegistry>,
    image: MemFs,
}

fn base(hostname: &str) -> &'static Base {
    static BASES: OnceLock<Mutex<HashMap<String, &'static Base>>> = OnceLock::new();
    let mut map = BASES.get_or_init(Default::default).lock();
    if let Some(b) = map.get(hostname) {
        return b;
    }
    let natives = Arc::new(crate::natives::registry());
    let clock: Arc<dyn agentos_kernel::clock::Clock> = Arc::new(agentos_host::HostClock::default());
    // The base image is built from constants; failing here is a bug in it.
    let image = rootfs::build_base(clock, &natives, hostname).expect("base image builds");
    // One base per hostname for the life of the process, shared by all VMs.
    let b: &'static Base = Box::leak(Box::new(Base { natives, image }));
    map.insert(hostname.to_string(), b);
    b
}

/// The environment every process starts with, before user additions.
pub(crate) fn default_env(hostname: &str) -> Vec<(String, String)> {
    [
        ("HOME", USER_HOME),
        ("USER", USER_NAME),
        ("LOGNAME", USER_NAME),
        ("HOSTNAME", hostname),
        ("SHELL", "/bin/bash"),
        ("PATH", DEFAULT_PATH),
        ("LANG", "C.UTF-8"),
        ("TERM", "xterm-256color"),
        ("PWD", USER_HOME),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Set `key` in an ordered environment, replacing an earlier value.
pub(crate) fn set_env(env: &mut Vec<(String, String)>, key: &str, value: &str) {
    match env.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value.to_string(),
        None => env.push((key.to_string(), value.to_string())),
    }
}

impl AgentOs {
    /// Boot a VM. Takes microseconds: the root filesystem is a
    /// copy-on-write fork of a base image shared by every VM.
    pub async fn create(options: AgentOsOptions) -> Result<AgentOs> {
        AgentOs::create_sync(options)
    }

    /// [`AgentOs::create`] without `async`.
    pub fn create_sync(options: AgentOsOptions) -> Result<AgentOs> {
        AgentOs::create_with_root(options, None)
    }

    /// Boot with `root` as the root filesystem, or the one the options ask
    /// for.
    pub(crate) fn create_with_root(options: AgentOsOptions, root: Option<crate::mounts::RootFs>) -> Result<AgentOs> {
        crate::software::validate(&options.software)?;
        crate::toolkit::validate(&options.toolkits)?;
        let hostname = options.hostname.clone().unwrap_or_else(|| "agentos".to_string());
        let base = base(&hostname);
        let limits = options.limits;
        let clock = options.clock.clone().unwrap_or_else(|| Arc::new(agentos_host::HostClock::default()));
        let fs_limits = MemLimits { max_bytes: limits.fs_bytes, max_inodes: limits.fs_inodes };
        let root = match root {
            Some(r) => r,
            None => crate::mounts::build_root(&options, &base.image, clock.clone(), fs_limits)?,
        };
        let kernel = Kernel::new(
            KernelConfig {
                root: root.fs(),
                clock: clock.clone(),
                entropy: Arc::new(agentos_host::HostEntropy),
                limits: Limits {
                    max_processes: limits.processes,
                    max_open_fds: limits.open_fds,
                    max_pipes: limits.pipes,
                    max_memory: limits.memory,
                },
                hostname: hostname.clone(),
                natives: base.natives.clone(),
                binfmts: [vec![agentos_wasm::binfmt()], crate::toolkit::binfmts(&options.toolkits)].concat(),
            },
            USER,
        )
        .map_err(|errno| Error::Sys { errno, syscall: "boot" })?;
        for m in &options.mounts {
            let (fs, ro) = crate::mounts::open_backend(&m.backend, clock.clone(), &m.path)?;
            kernel.mount(&m.path, fs, ro).map_err(Error::fs("mount", &m.path))?;
        }
        if !options.allow_net.is_empty() {
            let allow = options
                .allow_net
                .iter()
                .map(|p| {
                    agentos_kernel::net::AllowEntry::parse(p)
                        .ok_or_else(|| Error::InvalidOption(format!("allow_net pattern '{p}' (expected HOST:PORT)")))
                })
                .collect::<Result<Vec<_>>>()?;
            let host = options
                .dns_overrides
                .iter()
                .fold(agentos_host::HostNet::new(), |h, (name, addrs)| h.with_override(name, addrs.clone()));
            let host = options.tls_roots.iter().fold(host, |h, pem| h.with_root_pem(pem.clone()));
            let egress = agentos_kernel::net::Egress::new(allow, Arc::new(host));
            kernel.net.set_egress(egress).map_err(|errno| Error::Sys { errno, syscall: "boot" })?;
        }
        let installed = crate::software::install(&kernel, &options.software)?;
        let tools_installed = crate::toolkit::install(&kernel, &options.toolkits)?;
        if let Some(policy) = &options.permissions {
            kernel.vfs.set_policy(policy.clone()).map_err(|errno| Error::Sys { errno, syscall: "boot" })?;
        }
        let cwd = options.cwd.clone().unwrap_or_else(|| USER_HOME.to_string());
        if !cwd.starts_with('/') {
            return Err(Error::RelativePath(cwd));
        }
        let mut env = default_env(&hostname);
        if installed.bin_dir || tools_installed {
            set_env(&mut env, "PATH", &format!("{}:{DEFAULT_PATH}", crate::software::BIN_DIR));
        }
        let mut options = options;
        if !installed.agents.is_empty() {
            let mut agents = installed.agents;
            agents.append(&mut options.agents);
            options.agents = agents;
        }
        set_env(&mut env, "PWD", &cwd);
        for (k, v) in &options.env {
            set_env(&mut env, k, v);
        }
        Ok(AgentOs {
            inner: Arc::new(VmInner {
                kernel,
                env,
                cwd,
                disposed: AtomicBool::new(false),
                spawned: Mutex::new(HashMap::new()),
                cron: Default::default(),
                root,
                options,
                shells: Default::default(),
                sessions: Default::default(),
            }),
        })
    }

    /// Stop every process and release the VM. Later calls fail with
    /// [`Error::Disposed`].
    pub async fn dispose(&self) -> Result<()> {
        self.dispose_sync();
        Ok(())
    }

    /// [`AgentOs::dispose`] without `async`.
    pub fn dispose_sync(&self) {
        if self.inner.disposed.swap(true, Ordering::SeqCst) {
            return;
        }
        self.inner.cron.dispose();
        crate::session::dispose(self);
        self.inner.kernel.shutdown();
        for p in self.inner.spawned.lock().values() {
            p.stdin.close();
        }
    }

    pub(crate) fn alive(&self) -> Result<&Kernel> {
        if self.inner.disposed.load(Ordering::SeqCst) { Err(Error::Disposed) } else { Ok(&self.inner.kernel) }
    }

    /// The VM's kernel, for embedders that need lower-level access.
    pub fn kernel(&self) -> &Kernel {
        &self.inner.kernel
    }
}

impl Drop for VmInner {
    fn drop(&mut self) {
        self.kernel.shutdown();
    }
}
