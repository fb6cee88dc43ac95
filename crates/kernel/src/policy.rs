//! Permission policy: what guest programs may do beyond the Unix permission
//! bits, decided at one choke point that hands out a [`Checked`] token.
//!
//! Analogue: a seccomp/Landlock ruleset, or Deno's `--allow-*` flags. A
//! [`Policy`] has one [`DomainPolicy`] per domain (`fs`, `network`,
//! `child_process`, `env`, `tool`). Each starts at its `default` (deny unless
//! said otherwise), then every [`Rule`] is tried in order and the **last
//! matching rule wins**. A rule matches when one of its operations is the
//! operation (or `*`) and one of its patterns matches the subject: `*` and
//! `?` stay within one `/`-separated segment, `**` crosses segments.
//!
//! Subjects: `fs` — the canonical path (operations `read`, `write`,
//! `create_dir`, `readdir`, `stat`, `rm`, `rename`, `symlink`, `mount`);
//! `network` — `tcp://host:port` (`connect`, `listen`); `child_process` —
//! the program path (`spawn`); `env` — the variable name (`read`: a denied
//! variable is not passed to a new process); `tool` — `toolkit:tool`
//! (`invoke`: a host tool called through `agentos-<toolkit> <tool>`).
//!
//! A denial is `EACCES`; the [`Guard`] counts it and keeps the message
//! (`EACCES: permission denied, write '/etc/x'`) for the embedder and
//! `tracing`.

use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use crate::abi::{Errno, KResult};

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// Let it happen.
    Allow,
    /// Refuse with `EACCES`.
    #[default]
    Deny,
}

/// What a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// Filesystem operations on canonical paths.
    Fs,
    /// `connect`/`listen` on `tcp://ip:port`.
    Network,
    /// Starting programs, by canonical path.
    ChildProcess,
    /// Environment variables, by name.
    Env,
    /// Host tools, by `toolkit:tool`.
    Tool,
}

impl Domain {
    fn name(self) -> &'static str {
        match self {
            Domain::Fs => "fs",
            Domain::Network => "network",
            Domain::ChildProcess => "child_process",
            Domain::Env => "env",
            Domain::Tool => "tool",
        }
    }
}

/// One rule: `mode` for these operations on these subjects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// What a match decides.
    pub mode: Mode,
    /// Operation names, or `*` for all.
    pub operations: Vec<String>,
    /// Subject globs (`**` for all).
    pub patterns: Vec<String>,
}

impl Rule {
    /// A rule for `ops` on `patterns`.
    pub fn new(mode: Mode, ops: &[&str], patterns: &[&str]) -> Rule {
        Rule {
            mode,
            operations: ops.iter().map(|s| s.to_string()).collect(),
            patterns: patterns.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn matches(&self, op: &str, subject: &str) -> bool {
        self.operations.iter().any(|o| o == "*" || o == op) && self.patterns.iter().any(|p| glob_match(p, subject))
    }
}

/// The rules of one domain.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DomainPolicy {
    /// Where evaluation starts (deny unless set).
    pub default: Mode,
    /// Tried in order; the last match wins.
    pub rules: Vec<Rule>,
}

impl DomainPolicy {
    /// Everything allowed.
    pub fn allow_all() -> DomainPolicy {
        DomainPolicy { default: Mode::Allow, rules: Vec::new() }
    }

    /// The mode for `op` on `subject`: the last matching rule's, else the
    /// default.
    pub fn evaluate(&self, op: &str, subject: &str) -> Mode {
        self.rules.iter().rev().find(|r| r.matches(op, subject)).map_or(self.default, |r| r.mode)
    }
}

/// A policy: deny-by-default in every domain not given.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Policy {
    /// `read`, `write`, `create_dir`, `readdir`, `stat`, `rm`, `rename`,
    /// `symlink`, `mount` on canonical paths.
    pub fs: DomainPolicy,
    /// `connect`, `listen` on `tcp://ip:port`.
    pub network: DomainPolicy,
    /// `spawn` on the program's canonical path.
    pub child_process: DomainPolicy,
    /// `read` on variable names.
    pub env: DomainPolicy,
    /// `invoke` on `toolkit:tool`.
    pub tool: DomainPolicy,
}

impl Policy {
    fn domain(&self, d: Domain) -> &DomainPolicy {
        match d {
            Domain::Fs => &self.fs,
            Domain::Network => &self.network,
            Domain::ChildProcess => &self.child_process,
            Domain::Env => &self.env,
            Domain::Tool => &self.tool,
        }
    }
}

/// Proof that an operation on a subject was allowed. Only [`Guard::check`]
/// makes one, so an entry point that takes a `Checked` cannot be reached
/// unchecked.
#[derive(Debug)]
pub struct Checked {
    _private: (),
}

/// A policy being enforced, with its denial count.
#[derive(Debug, Default)]
pub struct Guard {
    policy: Policy,
    denials: AtomicU64,
    last: Mutex<Option<String>>,
}

impl Guard {
    /// Enforce `policy`.
    pub fn new(policy: Policy) -> Guard {
        Guard { policy, denials: AtomicU64::new(0), last: Mutex::new(None) }
    }

    /// Allow `op` on `subject` in `domain`, or count and return `EACCES`.
    pub fn check(&self, domain: Domain, op: &str, subject: &str) -> KResult<Checked> {
        if self.policy.domain(domain).evaluate(op, subject) == Mode::Allow {
            return Ok(Checked { _private: () });
        }
        self.denials.fetch_add(1, Ordering::Relaxed);
        let msg = format!("EACCES: permission denied, {op} '{subject}'");
        tracing::info!(domain = domain.name(), op, subject, "{msg}");
        *self.last.lock() = Some(msg);
        Err(Errno::EACCES)
    }

    /// Whether `op` on `subject` is allowed, without counting.
    pub fn allows(&self, domain: Domain, op: &str, subject: &str) -> bool {
        self.policy.domain(domain).evaluate(op, subject) == Mode::Allow
    }

    /// Count a denial decided elsewhere (the network allow-list).
    pub(crate) fn record(&self, msg: String) {
        self.denials.fetch_add(1, Ordering::Relaxed);
        *self.last.lock() = Some(msg);
    }

    /// Denials so far.
    pub fn denials(&self) -> u64 {
        self.denials.load(Ordering::Relaxed)
    }

    /// The message of the latest denial.
    pub fn last_denial(&self) -> Option<String> {
        self.last.lock().clone()
    }
}

/// A program's permission tier: what a program may do whatever the policy
/// says. Set per process from the kernel's tier table (by the canonical path
/// of the executable, [`crate::vfs::Vfs::set_tier`]) when a program starts,
/// inherited otherwise; checked in [`crate::vfs::Vfs::permit`] and the
/// spawn/network checks, so no runtime can skip it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tier {
    /// Everything (still subject to the policy).
    #[default]
    Full,
    /// The whole filesystem, writes included (and unlink and rename, which
    /// count as writes), but no starting programs, no network and no host
    /// tools (as in every tier below `Full`).
    ReadWrite,
    /// Reading the filesystem only: every write, create, unlink, rename,
    /// link, symlink, mkdir, rmdir, chmod and truncate is `EACCES`; no
    /// programs, no network.
    ReadOnly,
    /// No filesystem at all except `/dev/null`, `/dev/zero` and
    /// `/dev/urandom` (and the descriptors it was given); no programs, no
    /// network.
    Isolated,
}

impl Tier {
    /// Whether this tier lets `op` on `subject` in `domain` through (before
    /// the policy has its say).
    pub fn allows(self, domain: Domain, op: &str, subject: &str) -> bool {
        match (self, domain) {
            (Tier::Full, _) | (_, Domain::Env) => true,
            (_, Domain::Network | Domain::ChildProcess | Domain::Tool) => false,
            (Tier::ReadWrite, Domain::Fs) => true,
            (Tier::ReadOnly, Domain::Fs) => matches!(op, "read" | "stat" | "readdir"),
            (Tier::Isolated, Domain::Fs) => matches!(subject, "/dev/null" | "/dev/zero" | "/dev/urandom"),
        }
    }

    /// The tier's name as written in options (`full`, `read_write`,
    /// `read_only`, `isolated`).
    pub fn name(self) -> &'static str {
        match self {
            Tier::Full => "full",
            Tier::ReadWrite => "read_write",
            Tier::ReadOnly => "read_only",
            Tier::Isolated => "isolated",
        }
    }

    /// Parse a tier name (`read-write` and `read_write` alike).
    pub fn parse(name: &str) -> Option<Tier> {
        match name.replace('-', "_").as_str() {
            "full" => Some(Tier::Full),
            "read_write" => Some(Tier::ReadWrite),
            "read_only" => Some(Tier::ReadOnly),
            "isolated" => Some(Tier::Isolated),
            _ => None,
        }
    }
}

/// Count and report a denial by a tier (`EACCES`), in the policy's counter
/// when there is one.
pub(crate) fn deny_by_tier(guard: Option<&Guard>, tier: Tier, domain: Domain, op: &str, subject: &str) -> Errno {
    let msg = format!("EACCES: permission denied, {op} '{subject}'");
    tracing::info!(domain = domain.name(), op, subject, tier = tier.name(), "{msg}");
    if let Some(g) = guard {
        g.denials.fetch_add(1, Ordering::Relaxed);
        *g.last.lock() = Some(msg);
    }
    Errno::EACCES
}

/// Glob match: `*` and `?` within a `/`-separated segment, `**` across.
pub fn glob_match(pattern: &str, subject: &str) -> bool {
    glob(pattern.as_bytes(), subject.as_bytes())
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p {
        [] => s.is_empty(),
        [b'*', b'*', rest @ ..] => {
            // `**/` also matches nothing (`/a/**/b` matches `/a/b`).
            let rest_noslash = rest.strip_prefix(b"/").unwrap_or(rest);
            (0..=s.len()).any(|i| glob(rest, &s[i..])) || (rest.first() == Some(&b'/') && glob(rest_noslash, s))
        }
        [b'*', rest @ ..] => {
            let mut i = 0;
            loop {
                if glob(rest, &s[i..]) {
                    return true;
                }
                if i >= s.len() || s[i] == b'/' {
                    return false;
                }
                i += 1;
            }
        }
        [b'?', rest @ ..] => matches!(s.first(), Some(&c) if c != b'/') && glob(rest, &s[1..]),
        [c, rest @ ..] => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

impl crate::task::Task {
    /// The policy check for a guest starting the program at `path` (spawn or
    /// exec): `child_process spawn` on its canonical path. Variables whose
    /// `env read` is denied are removed from `env`, not refused.
    pub(crate) fn permit_spawn(&self, path: &str, env: &mut Vec<(String, String)>) -> KResult<()> {
        let tier = self.tier();
        if !tier.allows(Domain::ChildProcess, "spawn", path) {
            return Err(deny_by_tier(
                self.kernel().vfs.guard().map(|g| &**g),
                tier,
                Domain::ChildProcess,
                "spawn",
                path,
            ));
        }
        let Some(g) = self.kernel().vfs.guard() else { return Ok(()) };
        let canonical = self.realpath(path).unwrap_or_else(|_| path.to_string());
        g.check(Domain::ChildProcess, "spawn", &canonical)?;
        env.retain(|(k, _)| g.check(Domain::Env, "read", k).is_ok());
        Ok(())
    }

    /// The policy check for invoking host tool `tool` of `toolkit`: `tool
    /// invoke` on `toolkit:tool`, and only from a `Full`-tier program. No
    /// policy: allowed.
    pub fn permit_tool(&self, toolkit: &str, tool: &str) -> KResult<()> {
        let subject = format!("{toolkit}:{tool}");
        let tier = self.tier();
        let guard = self.kernel().vfs.guard();
        if !tier.allows(Domain::Tool, "invoke", &subject) {
            return Err(deny_by_tier(guard.map(|g| &**g), tier, Domain::Tool, "invoke", &subject));
        }
        match guard {
            Some(g) => g.check(Domain::Tool, "invoke", &subject).map(|_| ()),
            None => Ok(()),
        }
    }

    /// The policy check for `connect`/`listen` on `addr` (`tcp://ip:port`).
    pub(crate) fn permit_net(&self, op: &str, addr: &std::net::SocketAddr) -> KResult<()> {
        self.permit_net_subject(op, &format!("tcp://{addr}"))
    }

    /// The same for a subject naming a host (`tcp://api.example.com:443`).
    pub(crate) fn permit_net_subject(&self, op: &str, subject: &str) -> KResult<()> {
        let tier = self.tier();
        if !tier.allows(Domain::Network, op, "") {
            let guard = self.kernel().vfs.guard().map(|g| &**g);
            return Err(deny_by_tier(guard, tier, Domain::Network, op, subject));
        }
        match self.kernel().vfs.guard() {
            Some(g) => g.check(Domain::Network, op, subject).map(|_| ()),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let cases: &[(&str, &str, bool)] = &[
            ("/home/user/*", "/home/user/a.txt", true),
            ("/home/user/*", "/home/user/d/a.txt", false),
            ("/home/user/**", "/home/user/d/a.txt", true),
            ("/home/user/**", "/home/user", false),
            ("/home/**/x", "/home/x", true),
            ("/home/**/x", "/home/a/b/x", true),
            ("/tmp/?.log", "/tmp/a.log", true),
            ("/tmp/?.log", "/tmp/ab.log", false),
            ("/tmp/?", "/tmp//", false),
            ("**", "/anything/at/all", true),
            ("*", "/etc", false),
            ("tcp://*:443", "tcp://api.example.com:443", true),
            ("tcp://*:443", "tcp://api.example.com:80", false),
            ("AWS_*", "AWS_SECRET_ACCESS_KEY", true),
            ("/etc/passwd", "/etc/passwd", true),
            ("/etc/passwd", "/etc/passwd2", false),
        ];
        for &(p, s, want) in cases {
            assert_eq!(glob_match(p, s), want, "{p} vs {s}");
        }
    }

    #[test]
    fn last_matching_rule_wins_and_default_is_deny() {
        let fs = DomainPolicy {
            default: Mode::Deny,
            rules: vec![
                Rule::new(Mode::Allow, &["*"], &["/home/user/**"]),
                Rule::new(Mode::Deny, &["write", "rm"], &["/home/user/keep/**"]),
                Rule::new(Mode::Allow, &["read"], &["/etc/*"]),
            ],
        };
        let cases = [
            ("write", "/home/user/a", Mode::Allow),
            ("write", "/home/user/keep/a", Mode::Deny),
            ("read", "/home/user/keep/a", Mode::Allow),
            ("rm", "/home/user/keep/a", Mode::Deny),
            ("read", "/etc/passwd", Mode::Allow),
            ("write", "/etc/passwd", Mode::Deny),
            ("read", "/etc/ssl/cert", Mode::Deny),
            ("stat", "/", Mode::Deny),
        ];
        for (op, s, want) in cases {
            assert_eq!(fs.evaluate(op, s), want, "{op} {s}");
        }
        assert_eq!(DomainPolicy::default().evaluate("read", "/"), Mode::Deny);
        assert_eq!(DomainPolicy::allow_all().evaluate("read", "/"), Mode::Allow);
    }

    #[test]
    fn guard_counts_denials_with_a_message() {
        let g = Guard::new(Policy { fs: DomainPolicy::allow_all(), ..Default::default() });
        assert!(g.check(Domain::Fs, "read", "/x").is_ok());
        assert_eq!(g.check(Domain::Env, "read", "HOME").map(|_| ()), Err(Errno::EACCES));
        assert_eq!(g.check(Domain::ChildProcess, "spawn", "/usr/bin/curl").map(|_| ()), Err(Errno::EACCES));
        assert_eq!(g.denials(), 2);
        assert_eq!(g.last_denial().as_deref(), Some("EACCES: permission denied, spawn '/usr/bin/curl'"));
    }
}
