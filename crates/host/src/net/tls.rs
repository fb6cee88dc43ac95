//! TLS client connections for guests (rustls on ring): the handshake, with
//! certificate failures named as Node names them, and the relay of
//! plaintext between the guest's socket and the encrypted stream.
//!
//! Lock order: the rustls session, then (never while holding it) the TCP
//! writer. Each relay thread takes the session only to move bytes in or
//! out of it, never across blocking I/O.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;

use agentos_kernel::abi::{Errno, KResult};
use agentos_kernel::net::{ConnectError, HostConn, TlsClient};
use parking_lot::Mutex;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::{CONNECT_TIMEOUT, RELAY_BUF, RELAY_STACK, errno};

fn tls_error(code: &str, message: impl Into<String>) -> ConnectError {
    ConnectError::Tls { code: code.to_string(), message: message.into() }
}

/// The roots for a connection: its own `ca` if given (as Node's `ca`
/// replaces the defaults), else Mozilla's and the VM's extra ones.
fn roots(opts: &TlsClient, extra: &[Vec<u8>]) -> Result<RootCertStore, ConnectError> {
    let mut store = RootCertStore::empty();
    if opts.ca_pem.is_empty() {
        store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    let pems = if opts.ca_pem.is_empty() { extra } else { &opts.ca_pem[..] };
    for pem in pems {
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| tls_error("ERR_OSSL_PEM_BAD_BASE64_DECODE", format!("bad CA PEM: {e}")))?;
            store
                .add(cert)
                .map_err(|e| tls_error("ERR_OSSL_X509_BAD_CERTIFICATE", format!("bad CA certificate: {e}")))?;
        }
    }
    Ok(store)
}

/// The standard verifier, remembering how long the presented chain was
/// (to tell Node's `UNABLE_TO_VERIFY_LEAF_SIGNATURE` from
/// `SELF_SIGNED_CERT_IN_CHAIN`), or no verification at all.
#[derive(Debug)]
struct Verifier {
    inner: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
    intermediates: Mutex<usize>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        *self.intermediates.lock() = intermediates.len();
        match &self.inner {
            Some(v) => v.verify_server_cert(end_entity, intermediates, server_name, ocsp, now),
            None => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// `DnsName("a.test")` (how rustls lists presented names) as OpenSSL
/// prints it: `DNS:a.test`.
fn altname(presented: &str) -> String {
    let strip = |p: &str| presented.strip_prefix(p).and_then(|r| r.strip_suffix(')')).map(|r| r.trim_matches('"'));
    if let Some(n) = strip("DnsName(") {
        format!("DNS:{n}")
    } else if let Some(n) = strip("IpAddress(") {
        format!("IP Address:{n}")
    } else {
        presented.to_string()
    }
}

/// Node's code and message for a failed handshake.
fn handshake_error(e: &rustls::Error, host: &str, intermediates: usize) -> ConnectError {
    use CertificateError as C;
    let rustls::Error::InvalidCertificate(c) = e else {
        return tls_error("ERR_SSL_HANDSHAKE_FAILURE", format!("TLS handshake failed: {e}"));
    };
    match c {
        C::UnknownIssuer if intermediates == 0 => {
            tls_error("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate")
        }
        C::UnknownIssuer => tls_error("SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"),
        C::Expired | C::ExpiredContext { .. } => tls_error("CERT_HAS_EXPIRED", "certificate has expired"),
        C::NotValidYet | C::NotValidYetContext { .. } => {
            tls_error("CERT_NOT_YET_VALID", "certificate is not yet valid")
        }
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            let names = match c {
                C::NotValidForNameContext { presented, .. } => {
                    presented.iter().map(|p| altname(p)).collect::<Vec<_>>().join(", ")
                }
                _ => String::new(),
            };
            tls_error(
                "ERR_TLS_CERT_ALTNAME_INVALID",
                format!(
                    "Hostname/IP does not match certificate's altnames: Host: {host}. is not in the cert's altnames: {names}"
                ),
            )
        }
        other => tls_error("ERR_SSL_HANDSHAKE_FAILURE", format!("certificate verify failed: {other:?}")),
    }
}

/// Run the client handshake on `tcp` (blocking, bounded by the connect
/// timeout).
pub(super) fn handshake(
    tcp: &TcpStream,
    addr: SocketAddr,
    opts: &TlsClient,
    extra: &[Vec<u8>],
) -> Result<ClientConnection, ConnectError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner = if opts.verify {
        let store = Arc::new(roots(opts, extra)?);
        let v = WebPkiServerVerifier::builder_with_provider(store, provider.clone())
            .build()
            .map_err(|e| tls_error("ERR_SSL_HANDSHAKE_FAILURE", e.to_string()))?;
        Some(v)
    } else {
        None
    };
    let verifier = Arc::new(Verifier { inner, provider: provider.clone(), intermediates: Mutex::new(0) });
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error("ERR_SSL_HANDSHAKE_FAILURE", e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    config.alpn_protocols = opts.alpn.clone();
    let name = match ServerName::try_from(opts.server_name.clone()) {
        Ok(n) if !opts.server_name.is_empty() => n,
        _ => ServerName::IpAddress(addr.ip().into()),
    };
    let mut session = ClientConnection::new(Arc::new(config), name)
        .map_err(|e| tls_error("ERR_SSL_HANDSHAKE_FAILURE", e.to_string()))?;
    let _ = tcp.set_read_timeout(Some(CONNECT_TIMEOUT));
    let mut io = tcp;
    while session.is_handshaking() {
        if let Err(e) = session.complete_io(&mut io) {
            let inner = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>());
            return Err(match inner {
                Some(t) => handshake_error(t, &opts.server_name, *verifier.intermediates.lock()),
                None if matches!(e.kind(), ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset) => tls_error(
                    "ECONNRESET",
                    "Client network socket disconnected before secure TLS connection was established",
                ),
                // The read timeout above: the server never finished.
                None if e.kind() == ErrorKind::WouldBlock => ConnectError::Sys(Errno::ETIMEDOUT),
                None => ConnectError::Sys(errno(&e)),
            });
        }
    }
    let _ = tcp.set_read_timeout(None);
    Ok(session)
}

type Session = Arc<Mutex<ClientConnection>>;

/// Start the two relay threads over an established session.
pub(super) fn relay(tcp: TcpStream, session: ClientConnection, guest: HostConn) -> KResult<()> {
    let reader = tcp.try_clone().map_err(|e| errno(&e))?;
    let writer = Arc::new(Mutex::new(tcp));
    let session: Session = Arc::new(Mutex::new(session));
    let (w, s, g) = (writer.clone(), session.clone(), guest.handle());
    let spawn = |name: &str, f: Box<dyn FnOnce() + Send>| {
        std::thread::Builder::new().name(name.into()).stack_size(RELAY_STACK).spawn(f).map(|_| ())
    };
    spawn("agentos-tls-in", Box::new(move || relay_in(reader, w, s, g))).map_err(|_| Errno::EAGAIN)?;
    spawn("agentos-tls-out", Box::new(move || relay_out(writer, session, guest))).map_err(|_| Errno::EAGAIN)?;
    Ok(())
}

/// What the session has for us: plaintext, records to send, and whether
/// the peer closed (close_notify or an error).
fn drain(s: &mut ClientConnection) -> (Vec<u8>, Vec<u8>, bool) {
    let mut plain = Vec::new();
    let mut closed = false;
    let mut buf = [0u8; 4096];
    loop {
        match s.reader().read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(n) => plain.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(_) => {
                closed = true;
                break;
            }
        }
    }
    let mut out = Vec::new();
    while s.wants_write() {
        if s.write_tls(&mut out).is_err() {
            break;
        }
    }
    (plain, out, closed)
}

/// Remote → guest: decrypt and deliver until the remote closes.
fn relay_in(mut tcp: TcpStream, writer: Arc<Mutex<TcpStream>>, session: Session, guest: HostConn) {
    let mut buf = vec![0u8; RELAY_BUF];
    let mut pending: &[u8] = &[];
    loop {
        let (plain, out, closed, failed) = {
            let mut s = session.lock();
            let mut failed = false;
            while !pending.is_empty() {
                match s.read_tls(&mut pending) {
                    Ok(_) => {
                        if s.process_new_packets().is_err() {
                            failed = true;
                            break;
                        }
                    }
                    Err(_) => {
                        failed = true;
                        break;
                    }
                }
            }
            let (plain, out, closed) = drain(&mut s);
            (plain, out, closed, failed)
        };
        if !out.is_empty() && writer.lock().write_all(&out).is_err() {
            break;
        }
        if !plain.is_empty() && guest.write_all(&plain, None).is_err() {
            let _ = tcp.shutdown(Shutdown::Both);
            return;
        }
        if closed || failed {
            break;
        }
        match tcp.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => pending = &buf[..n],
        }
    }
    guest.shutdown_write();
}

/// Guest → remote: encrypt and send; the guest's EOF is a close_notify
/// and a FIN.
fn relay_out(writer: Arc<Mutex<TcpStream>>, session: Session, guest: HostConn) {
    let mut buf = vec![0u8; RELAY_BUF];
    loop {
        match guest.read(&mut buf, None) {
            Ok(0) => {
                let out = {
                    let mut s = session.lock();
                    s.send_close_notify();
                    drain_out(&mut s)
                };
                let w = writer.lock();
                let _ = (&*w).write_all(&out);
                let _ = w.shutdown(Shutdown::Write);
                drop(w);
                guest.wait_reader_gone();
                break;
            }
            Ok(n) => {
                let out = {
                    let mut s = session.lock();
                    if s.writer().write_all(&buf[..n]).is_err() {
                        break;
                    }
                    drain_out(&mut s)
                };
                if writer.lock().write_all(&out).is_err() {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    let _ = writer.lock().shutdown(Shutdown::Both);
}

fn drain_out(s: &mut ClientConnection) -> Vec<u8> {
    let mut out = Vec::new();
    while s.wants_write() {
        if s.write_tls(&mut out).is_err() {
            break;
        }
    }
    out
}
