//! A small, real SMTP server for tests: an RFC 5321 subset with RFC 4954 AUTH (PLAIN and
//! LOGIN), RFC 2920 pipelining, 8BITMIME and SMTPUTF8, that records every message it accepts.
//! It can also serve TLS, implicit (RFC 8314) or by STARTTLS (RFC 3207), with a certificate for
//! 127.0.0.1 issued by a test CA it generates at start ([`SmtpSink::start_tls`]).
//! [`Message`] then reads the recorded mail back: unfolded headers with RFC 2047 encoded-words
//! decoded, and the MIME tree (nested multiparts, quoted-printable and base64 bodies).
//!
//! The sink runs on the test's own Tokio runtime, so it only makes progress while the test
//! awaits something (an HTTP call, [`SmtpSink::wait_for`], ...).

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

/// Base64 that accepts both padded and unpadded input (RFC 2045 bodies, RFC 2047 words, AUTH).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The longest command or DATA line accepted (RFC 5321 asks for 1000 octets; be generous).
const MAX_LINE: u64 = 1 << 20;

/// The longest a client may take to complete a TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How a TLS sink ([`SmtpSink::start_tls`]) offers TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// TLS from the first byte (RFC 8314, "smtps"): `smtps://127.0.0.1:PORT`.
    Implicit,
    /// A plain greeting, `STARTTLS` advertised and required before AUTH and mail (RFC 3207):
    /// `smtp://127.0.0.1:PORT?tls=required`.
    StartTls,
}

/// A recording SMTP server on 127.0.0.1 (see the module docs).
pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<()>,
}

struct Shared {
    /// `(user, password)` when AUTH is required before MAIL FROM.
    credentials: Option<(String, String)>,
    /// Set for a TLS sink.
    tls: Option<TlsSetup>,
    messages: Mutex<Vec<Message>>,
    /// The verb of every command line received, and whether it came over TLS.
    commands: Mutex<Vec<(String, bool)>>,
    failing: AtomicBool,
}

impl Shared {
    fn tls_mode(&self) -> Option<TlsMode> {
        self.tls.as_ref().map(|tls| tls.mode)
    }
}

/// A TLS sink's test CA and server configuration.
struct TlsSetup {
    mode: TlsMode,
    acceptor: TlsAcceptor,
    /// The CA certificate, PEM.
    ca_pem: String,
    /// The same, DER (for the raw TLS clients of the tests below).
    ca_der: CertificateDer<'static>,
}

impl TlsSetup {
    /// Generates a CA ("Latchkey test SMTP CA <random>") and a server certificate for IP address
    /// 127.0.0.1 and DNS name "localhost" signed by it, both with fresh ECDSA P-256 keys.
    fn generate(mode: TlsMode) -> Self {
        let ca_key = KeyPair::generate().expect("SMTP sink: cannot generate the CA key");
        let mut ca = CertificateParams::default();
        ca.distinguished_name = rcgen::DistinguishedName::new();
        // A name of its own, so that another sink's CA is an unknown issuer, not a namesake.
        let name = format!("Latchkey test SMTP CA {}", uuid::Uuid::new_v4().simple());
        ca.distinguished_name.push(DnType::CommonName, name);
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca
            .self_signed(&ca_key)
            .expect("SMTP sink: cannot sign the CA certificate");
        let issuer = Issuer::new(ca, &ca_key);

        let server_key = KeyPair::generate().expect("SMTP sink: cannot generate the server key");
        // An IP address SAN for 127.0.0.1, a DNS SAN for localhost.
        let mut server =
            CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
                .expect("SMTP sink: bad subject alternative names");
        server.distinguished_name = rcgen::DistinguishedName::new();
        server
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server.use_authority_key_identifier_extension = true;
        let server_cert = server
            .signed_by(&server_key, &issuer)
            .expect("SMTP sink: cannot sign the server certificate");

        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("SMTP sink: TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![server_cert.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .expect("SMTP sink: bad server certificate or key");
        Self {
            mode,
            acceptor: TlsAcceptor::from(Arc::new(config)),
            ca_pem: ca_cert.pem(),
            ca_der: ca_cert.der().clone(),
        }
    }
}

impl SmtpSink {
    /// Listens on 127.0.0.1:0; accepts any number of connections concurrently.
    pub async fn start() -> Self {
        Self::launch(None, None).await
    }

    /// Same, but requires AUTH (PLAIN or LOGIN) with these credentials before MAIL FROM: 530
    /// otherwise, 535 on bad credentials.
    pub async fn start_with_auth(user: &str, password: &str) -> Self {
        Self::launch(Some((user.to_owned(), password.to_owned())), None).await
    }

    /// A sink that serves TLS, with a certificate for 127.0.0.1 (and "localhost") issued by a
    /// test CA generated now (see [`SmtpSink::ca_pem`], [`SmtpSink::write_ca`]), and requires
    /// AUTH with `auth`'s credentials when set.
    ///
    /// [`TlsMode::Implicit`] speaks TLS from the first byte. [`TlsMode::StartTls`] greets in
    /// clear, advertises `STARTTLS` (and AUTH only once in TLS), answers AUTH, MAIL, RCPT and
    /// DATA with `530 Must issue a STARTTLS command first` until then, and after the handshake
    /// forgets the plain-text session (RFC 3207): the client must EHLO again.
    pub async fn start_tls(mode: TlsMode, auth: Option<(&str, &str)>) -> Self {
        let credentials = auth.map(|(user, password)| (user.to_owned(), password.to_owned()));
        Self::launch(credentials, Some(TlsSetup::generate(mode))).await
    }

    async fn launch(credentials: Option<(String, String)>, tls: Option<TlsSetup>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("SMTP sink: cannot listen on 127.0.0.1:0");
        let port = listener
            .local_addr()
            .expect("SMTP sink: no local address")
            .port();
        let shared = Arc::new(Shared {
            credentials,
            tls,
            messages: Mutex::new(Vec::new()),
            commands: Mutex::new(Vec::new()),
            failing: AtomicBool::new(false),
        });
        let (shutdown, stopped) = oneshot::channel();
        let server = tokio::spawn(serve(listener, Arc::clone(&shared), stopped));
        Self {
            port,
            shared,
            shutdown: Some(shutdown),
            server,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT` (`smtps://…` for implicit TLS, `…?tls=required` for
    /// STARTTLS), with `user:password@` (percent-encoded) when AUTH is required: the form
    /// `LATCHKEY_SMTP_URL` takes.
    pub fn url(&self) -> String {
        let userinfo = match &self.shared.credentials {
            Some((user, password)) => {
                format!("{}:{}@", percent_encode(user), percent_encode(password))
            }
            None => String::new(),
        };
        let port = self.port;
        match self.shared.tls_mode() {
            None => format!("smtp://{userinfo}127.0.0.1:{port}"),
            Some(TlsMode::Implicit) => format!("smtps://{userinfo}127.0.0.1:{port}"),
            Some(TlsMode::StartTls) => format!("smtp://{userinfo}127.0.0.1:{port}?tls=required"),
        }
    }

    fn tls(&self) -> &TlsSetup {
        self.shared
            .tls
            .as_ref()
            .expect("this SMTP sink does not serve TLS: start it with SmtpSink::start_tls")
    }

    /// The PEM certificate of the test CA that issued this TLS sink's certificate (panics for a
    /// plain sink).
    pub fn ca_pem(&self) -> String {
        self.tls().ca_pem.clone()
    }

    /// The same certificate, DER (for a raw TLS client of the sink).
    pub fn ca_der(&self) -> CertificateDer<'static> {
        self.tls().ca_der.clone()
    }

    /// Writes [`SmtpSink::ca_pem`] to `smtp-test-ca-PORT.pem` in `dir` and returns its path: a
    /// file for `LATCHKEY_SMTP_CA_FILE`.
    pub fn write_ca(&self, dir: &Path) -> PathBuf {
        let path = dir.join(format!("smtp-test-ca-{}.pem", self.port));
        std::fs::write(&path, self.ca_pem())
            .unwrap_or_else(|e| panic!("SMTP sink: cannot write {}: {e}", path.display()));
        path
    }

    /// The verb (upper-cased) of every command line received so far on every connection, in
    /// order, with whether it came over TLS. Arguments are left out: they may hold secrets.
    pub fn commands(&self) -> Vec<(String, bool)> {
        self.shared
            .commands
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Every message accepted so far, in order of arrival.
    pub fn messages(&self) -> Vec<Message> {
        self.shared
            .messages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits (polling, up to `timeout`) until at least `n` messages have arrived and returns
    /// them all; panics on timeout, listing what did arrive.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Message> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            if tokio::time::Instant::now() >= deadline {
                let received: Vec<String> = messages
                    .iter()
                    .map(|m| format!("{:?} to {:?}", m.subject(), m.rcpt_to))
                    .collect();
                panic!(
                    "SMTP sink on port {}: expected at least {n} message(s) within {timeout:?}, \
                     got {}: {received:?}",
                    self.port,
                    messages.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// While on, every DATA transaction that ends is answered 451 (temporary failure) and its
    /// message is not recorded. Use [`SmtpSink::stop`] to stop listening entirely instead.
    pub fn fail_deliveries(&self, on: bool) {
        self.shared.failing.store(on, Ordering::SeqCst);
    }

    /// Closes the listener and every open connection, and waits until they are gone.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let _ = (&mut self.server).await;
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (for URL userinfo).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stopped: oneshot::Receiver<()>) {
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    sessions.spawn(connection(stream, Arc::clone(&shared)));
                }
                // Such as running out of file descriptors: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
    drop(listener);
    sessions.shutdown().await;
}

/// Serves one connection: in clear, in TLS from the start, or in clear until STARTTLS.
async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = match shared
        .tls
        .as_ref()
        .map(|tls| (tls.mode, tls.acceptor.clone()))
    {
        None => Session::new(Arc::clone(&shared), false)
            .run(BufReader::new(stream), true)
            .await
            .map(drop),
        Some((TlsMode::Implicit, acceptor)) => match handshake(&acceptor, stream).await {
            Ok(stream) => Session::new(shared, true)
                .run(BufReader::new(stream), true)
                .await
                .map(drop),
            Err(e) => Err(e),
        },
        Some((TlsMode::StartTls, acceptor)) => starttls_connection(stream, shared, &acceptor).await,
    };
}

async fn starttls_connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    acceptor: &TlsAcceptor,
) -> io::Result<()> {
    let mut plain = BufReader::new(stream);
    if let End::Closed = Session::new(Arc::clone(&shared), false)
        .run(&mut plain, true)
        .await?
    {
        return Ok(());
    }
    // Anything the client sent after STARTTLS, before the handshake, was sent in clear and is
    // dropped unread (RFC 3207 section 6; the injection of CVE-2011-0411).
    let stream = plain.into_inner();
    let stream = handshake(acceptor, stream).await?;
    // A new session: nothing learnt in clear (EHLO, AUTH, a transaction) carries over, and
    // there is no new greeting.
    let mut session = Session::new(shared, true);
    session.needs_ehlo = true;
    session.run(BufReader::new(stream), false).await.map(drop)
}

async fn handshake(
    acceptor: &TlsAcceptor,
    stream: TcpStream,
) -> io::Result<tokio_rustls::server::TlsStream<TcpStream>> {
    tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "TLS handshake timed out"))?
}

/// One SMTP session's state (a connection has two with STARTTLS: before and after it).
struct Session {
    shared: Arc<Shared>,
    /// Whether this session runs over TLS.
    tls: bool,
    /// Set after STARTTLS until the client sends EHLO (or HELO) again.
    needs_ehlo: bool,
    authenticated: bool,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

/// What the session loop does after a command.
enum Next {
    Continue,
    Close,
    StartTls,
}

/// How a session ended.
enum End {
    Closed,
    /// `220 Ready to start TLS` was sent: the connection is to turn to TLS.
    StartTls,
}

impl Session {
    fn new(shared: Arc<Shared>, tls: bool) -> Self {
        Self {
            shared,
            tls,
            needs_ehlo: false,
            authenticated: false,
            mail_from: None,
            rcpt_to: Vec::new(),
        }
    }

    fn reset(&mut self) {
        self.mail_from = None;
        self.rcpt_to.clear();
    }

    /// Whether MAIL, RCPT and DATA must be refused with 530.
    fn needs_auth(&self) -> bool {
        self.shared.credentials.is_some() && !self.authenticated
    }

    /// Whether AUTH, MAIL, RCPT and DATA must wait for STARTTLS (refused with 530).
    fn needs_starttls(&self) -> bool {
        self.shared.tls_mode() == Some(TlsMode::StartTls) && !self.tls
    }

    /// Runs the session (after the greeting when `greet`) until the client leaves, QUIT, or
    /// STARTTLS; the stream is shut down unless it is to turn to TLS.
    async fn run<S>(mut self, mut stream: S, greet: bool) -> io::Result<End>
    where
        S: AsyncBufRead + AsyncWrite + Unpin,
    {
        if greet {
            reply(&mut stream, "220 localhost ESMTP test").await?;
        }
        let mut line = Vec::new();
        // Replies go out one command at a time, in order, so pipelined commands just queue up
        // in the read buffer.
        while read_line(&mut stream, &mut line).await? {
            let command = String::from_utf8_lossy(&line).into_owned();
            match self.command(&command, &mut stream).await? {
                Next::Continue => {}
                Next::Close => break,
                Next::StartTls => return Ok(End::StartTls),
            }
        }
        stream.shutdown().await?;
        Ok(End::Closed)
    }

    async fn command<S>(&mut self, command: &str, stream: &mut S) -> io::Result<Next>
    where
        S: AsyncBufRead + AsyncWrite + Unpin,
    {
        let (verb, arg) = match command.split_once(' ') {
            Some((verb, arg)) => (verb, arg.trim()),
            None => (command, ""),
        };
        let verb = verb.to_ascii_uppercase();
        self.shared
            .commands
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((verb.clone(), self.tls));
        match verb.as_str() {
            "EHLO" if arg.is_empty() => reply(stream, "501 Syntax: EHLO hostname").await?,
            "EHLO" => {
                self.reset();
                self.needs_ehlo = false;
                let mut lines = vec![format!("250-localhost greets {arg}")];
                if self.needs_starttls() {
                    lines.push("250-STARTTLS".to_owned());
                } else if self.shared.credentials.is_some() {
                    lines.push("250-AUTH PLAIN LOGIN".to_owned());
                }
                lines.push("250-8BITMIME".to_owned());
                lines.push("250-SMTPUTF8".to_owned());
                lines.push("250 PIPELINING".to_owned());
                reply(stream, &lines.join("\r\n")).await?;
            }
            "HELO" if arg.is_empty() => reply(stream, "501 Syntax: HELO hostname").await?,
            "HELO" => {
                self.reset();
                self.needs_ehlo = false;
                reply(stream, "250 localhost").await?;
            }
            // Only a TLS sink knows STARTTLS; a plain one answers 500 like any unknown command.
            "STARTTLS" if self.shared.tls.is_some() => {
                if self.tls {
                    reply(stream, "503 5.5.1 TLS already active").await?;
                } else if !arg.is_empty() {
                    reply(stream, "501 Syntax: STARTTLS").await?;
                } else {
                    reply(stream, "220 Ready to start TLS").await?;
                    return Ok(Next::StartTls);
                }
            }
            "AUTH" | "MAIL" | "RCPT" | "DATA" if self.needs_starttls() => {
                reply(stream, "530 Must issue a STARTTLS command first").await?;
            }
            "AUTH" | "MAIL" | "RCPT" | "DATA" if self.needs_ehlo => {
                reply(stream, "503 5.5.1 Send EHLO first").await?;
            }
            "AUTH" => self.auth(arg, stream).await?,
            "MAIL" if self.needs_auth() => {
                reply(stream, "530 5.7.0 Authentication required").await?;
            }
            "MAIL" if self.mail_from.is_some() => {
                reply(stream, "503 Nested MAIL command").await?;
            }
            "MAIL" => match parse_path(arg, "FROM:") {
                Some(from) => {
                    self.mail_from = Some(from);
                    reply(stream, "250 OK").await?;
                }
                None => reply(stream, "501 Syntax: MAIL FROM:<address>").await?,
            },
            "RCPT" if self.needs_auth() => {
                reply(stream, "530 5.7.0 Authentication required").await?;
            }
            "RCPT" if self.mail_from.is_none() => reply(stream, "503 Need MAIL first").await?,
            "RCPT" => match parse_path(arg, "TO:").filter(|to| !to.is_empty()) {
                Some(to) => {
                    self.rcpt_to.push(to);
                    reply(stream, "250 OK").await?;
                }
                None => reply(stream, "501 Syntax: RCPT TO:<address>").await?,
            },
            "DATA" if self.needs_auth() => {
                reply(stream, "530 5.7.0 Authentication required").await?;
            }
            "DATA" if !arg.is_empty() => reply(stream, "501 Syntax: DATA").await?,
            "DATA" if self.mail_from.is_none() => reply(stream, "503 Need MAIL first").await?,
            "DATA" if self.rcpt_to.is_empty() => reply(stream, "503 Need RCPT first").await?,
            "DATA" => return self.data(stream).await,
            "RSET" => {
                self.reset();
                reply(stream, "250 OK").await?;
            }
            "NOOP" => reply(stream, "250 OK").await?,
            "QUIT" => {
                reply(stream, "221 localhost closing connection").await?;
                return Ok(Next::Close);
            }
            _ => reply(stream, "500 Command not recognized").await?,
        }
        Ok(Next::Continue)
    }

    /// RFC 4954 AUTH, with an optional initial response (`=` meaning an empty one).
    async fn auth<S>(&mut self, arg: &str, stream: &mut S) -> io::Result<()>
    where
        S: AsyncBufRead + AsyncWrite + Unpin,
    {
        let Some((user, password)) = self.shared.credentials.clone() else {
            return reply(stream, "502 AUTH not available").await;
        };
        if self.authenticated {
            return reply(stream, "503 Already authenticated").await;
        }
        if self.mail_from.is_some() {
            return reply(stream, "503 AUTH not allowed during a mail transaction").await;
        }
        let (mechanism, initial) = match arg.split_once(' ') {
            Some((mechanism, initial)) => (mechanism, Some(initial.trim())),
            None => (arg, None),
        };
        let ok = match mechanism.to_ascii_uppercase().as_str() {
            "PLAIN" => {
                let Some(response) = challenge(stream, initial, "").await? else {
                    return Ok(());
                };
                // authzid NUL authcid NUL passwd
                let mut fields = response.split(|&b| b == 0);
                match (fields.next(), fields.next(), fields.next(), fields.next()) {
                    (Some(authzid), Some(authcid), Some(passwd), None) => {
                        (authzid.is_empty() || authzid == user.as_bytes())
                            && authcid == user.as_bytes()
                            && passwd == password.as_bytes()
                    }
                    _ => false,
                }
            }
            "LOGIN" => {
                let Some(name) = challenge(stream, initial, "Username:").await? else {
                    return Ok(());
                };
                let Some(secret) = challenge(stream, None, "Password:").await? else {
                    return Ok(());
                };
                name == user.as_bytes() && secret == password.as_bytes()
            }
            "" => return reply(stream, "501 Syntax: AUTH mechanism").await,
            _ => return reply(stream, "504 5.5.4 Unrecognized authentication type").await,
        };
        if ok {
            self.authenticated = true;
            reply(stream, "235 2.7.0 Authentication successful").await
        } else {
            reply(stream, "535 5.7.8 Authentication credentials invalid").await
        }
    }

    /// Reads the message after a 354, up to the line that is exactly ".".
    async fn data<S>(&mut self, stream: &mut S) -> io::Result<Next>
    where
        S: AsyncBufRead + AsyncWrite + Unpin,
    {
        reply(stream, "354 End data with <CR><LF>.<CR><LF>").await?;
        let mut raw = Vec::new();
        let mut line = Vec::new();
        loop {
            if !read_line(stream, &mut line).await? {
                return Ok(Next::Close); // the client left mid-message: nothing was delivered
            }
            if line == b"." {
                break;
            }
            let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
            raw.extend_from_slice(unstuffed);
            raw.extend_from_slice(b"\r\n");
        }
        let mail_from = self.mail_from.take().unwrap_or_default();
        let rcpt_to = std::mem::take(&mut self.rcpt_to);
        if self.shared.failing.load(Ordering::SeqCst) {
            reply(
                stream,
                "451 Requested action aborted: local error in processing",
            )
            .await?;
        } else {
            let message = Message {
                mail_from,
                rcpt_to,
                raw: String::from_utf8_lossy(&raw).into_owned(),
                authenticated: self.authenticated,
                tls: self.tls,
            };
            let queued = {
                let mut messages = self
                    .shared
                    .messages
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                messages.push(message);
                messages.len()
            };
            reply(stream, &format!("250 OK: queued as {queued}")).await?;
        }
        Ok(Next::Continue)
    }
}

/// Sends one reply (its lines separated by CRLF) and flushes it.
async fn reply<S: AsyncWrite + Unpin>(stream: &mut S, text: &str) -> io::Result<()> {
    stream.write_all(format!("{text}\r\n").as_bytes()).await?;
    stream.flush().await
}

/// Reads one line into `line`, without its CRLF (or bare LF). `Ok(false)` at end of stream.
async fn read_line<S: AsyncBufRead + Unpin>(
    stream: &mut S,
    line: &mut Vec<u8>,
) -> io::Result<bool> {
    line.clear();
    let read = (&mut *stream)
        .take(MAX_LINE)
        .read_until(b'\n', line)
        .await?;
    if read == 0 {
        return Ok(false);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    } else if read as u64 == MAX_LINE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "SMTP line too long",
        ));
    }
    Ok(true)
}

/// Sends a 334 challenge (base64 of `prompt`) unless there is an initial response, and returns
/// the decoded answer; `None` once the exchange has been answered with an error (cancelled by
/// `*`, not base64, or the client left).
async fn challenge<S>(
    stream: &mut S,
    initial: Option<&str>,
    prompt: &str,
) -> io::Result<Option<Vec<u8>>>
where
    S: AsyncBufRead + AsyncWrite + Unpin,
{
    let answer = match initial {
        Some(initial) => initial.to_owned(),
        None => {
            reply(stream, &format!("334 {}", BASE64.encode(prompt))).await?;
            let mut line = Vec::new();
            if !read_line(stream, &mut line).await? {
                return Ok(None);
            }
            String::from_utf8_lossy(&line).trim().to_owned()
        }
    };
    if answer == "*" {
        reply(stream, "501 Authentication cancelled").await?;
        return Ok(None);
    }
    if answer == "=" {
        return Ok(Some(Vec::new()));
    }
    match BASE64.decode(&answer) {
        Ok(decoded) => Ok(Some(decoded)),
        Err(_) => {
            reply(stream, "501 5.5.2 Cannot decode response").await?;
            Ok(None)
        }
    }
}

/// Parses `FROM:<path> [params]` / `TO:<path> [params]` (keyword case-insensitive, spaces
/// tolerated after the colon, ESMTP parameters such as `BODY=8BITMIME` or `SMTPUTF8` ignored)
/// and returns the mailbox, without any source route.
fn parse_path(arg: &str, keyword: &str) -> Option<String> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start().strip_prefix('<')?;
    // Find the closing '>' outside a quoted local part.
    let (mut quoted, mut escaped, mut end) = (false, false, None);
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '>' if !quoted => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let end = end?;
    let params = &rest[end + 1..];
    if !params.is_empty() && !params.starts_with(' ') {
        return None;
    }
    let path = &rest[..end];
    let mailbox = match path.strip_prefix('@') {
        Some(routed) => routed.split_once(':')?.1,
        None => path,
    };
    Some(mailbox.to_owned())
}

/// A message the sink accepted.
#[derive(Clone, Debug)]
pub struct Message {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The raw DATA (dot-unstuffed, CRLF line endings).
    pub raw: String,
    /// Whether AUTH succeeded on that connection.
    pub authenticated: bool,
    /// Whether the message arrived over TLS (implicit, or after STARTTLS).
    pub tls: bool,
}

impl Message {
    /// The first header field called `name` (case-insensitive): unfolded, trimmed, and with
    /// RFC 2047 encoded-words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        let (headers, _) = split_entity(&self.raw);
        find_header(&headers, name).map(decode_encoded_words)
    }

    /// The decoded Subject, or "" without one.
    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// The leaf MIME parts, depth first, as (lowercase content type, decoded text). A message
    /// that is not multipart is a single part.
    pub fn parts(&self) -> Vec<(String, String)> {
        let mut parts = Vec::new();
        collect_parts(&self.raw, &mut parts);
        parts
    }

    /// The first text/plain part, or "" without one.
    pub fn text_body(&self) -> String {
        self.part("text/plain").unwrap_or_default()
    }

    /// The first text/html part.
    pub fn html_body(&self) -> Option<String> {
        self.part("text/html")
    }

    fn part(&self, content_type: &str) -> Option<String> {
        self.parts()
            .into_iter()
            .find(|(mime, _)| mime == content_type)
            .map(|(_, text)| text)
    }

    /// The first run of exactly 6 ASCII digits in the plain text body (the one-time code).
    pub fn code(&self) -> Option<String> {
        let text = self.text_body();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start == 6 {
                    return Some(text[start..i].to_owned());
                }
            } else {
                i += 1;
            }
        }
        None
    }

    /// The first http(s) URL in the plain text body that contains `needle`.
    pub fn link_containing(&self, needle: &str) -> Option<String> {
        let text = self.text_body();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("http") {
            let candidate = &rest[start..];
            if !(candidate.starts_with("https://") || candidate.starts_with("http://")) {
                rest = &candidate[4..];
                continue;
            }
            let end = candidate
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
                .unwrap_or(candidate.len());
            let mut url = &candidate[..end];
            // Sentence punctuation after a URL is not part of it, nor is an unmatched ')'.
            loop {
                let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
                let trimmed = match trimmed.strip_suffix(')') {
                    Some(inner) if !inner.contains('(') => inner,
                    _ => trimmed,
                };
                if trimmed.len() == url.len() {
                    break;
                }
                url = trimmed;
            }
            if url.contains(needle) {
                return Some(url.to_owned());
            }
            rest = &candidate[end..];
        }
        None
    }
}

/// Splits a message or MIME part into its unfolded header fields and its body.
fn split_entity(text: &str) -> (Vec<(String, String)>, &str) {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match rest.split_once('\n') {
            Some((line, next)) => (line, next),
            None => (rest, ""),
        };
        rest = next;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            return (headers, rest);
        }
        if line.starts_with([' ', '\t']) {
            // Unfolding removes the line break only, keeping the whitespace (RFC 5322 2.2.3).
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.to_owned()));
        }
    }
    (headers, rest)
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(field, _)| field.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
}

fn collect_parts(entity: &str, out: &mut Vec<(String, String)>) {
    let (headers, body) = split_entity(entity);
    let (mime, params) = parse_content_type(find_header(&headers, "Content-Type").unwrap_or(""));
    let param = |name: &str| {
        params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    };
    if mime.starts_with("multipart/")
        && let Some(boundary) = param("boundary")
    {
        for part in split_multipart(body, boundary) {
            collect_parts(part, out);
        }
        return;
    }
    let encoding = find_header(&headers, "Content-Transfer-Encoding")
        .unwrap_or("7bit")
        .to_ascii_lowercase();
    let charset = param("charset").unwrap_or("utf-8");
    let text = match encoding.as_str() {
        "quoted-printable" => decode_charset(&decode_quoted_printable(body), charset),
        "base64" => decode_charset(&decode_base64_body(body), charset),
        // 7bit, 8bit, binary: already text (the sink stores DATA as UTF-8).
        _ => body.to_owned(),
    };
    out.push((mime, text));
}

/// `type/subtype; name=value; name="quoted value"` → (lowercase type/subtype, parameters).
/// Defaults to text/plain (RFC 2045 5.2).
fn parse_content_type(value: &str) -> (String, Vec<(String, String)>) {
    let (mime, mut rest) = value.split_once(';').unwrap_or((value, ""));
    let mime = mime.trim().to_ascii_lowercase();
    let mime = if mime.contains('/') {
        mime
    } else {
        "text/plain".to_owned()
    };
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c == ';' || c.is_whitespace());
        let Some((name, after)) = rest.split_once('=') else {
            break;
        };
        let name = name.trim().to_ascii_lowercase();
        let after = after.trim_start();
        let value = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    _ => value.push(c),
                }
            }
            rest = &quoted[end..];
            value
        } else {
            let end = after
                .find(|c: char| c == ';' || c.is_whitespace())
                .unwrap_or(after.len());
            rest = &after[end..];
            after[..end].to_owned()
        };
        params.push((name, value));
    }
    (mime, params)
}

/// The bodies of a multipart entity's parts: between `--boundary` lines, up to `--boundary--`;
/// the line break before each delimiter belongs to the delimiter (RFC 2046 5.1.1).
fn split_multipart<'a>(body: &'a str, boundary: &str) -> Vec<&'a str> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut current: Option<usize> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(after) = line.trim_end_matches(['\r', '\n']).strip_prefix(&delimiter) else {
            continue;
        };
        let after = after.trim_end_matches([' ', '\t']);
        let closing = after == "--";
        if !after.is_empty() && !closing {
            continue; // a longer boundary that merely starts with ours
        }
        if let Some(part_start) = current {
            let before = &body[..start];
            let end = before
                .strip_suffix("\r\n")
                .or_else(|| before.strip_suffix('\n'))
                .unwrap_or(before)
                .len();
            parts.push(&body[part_start..end.max(part_start)]);
        }
        if closing {
            return parts;
        }
        current = Some(offset);
    }
    if let Some(part_start) = current {
        parts.push(&body[part_start..]); // no close delimiter: keep what came
    }
    parts
}

fn decode_quoted_printable(body: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\r', '\n']);
        let ending = &line[content.len()..];
        // Trailing whitespace was added in transport (RFC 2045 6.7 (3)).
        let content = content.trim_end_matches([' ', '\t']);
        let (content, soft_break) = match content.strip_suffix('=') {
            Some(content) => (content, true),
            None => (content, false),
        };
        let bytes = content.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], bytes.get(i + 1..i + 3).and_then(hex_pair)) {
                (b'=', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        if !soft_break {
            out.extend_from_slice(ending.as_bytes());
        }
    }
    out
}

fn hex_pair(pair: &[u8]) -> Option<u8> {
    let digit = |b: u8| char::from(b).to_digit(16);
    match pair {
        [high, low] => u8::try_from(digit(*high)? * 16 + digit(*low)?).ok(),
        _ => None,
    }
}

/// Base64 bodies, ignoring line breaks and any other character outside the alphabet
/// (RFC 2045 6.8). Undecodable input is returned as is.
fn decode_base64_body(body: &str) -> Vec<u8> {
    let cleaned: Vec<u8> = body
        .bytes()
        .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        .collect();
    BASE64
        .decode(&cleaned)
        .unwrap_or_else(|_| body.as_bytes().to_vec())
}

fn decode_charset(bytes: &[u8], charset: &str) -> String {
    match charset.trim().to_ascii_lowercase().as_str() {
        "iso-8859-1" | "iso_8859-1" | "latin1" | "l1" => {
            bytes.iter().copied().map(char::from).collect()
        }
        // utf-8, us-ascii and anything else this sink does not know.
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Decodes RFC 2047 encoded-words (`=?charset?B|Q?text?=`). Whitespace between two adjacent
/// encoded-words is dropped, and their bytes are joined before decoding, so a character split
/// across two words survives.
fn decode_encoded_words(value: &str) -> String {
    let mut out = String::new();
    let mut pending: Option<(String, Vec<u8>)> = None;
    let flush = |out: &mut String, pending: &mut Option<(String, Vec<u8>)>| {
        if let Some((charset, bytes)) = pending.take() {
            out.push_str(&decode_charset(&bytes, &charset));
        }
    };
    let mut rest = value;
    while let Some((start, end, charset, bytes)) = find_encoded_word(rest) {
        let between = &rest[..start];
        if pending.is_none() || !between.chars().all(|c| c == ' ' || c == '\t') {
            flush(&mut out, &mut pending);
            out.push_str(between);
        }
        match &mut pending {
            Some((pending_charset, pending_bytes)) if *pending_charset == charset => {
                pending_bytes.extend_from_slice(&bytes);
            }
            _ => {
                flush(&mut out, &mut pending);
                pending = Some((charset, bytes));
            }
        }
        rest = &rest[end..];
    }
    flush(&mut out, &mut pending);
    out.push_str(rest);
    out
}

/// The first well-formed encoded-word in `text`: (start, end, lowercase charset, bytes).
fn find_encoded_word(text: &str) -> Option<(usize, usize, String, Vec<u8>)> {
    let mut from = 0;
    while let Some(found) = text[from..].find("=?") {
        let start = from + found;
        if let Some((len, charset, bytes)) = parse_encoded_word(&text[start..]) {
            return Some((start, start + len, charset, bytes));
        }
        from = start + 2;
    }
    None
}

/// Parses an encoded-word at the start of `text`: (its length, lowercase charset, bytes).
fn parse_encoded_word(text: &str) -> Option<(usize, String, Vec<u8>)> {
    let inner = text.strip_prefix("=?")?;
    let (raw_charset, rest) = inner.split_once('?')?;
    let (encoding, rest) = rest.split_once('?')?;
    let (encoded, _) = rest.split_once("?=")?;
    let is_token = |s: &str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '?');
    if !is_token(raw_charset) || encoding.len() != 1 || encoded.contains(char::is_whitespace) {
        return None;
    }
    // RFC 2231 allows a language: charset*lang.
    let charset = raw_charset
        .split('*')
        .next()
        .unwrap_or(raw_charset)
        .to_ascii_lowercase();
    let bytes = match encoding {
        "B" | "b" => BASE64.decode(encoded).ok()?,
        "Q" | "q" => {
            let raw = encoded.as_bytes();
            let mut bytes = Vec::with_capacity(raw.len());
            let mut i = 0;
            while i < raw.len() {
                match (raw[i], raw.get(i + 1..i + 3).and_then(hex_pair)) {
                    (b'=', Some(byte)) => {
                        bytes.push(byte);
                        i += 3;
                    }
                    (b'_', _) => {
                        bytes.push(b' ');
                        i += 1;
                    }
                    (byte, _) => {
                        bytes.push(byte);
                        i += 1;
                    }
                }
            }
            bytes
        }
        _ => return None,
    };
    let len = "=?".len() + raw_charset.len() + 1 + encoding.len() + 1 + encoded.len() + "?=".len();
    Some((len, charset, bytes))
}

/// Tests of the sink itself: raw SMTP over TCP, and MIME parsing of a hand-written message.
#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
mod tests {
    use tokio::io::AsyncRead;

    use super::*;

    /// A raw SMTP client for the tests below, in clear or over TLS.
    struct RawClient<S = TcpStream> {
        stream: BufReader<S>,
    }

    type TlsClient = RawClient<tokio_rustls::client::TlsStream<TcpStream>>;

    impl RawClient {
        /// Connects and checks the greeting.
        async fn connect(port: u16) -> Self {
            let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            let mut client = Self {
                stream: BufReader::new(stream),
            };
            client.greeting().await;
            client
        }

        /// Connects in TLS from the first byte, trusting `ca`, and checks the greeting.
        async fn connect_tls(port: u16, ca: &CertificateDer<'static>) -> TlsClient {
            let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            let mut client = RawClient {
                stream: BufReader::new(tls_connect(stream, ca, "127.0.0.1").await.unwrap()),
            };
            client.greeting().await;
            client
        }

        /// Turns to TLS after a `220` to STARTTLS; fails if the server had already sent more.
        async fn start_tls(self, ca: &CertificateDer<'static>) -> io::Result<TlsClient> {
            assert!(
                self.stream.buffer().is_empty(),
                "the server sent something after its 220 to STARTTLS"
            );
            let stream = tls_connect(self.stream.into_inner(), ca, "127.0.0.1").await?;
            Ok(RawClient {
                stream: BufReader::new(stream),
            })
        }
    }

    /// A TLS handshake expecting the certificate to name `server` (an IP address or a DNS name),
    /// trusting only `ca`.
    async fn tls_connect(
        stream: TcpStream,
        ca: &CertificateDer<'static>,
        server: &str,
    ) -> io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.clone()).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from(server.to_owned()).unwrap();
        tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, stream)
            .await
    }

    impl<S: AsyncRead + AsyncWrite + Unpin> RawClient<S> {
        async fn greeting(&mut self) {
            let (code, lines) = self.reply().await;
            assert_eq!(
                (code, lines),
                (220, vec!["localhost ESMTP test".to_owned()])
            );
        }

        async fn send(&mut self, text: &str) {
            self.stream.write_all(text.as_bytes()).await.unwrap();
            self.stream.flush().await.unwrap();
        }

        /// Reads one (possibly multi-line) reply: its code and the text of each line.
        async fn reply(&mut self) -> (u16, Vec<String>) {
            let mut lines = Vec::new();
            loop {
                let mut line = String::new();
                let read =
                    tokio::time::timeout(Duration::from_secs(5), self.stream.read_line(&mut line))
                        .await
                        .expect("SMTP sink did not reply within 5s")
                        .unwrap();
                assert!(
                    read > 0,
                    "SMTP sink closed the connection; lines so far: {lines:?}"
                );
                let line = line
                    .strip_suffix("\r\n")
                    .expect("reply line not ended by CRLF");
                let code: u16 = line[..3].parse().unwrap();
                lines.push(line[4..].to_owned());
                if &line[3..4] == " " {
                    return (code, lines);
                }
                assert_eq!(&line[3..4], "-", "bad reply line {line:?}");
            }
        }

        /// Sends one command line and returns the reply's code and last line.
        async fn command(&mut self, line: &str) -> (u16, String) {
            self.send(&format!("{line}\r\n")).await;
            let (code, mut lines) = self.reply().await;
            (code, lines.pop().unwrap())
        }

        async fn code(&mut self, line: &str) -> u16 {
            self.command(line).await.0
        }
    }

    #[tokio::test]
    async fn smtp_sink_plain_session_and_pipelining() {
        let sink = SmtpSink::start().await;
        assert_eq!(sink.url(), format!("smtp://127.0.0.1:{}", sink.port()));
        let mut client = RawClient::connect(sink.port()).await;

        client.send("EHLO client.example\r\n").await;
        let (code, lines) = client.reply().await;
        assert_eq!(code, 250);
        assert_eq!(
            lines,
            [
                "localhost greets client.example",
                "8BITMIME",
                "SMTPUTF8",
                "PIPELINING"
            ]
        );
        assert_eq!(client.code("AUTH PLAIN AGEAYg==").await, 502);
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 503);
        assert_eq!(client.code("DATA").await, 503);
        assert_eq!(client.code("MAIL FROM:alice").await, 501);
        assert_eq!(client.code("FROB").await, 500);
        assert_eq!(client.code("NOOP").await, 250);

        // Parameters after the path, several recipients, a source route, dot-stuffing.
        assert_eq!(
            client
                .code("mail from: <alice@example.com> BODY=8BITMIME SMTPUTF8")
                .await,
            250
        );
        assert_eq!(client.code("MAIL FROM:<x@example.com>").await, 503);
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 250);
        assert_eq!(
            client
                .code("RCPT TO:<@relay.example:carol@example.com>")
                .await,
            250
        );
        assert_eq!(client.code("DATA").await, 354);
        client
            .send("Subject: hi\r\n\r\n..leading dot\r\nline\n.\r\n")
            .await;
        let (code, text) = client.reply().await;
        assert_eq!((code, text), (250, vec!["OK: queued as 1".to_owned()]));

        // A pipelined transaction (RFC 2920), then RSET / NOOP / QUIT in one write.
        client
            .send("MAIL FROM:<>\r\nRCPT TO:<dave@example.com>\r\nDATA\r\n")
            .await;
        assert_eq!(client.reply().await.0, 250);
        assert_eq!(client.reply().await.0, 250);
        assert_eq!(client.reply().await.0, 354);
        client.send("\r\n.\r\nRSET\r\nNOOP\r\nQUIT\r\n").await;
        for expected in [250, 250, 250, 221] {
            assert_eq!(client.reply().await.0, expected);
        }

        let messages = sink.wait_for(2, Duration::from_secs(5)).await;
        assert_eq!(messages.len(), 2);
        let first = &messages[0];
        assert_eq!(first.mail_from, "alice@example.com");
        assert_eq!(first.rcpt_to, ["bob@example.com", "carol@example.com"]);
        assert_eq!(first.raw, "Subject: hi\r\n\r\n.leading dot\r\nline\r\n");
        assert!(!first.authenticated);
        assert_eq!(first.subject(), "hi");
        assert_eq!(first.text_body(), ".leading dot\r\nline\r\n");
        assert_eq!(messages[1].mail_from, "");
        assert_eq!(messages[1].raw, "\r\n");
        sink.stop().await;
    }

    #[tokio::test]
    async fn smtp_sink_auth_plain() {
        let sink = SmtpSink::start_with_auth("mailer", "p@ss word:1").await;
        assert_eq!(
            sink.url(),
            format!("smtp://mailer:p%40ss%20word%3A1@127.0.0.1:{}", sink.port())
        );
        let mut client = RawClient::connect(sink.port()).await;
        client.send("EHLO client.example\r\n").await;
        let (_, lines) = client.reply().await;
        assert!(lines.contains(&"AUTH PLAIN LOGIN".to_owned()), "{lines:?}");

        let (code, text) = client.command("MAIL FROM:<alice@example.com>").await;
        assert_eq!(
            (code, text.as_str()),
            (530, "5.7.0 Authentication required")
        );
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 530);
        assert_eq!(client.code("AUTH CRAM-MD5").await, 504);
        assert_eq!(client.code("AUTH PLAIN !!!").await, 501);
        let wrong = BASE64.encode("\0mailer\0p@ss word:2");
        assert_eq!(client.code(&format!("AUTH PLAIN {wrong}")).await, 535);
        // Without an initial response: an empty 334 challenge, then the credentials.
        let (code, text) = client.command("AUTH PLAIN").await;
        assert_eq!((code, text.as_str()), (334, ""));
        let right = BASE64.encode("\0mailer\0p@ss word:1");
        assert_eq!(client.code(&right).await, 235);
        assert_eq!(client.code(&format!("AUTH PLAIN {right}")).await, 503);

        assert_eq!(
            client
                .code("MAIL FROM:<alice@example.com> BODY=8BITMIME")
                .await,
            250
        );
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 250);
        assert_eq!(client.code("DATA").await, 354);
        assert_eq!(client.code("Subject: authed\r\n\r\nbody\r\n.").await, 250);
        assert_eq!(client.code("QUIT").await, 221);

        let message = &sink.wait_for(1, Duration::from_secs(5)).await[0];
        assert!(message.authenticated);
        assert_eq!(message.subject(), "authed");
        sink.stop().await;
    }

    #[tokio::test]
    async fn smtp_sink_auth_login() {
        let sink = SmtpSink::start_with_auth("mailer", "secret").await;
        let mut client = RawClient::connect(sink.port()).await;
        assert_eq!(client.code("HELO client.example").await, 250);

        // LOGIN with the username as initial response and a wrong password.
        let (code, text) = client
            .command(&format!("AUTH LOGIN {}", BASE64.encode("mailer")))
            .await;
        assert_eq!(
            (code, BASE64.decode(text).unwrap()),
            (334, b"Password:".to_vec())
        );
        assert_eq!(client.code(&BASE64.encode("guess")).await, 535);
        // Cancelled.
        assert_eq!(client.code("AUTH LOGIN").await, 334);
        assert_eq!(client.code("*").await, 501);
        // The full exchange.
        let (code, text) = client.command("auth login").await;
        assert_eq!(
            (code, BASE64.decode(text).unwrap()),
            (334, b"Username:".to_vec())
        );
        assert_eq!(client.code(&BASE64.encode("mailer")).await, 334);
        assert_eq!(client.code(&BASE64.encode("secret")).await, 235);

        assert_eq!(client.code("MAIL FROM:<alice@example.com>").await, 250);
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 250);
        assert_eq!(client.code("DATA").await, 354);
        assert_eq!(
            client.code("Subject: via login\r\n\r\nbody\r\n.").await,
            250
        );
        assert_eq!(client.code("QUIT").await, 221);

        let messages = sink.wait_for(1, Duration::from_secs(5)).await;
        assert!(messages[0].authenticated);
        assert_eq!(messages[0].subject(), "via login");
        sink.stop().await;
    }

    #[tokio::test]
    async fn smtp_sink_failing_deliveries_and_stop() {
        let sink = SmtpSink::start().await;
        let port = sink.port();
        sink.fail_deliveries(true);
        let mut client = RawClient::connect(port).await;
        assert_eq!(client.code("EHLO client.example").await, 250);
        assert_eq!(client.code("MAIL FROM:<alice@example.com>").await, 250);
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 250);
        assert_eq!(client.code("DATA").await, 354);
        assert_eq!(client.code("Subject: lost\r\n\r\nbody\r\n.").await, 451);
        assert!(sink.messages().is_empty());

        sink.fail_deliveries(false);
        assert_eq!(client.code("MAIL FROM:<alice@example.com>").await, 250);
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 250);
        assert_eq!(client.code("DATA").await, 354);
        assert_eq!(client.code("Subject: kept\r\n\r\nbody\r\n.").await, 250);
        assert_eq!(sink.messages().len(), 1);

        sink.stop().await;
        let mut buf = [0u8; 1];
        let read = client.stream.read(&mut buf).await;
        assert!(
            matches!(read, Ok(0) | Err(_)),
            "connection still open after stop: {read:?}"
        );
        assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());
    }

    /// A TLS handshake with a TLS sink, trusting `ca`, naming `server`; the error if it fails.
    async fn handshake_error(
        port: u16,
        ca: &CertificateDer<'static>,
        server: &str,
    ) -> Option<String> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        match tls_connect(stream, ca, server).await {
            Ok(stream) => {
                // Also check the greeting came over the TLS channel.
                let mut client = RawClient {
                    stream: BufReader::new(stream),
                };
                client.greeting().await;
                None
            }
            Err(e) => Some(e.to_string()),
        }
    }

    #[tokio::test]
    async fn smtp_sink_implicit_tls_session() {
        let sink = SmtpSink::start_tls(TlsMode::Implicit, Some(("mailer", "p@ss"))).await;
        let port = sink.port();
        assert_eq!(
            sink.url(),
            format!("smtps://mailer:p%40ss@127.0.0.1:{port}")
        );
        let ca = sink.tls().ca_der.clone();
        let pem = sink.ca_pem();
        assert!(
            pem.starts_with("-----BEGIN CERTIFICATE-----")
                && pem.trim_end().ends_with("-----END CERTIFICATE-----"),
            "{pem}"
        );
        let dir =
            std::env::temp_dir().join(format!("latchkey-smtp-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = sink.write_ca(&dir);
        assert_eq!(path.parent(), Some(dir.as_path()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), pem);
        std::fs::remove_dir_all(&dir).unwrap();

        // The certificate names 127.0.0.1 (IP address) and localhost (DNS), nothing else, and only
        // the sink's own CA vouches for it.
        assert_eq!(handshake_error(port, &ca, "127.0.0.1").await, None);
        assert_eq!(handshake_error(port, &ca, "localhost").await, None);
        let wrong_name = handshake_error(port, &ca, "example.com").await.unwrap();
        assert!(wrong_name.contains("not valid for name"), "{wrong_name}");
        let other = SmtpSink::start_tls(TlsMode::Implicit, None).await;
        let other_ca = other.tls().ca_der.clone();
        assert_ne!(other_ca, ca, "every sink has a CA of its own");
        let unknown = handshake_error(port, &other_ca, "127.0.0.1").await.unwrap();
        assert!(unknown.contains("UnknownIssuer"), "{unknown}");

        // SMTP in clear gets no answer: the sink waits for a TLS ClientHello, then hangs up.
        let mut clear = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        clear.write_all(b"EHLO client.example\r\n").await.unwrap();
        let mut buf = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), clear.read_to_end(&mut buf))
            .await
            .expect("the sink hangs up on a client not speaking TLS");
        assert!(
            read.is_err() || !buf.starts_with(b"220"),
            "answered in clear: {:?}",
            String::from_utf8_lossy(&buf)
        );

        let mut client = RawClient::connect_tls(port, &ca).await;
        client.send("EHLO client.example\r\n").await;
        let (code, lines) = client.reply().await;
        assert_eq!(code, 250);
        assert_eq!(
            lines,
            [
                "localhost greets client.example",
                "AUTH PLAIN LOGIN",
                "8BITMIME",
                "SMTPUTF8",
                "PIPELINING"
            ]
        );
        assert_eq!(client.code("STARTTLS").await, 503);
        assert_eq!(client.code("MAIL FROM:<alice@example.com>").await, 530);
        let right = BASE64.encode("\0mailer\0p@ss");
        assert_eq!(client.code(&format!("AUTH PLAIN {right}")).await, 235);
        assert_eq!(client.code("MAIL FROM:<alice@example.com>").await, 250);
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 250);
        assert_eq!(client.code("DATA").await, 354);
        assert_eq!(client.code("Subject: sealed\r\n\r\nbody\r\n.").await, 250);
        assert_eq!(client.code("QUIT").await, 221);

        let message = &sink.wait_for(1, Duration::from_secs(5)).await[0];
        assert!(message.tls && message.authenticated);
        assert_eq!(message.subject(), "sealed");
        let commands = sink.commands();
        assert!(commands.iter().all(|(_, tls)| *tls), "{commands:?}");
        assert!(commands.iter().any(|(verb, _)| verb == "AUTH"));
        sink.stop().await;
        other.stop().await;
    }

    #[tokio::test]
    async fn smtp_sink_starttls_session() {
        let sink = SmtpSink::start_tls(TlsMode::StartTls, Some(("mailer", "secret"))).await;
        let port = sink.port();
        assert_eq!(
            sink.url(),
            format!("smtp://mailer:secret@127.0.0.1:{port}?tls=required")
        );
        let ca = sink.tls().ca_der.clone();
        let mut client = RawClient::connect(port).await;
        client.send("EHLO client.example\r\n").await;
        let (code, lines) = client.reply().await;
        assert_eq!(code, 250);
        // No AUTH offered in clear.
        assert_eq!(
            lines,
            [
                "localhost greets client.example",
                "STARTTLS",
                "8BITMIME",
                "SMTPUTF8",
                "PIPELINING"
            ]
        );
        let (code, text) = client.command("MAIL FROM:<alice@example.com>").await;
        assert_eq!(
            (code, text.as_str()),
            (530, "Must issue a STARTTLS command first")
        );
        let right = BASE64.encode("\0mailer\0secret");
        assert_eq!(client.code(&format!("AUTH PLAIN {right}")).await, 530);
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 530);
        assert_eq!(client.code("DATA").await, 530);
        assert_eq!(client.code("NOOP").await, 250);
        assert_eq!(client.code("STARTTLS now").await, 501);
        let (code, text) = client.command("STARTTLS").await;
        assert_eq!((code, text.as_str()), (220, "Ready to start TLS"));
        let mut client = client.start_tls(&ca).await.unwrap();

        // A fresh session, without a new greeting: EHLO first, then AUTH (now offered).
        let (code, text) = client.command("MAIL FROM:<alice@example.com>").await;
        assert_eq!((code, text.as_str()), (503, "5.5.1 Send EHLO first"));
        client.send("EHLO client.example\r\n").await;
        let (code, lines) = client.reply().await;
        assert_eq!(code, 250);
        assert_eq!(
            lines,
            [
                "localhost greets client.example",
                "AUTH PLAIN LOGIN",
                "8BITMIME",
                "SMTPUTF8",
                "PIPELINING"
            ]
        );
        assert_eq!(client.code("STARTTLS").await, 503);
        assert_eq!(client.code("MAIL FROM:<alice@example.com>").await, 530);
        assert_eq!(client.code(&format!("AUTH PLAIN {right}")).await, 235);
        assert_eq!(client.code("MAIL FROM:<alice@example.com>").await, 250);
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 250);
        assert_eq!(client.code("DATA").await, 354);
        assert_eq!(client.code("Subject: upgraded\r\n\r\nbody\r\n.").await, 250);
        assert_eq!(client.code("QUIT").await, 221);

        let message = &sink.wait_for(1, Duration::from_secs(5)).await[0];
        assert!(message.tls && message.authenticated);
        assert_eq!(message.subject(), "upgraded");
        let in_clear: Vec<String> = sink
            .commands()
            .into_iter()
            .filter(|(_, tls)| !tls)
            .map(|(verb, _)| verb)
            .collect();
        assert_eq!(
            in_clear,
            [
                "EHLO", "MAIL", "AUTH", "RCPT", "DATA", "NOOP", "STARTTLS", "STARTTLS"
            ]
        );
        sink.stop().await;
    }

    #[tokio::test]
    async fn smtp_sink_starttls_drops_commands_sent_before_the_handshake() {
        let sink = SmtpSink::start_tls(TlsMode::StartTls, None).await;
        let ca = sink.tls().ca_der.clone();
        let mut client = RawClient::connect(sink.port()).await;
        assert_eq!(client.code("EHLO client.example").await, 250);
        // A command injected in clear right behind STARTTLS, in the same segment.
        client
            .send("STARTTLS\r\nMAIL FROM:<mallory@example.com>\r\n")
            .await;
        assert_eq!(client.reply().await.0, 220);
        let mut client = client.start_tls(&ca).await.unwrap();
        assert_eq!(client.code("EHLO client.example").await, 250);
        // Had the injected MAIL been run in the TLS session, this would be 250.
        assert_eq!(client.code("RCPT TO:<bob@example.com>").await, 503);
        assert_eq!(client.code("QUIT").await, 221);
        assert!(
            !sink.commands().iter().any(|(verb, _)| verb == "MAIL"),
            "{:?}",
            sink.commands()
        );
        sink.stop().await;
    }

    #[tokio::test]
    async fn smtp_message_mime_parsing() {
        let raw = [
            "Return-Path: <no-reply@example.com>",
            "From: =?utf-8?q?L=C3=A4tchkey?= <no-reply@example.com>",
            "To: alice@example.com",
            // A character split across two adjacent encoded-words of different encodings.
            "subject: =?UTF-8?Q?Connexion_=C3?=",
            " =?utf-8?B?oCBMYXRjaGtleSDinJM=?=",
            "X-Folded: first",
            "\tsecond =?iso-8859-1?q?caf=E9?= end",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=outer",
            "",
            "This is a multi-part message in MIME format.",
            "--outer",
            "Content-Type: multipart/alternative;",
            " boundary=\"b1=_x\"",
            "",
            "--b1=_x",
            "Content-Type: text/plain; charset=\"utf-8\"",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "R=C3=A9f. 1234567, 2026 : voir https://example.com/help.   ",
            "Votre code : 482913.",
            "Lien (https://auth.example.com/login/magic?token=3Dabc=",
            "def&next=3D%2F).",
            "--b1=_x",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            "PHA+WW91ciBjb2RlIGlzIDxiPjQ4MjkxMzwvYj4uPC9wPg0KPHA+PGEgaHJlZj0iaHR0cHM6Ly9h",
            "dXRoLmV4YW1wbGUuY29tL2xvZ2luL21hZ2ljP3Rva2VuPWFiYyI+U2lnbiBpbjwvYT48L3A+DQo=",
            "--b1=_x--",
            "",
            "--outer",
            "Content-Type: text/csv; name=\"users.csv\"",
            "Content-Disposition: attachment",
            "Content-Transfer-Encoding: base64",
            "",
            "aWQsZW1haWwNCjEsYUBleGFtcGxlLmNvbQ0K",
            "--outer--",
            "epilogue",
            "",
        ]
        .join("\r\n");
        let message = Message {
            mail_from: "no-reply@example.com".to_owned(),
            rcpt_to: vec!["alice@example.com".to_owned()],
            raw,
            authenticated: false,
            tls: false,
        };

        assert_eq!(message.subject(), "Connexion à Latchkey ✓");
        assert_eq!(
            message.header("FROM").unwrap(),
            "Lätchkey <no-reply@example.com>"
        );
        assert_eq!(
            message.header("x-folded").unwrap(),
            "first\tsecond café end"
        );
        assert_eq!(message.header("Reply-To"), None);

        let text = "Réf. 1234567, 2026 : voir https://example.com/help.\r\nVotre code : 482913.\r\n\
                    Lien (https://auth.example.com/login/magic?token=abcdef&next=%2F).";
        let html = "<p>Your code is <b>482913</b>.</p>\r\n\
                    <p><a href=\"https://auth.example.com/login/magic?token=abc\">Sign in</a></p>\r\n";
        assert_eq!(
            message.parts(),
            [
                ("text/plain".to_owned(), text.to_owned()),
                ("text/html".to_owned(), html.to_owned()),
                (
                    "text/csv".to_owned(),
                    "id,email\r\n1,a@example.com\r\n".to_owned()
                ),
            ]
        );
        assert_eq!(message.text_body(), text);
        assert_eq!(message.html_body().as_deref(), Some(html));
        assert_eq!(message.code().as_deref(), Some("482913"));
        assert_eq!(
            message.link_containing("/login/magic?token=").as_deref(),
            Some("https://auth.example.com/login/magic?token=abcdef&next=%2F")
        );
        assert_eq!(
            message.link_containing("example.com").as_deref(),
            Some("https://example.com/help")
        );
        assert_eq!(message.link_containing("/nowhere"), None);

        // A single-part message: the whole body is the text/plain part.
        let plain = Message {
            raw: "Subject: =?utf-8?b?w6nDqQ?=\r\n\r\ncode 12345 then 654321\r\n".to_owned(),
            ..message
        };
        assert_eq!(plain.subject(), "éé");
        assert_eq!(
            plain.parts(),
            [(
                "text/plain".to_owned(),
                "code 12345 then 654321\r\n".to_owned()
            )]
        );
        assert_eq!(plain.html_body(), None);
        assert_eq!(plain.code().as_deref(), Some("654321"));
    }
}
