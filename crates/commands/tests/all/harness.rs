//! A VM with the commands installed, and a way to run one and capture its
//! standard output, standard error and exit status.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use agentos_kernel::abi::{Cred, OFlags, WaitStatus};
use agentos_kernel::clock::{ManualClock, SeededEntropy};
use agentos_kernel::exec::NativeRegistry;
use agentos_kernel::file::{InputChannel, OpenFile, OutputChannel};
use agentos_kernel::task::WaitTarget;
use agentos_kernel::{Kernel, KernelConfig, Pgroup, SpawnOptions};
use parking_lot::Mutex;

pub struct Vm {
    pub k: Kernel,
    pub clock: Arc<ManualClock>,
}

/// What a command did.
#[derive(Debug, PartialEq, Eq)]
pub struct Out {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

const USER: Cred = Cred::user(1000, 1000);

impl Vm {
    pub fn new() -> Vm {
        let clock = Arc::new(ManualClock::default());
        let mut reg = NativeRegistry::new();
        agentos_commands::register(&mut reg);
        let root = Arc::new(agentos_kernel::rootfs::build_base(clock.clone(), &reg, "agentos").unwrap());
        let k = Kernel::new(
            KernelConfig {
                root,
                clock: clock.clone(),
                entropy: Arc::new(SeededEntropy::new(1)),
                limits: Default::default(),
                hostname: "agentos".into(),
                natives: Arc::new(reg),
                binfmts: vec![],
            },
            USER,
        )
        .unwrap();
        Vm { k, clock }
    }

    /// Run `argv` (argv[0] looked up in /usr/bin) in /home/user.
    pub fn run_in(&self, cwd: &str, argv: &[&str], stdin: &[u8]) -> Out {
        let out = Arc::new(Mutex::new(Vec::new()));
        let err = Arc::new(Mutex::new(Vec::new()));
        let (o2, e2) = (out.clone(), err.clone());
        let stdout = OpenFile::stream(
            OutputChannel::new(Arc::new(move |d: &[u8]| o2.lock().extend_from_slice(d))),
            OFlags::WRONLY,
        );
        let stderr = OpenFile::stream(
            OutputChannel::new(Arc::new(move |d: &[u8]| e2.lock().extend_from_slice(d))),
            OFlags::WRONLY,
        );
        let input = InputChannel::new();
        input.push(stdin).unwrap();
        input.close();
        let stdin = OpenFile::stream(input, OFlags::RDONLY);
        let path = if argv[0].starts_with('/') { argv[0].to_string() } else { format!("/usr/bin/{}", argv[0]) };
        let env = vec![
            ("PATH".to_string(), "/usr/bin:/bin".to_string()),
            ("HOME".to_string(), "/home/user".to_string()),
            ("USER".to_string(), "user".to_string()),
            ("LC_ALL".to_string(), "C".to_string()),
            ("TZ".to_string(), "UTC".to_string()),
        ];
        let opts = SpawnOptions {
            argv: argv.iter().map(|s| s.to_string()).collect(),
            env,
            cwd: Some(cwd.into()),
            fds: vec![(0, stdin), (1, stdout), (2, stderr)],
            pgroup: Pgroup::Inherit,
            on_exit: None,
        };
        // A parent process in the VM spawns and reaps the command, so its
        // status cannot be lost to init's immediate reaping.
        let (tx, rx) = mpsc::channel();
        let parent = SpawnOptions { argv: vec!["harness".into()], pgroup: Pgroup::New, ..Default::default() };
        self.k
            .spawn_fn(
                None,
                parent,
                USER,
                Box::new(move |t| {
                    let st = t.spawn(&path, opts).and_then(|pid| t.waitpid(WaitTarget::Pid(pid), false));
                    let _ = tx.send(st);
                    0
                }),
            )
            .unwrap();
        let st = rx.recv_timeout(Duration::from_secs(20)).expect("command timed out");
        let st = match st {
            Ok(Some((_, st))) => st,
            other => panic!("spawn failed: {other:?}"),
        };
        let code = match st {
            WaitStatus::Exited(c) => c,
            WaitStatus::Signaled(s) => 128 + s.0,
        };
        let stdout = String::from_utf8_lossy(&out.lock()).into_owned();
        let stderr = String::from_utf8_lossy(&err.lock()).into_owned();
        Out { stdout, stderr, code }
    }

    pub fn run(&self, argv: &[&str]) -> Out {
        self.run_in("/home/user", argv, b"")
    }

    pub fn run_stdin(&self, argv: &[&str], stdin: &str) -> Out {
        self.run_in("/home/user", argv, stdin.as_bytes())
    }

    /// Create (or replace) `path` under /home/user with `data`.
    pub fn write(&self, path: &str, data: &str) {
        let r = self.run_stdin(&["tee", path], data);
        assert_eq!(r.code, 0, "{r:?}");
    }

    /// The content of a file.
    pub fn read(&self, path: &str) -> String {
        let r = self.run(&["cat", path]);
        assert_eq!(r.code, 0, "{r:?}");
        r.stdout
    }
}

impl Out {
    /// The same output with another exit status.
    pub fn with_code(mut self, code: i32) -> Out {
        self.code = code;
        self
    }
}

/// stdout, stderr, code in one tuple, for terse assertions.
pub fn ok(stdout: &str) -> Out {
    Out { stdout: stdout.into(), stderr: String::new(), code: 0 }
}

pub fn fail(stdout: &str, stderr: &str, code: i32) -> Out {
    Out { stdout: stdout.into(), stderr: stderr.into(), code }
}
