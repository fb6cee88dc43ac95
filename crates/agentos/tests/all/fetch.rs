//! `vm.fetch` against a guest server. The server here is a native program
//! started through the kernel (JavaScript servers are tested with the `js`
//! runtime); it speaks just enough HTTP/1.1 to echo what it received.

use agentos::http::{Method, Request};
use agentos::{AgentOs, AgentOsOptions, Error};
use agentos_kernel::abi::{Cred, OFlags};
use agentos_kernel::net::SockType;
use agentos_kernel::{Pgroup, SpawnOptions, Task};

fn serve(t: &mut Task, port: u16, tag: &'static str) -> i32 {
    let s = t.socket(SockType::Stream, OFlags(0)).unwrap();
    t.bind(s, format!("0.0.0.0:{port}").parse().unwrap()).unwrap();
    t.listen(s, 16).unwrap();
    loop {
        let Ok((c, _)) = t.accept(s, OFlags(0)) else { return 1 };
        let mut req = Vec::new();
        let mut buf = vec![0u8; 65536];
        let (head_end, len) = loop {
            let n = t.read(c, &mut buf).unwrap();
            req.extend_from_slice(&buf[..n]);
            if let Some(i) = req.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&req[..i]).to_lowercase();
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length: "))
                    .map(|v| v.trim().parse::<usize>().unwrap())
                    .unwrap_or(0);
                break (i + 4, len);
            }
        };
        while req.len() < head_end + len {
            let n = t.read(c, &mut buf).unwrap();
            req.extend_from_slice(&buf[..n]);
        }
        let line = String::from_utf8_lossy(&req[..req.iter().position(|b| *b == b'\r').unwrap()]).to_string();
        let body = &req[head_end..];
        let mut resp = format!(
            "HTTP/1.1 201 Created\r\nX-Tag: {tag}\r\nX-Request: {line}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        resp.extend_from_slice(body);
        t.write_all(c, &resp).unwrap();
        t.close(c).unwrap();
    }
}

fn start_server(vm: &AgentOs, port: u16, tag: &'static str) {
    let opts = SpawnOptions { argv: vec!["server".into()], pgroup: Pgroup::New, ..Default::default() };
    vm.kernel().spawn_fn(None, opts, Cred::user(1000, 1000), Box::new(move |t| serve(t, port, tag))).unwrap();
}

async fn wait_listening(vm: &AgentOs, port: u16) {
    for _ in 0..200 {
        if vm.kernel().net.listening_ports().contains(&port) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("server did not listen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_and_binary_post() {
    let vm = AgentOs::create(AgentOsOptions::default()).await.unwrap();
    start_server(&vm, 3000, "a");
    wait_listening(&vm, 3000).await;
    let r = vm.fetch(3000, Request::get("http://localhost/hello?x=1").body(Vec::new()).unwrap()).await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["x-request"], "GET /hello?x=1 HTTP/1.1");
    assert_eq!(r.body().len(), 0);
    let big: Vec<u8> = (0..5 * 1024 * 1024).map(|i| (i * 7 % 256) as u8).collect();
    let r = vm
        .fetch(3000, Request::builder().method(Method::POST).uri("/upload").body(big.clone()).unwrap())
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request"], "POST /upload HTTP/1.1");
    assert_eq!(r.body().len(), big.len());
    assert!(r.body() == &big);
    vm.dispose().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_listener_and_two_vms_on_one_port() {
    let a = AgentOs::create(AgentOsOptions::default()).await.unwrap();
    let b = AgentOs::create(AgentOsOptions::default()).await.unwrap();
    let e = a.fetch(8080, Request::get("/").body(Vec::new()).unwrap()).await.unwrap_err();
    assert_eq!(e, Error::NoListener(8080));
    assert_eq!(e.to_string(), "ECONNREFUSED: no guest server is listening on port 8080");
    start_server(&a, 8080, "vm-a");
    start_server(&b, 8080, "vm-b");
    wait_listening(&a, 8080).await;
    wait_listening(&b, 8080).await;
    let ra = a.fetch(8080, Request::get("/").body(Vec::new()).unwrap()).await.unwrap();
    let rb = b.fetch(8080, Request::get("/").body(Vec::new()).unwrap()).await.unwrap();
    assert_eq!((ra.headers()["x-tag"].to_str().unwrap(), rb.headers()["x-tag"].to_str().unwrap()), ("vm-a", "vm-b"));
    a.dispose().await.unwrap();
    b.dispose().await.unwrap();
}
