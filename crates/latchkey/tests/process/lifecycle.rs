//! A process's life: everything survives a SIGKILL and a new start on the same database, an
//! email a committed request promised is sent after one, and SIGTERM lets the request in flight
//! finish before the process exits 0. Sign-ups acknowledged before a SIGKILL all survive it, and
//! a challenge is single use across a restart.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use latchkey_authenticator::CreateOptions;
use latchkey_test::helpers::b64url;
use latchkey_test::{ORIGIN, assert_json, assert_problem, jwt};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use latchkey_test::smtp::SmtpSink;
use latchkey_test::{ADMIN_KEY, PUBLIC_URL, TestApp, TestDb};

use crate::helpers::{Process, base_env, spawn, spawn_with, with};

#[tokio::test]
async fn everything_survives_a_sigkill_and_restart() {
    let (t, mut server) = spawn().await;
    let mut signed = t.sign_up("ann@example.com").await;
    let user_id = signed.user_id().to_owned();
    let res = t.sign_in(&mut signed.credential, None).await;
    let body = assert_json(res, StatusCode::OK).await;
    let access = body["access_token"].as_str().unwrap().to_owned();
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let session_id = body["session"]["id"].as_str().unwrap().to_owned();
    let jwks_before = t.jwks().await;
    let kid = jwt(&access).0["kid"].as_str().unwrap().to_owned();

    server.kill().await;
    assert!(
        t.request(Method::GET, "/health").send().await.is_err(),
        "the old process is gone"
    );
    let server = Process::serve(&t.db).await;
    let t = t.at(&server.base);

    // The user, their passkey and the session are all there.
    let res = t.get_user(&user_id).await;
    assert_eq!(
        assert_json(res, StatusCode::OK).await["email"],
        "ann@example.com"
    );
    let passkeys: Value = t.user_passkeys(&user_id).await.json().await.unwrap();
    assert_eq!(passkeys["items"].as_array().unwrap().len(), 1);
    assert_eq!(passkeys["items"][0]["id"], b64url(&signed.credential.id));
    let sessions: Value = t.user_sessions(&user_id).await.json().await.unwrap();
    assert!(
        sessions["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == session_id.as_str())
    );

    // The access token issued before the crash is still good, and names the same session.
    let res = t.with_bearer(&access).current_session().await;
    assert_eq!(
        assert_json(res, StatusCode::OK).await["session"]["id"],
        session_id.as_str()
    );
    assert_eq!(t.verify_token(&access).await["valid"], true);

    // The refresh token rotates, and the new access token is signed with the same key.
    let rotated = assert_json(t.refresh(&refresh).await, StatusCode::OK).await;
    assert_ne!(rotated["refresh_token"], refresh.as_str());
    assert_eq!(rotated["session"]["id"], session_id.as_str());
    assert_eq!(
        jwt(rotated["access_token"].as_str().unwrap()).0["kid"],
        kid.as_str()
    );

    // The passkey signs in, and the JWKS is the one from before.
    let res = t.sign_in(&mut signed.credential, None).await;
    let body = assert_json(res, StatusCode::OK).await;
    assert_eq!(body["user"]["id"], user_id.as_str());
    let jwks_after = t.jwks().await;
    assert_eq!(jwks_after, jwks_before);
    assert_eq!(jwks_after["keys"][0]["kid"], kid.as_str());
}

/// A request that committed promises its email: killed before delivering it, the server sends it
/// after a restart, and its code signs in. The SMTP server defers the first attempt (451), so
/// the kill lands between the commit and the delivery.
#[tokio::test]
async fn an_email_promised_before_a_sigkill_is_sent_after_the_restart() {
    let sink = SmtpSink::start().await;
    sink.fail_deliveries(true);
    let db = TestDb::new().await;
    let env = with(
        with(
            with(base_env(&db), "LATCHKEY_PUBLIC_URL", PUBLIC_URL),
            "LATCHKEY_ADMIN_KEY",
            ADMIN_KEY,
        ),
        "LATCHKEY_SMTP_URL",
        &sink.url(),
    );
    let log = db.data_dir.join("server.log");
    let mut server = Process::start(&["serve"], &db.data_dir, &env, &log).await;
    let t = TestApp::attach(db, &server.base)
        .new_app("acme", json!({}))
        .await;

    let res = t.request_email_code("kept@example.com", "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    // The first attempt reached the SMTP server and was deferred; nothing was delivered.
    let failed = t.events_once_there("email.delivery_failed").await;
    assert_eq!(failed.len(), 1, "the first attempt is recorded");
    assert_eq!(failed[0]["data"]["attempt"], 1);
    assert!(sink.messages().is_empty());

    server.kill().await;
    assert_eq!(
        t.db.count("jobs").await,
        1,
        "the promise outlives the process"
    );
    sink.fail_deliveries(false);
    let server = Process::start(&["serve"], &t.db.data_dir, &env, &log).await;
    let t = t.at(&server.base);

    let message = sink.wait_for(1, Duration::from_secs(30)).await.remove(0);
    assert_eq!(message.rcpt_to, vec!["kept@example.com".to_owned()]);
    let code = message.code().expect("the email holds a code");
    let res = t.redeem_code("kept@example.com", &code).await;
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(body["user"]["email"], "kept@example.com");
    let sent = t.events_once_there("email.sent").await;
    assert_eq!(sent.len(), 1, "sent once, by the new process");
    assert_eq!(t.db.count("jobs").await, 0, "the job is done");
}

/// Reads one response head (up to the blank line) from a raw connection.
async fn read_head(conn: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(20), conn.read(&mut byte))
            .await
            .expect("a response head")
            .unwrap();
        assert_eq!(
            n,
            1,
            "connection closed before a response head: {:?}",
            String::from_utf8_lossy(&head)
        );
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap()
}

/// Waits until `addr` refuses connections: the server has stopped accepting.
async fn wait_until_refused(addr: &str) {
    tokio::time::timeout(Duration::from_secs(20), async {
        while TcpStream::connect(addr).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the server stops accepting connections after SIGTERM");
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_and_exits_zero() {
    let (t, mut server) = spawn().await;
    let (response, _credential) = t
        .registration(
            json!({"email": "ann@example.com"}),
            &CreateOptions::new(ORIGIN),
        )
        .await;
    let body = serde_json::to_vec(&response).unwrap();
    let addr = t.base.strip_prefix("http://").unwrap().to_owned();

    // A sign-up whose body is held back: with `Expect: 100-continue` the server says "100
    // Continue" only once the handler reads the body, so the request is provably in flight.
    let mut conn = TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /apps/acme/passkeys/register/verify HTTP/1.1\r\nHost: {addr}\r\nOrigin: {ORIGIN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let interim = read_head(&mut conn).await;
    assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");

    let (status, finished) = tokio::join!(server.terminate(), async {
        // Once new connections are refused, SIGTERM has been handled; only then send the body.
        wait_until_refused(&addr).await;
        conn.write_all(&body).await.unwrap();
        let mut rest = Vec::new();
        tokio::time::timeout(Duration::from_secs(20), conn.read_to_end(&mut rest))
            .await
            .expect("the in-flight response")
            .unwrap();
        String::from_utf8_lossy(&rest).into_owned()
    });
    assert!(
        finished.starts_with("HTTP/1.1 201"),
        "the in-flight sign-up completes: {finished}"
    );
    assert!(finished.contains("\"access_token\""));
    assert_eq!(status.code(), Some(0), "{status}");
    assert!(
        TcpStream::connect(&addr).await.is_err(),
        "nothing answers any more"
    );
    assert!(t.request(Method::GET, "/health").send().await.is_err());
    assert_eq!(
        t.db.count("users").await,
        1,
        "the in-flight sign-up was committed"
    );
}

/// One sign-up loop until the server goes away: the users it acknowledged (201) and the access
/// tokens they got.
async fn sign_up_until_gone(
    t: TestApp,
    worker: usize,
    counted: Arc<AtomicUsize>,
) -> Vec<(String, String)> {
    let mut acknowledged = Vec::new();
    for i in 0.. {
        let body = json!({"email": format!("w{worker}-{i}@example.com")});
        let options = t
            .request(Method::POST, "/apps/acme/passkeys/register/options")
            .json(&body)
            .send()
            .await;
        let Ok(options) = options else { break };
        let Ok(options) = options.json::<Value>().await else {
            break;
        };
        let (response, _) =
            latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN))
                .unwrap();
        let finished = t
            .request(Method::POST, "/apps/acme/passkeys/register/verify")
            .json(&response)
            .send()
            .await;
        let Ok(finished) = finished else { break };
        if finished.status() != StatusCode::CREATED {
            continue;
        }
        let Ok(body) = finished.json::<Value>().await else {
            break;
        };
        acknowledged.push((
            body["user"]["id"].as_str().unwrap().to_owned(),
            body["access_token"].as_str().unwrap().to_owned(),
        ));
        counted.fetch_add(1, Ordering::Relaxed);
    }
    acknowledged
}

/// Sign-ups running concurrently when the server is killed: every one it acknowledged is there
/// after the restart, with its session (a write is answered only once its transaction, or the
/// group it was committed with, is committed).
#[tokio::test]
async fn sign_ups_acknowledged_before_a_sigkill_survive_it() {
    // As many sign-ups from one address as it takes.
    let (t, mut server) = spawn_with(&[("LATCHKEY_RATE_LIMITS", "sign_ups=100000/3600")]).await;
    let mut workers = tokio::task::JoinSet::new();
    let counted = Arc::new(AtomicUsize::new(0));
    for worker in 0..16 {
        workers.spawn(sign_up_until_gone(t.clone(), worker, Arc::clone(&counted)));
    }
    // Let the sign-ups get going (50 acknowledged), then kill mid-stream.
    while counted.load(Ordering::Relaxed) < 50 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill().await;
    let mut acknowledged = Vec::new();
    while let Some(done) = workers.join_next().await {
        acknowledged.extend(done.unwrap());
    }
    assert!(acknowledged.len() >= 50, "{}", acknowledged.len());

    let server = Process::serve(&t.db).await;
    let t = t.at(&server.base);
    for (user_id, access) in &acknowledged {
        let res = t.get_user(user_id).await;
        assert_eq!(res.status(), StatusCode::OK, "user {user_id} was lost");
        let verified = t.verify_token(access).await;
        assert_eq!(verified["valid"], true, "{user_id}: {verified}");
    }
}

/// A used challenge stays used across a restart, and one issued before it: on SQLite its state
/// went with the process (refused); on PostgreSQL it is shared state (accepted, once).
#[tokio::test]
async fn a_challenge_is_single_use_across_a_restart() {
    let (t, mut server) = spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let used = t.assertion(&mut ann.credential, None).await;
    assert_eq!(
        t.finish_authentication(&used).await.status(),
        StatusCode::OK
    );
    let pending = t.assertion(&mut ann.credential, None).await;

    server.terminate().await;
    let server = Process::serve(&t.db).await;
    let t = t.at(&server.base);

    let res = t.finish_authentication(&used).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    let res = t.finish_authentication(&pending).await;
    if t.db.is_postgres() {
        assert_eq!(res.status(), StatusCode::OK);
        let res = t.finish_authentication(&pending).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    } else {
        assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    }
    // The passkey still signs in.
    let res = t.sign_in(&mut ann.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);
}
