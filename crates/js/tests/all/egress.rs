//! Outbound connections from JS guests to the real network, through the
//! host connector and the VM's allow-list. There is no internet here: the
//! "outside" servers listen on the host's own loopback, which guests reach
//! as `host.agentos.internal` (or a name pinned with `dns_overrides`)
//! when a pattern allows it exactly.

use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener};
use std::sync::Arc;

use agentos::{AgentOs, AgentOsOptions};

use crate::run_js;

/// A host HTTP/1.1 server answering `host says <method> <path> <body>` to
/// every request, one connection per request. Returns its port.
fn http_server() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(c) = c else { continue };
            std::thread::spawn(move || answer(c));
        }
    });
    port
}

fn answer(mut c: impl Read + Write) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match c.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let len: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match c.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let mut first = head.split_whitespace();
    let (method, path) = (first.next().unwrap_or(""), first.next().unwrap_or(""));
    let body = format!("host says {method} {path} {}", String::from_utf8_lossy(&buf[head_end..head_end + len]));
    let resp = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    let _ = c.write_all(resp.as_bytes());
}

/// A host server that reads to EOF, then answers the bytes upper-cased and
/// closes (needs the guest's half-close to answer). Returns its port.
fn upper_server() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(mut c) = c else { continue };
            std::thread::spawn(move || {
                let mut v = Vec::new();
                if c.read_to_end(&mut v).is_ok() {
                    let _ = c.write_all(&v.to_ascii_uppercase());
                }
            });
        }
    });
    port
}

fn vm(allow: &[String], overrides: &[(&str, &str)]) -> AgentOs {
    AgentOs::create_sync(AgentOsOptions {
        allow_net: allow.to_vec(),
        dns_overrides: overrides.iter().map(|(n, ip)| (n.to_string(), vec![ip.parse::<IpAddr>().unwrap()])).collect(),
        ..Default::default()
    })
    .expect("VM boots")
}

fn sorted_lines(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s.lines().map(String::from).collect();
    v.sort();
    v
}

#[test]
fn http_fetch_and_net_reach_an_allowed_host_server() {
    let (hp, up) = (http_server(), upper_server());
    let vm = vm(&[format!("host.agentos.internal:{hp}"), format!("host.agentos.internal:{up}")], &[]);
    let src = format!(
        r#"
const http = require('http');
const net = require('net');
http.get('http://host.agentos.internal:{hp}/a?b=1', (res) => {{
  let b = '';
  res.setEncoding('utf8');
  res.on('data', (d) => (b += d));
  res.on('end', () => console.log('http.get', res.statusCode, res.headers['content-length'], b));
}}).on('error', (e) => console.log('http.get error', e.message));
fetch('http://host.agentos.internal:{hp}/f', {{ method: 'POST', body: 'xyz' }})
  .then((r) => r.text().then((t) => console.log('fetch', r.status, t)))
  .catch((e) => console.log('fetch error', e.message, e.cause && e.cause.message));
const s = net.connect({hp_up}, 'host.agentos.internal', () => {{
  console.log('net remote', s.remoteAddress, s.remotePort === {up});
  s.end('half-closed then answered');
}});
let got = '';
s.on('data', (d) => (got += d));
s.on('end', () => console.log('net', got));
"#,
        hp_up = up
    );
    let r = run_js(&vm, "/tmp/out.js", &src);
    assert_eq!(r.stderr_str(), "");
    assert_eq!(
        sorted_lines(&r.stdout_str()),
        vec![
            "fetch 200 host says POST /f xyz".to_string(),
            "http.get 200 21 host says GET /a?b=1 ".to_string(),
            "net HALF-CLOSED THEN ANSWERED".to_string(),
            "net remote 127.0.0.1 true".to_string(),
        ]
    );
    assert_eq!(r.exit_code, 0);
    assert_eq!(vm.permission_denials(), (0, None));
}

#[test]
fn denials_name_the_destination_and_internal_answers_are_refused() {
    let hp = http_server();
    let vm = vm(
        &[
            format!("host.agentos.internal:{hp}"),
            format!("evil.test:{hp}"),
            format!("pinned.test:{hp}"),
            format!("127.0.0.1:{hp}"),
            "*.example.com:443".to_string(),
        ],
        &[("evil.test", "10.1.2.3"), ("pinned.test", "127.0.0.1"), ("api.example.com", "169.254.169.254")],
    );
    let other = hp.wrapping_add(1);
    let src = format!(
        r#"
const http = require('http');
const net = require('net');
const dns = require('dns');
const show = (what) => (e) => console.log(what, e.message, e.code);
http.get('http://host.agentos.internal:{other}/').on('error', show('other port'));
http.get('http://evil.test:{hp}/').on('error', show('evil'));
fetch('http://api.example.com:443/').catch((e) => console.log('metadata', e.message, e.cause.message));
net.connect(80, 'not-allowed.test').on('error', show('not allowed'));
net.connect(8080, '10.9.8.7').on('error', show('ip literal'));
// The host's server port is allowed as `127.0.0.1:PORT`, yet the guest's
// own 127.0.0.1 and localhost stay the VM's loopback.
net.connect({hp}, '127.0.0.1').on('error', show('vm loopback'));
fetch('http://localhost:{hp}/').catch((e) => console.log('vm localhost', e.cause.code));
dns.lookup('evil.test', show('dns evil'));
dns.lookup('nowhere.test', show('dns nowhere'));
dns.lookup('pinned.test', (e, a, f) => console.log('dns pinned', e, a, f));
dns.resolve4('pinned.test', (e, a) => console.log('resolve4', e, a));
dns.promises.resolve6('pinned.test').catch((e) => console.log('resolve6', e.code, e.syscall));
http.get('http://pinned.test:{hp}/p', (res) => {{
  let b = '';
  res.on('data', (d) => (b += d));
  res.on('end', () => console.log('pinned', b));
}});
"#
    );
    let r = run_js(&vm, "/tmp/deny.js", &src);
    assert_eq!(r.stderr_str(), "");
    assert_eq!(
        sorted_lines(&r.stdout_str()),
        vec![
            "dns evil getaddrinfo EACCES evil.test EACCES".to_string(),
            "dns nowhere getaddrinfo EACCES nowhere.test EACCES".to_string(),
            "dns pinned null 127.0.0.1 4".to_string(),
            format!("evil connect EACCES evil.test:{hp} EACCES"),
            "ip literal connect EACCES 10.9.8.7:8080 EACCES".to_string(),
            "metadata fetch failed connect EACCES api.example.com:443".to_string(),
            "not allowed connect EACCES not-allowed.test:80 EACCES".to_string(),
            format!("other port connect EACCES host.agentos.internal:{other} EACCES"),
            "pinned host says GET /p ".to_string(),
            "resolve4 null [ '127.0.0.1' ]".to_string(),
            "resolve6 ENOTFOUND queryAaaa".to_string(),
            "vm localhost ECONNREFUSED".to_string(),
            format!("vm loopback connect ECONNREFUSED 127.0.0.1:{hp} ECONNREFUSED"),
        ]
    );
    assert_eq!(r.exit_code, 0);
    assert_eq!(vm.permission_denials().0, 7);
    let r = run_js(&vm, "/tmp/one.js", "require('net').connect(443, 'x.example.org').on('error', () => {});\n");
    assert_eq!(r.exit_code, 0);
    assert_eq!(
        vm.permission_denials(),
        (8, Some("EACCES: permission denied, connect 'tcp://x.example.org:443'".to_string()))
    );
}

#[test]
fn no_allow_list_means_no_outbound_network() {
    let hp = http_server();
    let vm = vm(&[], &[]);
    let src = format!(
        "require('http').get('http://host.agentos.internal:{hp}/').on('error', (e) => console.log(e.message));\n"
    );
    let r = run_js(&vm, "/tmp/none.js", &src);
    assert_eq!(
        (r.stdout_str(), r.stderr_str()),
        (format!("connect EACCES host.agentos.internal:{hp}\n"), String::new())
    );
}

/// A test CA (PEM) and a TLS server with a certificate for `tls.test`
/// signed by it, answering like [`http_server`]. Returns (CA PEM, port).
fn tls_server() -> (String, u16) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "agentOS test CA");
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf =
        CertificateParams::new(vec!["tls.test".to_string()]).unwrap().signed_by(&leaf_key, &ca_cert, &ca_key).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], key)
        .unwrap();
    let config = Arc::new(config);
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(c) = c else { continue };
            let config = config.clone();
            std::thread::spawn(move || {
                let conn = rustls::ServerConnection::new(config).unwrap();
                let mut s = rustls::StreamOwned::new(conn, c);
                answer(&mut s);
                s.conn.send_close_notify();
                let _ = s.flush();
            });
        }
    });
    (ca_cert.pem(), port)
}

#[test]
fn https_tls_and_fetch_verify_against_the_vm_roots() {
    let (ca, port) = tls_server();
    let allow = [format!("tls.test:{port}"), format!("other.test:{port}"), format!("127.0.0.1:{port}")];
    let overrides = [("tls.test", "127.0.0.1"), ("other.test", "127.0.0.1")];
    let trusted = AgentOs::create_sync(AgentOsOptions {
        allow_net: allow.to_vec(),
        dns_overrides: overrides.iter().map(|(n, ip)| (n.to_string(), vec![ip.parse().unwrap()])).collect(),
        tls_roots: vec![ca.clone().into_bytes()],
        ..Default::default()
    })
    .unwrap();
    let src = format!(
        r#"
const https = require('https');
const tls = require('tls');
https.get('https://tls.test:{port}/x', (res) => {{
  let b = '';
  res.on('data', (d) => (b += d));
  res.on('end', () => console.log('https', res.statusCode, b));
}}).on('error', (e) => console.log('https error', e.code, e.message));
fetch('https://tls.test:{port}/f', {{ method: 'POST', body: 'abc' }})
  .then((r) => r.text())
  .then((t) => console.log('fetch', t), (e) => console.log('fetch error', e.cause && e.cause.message));
const s = tls.connect({port}, 'tls.test', () => {{
  console.log('tls authorized', s.authorized, s.encrypted);
  s.end('GET /raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
}});
let raw = '';
s.on('data', (d) => (raw += d));
s.on('end', () => console.log('tls', raw.split('\r\n')[0], raw.endsWith('GET /raw ')));
https.get('https://other.test:{port}/').on('error', (e) => console.log('altname', e.code, e.message));
"#
    );
    let r = run_js(&trusted, "/tmp/tls.js", &src);
    assert_eq!(r.stderr_str(), "");
    assert_eq!(
        sorted_lines(&r.stdout_str()),
        vec![
            "altname ERR_TLS_CERT_ALTNAME_INVALID Hostname/IP does not match certificate's altnames: Host: other.test. is not in the cert's altnames: DNS:tls.test".to_string(),
            "fetch host says POST /f abc".to_string(),
            "https 200 host says GET /x ".to_string(),
            "tls HTTP/1.1 200 OK true".to_string(),
            "tls authorized true true".to_string(),
        ]
    );
    // Without the VM's root (Mozilla's only), the same server is refused;
    // a per-request `ca` or `rejectUnauthorized: false` lets it through.
    let plain = vm(&allow, &overrides);
    let src = format!(
        r#"
const https = require('https');
https.get('https://tls.test:{port}/').on('error', (e) => console.log('untrusted', e.code, e.message));
fetch('https://tls.test:{port}/').catch((e) => console.log('fetch', e.message, e.cause.code));
https.get('https://tls.test:{port}/ca', {{ ca: {ca:?} }}, (res) => res.on('data', (d) => console.log('ca', String(d))));
https.get('https://tls.test:{port}/insecure', {{ rejectUnauthorized: false }}, (res) => res.on('data', (d) => console.log('insecure', String(d))));
require('tls').connect({port}, '127.0.0.1').on('error', (e) => console.log('tls ip', e.code));
"#
    );
    let r = run_js(&plain, "/tmp/tls2.js", &src);
    assert_eq!(r.stderr_str(), "");
    assert_eq!(
        sorted_lines(&r.stdout_str()),
        vec![
            "ca host says GET /ca ".to_string(),
            "fetch fetch failed UNABLE_TO_VERIFY_LEAF_SIGNATURE".to_string(),
            "insecure host says GET /insecure ".to_string(),
            "tls ip ERR_NOT_SUPPORTED".to_string(),
            "untrusted UNABLE_TO_VERIFY_LEAF_SIGNATURE unable to verify the first certificate".to_string(),
        ]
    );
}

#[test]
fn the_event_loop_runs_while_an_outbound_connect_is_under_way() {
    // Accepts, says nothing for 300 ms, hangs up: a TLS handshake that
    // takes a while and then fails.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(c) = c else { continue };
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(c);
        }
    });
    let vm = vm(&[format!("host.agentos.internal:{port}")], &[]);
    let src = format!(
        r#"
let ticks = 0;
const iv = setInterval(() => ticks++, 10);
require('tls').connect({port}, 'host.agentos.internal').on('error', (e) => {{
  clearInterval(iv);
  console.log(ticks >= 10, e.code, e.message);
}});
"#
    );
    let r = run_js(&vm, "/tmp/slow.js", &src);
    assert_eq!(r.stderr_str(), "");
    assert_eq!(
        r.stdout_str(),
        "true ECONNRESET Client network socket disconnected before secure TLS connection was established\n"
    );
}
