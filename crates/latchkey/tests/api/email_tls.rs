//! Email over TLS: real handshakes between the server (lettre, rustls) and a local SMTP sink
//! with a certificate from a test CA that only `LATCHKEY_SMTP_CA_FILE` makes trusted. Implicit
//! TLS (`smtps://`) and STARTTLS (`smtp://…?tls=required`) deliver; an untrusted certificate or
//! a server without STARTTLS fails the delivery without sending anything in clear. (That a CA
//! file which cannot apply stops the server at start is the process suite's `config` module.)

use std::path::Path;
use std::time::Duration;

use latchkey_test::helpers::TempDir;
use latchkey_test::smtp::{SmtpSink, TlsMode};
use latchkey_test::{TestApp, assert_json, session_cookie};
use reqwest::StatusCode;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(10);

/// A test app whose server sends email to `url`, trusting `ca_file` when given.
async fn spawn(url: &str, ca_file: Option<&Path>) -> TestApp {
    TestApp::spawn_with(|config| {
        config.smtp_url = Some(url.to_owned());
        config.email_from = Some("Acme Auth <auth@example.com>".to_owned());
        config.smtp_ca_file = ca_file.map(Path::to_path_buf);
    })
    .await
}

/// Asks for a sign-up code for `email`: always 202, whatever becomes of the delivery.
async fn request_code(t: &TestApp, email: &str) {
    let res = t.request_email_code(email, "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
}

/// Redeems `code` and checks it signs `email` up.
async fn signs_in(t: &TestApp, email: &str, code: &str) {
    let res = t.redeem_code(email, code).await;
    assert!(session_cookie(&res).is_some());
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(body["user"]["email"], email);
    assert_eq!(body["user"]["email_verified"], true);
    assert_eq!(body["session"]["amr"], json!(["otp"]));
}

/// The `email.delivery_failed` events, once there is one (polling up to 10 s).
async fn delivery_failures(t: &TestApp) -> Vec<Value> {
    t.events_once_there("email.delivery_failed").await
}

/// The verbs the sink received in clear.
fn in_clear(sink: &SmtpSink) -> Vec<String> {
    sink.commands()
        .into_iter()
        .filter(|(_, tls)| !tls)
        .map(|(verb, _)| verb)
        .collect()
}

#[tokio::test]
async fn implicit_tls_with_auth_delivers_and_the_code_signs_in() {
    let sink = SmtpSink::start_tls(TlsMode::Implicit, Some(("mailer", "s3cret pass"))).await;
    assert!(
        sink.url()
            .starts_with("smtps://mailer:s3cret%20pass@127.0.0.1:")
    );
    let dir = TempDir::new();
    let ca_file = sink.write_ca(dir.path());
    let t = spawn(&sink.url(), Some(&ca_file)).await;

    request_code(&t, "tls@example.com").await;
    let message = sink.wait_for(1, WAIT).await[0].clone();
    assert!(message.tls, "the message did not arrive over TLS");
    assert!(message.authenticated, "the server did not AUTH");
    assert_eq!(message.mail_from, "auth@example.com");
    assert_eq!(message.rcpt_to, ["tls@example.com"]);
    // Every command, AUTH included, went over TLS.
    assert_eq!(in_clear(&sink), Vec::<String>::new());
    assert!(sink.commands().iter().any(|(verb, _)| verb == "AUTH"));

    let code = message.code().expect("a 6-digit code");
    signs_in(&t, "tls@example.com", &code).await;
    assert_eq!(t.events("email.sent").await.len(), 1);
    assert!(t.events("email.delivery_failed").await.is_empty());
}

#[tokio::test]
async fn starttls_with_auth_delivers_over_tls() {
    let sink = SmtpSink::start_tls(TlsMode::StartTls, Some(("mailer", "secret"))).await;
    assert!(sink.url().ends_with("?tls=required"));
    let dir = TempDir::new();
    let ca_file = sink.write_ca(dir.path());
    let t = spawn(&sink.url(), Some(&ca_file)).await;

    request_code(&t, "upgrade@example.com").await;
    let message = sink.wait_for(1, WAIT).await[0].clone();
    assert!(message.tls, "the message did not arrive over TLS");
    assert!(message.authenticated, "the server did not AUTH");
    // Only the greeting exchange and STARTTLS in clear; EHLO again, then AUTH, inside TLS.
    assert_eq!(in_clear(&sink), ["EHLO", "STARTTLS"]);
    let in_tls: Vec<String> = sink
        .commands()
        .into_iter()
        .filter(|(_, tls)| *tls)
        .map(|(verb, _)| verb)
        .collect();
    assert_eq!(in_tls[..2], ["EHLO", "AUTH"], "{in_tls:?}");

    let code = message.code().expect("a 6-digit code");
    signs_in(&t, "upgrade@example.com", &code).await;
    assert_eq!(t.events("email.sent").await.len(), 1);
}

#[tokio::test]
async fn implicit_tls_without_the_ca_file_fails_delivery() {
    let sink = SmtpSink::start_tls(TlsMode::Implicit, Some(("mailer", "secret"))).await;
    let t = spawn(&sink.url(), None).await;

    request_code(&t, "untrusted@example.com").await;
    let failed = delivery_failures(&t).await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["data"]["purpose"], "sign_up");
    let error = failed[0]["data"]["error"].as_str().unwrap();
    assert!(error.contains("SMTP"), "{error}");
    assert!(error.contains("certificate"), "{error}");
    assert!(
        !error.contains("secret"),
        "the error shows the password: {error}"
    );
    // The handshake failed before any SMTP: nothing was said, nothing delivered.
    assert!(sink.commands().is_empty(), "{:?}", sink.commands());
    assert!(sink.messages().is_empty());
    assert!(t.events("email.sent").await.is_empty());
    assert_eq!(t.db.count("email_codes").await, 1);
}

#[tokio::test]
async fn starttls_without_the_ca_file_fails_delivery() {
    let sink = SmtpSink::start_tls(TlsMode::StartTls, Some(("mailer", "secret"))).await;
    let t = spawn(&sink.url(), None).await;

    request_code(&t, "untrusted@example.com").await;
    assert_eq!(delivery_failures(&t).await.len(), 1);
    // The client gave up at the handshake: no AUTH, no mail, in clear or otherwise.
    assert_eq!(in_clear(&sink), ["EHLO", "STARTTLS"]);
    assert!(sink.commands().iter().all(|(_, tls)| !tls));
    assert!(sink.messages().is_empty());
    assert!(t.events("email.sent").await.is_empty());
}

#[tokio::test]
async fn another_ca_does_not_make_the_certificate_trusted() {
    let sink = SmtpSink::start_tls(TlsMode::Implicit, None).await;
    let other = SmtpSink::start_tls(TlsMode::Implicit, None).await;
    let dir = TempDir::new();
    let other_ca = other.write_ca(dir.path());
    let t = spawn(&sink.url(), Some(&other_ca)).await;

    request_code(&t, "wrong-ca@example.com").await;
    assert_eq!(delivery_failures(&t).await.len(), 1);
    assert!(sink.commands().is_empty(), "{:?}", sink.commands());
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn tls_required_against_a_server_without_starttls_never_sends_in_clear() {
    // Any CA will do for the second run: the plain sink has no certificate at all.
    let tls_sink = SmtpSink::start_tls(TlsMode::Implicit, None).await;
    let dir = TempDir::new();
    let ca_file = tls_sink.write_ca(dir.path());
    for ca in [None, Some(ca_file.as_path())] {
        let sink = SmtpSink::start_with_auth("mailer", "secret").await;
        let url = format!("{}?tls=required", sink.url());
        let t = spawn(&url, ca).await;

        request_code(&t, "clear@example.com").await;
        let failed = delivery_failures(&t).await;
        assert_eq!(failed.len(), 1, "CA file {ca:?}");
        let error = failed[0]["data"]["error"].as_str().unwrap();
        assert!(error.contains("STARTTLS"), "CA file {ca:?}: {error}");
        // The sink did not offer STARTTLS: the client stopped after EHLO (perhaps saying
        // QUIT), before any AUTH or mail.
        let commands = in_clear(&sink);
        assert_eq!(commands.first().map(String::as_str), Some("EHLO"));
        assert!(
            commands.iter().all(|verb| verb == "EHLO" || verb == "QUIT"),
            "CA file {ca:?}: sent in clear: {commands:?}"
        );
        assert!(sink.messages().is_empty());
        assert!(t.events("email.sent").await.is_empty());
    }
}
