//! `vm.fetch(port, request)`: HTTP/1.1 from the host to whatever guest
//! server listens on a port of the VM's virtual network. It goes over the
//! same virtual sockets guests use, so any server works — `node:http`, a
//! raw `net` server, a WebAssembly server — and bodies are binary-safe.

use std::time::{Duration, Instant};

use agentos_kernel::Errno;
use agentos_kernel::net::HostConn;

use crate::error::{Error, Result};
use crate::vm::AgentOs;

/// How long a fetch waits for the whole response by default.
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(30);

impl AgentOs {
    /// Send `request` to the guest server listening on `port` and return
    /// its response. The request's URI contributes only its path and query.
    /// Fails with [`Error::NoListener`] when nothing listens on the port.
    pub async fn fetch(&self, port: u16, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>> {
        self.fetch_with_timeout(port, request, DEFAULT_FETCH_TIMEOUT).await
    }

    /// [`AgentOs::fetch`] with an explicit timeout for the whole exchange.
    pub async fn fetch_with_timeout(
        &self,
        port: u16,
        request: http::Request<Vec<u8>>,
        timeout: Duration,
    ) -> Result<http::Response<Vec<u8>>> {
        let kernel = self.alive()?.clone();
        let conn = kernel.net.connect_host(port).map_err(|errno| match errno {
            Errno::ECONNREFUSED => Error::NoListener(port),
            errno => Error::Sys { errno, syscall: "connect" },
        })?;
        let deadline = Instant::now() + timeout;
        tokio::task::spawn_blocking(move || roundtrip(&conn, port, request, deadline))
            .await
            .map_err(|_| Error::Sys { errno: Errno::EIO, syscall: "fetch" })?
    }
}

fn sys(syscall: &'static str) -> impl FnOnce(Errno) -> Error {
    move |errno| Error::Sys { errno, syscall }
}

fn roundtrip(
    conn: &HostConn,
    port: u16,
    req: http::Request<Vec<u8>>,
    deadline: Instant,
) -> Result<http::Response<Vec<u8>>> {
    let (parts, body) = req.into_parts();
    let target = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut head = format!("{} {} HTTP/1.1\r\n", parts.method, target);
    if !parts.headers.contains_key(http::header::HOST) {
        head.push_str(&format!("Host: localhost:{port}\r\n"));
    }
    let mut bytes = head.into_bytes();
    for (k, v) in &parts.headers {
        if k == http::header::CONTENT_LENGTH || k == http::header::CONNECTION || k == http::header::TRANSFER_ENCODING {
            continue;
        }
        bytes.extend_from_slice(k.as_str().as_bytes());
        bytes.extend_from_slice(b": ");
        bytes.extend_from_slice(v.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    }
    let needs_length = !body.is_empty() || !matches!(parts.method, http::Method::GET | http::Method::HEAD);
    if needs_length {
        bytes.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    bytes.extend_from_slice(b"Connection: close\r\n\r\n");
    // Send and receive at once: a server that streams its answer while the
    // body is still arriving (`req.pipe(res)`) would otherwise fill both
    // directions' buffers and wait on us forever.
    std::thread::scope(|s| {
        let sender = s.spawn(|| {
            conn.write_all(&bytes, Some(deadline))?;
            conn.write_all(&body, Some(deadline))
        });
        let response = read_response(conn, &parts.method, deadline);
        match sender.join() {
            // A server may answer without reading the whole body (413, 404):
            // its response stands even though our write then failed.
            Ok(Err(e)) if response.is_err() => Err(sys("write")(e)),
            _ => response,
        }
    })
}

fn read_response(conn: &HostConn, method: &http::Method, deadline: Instant) -> Result<http::Response<Vec<u8>>> {
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = vec![0u8; 64 * 1024];
    let bad = |what: &str| Error::BadResponse(what.to_string());
    let (status, headers, body_start) = loop {
        let mut hs = [httparse::EMPTY_HEADER; 128];
        let mut resp = httparse::Response::new(&mut hs);
        match resp.parse(&buf) {
            Ok(httparse::Status::Complete(n)) => {
                let status = resp.code.ok_or_else(|| bad("no status code"))?;
                let headers: Vec<(String, Vec<u8>)> =
                    resp.headers.iter().map(|h| (h.name.to_string(), h.value.to_vec())).collect();
                if status == 100 {
                    buf.drain(..n);
                    continue;
                }
                break (status, headers, n);
            }
            Ok(httparse::Status::Partial) => {}
            Err(e) => return Err(bad(&e.to_string())),
        }
        let n = conn.read(&mut chunk, Some(deadline)).map_err(sys("read"))?;
        if n == 0 {
            return Err(bad("connection closed before the response headers"));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let mut rest = buf.split_off(body_start);
    let header = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice());
    let no_body = method == http::Method::HEAD || status == 204 || status == 304 || (100..200).contains(&status);
    let body = if no_body {
        Vec::new()
    } else if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case(b"chunked")) {
        read_chunked(conn, rest, deadline)?
    } else if let Some(len) = header("content-length") {
        let len: usize = std::str::from_utf8(len)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| bad("bad Content-Length"))?;
        while rest.len() < len {
            let n = conn.read(&mut chunk, Some(deadline)).map_err(sys("read"))?;
            if n == 0 {
                return Err(bad("connection closed before the end of the body"));
            }
            rest.extend_from_slice(&chunk[..n]);
        }
        rest.truncate(len);
        rest
    } else {
        loop {
            let n = conn.read(&mut chunk, Some(deadline)).map_err(sys("read"))?;
            if n == 0 {
                break rest;
            }
            rest.extend_from_slice(&chunk[..n]);
        }
    };
    let mut b = http::Response::builder().status(status);
    for (k, v) in &headers {
        b = b.header(k.as_str(), v.as_slice());
    }
    b.body(body).map_err(|e| bad(&e.to_string()))
}

fn read_chunked(conn: &HostConn, mut data: Vec<u8>, deadline: Instant) -> Result<Vec<u8>> {
    let bad = |what: &str| Error::BadResponse(what.to_string());
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut pos = 0;
    let mut more = |data: &mut Vec<u8>| -> Result<()> {
        let n = conn.read(&mut chunk, Some(deadline)).map_err(sys("read"))?;
        if n == 0 {
            return Err(bad("connection closed inside a chunked body"));
        }
        data.extend_from_slice(&chunk[..n]);
        Ok(())
    };
    loop {
        let line_end = loop {
            if let Some(i) = data[pos..].windows(2).position(|w| w == b"\r\n") {
                break pos + i;
            }
            more(&mut data)?;
        };
        let size_text = std::str::from_utf8(&data[pos..line_end]).map_err(|_| bad("bad chunk size"))?;
        let size_hex = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16).map_err(|_| bad("bad chunk size"))?;
        pos = line_end + 2;
        if size == 0 {
            return Ok(out);
        }
        while data.len() < pos + size + 2 {
            more(&mut data)?;
        }
        out.extend_from_slice(&data[pos..pos + size]);
        pos += size + 2;
    }
}
