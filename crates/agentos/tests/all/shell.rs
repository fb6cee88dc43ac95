//! Interactive shells through the API: keystrokes in, exactly the bytes a
//! terminal would receive out.

use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos::{AgentOs, AgentOsOptions, Error, OpenShellOptions};
use parking_lot::Mutex;

const PROMPT: &[u8] = b"user@agentos:~$ ";

/// A shell and everything it has printed.
struct Term {
    vm: AgentOs,
    id: String,
    out: Arc<Mutex<Vec<u8>>>,
    seen: usize,
}

impl Term {
    fn open(opts: OpenShellOptions) -> Term {
        let vm = AgentOs::create_sync(AgentOsOptions::default()).unwrap();
        let id = vm.open_shell(opts).unwrap();
        let out = Arc::new(Mutex::new(Vec::new()));
        let o = out.clone();
        let unsub = vm.on_shell_data(&id, Arc::new(move |d: &[u8]| o.lock().extend_from_slice(d))).unwrap();
        // Kept for the life of the test.
        std::mem::forget(unsub);
        Term { vm, id, out, seen: 0 }
    }

    fn bash() -> Term {
        let mut t = Term::open(OpenShellOptions::default());
        assert_eq!(t.until(PROMPT), PROMPT);
        t
    }

    /// Wait until `command` runs as the leader of its own process group
    /// (the shell has made it a foreground job), so that a `^C` or `^Z`
    /// sent next reaches it even on a loaded machine.
    fn wait_job(&self, command: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.vm.all_processes().iter().any(|p| p.command == command && p.running && p.pgid == p.pid) {
            assert!(Instant::now() < deadline, "{command} never started");
            std::thread::sleep(Duration::from_millis(2));
        }
        // The terminal's foreground group is switched right after.
        std::thread::sleep(Duration::from_millis(50));
    }

    fn send(&self, s: &str) {
        self.vm.write_shell(&self.id, s).unwrap();
    }

    /// Output since the last call, up to and including `needle`.
    fn until(&mut self, needle: &[u8]) -> Vec<u8> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            {
                let out = self.out.lock();
                let rest = &out[self.seen..];
                if let Some(i) = rest.windows(needle.len()).position(|w| w == needle) {
                    let got = rest[..i + needle.len()].to_vec();
                    self.seen += i + needle.len();
                    return got;
                }
                if Instant::now() > deadline {
                    panic!("no {:?} in {:?}", String::from_utf8_lossy(needle), String::from_utf8_lossy(rest));
                }
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Type a line at the prompt and return what the terminal shows up to
    /// the next prompt.
    fn run(&mut self, line: &str) -> String {
        self.send(&format!("{line}\r"));
        String::from_utf8(self.until(PROMPT)).unwrap()
    }

    /// Type a line whose output ends with `tail` (before the next prompt)
    /// and return everything up to that prompt, for lines whose editing
    /// redraws the prompt.
    fn run_to(&mut self, line: &str, tail: &str) -> String {
        self.send(&format!("{line}\r"));
        String::from_utf8(self.until(p(tail).as_bytes())).unwrap()
    }

    fn wait(&self) -> i32 {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(self.vm.wait_shell(&self.id)).unwrap()
    }
}

fn p(s: &str) -> String {
    format!("{s}{}", String::from_utf8_lossy(PROMPT))
}

#[test]
fn prompt_echo_and_onlcr_bytes() {
    let mut t = Term::bash();
    assert_eq!(t.run("echo hi"), p("echo hi\r\nhi\r\n"));
    assert_eq!(t.run("printf 'a\\nb\\n'"), p("printf 'a\\nb\\n'\r\na\r\nb\r\n"));
}

#[test]
fn exit_status_and_ctrl_d() {
    let mut t = Term::bash();
    t.send("exit 3\r");
    assert_eq!(t.until(b"exit\r\n"), b"exit 3\r\nexit\r\n");
    assert_eq!(t.wait(), 3);

    let mut t = Term::bash();
    assert_eq!(t.run("false"), p("false\r\n"));
    t.send("\x04");
    assert_eq!(t.until(b"exit\r\n"), b"exit\r\n");
    assert_eq!(t.wait(), 1);
}

#[test]
fn resize_is_seen_by_stty_size_and_sigwinch() {
    let mut t = Term::open(OpenShellOptions { cols: Some(120), rows: Some(30), ..Default::default() });
    t.until(PROMPT);
    assert_eq!(t.run("stty size"), p("stty size\r\n30 120\r\n"));
    t.vm.resize_shell(&t.id, 100, 40).unwrap();
    assert_eq!(t.run("stty size"), p("stty size\r\n40 100\r\n"));
    assert_eq!(t.run("echo $COLUMNS $LINES"), p("echo $COLUMNS $LINES\r\n100 40\r\n"));
}

#[test]
fn ctrl_c_interrupts_the_foreground_job() {
    let mut t = Term::bash();
    t.send("sleep 100\r");
    assert_eq!(t.until(b"sleep 100\r\n"), b"sleep 100\r\n");
    t.wait_job("sleep");
    t.send("\x03");
    assert_eq!(t.until(PROMPT), [b"^C\r\n".as_slice(), PROMPT].concat());
    assert_eq!(t.run("echo $?"), p("echo $?\r\n130\r\n"));
}

/// Press `^C` until the prompt is back (the first may come before the
/// loop runs); returns what the terminal showed.
fn interrupt(t: &mut Term) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        t.send("\x03");
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(500) {
            let out = String::from_utf8_lossy(&t.out.lock()[t.seen..]).into_owned();
            if out.ends_with(&p("")) {
                t.seen = t.out.lock().len();
                return out;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(Instant::now() < deadline, "^C did not end the loop");
    }
}

#[test]
fn ctrl_c_ends_loops_of_children_and_of_builtins() {
    let mut t = Term::bash();
    t.send("while true; do echo tick; sleep 0.01; done; echo not-reached\r");
    t.until(b"tick\r\n");
    let out = interrupt(&mut t);
    assert!(out.ends_with(&p("^C\r\n")) && !out.contains("not-reached"), "{out:?}");
    assert_eq!(t.run("echo $?"), p("echo $?\r\n130\r\n"));
    t.send("while :; do :; done\r");
    t.until(b"done\r\n");
    let out = interrupt(&mut t);
    assert!(out.ends_with(&p("^C\r\n")), "{out:?}");
    assert_eq!(t.run("echo $?"), p("echo $?\r\n130\r\n"));
}

#[test]
fn ctrl_c_at_the_prompt_abandons_the_line() {
    let mut t = Term::bash();
    t.send("echo no\x03");
    assert_eq!(t.until(PROMPT), [b"echo no^C\r\n".as_slice(), PROMPT].concat());
    assert_eq!(t.run("echo $?"), p("echo $?\r\n130\r\n"));
}

#[test]
fn ctrl_z_jobs_bg_fg() {
    let mut t = Term::bash();
    t.send("sleep 100\r");
    t.until(b"sleep 100\r\n");
    t.wait_job("sleep");
    t.send("\x1a");
    assert_eq!(String::from_utf8(t.until(PROMPT)).unwrap(), p("^Z\r\n[1]+  Stopped                 sleep 100\r\n"));
    assert_eq!(t.run("echo $?"), p("echo $?\r\n148\r\n"));
    assert_eq!(t.run("jobs"), p("jobs\r\n[1]+  Stopped                 sleep 100\r\n"));
    assert_eq!(t.run("bg"), p("bg\r\n[1]+ sleep 100 &\r\n"));
    assert_eq!(t.run("jobs"), p("jobs\r\n[1]+  Running                 sleep 100 &\r\n"));
    t.send("fg\r");
    assert_eq!(t.until(b"sleep 100\r\n"), b"fg\r\nsleep 100\r\n");
    t.wait_job("sleep");
    t.send("\x03");
    assert_eq!(t.until(PROMPT), [b"^C\r\n".as_slice(), PROMPT].concat());
    assert_eq!(t.run("jobs"), p("jobs\r\n"));
    assert_eq!(t.run("fg"), p("fg\r\nbash: fg: current: no such job\r\n"));
}

#[test]
fn exit_with_stopped_jobs_warns_then_hangs_them_up() {
    let mut t = Term::bash();
    t.send("true; sleep 100\r");
    t.until(b"sleep 100\r\n");
    t.wait_job("sleep");
    t.send("\x1a");
    // The job is named after its pipeline, not the whole line.
    assert_eq!(t.until(PROMPT), [b"^Z\r\n[1]+  Stopped                 sleep 100\r\n".as_slice(), PROMPT].concat());
    t.run("jobs -p > /tmp/j");
    let out = t.run("cut -d' ' -f3,7 /proc/$(cat /tmp/j)/stat");
    assert_eq!(out, p(&format!("cut -d' ' -f3,7 /proc/$(cat /tmp/j)/stat\r\nT {}\r\n", (136 << 8))));
    assert_eq!(t.run("exit"), p("exit\r\nexit\r\nThere are stopped jobs.\r\n"));
    t.send("exit\r");
    assert_eq!(t.until(b"exit\r\nexit\r\n"), b"exit\r\nexit\r\n");
    t.wait();
    let deadline = Instant::now() + Duration::from_secs(10);
    while t.vm.all_processes().iter().any(|p| p.command == "sleep" && p.running) {
        assert!(Instant::now() < deadline, "the stopped sleep was left behind");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn background_reader_stops_with_sigttin() {
    let mut t = Term::bash();
    let out = t.run("cat & sleep 0.2");
    // Reported before the next prompt.
    assert!(out.starts_with("cat & sleep 0.2\r\n[1] "), "{out:?}");
    assert!(out.ends_with(&p("\r\n[1]+  Stopped (tty input)     cat\r\n")), "{out:?}");
    assert_eq!(t.run("jobs"), p("jobs\r\n[1]+  Stopped (tty input)     cat\r\n"));
    t.send("fg\r");
    assert_eq!(t.until(b"fg\r\ncat\r\n"), b"fg\r\ncat\r\n");
    t.send("meow\r\x04");
    assert_eq!(t.until(PROMPT), [b"meow\r\nmeow\r\n".as_slice(), PROMPT].concat());
}

#[test]
fn background_job_reports_done() {
    let mut t = Term::bash();
    let out = t.run("sleep 0.01 &");
    assert!(out.starts_with("sleep 0.01 &\r\n[1] "), "{out:?}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(t.run(""), p("\r\n[1]+  Done                    sleep 0.01\r\n"));
}

#[test]
fn line_editing_keys() {
    let mut t = Term::bash();
    // Backspace at the end of the line.
    assert_eq!(t.run("echo abc\x7f\x7fxy"), p("echo abc\x08\x1b[K\x08\x1b[Kxy\r\naxy\r\n"));
    // ^A, insert at the start (a redraw), ^E.
    assert_eq!(
        t.run_to("cho x\x01e\x05", "\r\nx\r\n"),
        p("cho x\x1b[5D\ruser@agentos:~$ echo x\x1b[K\x1b[5D\x1b[5C\r\nx\r\n")
    );
    // ^U kills to the start, ^K to the end.
    assert_eq!(t.run_to("junk\x15echo k", "\r\nk\r\n"), p("junk\ruser@agentos:~$ \x1b[Kecho k\r\nk\r\n"));
    assert_eq!(
        t.run("echo k2 tail\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x0b"),
        p("echo k2 tail\x1b[1D\x1b[1D\x1b[1D\x1b[1D\x1b[1D\x1b[K\r\nk2\r\n")
    );
    // ^W erases a word.
    assert_eq!(
        t.run_to("echo one two\x17", "\r\none\r\n"),
        p("echo one two\ruser@agentos:~$ echo one \x1b[K\r\none\r\n")
    );
}

#[test]
fn history_with_arrow_keys() {
    let mut t = Term::bash();
    t.run("echo first");
    t.run("echo second");
    assert_eq!(
        t.run_to("\x1b[A\x1b[A", "\r\nfirst\r\n"),
        p("\ruser@agentos:~$ echo second\x1b[K\ruser@agentos:~$ echo first\x1b[K\r\nfirst\r\n")
    );
    assert_eq!(
        t.run_to("\x1b[A\x1b[B", "\x1b[K\r\n"),
        p("\ruser@agentos:~$ echo first\x1b[K\ruser@agentos:~$ \x1b[K\r\n")
    );
}

#[test]
fn tab_completes_commands_and_paths() {
    let mut t = Term::bash();
    assert_eq!(t.run("ech\thi"), p("echo hi\r\nhi\r\n"));
    t.run("mkdir -p projects/alpha && echo x > notes.txt");
    assert_eq!(t.run("cat not\t"), p("cat notes.txt \r\nx\r\n"));
    assert_eq!(t.run("echo /ho\t"), p("echo /home/\r\n/home/\r\n"));
    t.send("cd proj\t\t\r");
    assert_eq!(t.until(b"alpha$ "), b"cd projects/alpha/\r\nuser@agentos:~/projects/alpha$ ");
}

#[test]
fn terminal_programs_see_a_tty() {
    let mut t = Term::bash();
    assert_eq!(t.run("tty"), p("tty\r\n/dev/pts/0\r\n"));
    assert_eq!(t.run("test -t 0 && test -t 1 && echo yes"), p("test -t 0 && test -t 1 && echo yes\r\nyes\r\n"));
    assert_eq!(t.run("echo x | tty"), p("echo x | tty\r\nnot a tty\r\n"));
    assert_eq!(
        t.run("stty -echo; stty -a | tail -1"),
        p(
            "stty -echo; stty -a | tail -1\r\nisig icanon iexten -echo echoe echok -echonl -noflsh -tostop echoctl echoke\r\n"
        )
    );
}

#[test]
fn ps1_escapes() {
    let mut t = Term::open(OpenShellOptions {
        env: vec![("PS1".into(), "[\\u \\h \\W]\\$ ".into())],
        cwd: Some("/tmp".into()),
        ..Default::default()
    });
    assert_eq!(t.until(b"$ "), b"[user agentos tmp]$ ");
    t.send("cd /\r");
    assert_eq!(t.until(b"$ "), b"cd /\r\n[user agentos /]$ ");
}

#[test]
fn other_commands_and_close() {
    let mut t = Term::open(OpenShellOptions { command: Some("cat".into()), ..Default::default() });
    // The echo, then cat's copy (written when it sees end of file).
    t.send("abc\r\x04");
    assert_eq!(t.until(b"abc\r\nabc\r\n"), b"abc\r\nabc\r\n");
    assert_eq!(t.wait(), 0);

    let t = Term::bash();
    t.vm.close_shell(&t.id).unwrap();
    assert_eq!(t.wait(), 129);
    assert!(t.vm.write_shell(&t.id, "x").is_err());
}

#[test]
fn unknown_shell_id() {
    let vm = AgentOs::create_sync(AgentOsOptions::default()).unwrap();
    let e = vm.write_shell("shell-9", "x").unwrap_err();
    assert_eq!(e, Error::ShellNotFound("shell-9".into()));
    assert_eq!(e.to_string(), "Shell not found: shell-9");
    assert_eq!(vm.resize_shell("shell-9", 1, 1).unwrap_err().to_string(), "Shell not found: shell-9");
    let e = vm.open_shell(OpenShellOptions { command: Some("nope".into()), ..Default::default() }).unwrap_err();
    assert_eq!(e.to_string(), "nope: no such file or directory");
}
