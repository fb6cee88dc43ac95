//! Boot a kernel with the shell and the commands, run `bash -c SCRIPT`
//! as the VM user in a fresh directory, and capture the result.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use agentos_kernel::abi::{Cred, OFlags};
use agentos_kernel::clock::{ManualClock, SeededEntropy};
use agentos_kernel::exec::NativeRegistry;
use agentos_kernel::file::{InputChannel, OpenFile, OutputChannel};
use agentos_kernel::task::WaitTarget;
use agentos_kernel::{Kernel, KernelConfig, Pgroup, SpawnOptions};
use parking_lot::Mutex;

/// What a script produced.
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: i32,
}

fn capture() -> (Arc<OpenFile>, Arc<Mutex<Vec<u8>>>) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let b = buf.clone();
    let sink = Arc::new(move |d: &[u8]| b.lock().extend_from_slice(d));
    (OpenFile::stream(OutputChannel::new(sink), OFlags::WRONLY), buf)
}

/// Run `bash -c script` in `/tmp/conf` of a fresh VM.
pub fn run(script: &str) -> Output {
    let mut reg = NativeRegistry::new();
    agentos_commands::register(&mut reg);
    agentos_shell::register(&mut reg);
    let clock = Arc::new(ManualClock::default());
    let root = agentos_kernel::rootfs::build_base(clock.clone(), &reg, "agentos").expect("rootfs");
    let cfg = KernelConfig {
        root: Arc::new(root),
        clock,
        entropy: Arc::new(SeededEntropy::new(1)),
        limits: Default::default(),
        hostname: "agentos".into(),
        natives: Arc::new(reg),
        binfmts: vec![],
    };
    let user = Cred::user(1000, 1000);
    let kernel = Kernel::new(cfg, user).expect("kernel");
    let (out, out_buf) = capture();
    let (err, err_buf) = capture();
    let input = InputChannel::new();
    input.close();
    let stdin = OpenFile::stream(input, OFlags::RDONLY);
    let env = [
        ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ("HOME", "/home/user"),
        ("USER", "user"),
        ("LANG", "C"),
        ("LC_ALL", "C"),
        ("TZ", "UTC"),
    ];
    let opts = SpawnOptions {
        argv: vec!["bash".into(), "-c".into(), script.into()],
        env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        cwd: Some("/tmp/conf".into()),
        fds: vec![(0, stdin), (1, out), (2, err)],
        pgroup: Pgroup::New,
        on_exit: None,
    };
    // A launcher process creates the directory, starts bash as its child
    // and reports how it ended (waiting from inside the VM avoids racing
    // the exit of a short script).
    let (tx, rx) = mpsc::channel();
    let launcher = SpawnOptions { argv: vec!["launcher".into()], ..Default::default() };
    kernel
        .spawn_fn(
            None,
            launcher,
            user,
            Box::new(move |t| {
                let status = t
                    .mkdir("/tmp/conf", 0o755)
                    .and_then(|_| t.spawn("/bin/bash", opts))
                    .and_then(|pid| t.waitpid(WaitTarget::Pid(pid), false))
                    .map(|r| r.map(|(_, st)| st.code()).unwrap_or(-998))
                    .unwrap_or(-997);
                let _ = tx.send(status);
                0
            }),
        )
        .expect("spawn launcher");
    let status = rx.recv_timeout(Duration::from_secs(20)).unwrap_or(-999);
    kernel.shutdown();
    let stdout = out_buf.lock().clone();
    let stderr = err_buf.lock().clone();
    Output { stdout, stderr, status }
}
