//! Sockets through the `host_net` imports: a WASM server and WASM, native
//! and JavaScript clients on the VM's loopback, the error cases with their
//! exact WASI errnos, `net_poll`, and the kernel's tier check.

use agentos::ExecOptions;
use agentos_kernel::policy::Tier;

use crate::{out, run, vm_with};

#[tokio::test]
async fn wasm_server_and_clients_on_the_vm_loopback() {
    let vm = vm_with(&["net"]).await;
    let r = run(
        &vm,
        "net server 7070 3 > /tmp/server.log & net client 7070 'hello there'; net client 7070 again; \
         node -e \"const s = require('net').connect(7070, () => s.write('from node\\n')); \
         s.on('data', d => process.stdout.write('node got: ' + d))\"; wait; cat /tmp/server.log",
    )
    .await;
    let want = "connected to 127.0.0.1:7070\nanswer: HELLO THERE\nconnected to 127.0.0.1:7070\nanswer: AGAIN\n\
node got: FROM NODE\nlistening on 127.0.0.1:7070\npeer is loopback: 1\npeer is loopback: 1\npeer is loopback: 1\n";
    assert_eq!(out(&r), (0, want.into(), String::new()));
}

#[tokio::test]
async fn host_net_errors_are_exact_wasi_errnos() {
    let vm = vm_with(&["net"]).await;
    let r = run(&vm, "net errors 7071").await;
    // WASI numbering: EAFNOSUPPORT 5, EPROTONOSUPPORT 66, ECONNREFUSED 14,
    // EINVAL 28, EACCES 2 (a name outside the VM, no allow-list), ENOTCONN
    // 53, EADDRINUSE 3, ENOBUFS 42, EBADF 8, ENOTSOCK 57.
    let want = "bad family: 5\nbad type: 66\nrefused: 14\nbad address: 28\nunknown name: 2\n\
send unconnected: 53\nin use: 3\ngetaddrinfo localhost: 0 [127.0.0.1:8080\n[::1]:8080]\n\
small buffer: 42 len=11\nclose twice: 0 8\nnot a socket: 57\ntls inside the VM: 58\ntls unconnected: 53\n";
    assert_eq!(out(&r), (0, want.into(), String::new()));
}

#[tokio::test]
async fn net_poll_reports_a_pending_connection() {
    let vm = vm_with(&["net"]).await;
    let r = run(&vm, "net poll 7072").await;
    assert_eq!(out(&r), (0, "idle: e=0 ready=0 revents=0\npending: e=0 ready=1 revents=1\n".into(), String::new()));
}

#[tokio::test]
async fn a_tier_without_network_gets_eacces_from_the_kernel() {
    let vm = vm_with(&["net"]).await;
    vm.kernel().vfs.set_tier("/usr/local/bin/net", Tier::ReadWrite);
    let r = vm.exec("net client 7073; net server 7073", ExecOptions::default()).await.unwrap();
    // EACCES is WASI errno 2: connecting and listening both need `full`.
    assert_eq!(out(&r), (1, "connect errno 2\nlisten errno 2\n".into(), String::new()));
}

#[tokio::test]
async fn datagrams_keep_their_boundaries() {
    let vm = vm_with(&["net"]).await;
    let r = run(&vm, "net udp 7074").await;
    let want =
        "got 3 bytes 'one' from loopback: 1 (e=0)\ngot 4 bytes 'two!' from loopback: 1 (e=0)\ntruncated to 2: 'th'\n";
    assert_eq!(out(&r), (0, want.into(), String::new()));
}

#[tokio::test]
async fn outbound_connections_follow_the_allow_list() {
    use std::io::{BufRead, Write};
    // A real server on the host's loopback, reachable from the VM only as
    // host.agentos.internal:PORT because the allow-list names it.
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = server.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (s, _) = server.accept().unwrap();
        let mut line = String::new();
        std::io::BufReader::new(&s).read_line(&mut line).unwrap();
        (&s).write_all(format!("host saw {line}").as_bytes()).unwrap();
    });
    let vm = agentos::AgentOs::create(agentos::AgentOsOptions {
        allow_net: vec![format!("host.agentos.internal:{port}")],
        ..Default::default()
    })
    .await
    .unwrap();
    crate::install(&vm, "net", &crate::guests::wasm("net")).await;
    let r = run(&vm, &format!("net rclient host.agentos.internal:{port} hi; net rclient example.com:80 x")).await;
    // The second is not on the list: EACCES (WASI 2), reported by the kernel.
    let want = format!("connected to 127.0.0.1:{port}\nanswer: host saw hi\nconnect errno 2\n");
    assert_eq!(out(&r), (1, want, String::new()));
}
