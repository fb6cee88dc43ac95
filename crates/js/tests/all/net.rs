//! `net`, `http` and `fetch` inside the VM, reached from the host with
//! `vm.fetch`: the seed's server example (spawn, stream stdout, stdin,
//! stop), a 5 MiB binary POST echoed byte-exact, a guest server and
//! client in one VM, two VMs on one port, a raw `net` server, and
//! express.

#![allow(clippy::disallowed_methods)] // host side: looking into the npm cache

use std::sync::Arc;
use std::time::Duration;

use agentos::http::{Method, Request};
use agentos::{AgentOs, AgentOsOptions, Error, ExecOptions};
use tokio::sync::mpsc;

use crate::{exec, run_js};

async fn boot() -> AgentOs {
    AgentOs::create(AgentOsOptions::default()).await.expect("VM boots")
}

/// Spawn `node path` and wait until its stdout contains `ready`; returns
/// the pid and everything printed so far.
async fn start(vm: &AgentOs, path: &str, src: &str, ready: &str) -> (i32, String) {
    vm.write_file(path, src.as_bytes()).await.expect("write script");
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let (etx, mut erx) = mpsc::unbounded_channel::<Vec<u8>>();
    let opts = agentos::SpawnOptions {
        on_stdout: Some(Arc::new(move |b: &[u8]| {
            let _ = tx.send(b.to_vec());
        })),
        on_stderr: Some(Arc::new(move |b: &[u8]| {
            let _ = etx.send(b.to_vec());
        })),
        ..Default::default()
    };
    let pid = vm.spawn("node", &[path], opts).expect("spawn node");
    let mut out = String::new();
    let wait = async {
        while !out.contains(ready) {
            match rx.recv().await {
                Some(b) => out.push_str(&String::from_utf8_lossy(&b)),
                None => break,
            }
        }
    };
    if tokio::time::timeout(Duration::from_secs(20), wait).await.is_err() || !out.contains(ready) {
        let mut err = String::new();
        while let Ok(b) = erx.try_recv() {
            err.push_str(&String::from_utf8_lossy(&b));
        }
        panic!("{path} did not print {ready:?}; stdout {out:?}, stderr {err:?}");
    }
    (pid, out)
}

fn get(path: &str) -> Request<Vec<u8>> {
    Request::get(format!("http://localhost{path}")).body(Vec::new()).expect("request")
}

async fn stop(vm: &AgentOs, pid: i32) -> i32 {
    vm.stop_process(pid).expect("stop");
    tokio::time::timeout(Duration::from_secs(10), vm.wait_process(pid)).await.expect("exits").expect("status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_server_streams_stdout_answers_fetch_and_stops() {
    let vm = boot().await;
    let src = r#"import http from "http"; http.createServer((req, res) => res.end("ok")).listen(3000); console.log("listening");"#;
    let (pid, out) = start(&vm, "/tmp/server.mjs", src, "listening").await;
    assert_eq!(out, "listening\n");
    let r = vm.fetch(3000, get("/")).await.expect("fetch");
    assert_eq!(r.status(), 200);
    assert_eq!(r.body(), b"ok");
    assert_eq!(r.headers()["content-length"], "2");
    assert_eq!(r.headers()["connection"], "close");
    // The same server again (a new connection per fetch).
    assert_eq!(vm.fetch(3000, get("/again")).await.expect("fetch").body(), b"ok");
    vm.write_process_stdin(pid, b"some input\n").expect("stdin");
    assert_eq!(stop(&vm, pid).await, 143);
    assert!(matches!(vm.fetch(3000, get("/")).await, Err(Error::NoListener(3000))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stdin_and_server_share_the_loop() {
    let vm = boot().await;
    let src = r#"
const http = require('http');
let last = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { last = d.trim(); console.log('stdin:' + last); });
http.createServer((req, res) => res.end('last=' + last)).listen(3001, () => console.log('listening'));
"#;
    let (pid, _) = start(&vm, "/tmp/s.js", src, "listening").await;
    vm.write_process_stdin(pid, b"hello\n").expect("stdin");
    for _ in 0..200 {
        let r = vm.fetch(3001, get("/")).await.expect("fetch");
        if r.body() == b"last=hello" {
            assert_eq!(stop(&vm, pid).await, 143);
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("stdin never reached the server's loop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_post_5mib_binary_echoed_byte_exact() {
    let vm = boot().await;
    let src = r#"
const http = require('http');
http.createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    const body = Buffer.concat(parts);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'X-Method': req.method, 'X-Length': String(body.length) });
    res.end(body);
  });
}).listen(8080, () => console.log('listening'));
"#;
    let (pid, _) = start(&vm, "/tmp/echo.js", src, "listening").await;
    let big: Vec<u8> = (0..5 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let req = Request::builder().method(Method::POST).uri("/upload").body(big.clone()).expect("request");
    let r = vm.fetch(8080, req).await.expect("fetch");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-method"], "POST");
    assert_eq!(r.headers()["x-length"], big.len().to_string());
    // writeHead without a length: the body went chunked.
    assert_eq!(r.headers()["transfer-encoding"], "chunked");
    assert_eq!(r.body().len(), big.len());
    assert!(r.body() == &big, "body differs");
    assert_eq!(stop(&vm, pid).await, 143);
}

#[test]
fn guest_server_and_guest_client_in_one_vm() {
    let vm = crate::vm();
    let src = r#"
const http = require('http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => body += d);
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, body, ua: req.headers['user-agent'] || null }));
  });
});
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  http.get(`http://127.0.0.1:${port}/a?b=1`, (res) => {
    let d = '';
    res.setEncoding('utf8');
    res.on('data', (c) => d += c);
    res.on('end', async () => {
      console.log('http.get', res.statusCode, res.headers['content-type'], d);
      const r = await fetch(`http://localhost:${port}/f`, { method: 'POST', body: 'payload' });
      console.log('fetch', r.status, r.headers.get('content-type'), await r.json());
      server.close(() => console.log('closed'));
    });
  });
});
"#;
    let r = run_js(&vm, "/tmp/both.js", src);
    assert_eq!(r.stderr_str(), "");
    assert_eq!(
        r.stdout_str(),
        "http.get 200 application/json {\"method\":\"GET\",\"url\":\"/a?b=1\",\"body\":\"\",\"ua\":null}\n\
         fetch 200 application/json { method: 'POST', url: '/f', body: 'payload', ua: 'node' }\n\
         closed\n"
    );
    assert_eq!(r.exit_code, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_vms_listen_on_the_same_port() {
    let (a, b) = (boot().await, boot().await);
    let src = |tag: &str| {
        format!("require('http').createServer((q, s) => s.end('{tag}')).listen(3000, () => console.log('listening'));")
    };
    let (pa, _) = start(&a, "/tmp/s.js", &src("vm-a"), "listening").await;
    let (pb, _) = start(&b, "/tmp/s.js", &src("vm-b"), "listening").await;
    assert_eq!(a.fetch(3000, get("/")).await.expect("fetch a").body(), b"vm-a");
    assert_eq!(b.fetch(3000, get("/")).await.expect("fetch b").body(), b"vm-b");
    assert_eq!(stop(&a, pa).await, 143);
    // b still serves after a's server is gone.
    assert_eq!(b.fetch(3000, get("/")).await.expect("fetch b").body(), b"vm-b");
    assert_eq!(stop(&b, pb).await, 143);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_net_server_answers_fetch() {
    let vm = boot().await;
    let src = r#"
const net = require('net');
net.createServer((sock) => {
  let head = '';
  sock.setEncoding('latin1');
  sock.on('data', (d) => {
    head += d;
    if (!head.includes('\r\n\r\n')) return;
    const line = head.split('\r\n')[0];
    const body = `raw:${line}`;
    sock.end(`HTTP/1.1 202 Accepted\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  });
}).listen(4000, () => console.log('listening'));
"#;
    let (pid, _) = start(&vm, "/tmp/raw.js", src, "listening").await;
    let r = vm.fetch(4000, get("/x?y=z")).await.expect("fetch");
    assert_eq!(r.status(), 202);
    assert_eq!(r.body(), b"raw:GET /x?y=z HTTP/1.1");
    assert_eq!(stop(&vm, pid).await, 143);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chunked_keep_alive_and_errors_through_http() {
    let vm = boot().await;
    let src = r#"
const http = require('http');
const server = http.createServer((req, res) => {
  if (req.url === '/stream') {
    res.writeHead(201, { 'X-Kind': 'stream' });
    let i = 0;
    const t = setInterval(() => { res.write(`tick${i}\n`); if (++i === 3) { clearInterval(t); res.end('done\n'); } }, 1);
    return;
  }
  if (req.url === '/head') { res.setHeader('Content-Length', 5); res.end(); return; }
  res.statusCode = 404;
  res.end('nope');
});
server.listen(5000, () => console.log('listening'));
"#;
    let (pid, _) = start(&vm, "/tmp/c.js", src, "listening").await;
    let r = vm.fetch(5000, get("/stream")).await.expect("fetch");
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["x-kind"], "stream");
    assert_eq!(r.headers()["transfer-encoding"], "chunked");
    assert_eq!(r.body(), b"tick0\ntick1\ntick2\ndone\n");
    let head = Request::builder().method(Method::HEAD).uri("/head").body(Vec::new()).expect("request");
    let r = vm.fetch(5000, head).await.expect("fetch");
    assert_eq!((r.status().as_u16(), r.headers()["content-length"].to_str().ok(), r.body().len()), (200, Some("5"), 0));
    let r = vm.fetch(5000, get("/missing")).await.expect("fetch");
    assert_eq!((r.status().as_u16(), r.body().as_slice()), (404, &b"nope"[..]));
    assert_eq!(stop(&vm, pid).await, 143);
}

#[test]
fn connection_errors_read_like_node() {
    let vm = crate::vm();
    let src = r#"
const net = require('net');
const http = require('http');
const c = net.connect(3001, '127.0.0.1');
c.on('error', (e) => console.log(e.message, e.code, e.errno, e.syscall, e.address, e.port));
const s = net.createServer().listen(3002, () => {
  const t = net.createServer();
  t.on('error', (e) => { console.log(e.message, e.code); s.close(); });
  t.listen(3002);
});
http.get('http://10.1.2.3:81/', () => {}).on('error', (e) => console.log('http', e.message));
require('https').get('https://example.com/').on('error', (e) => console.log('https', e.message));
fetch('http://example.com/x').catch((e) => console.log(e.name, e.message, '|', e.cause.message));
require('dns').lookup('localhost', (err, a, f) => console.log('dns', err, a, f));
require('dns').lookup('example.com', (err) => console.log('dns', err.message, err.code));
"#;
    let r = run_js(&vm, "/tmp/errs.js", src);
    assert_eq!(r.stderr_str(), "");
    let mut lines: Vec<String> = r.stdout_str().lines().map(String::from).collect();
    lines.sort();
    assert_eq!(
        lines,
        vec![
            "TypeError fetch failed | connect EACCES example.com:80",
            "connect ECONNREFUSED 127.0.0.1:3001 ECONNREFUSED -111 connect 127.0.0.1 3001",
            "dns getaddrinfo EACCES example.com EACCES",
            "dns null 127.0.0.1 4",
            "http connect EACCES 10.1.2.3:81",
            "https connect EACCES example.com:443",
            "listen EADDRINUSE: address already in use :::3002 EADDRINUSE",
        ]
    );
    assert_eq!(r.exit_code, 0);
}

#[test]
fn client_timeouts_aborts_and_tls_denials() {
    let vm = crate::vm();
    let edge = include_str!("net_edge.js");
    let r = run_js(&vm, "/tmp/edge.js", edge);
    assert_eq!(r.stderr_str(), "");
    let mut lines: Vec<String> = r.stdout_str().lines().map(String::from).collect();
    lines.sort();
    assert_eq!(
        lines,
        vec![
            "204 204  null",
            "abort TimeoutError",
            "addr { address: '::', family: 'IPv6', port: 40500 }",
            "closed",
            "got a=1&b=x+y",
            "https server ERR_NOT_SUPPORTED https.createServer (TLS servers) is not supported in agentOS",
            "refused connect ECONNREFUSED 127.0.0.1:40599",
            "req error ECONNRESET socket hang up",
            "req timeout",
            "tls connect EACCES example.com:443",
            "tls local ERR_NOT_SUPPORTED tls.connect: TLS to servers inside the VM is not supported in agentOS",
        ]
    );
    assert_eq!(r.exit_code, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn express_json_route_answers_fetch() {
    let Some(cache) = crate::npm::cache() else {
        crate::npm::skip("express_json_route_answers_fetch");
        return;
    };
    if !cache.join("express").is_dir() {
        crate::npm::skip("express_json_route_answers_fetch");
        return;
    }
    let vm = boot().await;
    crate::npm::copy_tree_async(&vm, &cache, "/home/user/node_modules").await;
    let src = r#"
const express = require('express');
const app = express();
app.use(express.json());
app.get('/api/items/:id', (req, res) => res.json({ id: Number(req.params.id), q: req.query.q, ok: true }));
app.post('/api/echo', (req, res) => res.status(201).json({ got: req.body }));
app.listen(3000, () => console.log('listening'));
"#;
    let (pid, _) = start(&vm, "/home/user/app.js", src, "listening").await;
    let r = vm.fetch(3000, get("/api/items/7?q=x")).await.expect("fetch");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(r.headers()["x-powered-by"], "Express");
    assert_eq!(r.body(), br#"{"id":7,"q":"x","ok":true}"#);
    let post = Request::builder()
        .method(Method::POST)
        .uri("/api/echo")
        .header("content-type", "application/json")
        .body(br#"{"a":[1,2]}"#.to_vec())
        .expect("request");
    let r = vm.fetch(3000, post).await.expect("fetch");
    assert_eq!((r.status().as_u16(), r.body().as_slice()), (201, &br#"{"got":{"a":[1,2]}}"#[..]));
    let r = vm.fetch(3000, get("/nope")).await.expect("fetch");
    assert_eq!(r.status(), 404);
    assert_eq!(stop(&vm, pid).await, 143);
}

#[test]
fn node_scripts_see_their_own_errors_in_exec() {
    // A server script that fails to listen reports EADDRINUSE like Node.
    let vm = crate::vm();
    let src = "require('net').createServer().listen(7000, () => require('net').createServer().listen(7000));\n";
    let r = run_js(&vm, "/tmp/inuse.js", src);
    assert_eq!(r.exit_code, 1);
    assert!(r.stderr_str().contains("Error: listen EADDRINUSE: address already in use :::7000"), "{}", r.stderr_str());
    assert!(r.stderr_str().contains("code: 'EADDRINUSE'"), "{}", r.stderr_str());
    assert_eq!(exec(&vm, "true", ExecOptions::default()).exit_code, 0);
}

#[test]
fn dgram_stays_inside_the_vm() {
    let vm = crate::vm();
    let src = r#"
const dgram = require('dgram');
const s = dgram.createSocket('udp6');
s.send('x', 53, '8.8.8.8', (e) => {
  console.log(e.message, e.code, e.syscall);
  try { s.setBroadcast(true); } catch (err) { console.log(err.code, err.message); }
  const r = dgram.createSocket({ type: 'udp6' });
  r.bind(0, '::1', () => {
    r.on('message', (m, info) => { console.log('v6', String(m), info.family, info.address); r.close(); s.close(); });
    s.send('hi', r.address().port, '::1');
  });
});
"#;
    let r = run_js(&vm, "/tmp/dg.js", src);
    assert_eq!(r.stderr_str(), "");
    assert_eq!(
        r.stdout_str(),
        "send EACCES 8.8.8.8:53 EACCES send\n\
         ERR_NOT_SUPPORTED dgram: Socket.setBroadcast (multicast and broadcast) is not supported in agentOS\n\
         v6 hi IPv6 ::1\n"
    );
    assert_eq!(r.exit_code, 0);
}
