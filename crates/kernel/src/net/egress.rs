//! Outbound connections: the VM reaching the real network through a
//! [`Connector`] the host registers, gated by an allow-list of
//! `host:port` patterns. Without an egress (the default) every address
//! outside the VM is `EACCES`.
//!
//! Analogue: an egress proxy with DNS filtering (Deno's `--allow-net`,
//! a Kubernetes egress policy). Rules:
//! - A pattern is `HOST:PORT`. `HOST` is a name glob (`*` matches any
//!   characters, dots included: `*.example.com`), an IP literal (`10.0.0.5`,
//!   `[::1]`) or a CIDR range (`10.0.0.0/8`, `[fc00::/7]`); `PORT` is a
//!   number, a range `8000-8100`, or `*`.
//! - Names are resolved by the host, and only names some pattern allows.
//!   An address in a loopback, private, link-local or unspecified range
//!   (see [`is_internal`]) is dropped from the answer unless an IP or CIDR
//!   pattern covers it (SSRF: `evil.test → 127.0.0.1` is refused even when
//!   `evil.test:*` is allowed). The connection goes to an address of that
//!   filtered answer, so what was checked is what is connected to.
//! - The reserved name [`HOST_LOOPBACK`] is the host's `127.0.0.1`, allowed
//!   only by a pattern naming it exactly (no glob): the guest's own
//!   `127.0.0.1`/`localhost` is always the VM's loopback.
//! - A denial is `EACCES`, reported as the policy reports its own
//!   (`EACCES: permission denied, connect 'tcp://evil.test:443'`), counted
//!   here and in the policy's counter when there is one.

use std::collections::{BTreeSet, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use super::HostConn;
use crate::abi::{Errno, KResult};

/// The name that means "the host's own loopback" (when allowed exactly).
pub const HOST_LOOPBACK: &str = "host.agentos.internal";

/// Outbound connections alive at once per VM (each costs the host two
/// relay threads and a socket); past it `connect` is `EAGAIN`.
pub const MAX_OUTBOUND: usize = 256;

/// Most names remembered for address-to-name checks (see
/// [`Egress::permit_addr`]); the table starts over past it.
const RESOLVED_MAX: usize = 4096;

/// The host side of outbound networking, implemented by the `host` crate.
pub trait Connector: Send + Sync {
    /// The addresses of `name` (`getaddrinfo`). `ENOENT` when the name
    /// does not exist, `EAGAIN` when resolution failed for now.
    fn lookup(&self, name: &str) -> KResult<Vec<IpAddr>>;

    /// Open a TCP connection to `addr` and carry bytes between it and
    /// `conn` (the guest's peer end) until both directions are closed:
    /// the guest's shutdown is the remote's EOF and the reverse; when
    /// either side goes away the other sees it. Returns once connected.
    /// Errors: `ECONNREFUSED`, `ETIMEDOUT`, `ENETUNREACH`, `EHOSTUNREACH`.
    fn connect(&self, addr: SocketAddr, conn: HostConn) -> KResult<()>;

    /// [`Connector::connect`], then a TLS client handshake as `tls` asks;
    /// the guest's end carries the plaintext. Certificate and handshake
    /// failures are [`ConnectError::Tls`]. Default: `EOPNOTSUPP`.
    fn connect_tls(&self, addr: SocketAddr, conn: HostConn, tls: &TlsClient) -> Result<(), ConnectError> {
        let _ = (addr, conn, tls);
        Err(ConnectError::Sys(Errno::EOPNOTSUPP))
    }
}

/// A TLS client connection's parameters (the host does the TLS; the kernel
/// only carries them, like `setsockopt(SOL_TLS)` carries kTLS keys).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsClient {
    /// The name sent (SNI, unless an IP) and checked against the
    /// certificate.
    pub server_name: String,
    /// PEM root certificates replacing the default roots for this
    /// connection (Node's `ca`); empty: the host's default roots.
    pub ca_pem: Vec<Vec<u8>>,
    /// Check the certificate (Node's `rejectUnauthorized`).
    pub verify: bool,
    /// ALPN protocols to offer.
    pub alpn: Vec<Vec<u8>>,
}

/// Why an outbound connection failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectError {
    /// A system error (`EACCES`, `ECONNREFUSED`, …).
    Sys(Errno),
    /// The TLS handshake failed: OpenSSL's name for the reason as Node
    /// reports it (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`,
    /// `ERR_TLS_CERT_ALTNAME_INVALID`, …) and its message.
    Tls { code: String, message: String },
}

impl From<Errno> for ConnectError {
    fn from(e: Errno) -> ConnectError {
        ConnectError::Sys(e)
    }
}

/// The host part of an allow-list pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum HostPat {
    /// A lowercase name glob.
    Name(String),
    /// An address range: base and prefix length.
    Net(IpAddr, u8),
}

/// One `host:port` pattern of the allow-list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowEntry {
    host: HostPat,
    /// Inclusive port range.
    ports: (u16, u16),
}

impl AllowEntry {
    /// Parse `HOST:PORT` (see the module docs). `None` when malformed.
    pub fn parse(s: &str) -> Option<AllowEntry> {
        let s = s.trim();
        let (host, port) = if let Some(rest) = s.strip_prefix('[') {
            let (h, p) = rest.split_once(']')?;
            (h, p.strip_prefix(':')?)
        } else {
            s.rsplit_once(':')?
        };
        let ports = match port {
            "*" => (0, u16::MAX),
            p => match p.split_once('-') {
                Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
                None => {
                    let n = p.parse().ok()?;
                    (n, n)
                }
            },
        };
        if host.is_empty() || ports.0 > ports.1 {
            return None;
        }
        let net = match host.split_once('/') {
            Some((ip, len)) => {
                let ip: IpAddr = ip.parse().ok()?;
                let len: u8 = len.parse().ok()?;
                (len <= max_prefix(&ip)).then_some(HostPat::Net(ip, len))?
            }
            None => match host.parse::<IpAddr>() {
                Ok(ip) => HostPat::Net(ip, max_prefix(&ip)),
                Err(_) if host.contains(['/', ' ', '[', ']']) => return None,
                Err(_) => HostPat::Name(host.to_ascii_lowercase()),
            },
        };
        Some(AllowEntry { host: net, ports })
    }

    fn port_ok(&self, port: Option<u16>) -> bool {
        port.is_none_or(|p| (self.ports.0..=self.ports.1).contains(&p))
    }

    /// Whether this is an IP or range pattern covering `ip`.
    fn covers_ip(&self, ip: &IpAddr, port: Option<u16>) -> bool {
        matches!(&self.host, HostPat::Net(base, len) if in_net(ip, base, *len)) && self.port_ok(port)
    }

    /// Whether this is a name pattern matching `name` (lowercase).
    fn matches_name(&self, name: &str, port: Option<u16>) -> bool {
        matches!(&self.host, HostPat::Name(g) if crate::policy::glob_match(g, name)) && self.port_ok(port)
    }

    /// Whether this pattern names `name` exactly, without a glob.
    fn names_exactly(&self, name: &str, port: Option<u16>) -> bool {
        matches!(&self.host, HostPat::Name(g) if g == name) && self.port_ok(port)
    }
}

fn max_prefix(ip: &IpAddr) -> u8 {
    if ip.is_ipv4() { 32 } else { 128 }
}

/// Whether `ip` lies in `base/len` (IPv4-mapped IPv6 counts as IPv4).
fn in_net(ip: &IpAddr, base: &IpAddr, len: u8) -> bool {
    let ip = canonical(ip);
    let bits = |a: &IpAddr| -> u128 {
        match a {
            IpAddr::V4(v4) => u32::from(*v4) as u128,
            IpAddr::V6(v6) => u128::from(*v6),
        }
    };
    if ip.is_ipv4() != base.is_ipv4() {
        return false;
    }
    let width = max_prefix(base) as u32;
    let shift = width - len.min(width as u8) as u32;
    let mask = if shift >= 128 { 0 } else { (!0u128) << shift };
    (bits(&ip) & mask) == (bits(base) & mask)
}

fn canonical(ip: &IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(*ip, IpAddr::V4),
        v4 => *v4,
    }
}

/// Whether `ip` is internal to some machine or network: loopback
/// (127/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7),
/// link-local and cloud metadata (169.254/16, fe80::/10), carrier-grade
/// NAT (100.64/10) or unspecified (0.0.0.0/8, ::). Such addresses are
/// only reached when an IP pattern allows them.
pub fn is_internal(ip: &IpAddr) -> bool {
    const NETS: &[(&str, u8)] = &[
        ("127.0.0.0", 8),
        ("10.0.0.0", 8),
        ("172.16.0.0", 12),
        ("192.168.0.0", 16),
        ("169.254.0.0", 16),
        ("100.64.0.0", 10),
        ("0.0.0.0", 8),
        ("::1", 128),
        ("::", 128),
        ("fc00::", 7),
        ("fe80::", 10),
    ];
    NETS.iter().any(|(base, len)| base.parse().is_ok_and(|b: IpAddr| in_net(ip, &b, *len)))
}

/// A VM's way out: the allow-list and the host's connector.
pub struct Egress {
    allow: Vec<AllowEntry>,
    connector: std::sync::Arc<dyn Connector>,
    /// Which allowed names resolved to an address, so that a later
    /// `connect` to the bare address is judged by the name.
    resolved: Mutex<HashMap<IpAddr, BTreeSet<String>>>,
    denials: AtomicU64,
    last: Mutex<Option<String>>,
    live: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// One of the [`MAX_OUTBOUND`] connection slots, given back on drop.
pub(crate) struct Slot(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Egress {
    /// An egress allowing `allow` (parsed with [`AllowEntry::parse`])
    /// through `connector`.
    pub fn new(allow: Vec<AllowEntry>, connector: std::sync::Arc<dyn Connector>) -> Egress {
        Egress {
            allow,
            connector,
            resolved: Mutex::new(HashMap::new()),
            denials: AtomicU64::new(0),
            last: Mutex::new(None),
            live: Default::default(),
        }
    }

    /// Take a connection slot: `EAGAIN` when [`MAX_OUTBOUND`] are alive.
    pub(crate) fn slot(&self) -> KResult<Slot> {
        let n = self.live.fetch_add(1, Ordering::AcqRel);
        let slot = Slot(self.live.clone());
        if n >= MAX_OUTBOUND {
            return Err(Errno::EAGAIN);
        }
        Ok(slot)
    }

    pub(crate) fn connector(&self) -> &dyn Connector {
        &*self.connector
    }

    /// Denials so far and the latest message.
    pub fn denials(&self) -> (u64, Option<String>) {
        (self.denials.load(Ordering::Relaxed), self.last.lock().clone())
    }

    /// Count and report a denial of `op` on `subject`.
    pub(crate) fn deny(&self, guard: Option<&crate::policy::Guard>, op: &str, subject: &str) -> Errno {
        let msg = format!("EACCES: permission denied, {op} '{subject}'");
        tracing::info!(domain = "network", op, subject, "{msg} (not in the allow-list)");
        self.denials.fetch_add(1, Ordering::Relaxed);
        *self.last.lock() = Some(msg.clone());
        if let Some(g) = guard {
            g.record(msg);
        }
        Errno::EACCES
    }

    /// Whether an IP pattern allows the internal address `ip`.
    fn ip_allowed(&self, ip: &IpAddr, port: Option<u16>) -> bool {
        self.allow.iter().any(|e| e.covers_ip(ip, port))
    }

    /// Whether a guest may connect to the outside address `addr`: an IP
    /// pattern covers it, or (for an address that is not internal) a name
    /// pattern matches the address's text or a name that resolved to it.
    pub fn permit_addr(&self, addr: &SocketAddr) -> bool {
        let (ip, port) = (canonical(&addr.ip()), Some(addr.port()));
        if self.ip_allowed(&ip, port) {
            return true;
        }
        if is_internal(&ip) {
            return false;
        }
        let text = ip.to_string();
        let names = self.resolved.lock().get(&ip).cloned().unwrap_or_default();
        self.allow.iter().any(|e| e.matches_name(&text, port) || names.iter().any(|n| e.matches_name(n, port)))
    }

    /// Resolve `name` (not an IP literal) for a connection to `port`, or
    /// for any allowed port when `None`. `EACCES` when no pattern allows
    /// the name or every address it has is internal and not allowed by an
    /// IP pattern; `ENOENT` when it does not exist.
    pub(crate) fn resolve(&self, name: &str, port: Option<u16>) -> KResult<Vec<IpAddr>> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name == HOST_LOOPBACK {
            // Only an exact pattern opens the host's loopback.
            return if self.allow.iter().any(|e| e.names_exactly(&name, port)) {
                Ok(vec![IpAddr::V4(Ipv4Addr::LOCALHOST)])
            } else {
                Err(Errno::EACCES)
            };
        }
        if !self.allow.iter().any(|e| e.matches_name(&name, port)) {
            return Err(Errno::EACCES);
        }
        let all = self.connector.lookup(&name)?;
        let kept: Vec<IpAddr> = all
            .into_iter()
            .map(|ip| canonical(&ip))
            .filter(|ip| !is_internal(ip) || self.ip_allowed(ip, port))
            .collect();
        if kept.is_empty() {
            return Err(Errno::EACCES);
        }
        let mut table = self.resolved.lock();
        if table.len() >= RESOLVED_MAX {
            table.clear();
        }
        for ip in &kept {
            table.entry(*ip).or_default().insert(name.clone());
        }
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    struct Fake;
    impl Connector for Fake {
        fn lookup(&self, name: &str) -> KResult<Vec<IpAddr>> {
            match name {
                "api.example.com" => Ok(vec!["93.184.216.34".parse().unwrap()]),
                "evil.test" => Ok(vec!["127.0.0.1".parse().unwrap(), "10.1.2.3".parse().unwrap()]),
                "meta.test" => Ok(vec!["169.254.169.254".parse().unwrap()]),
                _ => Err(Errno::ENOENT),
            }
        }
        fn connect(&self, _: SocketAddr, _: HostConn) -> KResult<()> {
            Err(Errno::ECONNREFUSED)
        }
    }

    fn egress(pats: &[&str]) -> Egress {
        Egress::new(pats.iter().map(|p| AllowEntry::parse(p).unwrap()).collect(), Arc::new(Fake))
    }

    #[test]
    fn parses_patterns() {
        for bad in ["", "x", "a:", ":80", "a:b", "a:90-80", "[::1:80", "1.2.3.4/33:80", "a b:1", "a:70000"] {
            assert_eq!(AllowEntry::parse(bad), None, "{bad}");
        }
        let e = AllowEntry::parse("[fc00::/7]:443").unwrap();
        assert!(e.covers_ip(&"fd00::1".parse().unwrap(), Some(443)));
        assert!(!e.covers_ip(&"fd00::1".parse().unwrap(), Some(80)));
        let e = AllowEntry::parse("*.Example.com:8000-8100").unwrap();
        assert!(e.matches_name("a.b.example.com", Some(8050)));
        assert!(!e.matches_name("example.com", Some(8050)));
        assert!(!e.matches_name("a.example.com", Some(8101)));
    }

    #[test]
    fn internal_ranges() {
        for ip in [
            "127.0.0.1",
            "10.9.9.9",
            "172.31.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "::1",
            "fd12::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "100.64.0.1",
        ] {
            assert!(is_internal(&ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "172.32.0.1", "93.184.216.34", "2606:4700::1"] {
            assert!(!is_internal(&ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn resolves_allowed_names_and_filters_internal_answers() {
        let e = egress(&["api.example.com:443", "evil.test:*", "meta.test:80", "10.0.0.0/8:*"]);
        assert_eq!(e.resolve("API.example.com.", Some(443)), Ok(vec!["93.184.216.34".parse().unwrap()]));
        assert_eq!(e.resolve("api.example.com", Some(80)), Err(Errno::EACCES));
        assert_eq!(e.resolve("other.com", None), Err(Errno::EACCES));
        // 127.0.0.1 is dropped, 10.1.2.3 kept by the range pattern.
        assert_eq!(e.resolve("evil.test", Some(1)), Ok(vec!["10.1.2.3".parse().unwrap()]));
        assert_eq!(e.resolve("meta.test", Some(80)), Err(Errno::EACCES));
        assert!(e.permit_addr(&"93.184.216.34:443".parse().unwrap()));
        assert!(!e.permit_addr(&"93.184.216.34:80".parse().unwrap()));
        assert!(!e.permit_addr(&"169.254.169.254:80".parse().unwrap()));
        assert!(e.permit_addr(&"10.3.3.3:22".parse().unwrap()));
    }

    #[test]
    fn host_loopback_needs_an_exact_pattern() {
        assert_eq!(egress(&["*:*"]).resolve(HOST_LOOPBACK, Some(8080)), Err(Errno::EACCES));
        let e = egress(&["host.agentos.internal:8080"]);
        assert_eq!(e.resolve(HOST_LOOPBACK, Some(8080)), Ok(vec![IpAddr::V4(Ipv4Addr::LOCALHOST)]));
        assert_eq!(e.resolve(HOST_LOOPBACK, Some(8081)), Err(Errno::EACCES));
    }

    #[test]
    fn outbound_slots_are_bounded_and_given_back() {
        let e = egress(&["*:*"]);
        let mut held: Vec<Slot> = (0..MAX_OUTBOUND).map(|_| e.slot().unwrap()).collect();
        assert_eq!(e.slot().err(), Some(Errno::EAGAIN));
        held.pop();
        assert!(e.slot().is_ok());
    }

    #[test]
    fn unknown_names_are_enoent() {
        assert_eq!(egress(&["*:*"]).resolve("nope.test", None), Err(Errno::ENOENT));
    }
}
