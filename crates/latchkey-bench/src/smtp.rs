//! The SMTP sink of the `email` scenario: a small SMTP server (the RFC 5321 subset a relay
//! needs, in clear, no AUTH) on loopback that the server under test delivers its emails to,
//! configured with `smtp://HOST:PORT` ([`SmtpSink::url`]).
//!
//! A worker announces the address it expects mail for ([`SmtpSink::expect`]) before it asks the
//! server to send; each accepted message is handed to the worker waiting for one of its
//! recipients as the 6-digit code of its text/plain part ([`code_of`]), and then forgotten, so a
//! long run keeps no mail in memory. A message nobody waits for is counted and dropped. Every
//! message is answered `250` once read, whatever it holds: a refusal would only make the server
//! try again.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::{Context as _, Result};
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use crate::target::Failure;

/// The longest command or message line read (RFC 5321 asks for 1000 octets; be generous).
const MAX_LINE: u64 = 64 * 1024;
/// The largest message kept for reading its code; a larger one is read to its end and refused.
const MAX_MESSAGE: usize = 1024 * 1024;
/// MIME multiparts nested deeper than this are not looked into.
const MAX_DEPTH: usize = 8;

/// Base64 bodies with or without padding (RFC 2045).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// What a waiting worker is handed: the code, or why the message had none.
type Delivered = Result<String, String>;

/// The sink (see the module docs); it stops listening, and closes its connections, on drop.
pub struct SmtpSink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

struct Shared {
    /// Lower-cased recipient → the worker waiting for its mail (with the id of that wait, so a
    /// wait that ends removes only itself).
    waiting: Mutex<HashMap<String, (u64, oneshot::Sender<Delivered>)>>,
    next_wait: AtomicU64,
    /// Messages accepted.
    received: AtomicU64,
    /// Recipients of accepted messages that nobody was waiting for.
    unexpected: AtomicU64,
}

impl Shared {
    fn waiting(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, (u64, oneshot::Sender<Delivered>)>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SmtpSink {
    /// Listens on `addr` (port 0 picks a free port) and serves any number of connections.
    pub async fn bind(addr: SocketAddr) -> Result<Self> {
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("SMTP sink: listen on {addr}"))?;
        let addr = listener.local_addr().context("SMTP sink: local address")?;
        let shared = Arc::new(Shared {
            waiting: Mutex::new(HashMap::new()),
            next_wait: AtomicU64::new(0),
            received: AtomicU64::new(0),
            unexpected: AtomicU64::new(0),
        });
        let server = tokio::spawn(serve(listener, Arc::clone(&shared)));
        Ok(Self {
            addr,
            shared,
            server,
        })
    }

    /// `smtp://IP:PORT`, the form `LATCHKEY_SMTP_URL` takes.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Starts waiting for mail to `recipient`: call it before the request that sends the mail.
    pub fn expect(&self, recipient: &str) -> Expected {
        let key = recipient.to_ascii_lowercase();
        let id = self.shared.next_wait.fetch_add(1, Ordering::Relaxed);
        let (sender, receiver) = oneshot::channel();
        self.shared.waiting().insert(key.clone(), (id, sender));
        Expected {
            key,
            id,
            receiver,
            shared: Arc::clone(&self.shared),
        }
    }

    /// Messages accepted so far.
    pub fn received(&self) -> u64 {
        self.shared.received.load(Ordering::Relaxed)
    }

    /// Recipients of accepted messages that nobody was waiting for, so far.
    pub fn unexpected(&self) -> u64 {
        self.shared.unexpected.load(Ordering::Relaxed)
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A worker's wait for mail to one address; it stops waiting when dropped.
pub struct Expected {
    key: String,
    id: u64,
    receiver: oneshot::Receiver<Delivered>,
    shared: Arc<Shared>,
}

impl Expected {
    /// The code of the first message to the address, waiting up to `timeout` for it.
    pub async fn code(&mut self, timeout: Duration) -> Result<String, Failure> {
        match tokio::time::timeout(timeout, &mut self.receiver).await {
            Ok(Ok(Ok(code))) => Ok(code),
            Ok(Ok(Err(why))) => Err(Failure::Refused {
                code: "email_without_code".to_owned(),
                body: format!("the email to {}: {why}", self.key),
            }),
            Ok(Err(_)) => Err(Failure::Client("the SMTP sink stopped".to_owned())),
            Err(_) => Err(Failure::Refused {
                code: "email_not_delivered".to_owned(),
                body: format!("no email to {} within {} s", self.key, timeout.as_secs()),
            }),
        }
    }
}

impl Drop for Expected {
    fn drop(&mut self) {
        let mut waiting = self.shared.waiting();
        if waiting.get(&self.key).is_some_and(|(id, _)| *id == self.id) {
            waiting.remove(&self.key);
        }
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    // Dropped with this task when the sink is: every connection ends with it.
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    sessions.spawn(session(stream, Arc::clone(&shared)));
                }
                // Such as running out of file descriptors: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
}

/// One connection, until QUIT or the client leaves. Replies go out one command at a time, in
/// order, so pipelined commands simply wait in the read buffer.
async fn session(stream: TcpStream, shared: Arc<Shared>) -> io::Result<()> {
    // Each reply is one small write that the client waits for: Nagle's algorithm would hold it
    // back until the previous one is acknowledged, a delayed ACK away.
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    write.write_all(b"220 latchkey-bench ESMTP\r\n").await?;
    let mut line = Vec::new();
    let mut sender = false;
    let mut recipients: Vec<String> = Vec::new();
    while read_line(&mut reader, &mut line).await? {
        let command = String::from_utf8_lossy(&line).into_owned();
        let (verb, arg) = command.split_once(' ').unwrap_or((command.as_str(), ""));
        let reply = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => "250-latchkey-bench\r\n250-8BITMIME\r\n250 SMTPUTF8",
            "HELO" => "250 latchkey-bench",
            "MAIL" => {
                sender = true;
                recipients.clear();
                "250 OK"
            }
            "RCPT" if !sender => "503 5.5.1 MAIL first",
            "RCPT" => match mailbox(arg) {
                Some(to) => {
                    recipients.push(to.to_ascii_lowercase());
                    "250 OK"
                }
                None => "501 5.1.3 RCPT TO:<address>",
            },
            "DATA" if recipients.is_empty() => "503 5.5.1 RCPT first",
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let Some(message) = read_message(&mut reader, &mut line).await? else {
                    return Ok(()); // the client left mid-message: nothing was delivered
                };
                sender = false;
                match message {
                    Some(raw) => {
                        deliver(&shared, &raw, &std::mem::take(&mut recipients));
                        "250 OK"
                    }
                    None => {
                        recipients.clear();
                        "552 5.3.4 message too big"
                    }
                }
            }
            "RSET" => {
                sender = false;
                recipients.clear();
                "250 OK"
            }
            "NOOP" => "250 OK",
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return write.shutdown().await;
            }
            _ => "502 5.5.2 command not implemented",
        };
        write.write_all(format!("{reply}\r\n").as_bytes()).await?;
    }
    Ok(())
}

/// Hands the code of `raw` to the worker waiting for each recipient.
fn deliver(shared: &Shared, raw: &str, recipients: &[String]) {
    shared.received.fetch_add(1, Ordering::Relaxed);
    let code = code_of(raw);
    for recipient in recipients {
        let waiter = shared.waiting().remove(recipient);
        match waiter {
            // A worker that gave up has dropped its receiver: nothing to tell it.
            Some((_, sender)) => drop(sender.send(code.clone())),
            None => {
                shared.unexpected.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// The mailbox of `TO:<path> [parameters]`.
fn mailbox(arg: &str) -> Option<&str> {
    let (keyword, rest) = arg.split_once(':')?;
    if !keyword.trim().eq_ignore_ascii_case("TO") {
        return None;
    }
    let path = rest.trim_start().strip_prefix('<')?;
    let path = &path[..path.find('>')?];
    // A source route (`@relay:user@host`) is not part of the mailbox.
    let mailbox = path.rsplit_once(':').map_or(path, |(_, mailbox)| mailbox);
    (!mailbox.is_empty()).then_some(mailbox)
}

/// Reads one line into `line`, without its line break. `Ok(false)` at the end of the stream.
async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
) -> io::Result<bool> {
    line.clear();
    let read = (&mut *reader)
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

/// Reads a message up to the line that is exactly `.`, dot-unstuffed, CRLF line breaks.
/// `None` when the client left before its end, `Some(None)` when it was larger than
/// [`MAX_MESSAGE`].
async fn read_message<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
) -> io::Result<Option<Option<String>>> {
    let mut raw = Vec::new();
    let mut too_big = false;
    loop {
        if !read_line(reader, line).await? {
            return Ok(None);
        }
        if line.as_slice() == b"." {
            break;
        }
        if too_big {
            continue;
        }
        let unstuffed = line.strip_prefix(b".").unwrap_or(line);
        raw.extend_from_slice(unstuffed);
        raw.extend_from_slice(b"\r\n");
        too_big = raw.len() > MAX_MESSAGE;
    }
    Ok(Some(
        (!too_big).then(|| String::from_utf8_lossy(&raw).into_owned()),
    ))
}

// ---------------------------------------------------------------------------------------------
// Reading the code

/// The one-time code of a message: the first run of exactly six ASCII digits in its first
/// text/plain part (the whole body when the message is not multipart), decoded from
/// quoted-printable or base64.
pub fn code_of(raw: &str) -> Result<String, String> {
    let text = plain_text(raw, 0).ok_or_else(|| "it has no text/plain part".to_owned())?;
    first_code(&text).ok_or_else(|| "its text/plain part holds no 6-digit code".to_owned())
}

/// The decoded text of the first text/plain part of `entity`.
fn plain_text(entity: &str, depth: usize) -> Option<String> {
    let (headers, body) = split_entity(entity);
    let content_type = header(&headers, "content-type").unwrap_or("text/plain");
    let (mime, params) = content_type.split_once(';').unwrap_or((content_type, ""));
    let mime = mime.trim().to_ascii_lowercase();
    if mime.starts_with("multipart/") {
        if depth >= MAX_DEPTH {
            return None;
        }
        let boundary = boundary(params)?;
        return parts(body, &boundary)
            .into_iter()
            .find_map(|part| plain_text(part, depth + 1));
    }
    if mime != "text/plain" {
        return None;
    }
    let encoding = header(&headers, "content-transfer-encoding")
        .unwrap_or("7bit")
        .to_ascii_lowercase();
    match encoding.as_str() {
        "quoted-printable" => Some(decode_quoted_printable(body)),
        "base64" => {
            let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            let bytes = BASE64.decode(compact).ok()?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
        // 7bit, 8bit, binary: the text as it is (the code is ASCII in any charset).
        _ => Some(body.to_owned()),
    }
}

/// Splits a message or MIME part into its unfolded header fields (names lower-cased) and body.
fn split_entity(text: &str) -> (Vec<(String, String)>, &str) {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = rest.split_once('\n').unwrap_or((rest, ""));
        rest = next;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            return (headers, rest);
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.to_owned()));
        }
    }
    (headers, rest)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(field, _)| field == name)
        .map(|(_, value)| value.trim())
}

/// The `boundary` parameter of a Content-Type's parameters, quoted or not.
fn boundary(params: &str) -> Option<String> {
    params.split(';').find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// The body parts of a multipart body (RFC 2046 §5.1.1), preamble and epilogue left out.
fn parts<'a>(body: &'a str, boundary: &str) -> Vec<&'a str> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut start = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if let Some(rest) = line.trim_end().strip_prefix(delimiter.as_str())
            && (rest.is_empty() || rest == "--")
        {
            if let Some(start) = start {
                parts.push(&body[start..offset]);
            }
            if rest == "--" {
                return parts;
            }
            start = Some(offset + line.len());
        }
        offset += line.len();
    }
    parts
}

/// Quoted-printable (RFC 2045 §6.7): `=XX` escapes and `=` soft line breaks.
fn decode_quoted_printable(body: &str) -> String {
    let bytes = body.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'=' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let rest = &bytes[i + 1..];
        if rest.starts_with(b"\r\n") {
            i += 3;
        } else if rest.starts_with(b"\n") {
            i += 2;
        } else if let Some(byte) = rest
            .get(..2)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(b'=');
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first run of exactly six ASCII digits.
fn first_code(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 6 {
            return Some(text[start..i].to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use super::*;

    /// What the server sends (lettre's `MultiPart::alternative_plain_html`): the code in a
    /// quoted-printable text part, after the app's name (which holds digits here) and before a
    /// long link that is soft-wrapped.
    const SIGN_IN: &str = "From: Shop 2024 <no-reply@localhost>\r\n\
        To: a@example.com\r\n\
        Subject: 482913 is your Shop 2024 sign-in code\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: multipart/alternative;\r\n \
        boundary=\"0Aab-XyZ\"\r\n\
        \r\n\
        --0Aab-XyZ\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\
        Content-Transfer-Encoding: quoted-printable\r\n\
        \r\n\
        Hello,\r\n\
        \r\n\
        Your code to sign in to Shop 2024 is:\r\n\
        \r\n\
        \x20   482913\r\n\
        \r\n\
        http://localhost:8080/apps/shop/login/magic?token=3Dlk_ml_1234567890123456=\r\n\
        7890\r\n\
        --0Aab-XyZ\r\n\
        Content-Type: text/html; charset=utf-8\r\n\
        Content-Transfer-Encoding: quoted-printable\r\n\
        \r\n\
        <p>111111</p>\r\n\
        --0Aab-XyZ--\r\n";

    #[test]
    fn reads_the_code_of_the_text_part() {
        assert_eq!(code_of(SIGN_IN).unwrap(), "482913");
    }

    #[test]
    fn decodes_base64_and_quoted_printable() {
        let text = BASE64.encode("Votre code : 765432.\r\n");
        let raw = format!(
            "Content-Type: multipart/mixed; boundary=outer\r\n\r\npreamble 999999\r\n--outer\r\n\
             Content-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\n\
             Content-Type: text/html\r\n\r\n<b>111111</b>\r\n--inner\r\n\
             Content-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: BASE64\r\n\
             \r\n{}\r\n{}\r\n--inner--\r\n--outer--\r\n",
            &text[..10],
            &text[10..]
        );
        assert_eq!(code_of(&raw).unwrap(), "765432");
        assert_eq!(
            decode_quoted_printable("caf=C3=A9 12=\r\n3456 a=b"),
            "café 123456 a=b"
        );
        // Not multipart: the whole body is the text.
        assert_eq!(
            code_of("Subject: x\r\n\r\nref 1234567, code 654321\r\n").unwrap(),
            "654321"
        );
    }

    #[test]
    fn a_message_without_a_code_is_said_to_be_one() {
        assert!(code_of("Subject: 123456\r\n\r\nno code here\r\n").is_err());
        assert!(
            code_of("Content-Type: text/html\r\n\r\n<p>123456</p>\r\n").is_err(),
            "only the text/plain part counts"
        );
    }

    #[test]
    fn reads_the_mailbox_of_rcpt() {
        assert_eq!(mailbox("TO:<a@example.com>"), Some("a@example.com"));
        assert_eq!(
            mailbox("to: <a@example.com> SMTPUTF8"),
            Some("a@example.com")
        );
        assert_eq!(mailbox("TO:<@relay:a@example.com>"), Some("a@example.com"));
        assert_eq!(mailbox("FROM:<a@example.com>"), None);
        assert_eq!(mailbox("TO:<>"), None);
    }

    /// A whole SMTP exchange as a relay client makes it, two messages on one connection: the
    /// waiting worker gets its code, the other recipient is counted as unexpected.
    #[tokio::test]
    async fn hands_each_code_to_the_worker_waiting_for_it() {
        let sink = SmtpSink::bind("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let port = sink.addr.port();
        assert_eq!(sink.url(), format!("smtp://127.0.0.1:{port}"));
        let mut expected = sink.expect("A@example.com");
        let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut reader = BufReader::new(read);
        let mut replies = Vec::new();
        let mut line = Vec::new();
        let exchange = [
            "EHLO client",
            "MAIL FROM:<no-reply@localhost>",
            "RCPT TO:<a@example.com>",
            "DATA",
            &SIGN_IN.replace("\r\n--0Aab-XyZ--", "\r\n..\r\n--0Aab-XyZ--"),
            "MAIL FROM:<no-reply@localhost>",
            "RCPT TO:<b@example.com>",
            "DATA",
            "Subject: x\r\n\r\n123456\r\n.",
            "QUIT",
        ];
        assert!(read_line(&mut reader, &mut line).await.unwrap());
        replies.push(String::from_utf8(line.clone()).unwrap());
        for command in exchange {
            let command = if command.ends_with("--\r\n") {
                format!("{command}.")
            } else {
                command.to_owned()
            };
            write
                .write_all(format!("{command}\r\n").as_bytes())
                .await
                .unwrap();
            loop {
                assert!(read_line(&mut reader, &mut line).await.unwrap());
                let reply = String::from_utf8(line.clone()).unwrap();
                // The last line of a multi-line reply has a space after its code.
                if reply.as_bytes().get(3) != Some(&b'-') {
                    replies.push(reply);
                    break;
                }
            }
        }
        let codes: Vec<&str> = replies.iter().map(|r| &r[..3]).collect();
        assert_eq!(
            codes,
            [
                "220", "250", "250", "250", "354", "250", "250", "250", "354", "250", "221"
            ]
        );
        assert_eq!(
            expected.code(Duration::from_secs(5)).await.unwrap(),
            "482913"
        );
        assert_eq!((sink.received(), sink.unexpected()), (2, 1));
        assert!(sink.shared.waiting().is_empty());

        // A wait that ends without mail leaves nothing behind.
        let mut late = sink.expect("c@example.com");
        let failure = late.code(Duration::from_millis(10)).await.unwrap_err();
        assert_eq!(failure.key(), "refused email_not_delivered");
        drop(late);
        assert!(sink.shared.waiting().is_empty());
    }
}
