//! Running Latchkey: health, readiness and metrics; restarts and several instances on one
//! database; SIGTERM; CORS and the cookie CSRF rule; the CLI; the configuration contract; and the
//! admin API. Every test drives real `latchkey` processes over HTTP (or runs the binary).

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use base64::Engine;
use latchkey_authenticator::{CreateOptions, Credential, GetOptions};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use crate::helpers::{ADMIN_KEY, ORIGIN, PUBLIC_URL, TestApp, TestDb, TestServer, assert_problem};

// ---------------------------------------------------------------------------------------------
// Helpers private to this module.
// ---------------------------------------------------------------------------------------------

fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The JOSE header and the claims of a JWT, unverified.
fn jwt(token: &str) -> (Value, Value) {
    let decode = |s: &str| -> Value {
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(s)
                .unwrap(),
        )
        .unwrap()
    };
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three parts");
    (decode(parts[0]), decode(parts[1]))
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The `Set-Cookie` header for the session cookie, whole (attributes included).
fn session_set_cookie(res: &Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("latchkey_session="))
        .map(str::to_owned)
}

/// Signs `email` up at `base` for `app` from `origin`: the verify response and the credential.
async fn sign_up_at(
    http: &Client,
    base: &str,
    app: &str,
    origin: &str,
    email: &str,
) -> (Response, Credential) {
    let res = http
        .post(format!("{base}/apps/{app}/passkeys/register/options"))
        .header("origin", origin)
        .json(&json!({"email": email}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "register options at {base}");
    let options: Value = res.json().await.unwrap();
    let (response, credential) =
        latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(origin)).unwrap();
    let res = http
        .post(format!("{base}/apps/{app}/passkeys/register/verify"))
        .header("origin", origin)
        .json(&response)
        .send()
        .await
        .unwrap();
    (res, credential)
}

/// Discoverable authentication options from `base`, answered by the credential.
async fn assertion_at(
    http: &Client,
    base: &str,
    app: &str,
    origin: &str,
    credential: &mut Credential,
) -> Value {
    let res = http
        .post(format!("{base}/apps/{app}/passkeys/authenticate/options"))
        .header("origin", origin)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "authenticate options at {base}"
    );
    let options: Value = res.json().await.unwrap();
    latchkey_authenticator::get(&options["publicKey"], credential, &GetOptions::new(origin))
        .unwrap()
}

/// Posts an assertion to `base`'s `authenticate/verify`.
async fn verify_assertion_at(
    http: &Client,
    base: &str,
    app: &str,
    origin: &str,
    assertion: &Value,
) -> Response {
    http.post(format!("{base}/apps/{app}/passkeys/authenticate/verify"))
        .header("origin", origin)
        .json(assertion)
        .send()
        .await
        .unwrap()
}

/// A full discoverable sign-in at `base`.
async fn sign_in_at(
    http: &Client,
    base: &str,
    app: &str,
    origin: &str,
    credential: &mut Credential,
) -> Response {
    let assertion = assertion_at(http, base, app, origin, credential).await;
    verify_assertion_at(http, base, app, origin, &assertion).await
}

/// `POST /apps/{app}/tokens/verify` at `base` with `api_key`.
async fn verify_token_at(
    http: &Client,
    base: &str,
    app: &str,
    api_key: &str,
    token: &str,
) -> Value {
    let res = http
        .post(format!("{base}/apps/{app}/tokens/verify"))
        .bearer_auth(api_key)
        .json(&json!({"token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// `GET /apps/{app}/sessions/current` at `base` with a bearer access token.
async fn current_session_at(http: &Client, base: &str, app: &str, token: &str) -> Response {
    http.get(format!("{base}/apps/{app}/sessions/current"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// `POST /apps/{app}/sessions/refresh` at `base` with a refresh token in the body.
async fn refresh_at(http: &Client, base: &str, app: &str, refresh_token: &str) -> Response {
    http.post(format!("{base}/apps/{app}/sessions/refresh"))
        .header("origin", ORIGIN)
        .json(&json!({"refresh_token": refresh_token}))
        .send()
        .await
        .unwrap()
}

/// Creates app `id` (rp example.com, origin https://example.com) at `base` with `admin_key` and
/// returns an API key for it.
async fn create_app_at(http: &Client, base: &str, admin_key: &str, id: &str) -> String {
    let res = http
        .post(format!("{base}/admin/apps"))
        .bearer_auth(admin_key)
        .json(&json!({"id": id, "name": format!("App {id}"), "rp_id": "example.com", "origins": [ORIGIN]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    api_key_at(http, base, admin_key, id).await
}

/// A new API key for `app` at `base`.
async fn api_key_at(http: &Client, base: &str, admin_key: &str, app: &str) -> String {
    let res = http
        .post(format!("{base}/admin/apps/{app}/api-keys"))
        .bearer_auth(admin_key)
        .json(&json!({"name": "ops"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    body["secret"].as_str().unwrap().to_owned()
}

/// The value of the sample of `name` whose labels include every `k="v"` in `labels`, if any.
fn metric(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .find(|l| labels.iter().all(|label| l.contains(label)))
        .and_then(|l| l.rsplit(' ').next())
        .map(|v| v.parse::<f64>().unwrap())
}

async fn metrics_text(t: &TestApp) -> String {
    let res = t.http.get(t.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("text/plain"), "{ct}");
    res.text().await.unwrap()
}

/// The environment every process this module starts itself shares: nothing of the test
/// runner's, only PATH, a free port, logging, and the test database.
fn base_env(db: &TestDb) -> Vec<(String, String)> {
    vec![
        ("PATH".to_owned(), std::env::var("PATH").unwrap_or_default()),
        ("LATCHKEY_LISTEN".to_owned(), "127.0.0.1:0".to_owned()),
        (
            "LATCHKEY_DATA_DIR".to_owned(),
            db.data_dir.display().to_string(),
        ),
        ("LATCHKEY_DATABASE_URL".to_owned(), db.url.clone()),
        ("RUST_LOG".to_owned(), "info,sqlx=warn".to_owned()),
    ]
}

fn with(mut env: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    env.retain(|(k, _)| k != key);
    env.push((key.to_owned(), value.to_owned()));
    env
}

fn without(mut env: Vec<(String, String)>, key: &str) -> Vec<(String, String)> {
    env.retain(|(k, _)| k != key);
    env
}

/// A `latchkey` process started here rather than by `TestServer`, for the environments it does
/// not make: no admin key, no public URL, a working directory of our choosing, `--dev`.
struct Proc {
    child: Child,
    base: String,
    /// Lines printed on stdout after the first.
    stdout: mpsc::UnboundedReceiver<String>,
}

impl Proc {
    async fn start(args: &[&str], cwd: &Path, env: &[(String, String)], log: &Path) -> Self {
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_latchkey"));
        cmd.args(args)
            .env_clear()
            .current_dir(cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start latchkey");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("latchkey prints its address")
            .unwrap()
            .unwrap_or_else(|| {
                panic!(
                    "latchkey exited at start:\n{}",
                    std::fs::read_to_string(log).unwrap_or_default()
                )
            });
        let base = first
            .strip_prefix("latchkey listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                let _ = tx.send(line);
            }
        });
        Self {
            child,
            base,
            stdout: rx,
        }
    }

    async fn next_stdout_line(&mut self) -> String {
        tokio::time::timeout(Duration::from_secs(10), self.stdout.recv())
            .await
            .expect("another line on stdout")
            .expect("stdout still open")
    }

    async fn kill(&mut self) {
        let _ = self.child.kill().await;
    }
}

/// Runs the `latchkey` CLI on the test database and waits for it.
async fn cli(db: &TestDb, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_latchkey"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LATCHKEY_DATA_DIR", &db.data_dir)
        .env("LATCHKEY_DATABASE_URL", &db.url)
        .current_dir(&db.data_dir)
        .kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(60), cmd.output())
        .await
        .expect("the CLI finishes")
        .expect("run the CLI")
}

fn stdout_of(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Liveness, readiness, metrics.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn health_ready_and_metrics() {
    let t = TestApp::spawn().await;
    let res = t.http.get(t.url("/health")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"status": "ok"}));
    let res = t.http.get(t.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "ready");

    // A sign-up counts its requests by route template (never by the concrete path) and is a
    // successful passkey sign-in.
    let route = r#"route="/apps/{app}/passkeys/register/options""#;
    let before = metrics_text(&t).await;
    assert_eq!(
        metric(&before, "latchkey_http_requests_total", &[route]),
        None
    );
    let mut signed = t.sign_up("ann@example.com").await;
    let after_sign_up = metrics_text(&t).await;
    assert_eq!(
        metric(
            &after_sign_up,
            "latchkey_http_requests_total",
            &[route, r#"method="POST""#, r#"status="200""#]
        ),
        Some(1.0),
        "{after_sign_up}"
    );
    assert!(
        !after_sign_up.contains("/apps/acme/passkeys"),
        "concrete paths are not labels"
    );
    let success = [r#"method="passkey""#, r#"outcome="success""#];
    let successes = metric(&after_sign_up, "latchkey_sign_ins_total", &success).unwrap_or(0.0);

    let res = t.sign_in(&mut signed.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let after_sign_in = metrics_text(&t).await;
    assert_eq!(
        metric(&after_sign_in, "latchkey_sign_ins_total", &success),
        Some(successes + 1.0),
        "{after_sign_in}"
    );

    // A refused assertion (from a foreign origin) counts as a failure.
    let options = t.authenticate_options(None).await;
    let assertion = latchkey_authenticator::get(
        &options["publicKey"],
        &mut signed.credential,
        &GetOptions::new("https://evil.example"),
    )
    .unwrap();
    let res = t.post("/passkeys/authenticate/verify", &assertion).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    let after_failure = metrics_text(&t).await;
    assert_eq!(
        metric(
            &after_failure,
            "latchkey_sign_ins_total",
            &[r#"method="passkey""#, r#"outcome="failure""#]
        ),
        Some(1.0),
        "{after_failure}"
    );

    // The latency histogram, per route.
    assert!(after_failure.contains("# TYPE latchkey_http_request_duration_seconds histogram"));
    assert!(
        metric(
            &after_failure,
            "latchkey_http_request_duration_seconds_bucket",
            &[route, r#"le="+Inf""#]
        )
        .is_some_and(|n| n >= 1.0),
        "{after_failure}"
    );
    assert!(
        metric(
            &after_failure,
            "latchkey_http_request_duration_seconds_count",
            &[route]
        )
        .is_some_and(|n| n >= 1.0)
    );
    assert!(
        metric(
            &after_failure,
            "latchkey_http_request_duration_seconds_sum",
            &[route]
        )
        .is_some()
    );
}

// ---------------------------------------------------------------------------------------------
// Restarts and several instances.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn everything_survives_a_sigkill_and_restart() {
    let mut t = TestApp::spawn().await;
    let mut signed = t.sign_up("ann@example.com").await;
    let user_id = signed.user_id().to_owned();
    let res = t.sign_in(&mut signed.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let access = body["access_token"].as_str().unwrap().to_owned();
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let session_id = body["session"]["id"].as_str().unwrap().to_owned();
    let jwks_before: Value = t
        .http
        .get(t.url("/apps/acme/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kid = jwt(&access).0["kid"].as_str().unwrap().to_owned();

    t.server.kill().await;
    assert!(
        t.http.get(t.url("/health")).send().await.is_err(),
        "the old process is gone"
    );
    t.server = TestServer::start(&t.db).await;

    // The user, their passkey and the session are all there.
    let res = t
        .api(Method::GET, &format!("/users/{user_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<Value>().await.unwrap()["email"],
        "ann@example.com"
    );
    let res = t
        .api(Method::GET, &format!("/users/{user_id}/passkeys"))
        .send()
        .await
        .unwrap();
    let passkeys: Value = res.json().await.unwrap();
    assert_eq!(passkeys["items"].as_array().unwrap().len(), 1);
    assert_eq!(passkeys["items"][0]["id"], b64url(&signed.credential.id));
    let res = t
        .api(Method::GET, &format!("/users/{user_id}/sessions"))
        .send()
        .await
        .unwrap();
    let sessions: Value = res.json().await.unwrap();
    assert!(
        sessions["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == session_id.as_str())
    );

    // The access token issued before the crash is still good, and names the same session.
    let res = t
        .browser(Method::GET, "/sessions/current")
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<Value>().await.unwrap()["session"]["id"],
        session_id.as_str()
    );
    assert_eq!(t.verify_token(&access).await["valid"], true);

    // The refresh token rotates, and the new access token is signed with the same key.
    let res = t
        .post("/sessions/refresh", &json!({"refresh_token": refresh}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let rotated: Value = res.json().await.unwrap();
    assert_ne!(rotated["refresh_token"], refresh.as_str());
    assert_eq!(rotated["session"]["id"], session_id.as_str());
    assert_eq!(
        jwt(rotated["access_token"].as_str().unwrap()).0["kid"],
        kid.as_str()
    );

    // The passkey signs in, and the JWKS is the one from before.
    let res = t.sign_in(&mut signed.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["id"], user_id.as_str());
    let jwks_after: Value = t
        .http
        .get(t.url("/apps/acme/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks_after, jwks_before);
    assert_eq!(jwks_after["keys"][0]["kid"], kid.as_str());
}

#[tokio::test]
async fn two_instances_on_one_database_finish_each_others_ceremonies() {
    let t = TestApp::spawn().await;
    let b = TestServer::start(&t.db).await;
    if !t.db.is_postgres() {
        // Two processes share the SQLite file through its write-ahead log.
        use sqlx::Row;
        let mut conn = t.db.connect().await;
        let mode: String = sqlx::query("pragma journal_mode")
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get(0);
        assert_eq!(mode, "wal");
    }
    let a = t.server.base.clone();
    let (http, app, key) = (&t.http, t.app.as_str(), t.api_key.as_str());

    // Registration options from A, verified at B.
    let res = t
        .post(
            "/passkeys/register/options",
            &json!({"email": "ann@example.com"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let options: Value = res.json().await.unwrap();
    let (response, mut credential) =
        latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN)).unwrap();
    let res = http
        .post(format!("{}/apps/{app}/passkeys/register/verify", b.base))
        .header("origin", ORIGIN)
        .json(&response)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let signed_up: Value = res.json().await.unwrap();

    // Authentication options from B, verified at A.
    let assertion = assertion_at(http, &b.base, app, ORIGIN, &mut credential).await;
    let res = verify_assertion_at(http, &a, app, ORIGIN, &assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
    let at_a: Value = res.json().await.unwrap();
    assert_eq!(at_a["user"]["id"], signed_up["user"]["id"]);
    // The challenge was used at A: B refuses it too.
    let res = verify_assertion_at(http, &b.base, app, ORIGIN, &assertion).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // A token issued by A is good at B, by the server API and as a bearer token.
    let access = at_a["access_token"].as_str().unwrap();
    let verified = verify_token_at(http, &b.base, app, key, access).await;
    assert_eq!(verified["valid"], true, "{verified}");
    assert_eq!(verified["session_id"], at_a["session"]["id"]);
    let res = current_session_at(http, &b.base, app, access).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<Value>().await.unwrap()["session"]["id"],
        at_a["session"]["id"]
    );
    // An auth token from A is redeemed once, at B; A then refuses it.
    let auth_token = at_a["auth_token"].as_str().unwrap();
    assert_eq!(
        verify_token_at(http, &b.base, app, key, auth_token).await["valid"],
        true
    );
    assert_eq!(
        verify_token_at(http, &a, app, key, auth_token).await["valid"],
        false
    );

    // A refresh token rotated at A and presented again at B: refused, and the session is gone,
    // as A sees it too.
    let old_refresh = at_a["refresh_token"].as_str().unwrap();
    let res = refresh_at(http, &a, app, old_refresh).await;
    assert_eq!(res.status(), StatusCode::OK);
    let rotated: Value = res.json().await.unwrap();
    let res = refresh_at(http, &b.base, app, old_refresh).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = current_session_at(http, &a, app, access).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(
        verify_token_at(http, &a, app, key, access).await["valid"],
        false
    );
    let res = refresh_at(http, &a, app, rotated["refresh_token"].as_str().unwrap()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // A rotates the app's signing key; B, which cached the old key set, still verifies the new
    // key's tokens.
    let res = t
        .admin(Method::PATCH, &format!("/admin/apps/{app}"))
        .json(&json!({"signing_alg": "EdDSA"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = sign_in_at(http, &a, app, ORIGIN, &mut credential).await;
    assert_eq!(res.status(), StatusCode::OK);
    let eddsa: Value = res.json().await.unwrap();
    let token = eddsa["access_token"].as_str().unwrap();
    assert_eq!(jwt(token).0["alg"], "EdDSA");
    assert_eq!(
        verify_token_at(http, &b.base, app, key, token).await["valid"],
        true
    );
    let res = current_session_at(http, &b.base, app, token).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn racing_instances_finish_each_ceremony_and_token_exactly_once() {
    let t = TestApp::spawn().await;
    let b = TestServer::start(&t.db).await;
    let a = t.server.base.clone();
    let (http, app, key) = (&t.http, t.app.as_str(), t.api_key.as_str());

    // One registration response, sent to both at once: one account.
    let options = t
        .register_options(json!({"email": "ann@example.com"}))
        .await;
    let (response, mut credential) =
        latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN)).unwrap();
    let post = |base: String, path: &'static str, body: Value| async move {
        http.post(format!("{base}/apps/{app}{path}"))
            .header("origin", ORIGIN)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
    };
    let (x, y) = tokio::join!(
        post(a.clone(), "/passkeys/register/verify", response.clone()),
        post(
            b.base.clone(),
            "/passkeys/register/verify",
            response.clone()
        )
    );
    let mut statuses = [x, y];
    statuses.sort();
    assert_eq!(statuses[0], StatusCode::CREATED, "{statuses:?}");
    assert!(statuses[1].is_client_error(), "{statuses:?}");
    assert_eq!(t.db.count("users").await, 1);
    assert_eq!(t.db.count("passkeys").await, 1);

    // One assertion, sent to both at once: one sign-in.
    let assertion = assertion_at(http, &a, app, ORIGIN, &mut credential).await;
    let sessions_before = t.db.count("sessions").await;
    let (x, y) = tokio::join!(
        post(
            a.clone(),
            "/passkeys/authenticate/verify",
            assertion.clone()
        ),
        post(
            b.base.clone(),
            "/passkeys/authenticate/verify",
            assertion.clone()
        )
    );
    let mut statuses = [x, y];
    statuses.sort();
    assert_eq!(statuses[0], StatusCode::OK, "{statuses:?}");
    assert!(statuses[1].is_client_error(), "{statuses:?}");
    assert_eq!(t.db.count("sessions").await, sessions_before + 1);

    // One auth token, redeemed at both at once: valid once.
    let res = sign_in_at(http, &a, app, ORIGIN, &mut credential).await;
    let body: Value = res.json().await.unwrap();
    let auth_token = body["auth_token"].as_str().unwrap();
    let (x, y) = tokio::join!(
        verify_token_at(http, &a, app, key, auth_token),
        verify_token_at(http, &b.base, app, key, auth_token)
    );
    assert_eq!(
        [x["valid"].clone(), y["valid"].clone()]
            .iter()
            .filter(|v| **v == json!(true))
            .count(),
        1,
        "{x} {y}"
    );

    // One refresh token, presented at both at once: one rotation, and the other presentation
    // is reuse, which ends the session.
    let refresh = body["refresh_token"].as_str().unwrap();
    let (x, y) = tokio::join!(
        refresh_at(http, &a, app, refresh),
        refresh_at(http, &b.base, app, refresh)
    );
    let mut statuses = [x.status(), y.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::UNAUTHORIZED]);
    let res = current_session_at(http, &a, app, body["access_token"].as_str().unwrap()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// Starts three servers at the same moment on `db`, each with its own log; panics if one fails.
async fn start_three_together(db: &TestDb, env: &[(String, String)], round: usize) -> [Proc; 3] {
    let log = |i: usize| db.data_dir.join(format!("server-{round}-{i}.log"));
    let (l0, l1, l2) = (log(0), log(1), log(2));
    let (p0, p1, p2) = tokio::join!(
        Proc::start(&["serve"], &db.data_dir, env, &l0),
        Proc::start(&["serve"], &db.data_dir, env, &l1),
        Proc::start(&["serve"], &db.data_dir, env, &l2)
    );
    [p0, p1, p2]
}

/// Replicas of a deployment start at once; on a fresh database each runs the migrations at
/// start-up. None may fail because another got there first.
#[tokio::test]
async fn instances_started_together_on_a_fresh_database_all_come_up() {
    for round in 0..5 {
        let db = TestDb::new().await;
        let env = with(
            with(base_env(&db), "LATCHKEY_ADMIN_KEY", ADMIN_KEY),
            "LATCHKEY_MASTER_KEY",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        );
        let servers = start_three_together(&db, &env, round).await;
        let http = client();
        for s in &servers {
            let res = http.get(format!("{}/ready", s.base)).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
        }
        create_app_at(&http, &servers[0].base, ADMIN_KEY, "acme").await;
        let (res, _) = sign_up_at(&http, &servers[1].base, "acme", ORIGIN, "ann@example.com").await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
}

// ---------------------------------------------------------------------------------------------
// SIGTERM.
// ---------------------------------------------------------------------------------------------

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
    let mut t = TestApp::spawn().await;
    let options = t
        .register_options(json!({"email": "ann@example.com"}))
        .await;
    let (response, _credential) =
        latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN)).unwrap();
    let body = serde_json::to_vec(&response).unwrap();
    let addr = t.server.base.strip_prefix("http://").unwrap().to_owned();

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

    let (status, finished) = tokio::join!(t.server.terminate(), async {
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
    assert!(t.http.get(t.url("/health")).send().await.is_err());
    assert_eq!(
        t.db.count("users").await,
        1,
        "the in-flight sign-up was committed"
    );
}

// ---------------------------------------------------------------------------------------------
// CORS and CSRF.
// ---------------------------------------------------------------------------------------------

async fn preflight(t: &TestApp, path: &str, origin: &str) -> Response {
    t.http
        .request(Method::OPTIONS, t.url(path))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap()
}

fn header(res: &Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn cors_answers_exactly_the_apps_origins_on_the_browser_api() {
    let t = TestApp::spawn().await;
    let res = preflight(&t, "/apps/acme/passkeys/authenticate/options", ORIGIN).await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(
        header(&res, "access-control-allow-origin").as_deref(),
        Some(ORIGIN)
    );
    assert_eq!(
        header(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    let methods = header(&res, "access-control-allow-methods").unwrap_or_default();
    assert!(methods.contains("POST"), "{methods}");
    let headers = header(&res, "access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(headers.contains("content-type"), "{headers}");

    // Another origin, another app's origin list, the server API, an unknown app: no CORS.
    let res = preflight(
        &t,
        "/apps/acme/passkeys/authenticate/options",
        "https://evil.example",
    )
    .await;
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    let res = preflight(&t, "/apps/acme/users", ORIGIN).await;
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    let res = preflight(&t, "/apps/acme/tokens/verify", ORIGIN).await;
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    let res = preflight(&t, "/admin/apps", ORIGIN).await;
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    let res = preflight(&t, "/apps/nope/passkeys/authenticate/options", ORIGIN).await;
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    t.create_app(
        "other",
        json!({"rp_id": "other.example", "origins": ["https://other.example"]}),
    )
    .await;
    let res = preflight(&t, "/apps/other/passkeys/authenticate/options", ORIGIN).await;
    assert_eq!(header(&res, "access-control-allow-origin"), None);
    let res = preflight(
        &t,
        "/apps/other/passkeys/authenticate/options",
        "https://other.example",
    )
    .await;
    assert_eq!(
        header(&res, "access-control-allow-origin").as_deref(),
        Some("https://other.example")
    );

    // A simple request from the app's origin gets its origin back; a foreign one does not.
    let res = t.browser(Method::GET, "/config").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header(&res, "access-control-allow-origin").as_deref(),
        Some(ORIGIN)
    );
    assert_eq!(
        header(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    let res = t
        .http
        .get(t.url("/apps/acme/config"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn cookie_authenticated_changes_need_the_apps_origin() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let cookie = signed.cookie.clone();
    let current = || {
        t.http
            .get(t.url("/apps/acme/sessions/current"))
            .header("cookie", &cookie)
    };

    // Reading with the cookie needs no Origin.
    let res = current().send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<Value>().await.unwrap()["session"]["id"],
        signed.body["session"]["id"]
    );

    // Changing needs one of the app's origins.
    let sign_out = || {
        t.http
            .delete(t.url("/apps/acme/sessions/current"))
            .header("cookie", &cookie)
    };
    let res = sign_out().send().await.unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    let res = sign_out()
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    let res = sign_out().header("origin", "null").send().await.unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    let res = t
        .http
        .post(t.url("/apps/acme/sessions/refresh"))
        .header("cookie", &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    // None of that touched the session.
    assert_eq!(current().send().await.unwrap().status(), StatusCode::OK);

    // From the app's origin: signed out, and the cookie is cleared.
    let res = sign_out().header("origin", ORIGIN).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let cleared = session_set_cookie(&res).expect("the cookie is cleared");
    assert!(cleared.starts_with("latchkey_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert!(cleared.contains("Path=/apps/acme"), "{cleared}");
    let res = current().send().await.unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.verify_token(signed.access_token()).await["valid"], false);
}

// ---------------------------------------------------------------------------------------------
// The CLI.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn cli_creates_apps_and_keys_that_a_server_accepts() {
    let db = TestDb::new().await;
    let out = cli(&db, &["migrate"]).await;
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(db.count("apps").await, 0);

    let create = [
        "apps",
        "create",
        "--id",
        "cli-app",
        "--name",
        "CLI",
        "--rp-id",
        "example.com",
        "--origin",
        "https://example.com",
        "--redirect-uri",
        "https://example.com/cb",
    ];
    let out = cli(&db, &create).await;
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = cli(&db, &create).await;
    assert!(
        !out.status.success(),
        "a second app with the same id is refused"
    );
    assert!(
        stderr_of(&out).contains("already exists"),
        "{}",
        stderr_of(&out)
    );

    let out = cli(&db, &["apps", "list"]).await;
    assert!(out.status.success(), "{}", stderr_of(&out));
    let listed = stdout_of(&out);
    assert_eq!(
        listed.lines().filter(|l| l.starts_with("cli-app")).count(),
        1,
        "{listed}"
    );
    assert_eq!(listed.lines().count(), 1, "{listed}");

    let out = cli(&db, &["api-keys", "create", "--app", "cli-app"]).await;
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the secret alone: {stdout:?}");
    let api_key = lines[0].to_owned();
    assert!(api_key.starts_with("lk_sk_"), "{api_key}");

    let out = cli(&db, &["admin-key", "create"]).await;
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the secret alone: {stdout:?}");
    let admin_key = lines[0].to_owned();
    assert!(admin_key.starts_with("lk_admin_"), "{admin_key}");

    // Refusals: non-zero, a reason on stderr, nothing on stdout, nothing stored.
    let out = cli(
        &db,
        &[
            "apps",
            "create",
            "--id",
            "A!",
            "--name",
            "Bad",
            "--rp-id",
            "example.com",
            "--origin",
            "https://example.com",
        ],
    )
    .await;
    assert!(!out.status.success());
    assert!(stdout_of(&out).is_empty(), "{}", stdout_of(&out));
    assert!(stderr_of(&out).contains("id must"), "{}", stderr_of(&out));
    let out = cli(&db, &["api-keys", "create", "--app", "missing"]).await;
    assert!(!out.status.success());
    assert!(
        stdout_of(&out).is_empty(),
        "no secret for a missing app: {}",
        stdout_of(&out)
    );
    assert!(stderr_of(&out).contains("missing"), "{}", stderr_of(&out));
    assert_eq!(db.count("apps").await, 1);

    // A server with no LATCHKEY_ADMIN_KEY accepts the CLI's keys (and not the suite's key).
    let env = with(base_env(&db), "LATCHKEY_PUBLIC_URL", PUBLIC_URL);
    let server = Proc::start(
        &["serve"],
        &db.data_dir,
        &env,
        &db.data_dir.join("server.log"),
    )
    .await;
    let http = client();
    let res = http
        .get(format!("{}/admin/apps", server.base))
        .bearer_auth(&admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let apps: Value = res.json().await.unwrap();
    let app = &apps["items"][0];
    assert_eq!(app["id"], "cli-app");
    assert_eq!(app["rp_id"], "example.com");
    assert_eq!(app["origins"], json!(["https://example.com"]));
    assert_eq!(app["redirect_uris"], json!(["https://example.com/cb"]));
    let res = http
        .get(format!("{}/admin/apps", server.base))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = http
        .get(format!("{}/apps/cli-app/users", server.base))
        .bearer_auth(&api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["items"], json!([]));
    let res = http
        .get(format!("{}/admin/apps", server.base))
        .bearer_auth(&api_key)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

// ---------------------------------------------------------------------------------------------
// The configuration contract.
// ---------------------------------------------------------------------------------------------

/// Starts a server in `cwd` with `env`, creates app `acme`, signs someone up, and returns the
/// `Set-Cookie` of the session cookie and the access token's `iss`.
async fn issuer_and_cookie(
    db: &TestDb,
    cwd: &Path,
    env: &[(String, String)],
    email: &str,
) -> (String, String) {
    let mut server = Proc::start(&["serve"], cwd, env, &db.data_dir.join("server.log")).await;
    let http = client();
    let exists = http
        .get(format!("{}/admin/apps/acme", server.base))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap();
    if exists.status() == StatusCode::NOT_FOUND {
        create_app_at(&http, &server.base, ADMIN_KEY, "acme").await;
    }
    let (res, _) = sign_up_at(&http, &server.base, "acme", ORIGIN, email).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let cookie = session_set_cookie(&res).expect("session cookie");
    let body: Value = res.json().await.unwrap();
    let iss = jwt(body["access_token"].as_str().unwrap()).1["iss"]
        .as_str()
        .unwrap()
        .to_owned();
    server.kill().await;
    (cookie, iss)
}

#[tokio::test]
async fn latchkey_toml_sets_the_public_url_and_the_environment_wins() {
    let db = TestDb::new().await;
    let cwd = db.data_dir.join("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::write(
        cwd.join("latchkey.toml"),
        "public_url = \"https://auth.example.test\"\n",
    )
    .unwrap();
    let env = with(base_env(&db), "LATCHKEY_ADMIN_KEY", ADMIN_KEY);

    let (cookie, iss) = issuer_and_cookie(&db, &cwd, &env, "ann@example.com").await;
    assert_eq!(iss, "https://auth.example.test/apps/acme");
    assert!(
        cookie.contains("; Secure"),
        "https public URL: Secure cookie: {cookie}"
    );

    let env = with(env, "LATCHKEY_PUBLIC_URL", "http://localhost:9090");
    let (cookie, iss) = issuer_and_cookie(&db, &cwd, &env, "bob@example.com").await;
    assert_eq!(iss, "http://localhost:9090/apps/acme");
    assert!(
        !cookie.contains("Secure"),
        "http public URL: no Secure: {cookie}"
    );
}

#[tokio::test]
async fn config_flag_names_the_file_and_a_missing_one_stops_the_start() {
    let db = TestDb::new().await;
    let file = db.data_dir.join("elsewhere.toml");
    std::fs::write(&file, "public_url = \"https://flag.example.test/\"\n").unwrap();
    let env = with(base_env(&db), "LATCHKEY_ADMIN_KEY", ADMIN_KEY);
    let mut server = Proc::start(
        &["serve", "--config", file.to_str().unwrap()],
        &db.data_dir,
        &env,
        &db.data_dir.join("server.log"),
    )
    .await;
    let http = client();
    create_app_at(&http, &server.base, ADMIN_KEY, "acme").await;
    let (res, _) = sign_up_at(&http, &server.base, "acme", ORIGIN, "ann@example.com").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    // The trailing slash of the configured URL does not double up in the issuer.
    assert_eq!(
        jwt(body["access_token"].as_str().unwrap()).1["iss"],
        "https://flag.example.test/apps/acme"
    );
    server.kill().await;

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_latchkey"));
    cmd.args(["serve", "--config", "/nonexistent/latchkey.toml"])
        .env_clear()
        .current_dir(&db.data_dir)
        .kill_on_drop(true);
    for (k, v) in &env {
        cmd.env(k, v);
    }
    let out = tokio::time::timeout(Duration::from_secs(30), cmd.output())
        .await
        .unwrap()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("/nonexistent/latchkey.toml"),
        "{}",
        stderr_of(&out)
    );
}

/// The contract reads `latchkey.toml` from the working directory, not from its parents: a file
/// somewhere up the tree (another deployment's, a home directory's) must not configure this one.
#[tokio::test]
async fn latchkey_toml_in_a_parent_directory_is_not_read() {
    let db = TestDb::new().await;
    let parent = db.data_dir.join("parent");
    let cwd = parent.join("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::write(
        parent.join("latchkey.toml"),
        "public_url = \"https://parent.example.test\"\n",
    )
    .unwrap();
    let env = with(base_env(&db), "LATCHKEY_ADMIN_KEY", ADMIN_KEY);
    let (cookie, iss) = issuer_and_cookie(&db, &cwd, &env, "ann@example.com").await;
    assert_eq!(
        iss, "http://localhost:8080/apps/acme",
        "the default public URL"
    );
    assert!(!cookie.contains("Secure"), "{cookie}");
}

/// Environment variables are strings: an admin key that happens to be all digits is still an
/// admin key, not a number the configuration refuses.
#[tokio::test]
async fn environment_values_are_strings_even_when_they_look_like_numbers() {
    let db = TestDb::new().await;
    let digits = "20240101123456789";
    let env = with(base_env(&db), "LATCHKEY_ADMIN_KEY", digits);
    let server = Proc::start(
        &["serve"],
        &db.data_dir,
        &env,
        &db.data_dir.join("server.log"),
    )
    .await;
    let res = client()
        .get(format!("{}/admin/apps", server.base))
        .bearer_auth(digits)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn serve_dev_creates_the_demo_app_and_keeps_its_master_key() {
    use std::os::unix::fs::PermissionsExt;

    let db = TestDb::new().await;
    // An empty data dir that does not exist yet; on SQLite the database is the default file
    // inside it.
    let data_dir = db.data_dir.join("fresh");
    let mut env = with(
        base_env(&db),
        "LATCHKEY_DATA_DIR",
        data_dir.to_str().unwrap(),
    );
    if !db.is_postgres() {
        env = without(env, "LATCHKEY_DATABASE_URL");
    }
    let env = with(env, "LATCHKEY_ADMIN_KEY", ADMIN_KEY);
    let log = db.data_dir.join("server.log");
    let origin = "http://localhost:8080";

    let mut server = Proc::start(&["serve", "--dev"], &db.data_dir, &env, &log).await;
    let line = server.next_stdout_line().await;
    assert!(line.starts_with("demo app"), "{line}");
    let http = client();
    let res = http
        .get(format!("{}/apps/demo/config", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let config: Value = res.json().await.unwrap();
    assert_eq!(config["app_id"], "demo");
    assert_eq!(config["rp_id"], "localhost");
    let res = http
        .get(format!("{}/admin/apps/demo", server.base))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap()["origins"],
        json!([origin])
    );
    if !db.is_postgres() {
        assert!(
            data_dir.join("latchkey.db").exists(),
            "the default SQLite file"
        );
    }
    let master_key = data_dir.join("master.key");
    let mode = std::fs::metadata(&master_key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let key_text = std::fs::read(&master_key).unwrap();

    // Someone signs up on the demo app from its origin.
    let api_key = api_key_at(&http, &server.base, ADMIN_KEY, "demo").await;
    let (res, mut credential) =
        sign_up_at(&http, &server.base, "demo", origin, "ann@example.com").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    let access = body["access_token"].as_str().unwrap().to_owned();
    server.kill().await;

    // A second start reuses the master key and the demo app; what the first start issued holds.
    let mut server = Proc::start(&["serve", "--dev"], &db.data_dir, &env, &log).await;
    assert!(server.next_stdout_line().await.starts_with("demo app"));
    assert_eq!(
        std::fs::read(&master_key).unwrap(),
        key_text,
        "the master key file is unchanged"
    );
    let verified = verify_token_at(&http, &server.base, "demo", &api_key, &access).await;
    assert_eq!(verified["valid"], true, "{verified}");
    let res = current_session_at(&http, &server.base, "demo", &access).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Signing a new token needs the private key sealed under the first start's master key.
    let res = sign_in_at(&http, &server.base, "demo", origin, &mut credential).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = http
        .get(format!("{}/admin/apps", server.base))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// API.md: `serve --dev` "prints the URL of its login page" (`/apps/demo/login`).
#[tokio::test]
async fn serve_dev_prints_the_demo_login_page_url() {
    let db = TestDb::new().await;
    let env = without(base_env(&db), "LATCHKEY_PUBLIC_URL");
    let mut server = Proc::start(
        &["serve", "--dev"],
        &db.data_dir,
        &env,
        &db.data_dir.join("server.log"),
    )
    .await;
    let line = server.next_stdout_line().await;
    assert!(
        line.contains("http://localhost:8080/apps/demo/login"),
        "{line}"
    );
}

// ---------------------------------------------------------------------------------------------
// The admin API.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn admin_api_needs_an_admin_key() {
    let t = TestApp::spawn().await;
    let res = t.http.get(t.url("/admin/apps")).send().await.unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    for wrong in ["lk_admin_not-the-key", "nonsense", &t.api_key] {
        let res = t
            .http
            .get(t.url("/admin/apps"))
            .bearer_auth(wrong)
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let res = t
        .http
        .post(t.url("/admin/apps"))
        .bearer_auth("lk_admin_not-the-key")
        .json(&json!({"id": "sneaky", "name": "S", "rp_id": "example.com", "origins": [ORIGIN]}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.db.count("apps").await, 1);
}

#[tokio::test]
async fn admin_creates_apps_and_refuses_bad_ones() {
    let t = TestApp::spawn().await;
    let good = json!({"id": "shop", "name": "Shop", "rp_id": "example.com", "origins": [ORIGIN, "https://shop.example.com"],
        "redirect_uris": ["https://shop.example.com/cb"]});
    let res = t
        .admin(Method::POST, "/admin/apps")
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let app: Value = res.json().await.unwrap();
    assert_eq!(app["id"], "shop");
    assert_eq!(app["rp_name"], "Shop", "rp_name defaults to the name");
    assert_eq!(app["origins"], good["origins"]);
    assert_eq!(app["signing_alg"], "ES256");
    assert_eq!(app["access_token_ttl"], 900);
    assert_eq!(app["sign_up_allowed"], true);

    let res = t
        .admin(Method::GET, "/admin/apps/shop")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap(), app);
    let res = t
        .admin(Method::GET, "/admin/apps/nope")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;

    let res = t
        .admin(Method::POST, "/admin/apps")
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::CONFLICT, "conflict").await;

    let with_field = |k: &str, v: Value| {
        let mut b = good.clone();
        b["id"] = json!("fresh");
        b[k] = v;
        b
    };
    let mut missing_name = with_field("id", json!("fresh"));
    missing_name.as_object_mut().unwrap().remove("name");
    let bad = [
        with_field("id", json!("A!")),
        with_field("id", json!("a")),
        with_field("origins", json!(["https://elsewhere.test"])),
        with_field("origins", json!(["http://example.com"])),
        with_field("origins", json!(["https://example.com/path"])),
        with_field("origins", json!([])),
        with_field("origins", json!("https://example.com")),
        with_field("rp_id", json!("Example.COM")),
        with_field("redirect_uris", json!(["not a url"])),
        with_field("access_token_ttl", json!(59)),
        with_field("access_token_ttl", json!(86_401)),
        with_field("refresh_token_ttl", json!(299)),
        with_field("user_verification", json!("sometimes")),
        with_field("signing_alg", json!("HS256")),
        with_field("colour", json!("red")),
        missing_name,
    ];
    for body in bad {
        let res = t
            .admin(Method::POST, "/admin/apps")
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
        assert!(
            problem["detail"].as_str().is_some_and(|d| d.len() > 10),
            "{body} → {problem}"
        );
    }
    let res = t
        .admin(Method::POST, "/admin/apps")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert_eq!(t.db.count("apps").await, 2, "only acme and shop exist");

    // http is fine for localhost.
    let local = json!({"id": "local", "name": "Local", "rp_id": "localhost", "origins": ["http://localhost:3000"]});
    let res = t
        .admin(Method::POST, "/admin/apps")
        .json(&local)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn admin_lists_apps_a_page_at_a_time() {
    let t = TestApp::spawn().await;
    for id in ["beta", "gamma", "delta"] {
        t.create_app(id, json!({})).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/admin/apps?limit=1&cursor={c}"),
            None => "/admin/apps?limit=1".to_owned(),
        };
        let res = t.admin(Method::GET, &path).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let page: Value = res.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{page}");
        seen.push(items[0]["id"].as_str().unwrap().to_owned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(seen.len() <= 4, "pagination ends: {seen:?}");
    }
    let expected = ["acme", "beta", "delta", "gamma"];
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "every app once");
    let all: Value = t
        .admin(Method::GET, "/admin/apps")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 4);
    assert_eq!(all["next_cursor"], Value::Null);
    for bad in ["0", "201", "x"] {
        let res = t
            .admin(Method::GET, &format!("/admin/apps?limit={bad}"))
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
}

#[tokio::test]
async fn patching_the_signing_algorithm_rotates_the_key_and_keeps_old_tokens_valid() {
    let t = TestApp::spawn().await;
    let mut signed = t.sign_up("ann@example.com").await;
    let old = signed.access_token().to_owned();
    let (old_header, _) = jwt(&old);
    assert_eq!(old_header["alg"], "ES256");
    let old_kid = old_header["kid"].as_str().unwrap().to_owned();

    let res = t
        .admin(Method::PATCH, "/admin/apps/acme")
        .json(&json!({"signing_alg": "EdDSA", "name": "Acme Inc"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let app: Value = res.json().await.unwrap();
    assert_eq!(app["signing_alg"], "EdDSA");
    assert_eq!(app["name"], "Acme Inc");
    assert_eq!(app["rp_id"], "example.com", "unpatched fields stay");
    let config: Value = t
        .browser(Method::GET, "/config")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["name"], "Acme Inc");

    // A bad patch is refused whole.
    let res = t
        .admin(Method::PATCH, "/admin/apps/acme")
        .json(&json!({"name": "Renamed", "origins": ["https://elsewhere.test"]}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let res = t
        .admin(Method::PATCH, "/admin/apps/acme")
        .json(&json!({"id": "other"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let res = t
        .admin(Method::PATCH, "/admin/apps/nope")
        .json(&json!({"name": "X"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let app: Value = t
        .admin(Method::GET, "/admin/apps/acme")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(app["name"], "Acme Inc");

    // New tokens: EdDSA, a new kid.
    let res = t.sign_in(&mut signed.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let new = body["access_token"].as_str().unwrap();
    let (new_header, _) = jwt(new);
    assert_eq!(new_header["alg"], "EdDSA");
    let new_kid = new_header["kid"].as_str().unwrap();
    assert_ne!(new_kid, old_kid);

    // The JWKS publishes both; both tokens verify.
    let jwks: Value = t
        .http
        .get(t.url("/apps/acme/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    let old_jwk = keys
        .iter()
        .find(|k| k["kid"] == old_kid.as_str())
        .expect("old key still published");
    assert_eq!(old_jwk["kty"], "EC");
    assert_eq!(old_jwk["alg"], "ES256");
    let new_jwk = keys
        .iter()
        .find(|k| k["kid"] == new_kid)
        .expect("new key published");
    assert_eq!(new_jwk["kty"], "OKP");
    assert_eq!(new_jwk["crv"], "Ed25519");
    assert_eq!(t.verify_token(&old).await["valid"], true);
    assert_eq!(t.verify_token(new).await["valid"], true);
    let res = t
        .browser(Method::GET, "/sessions/current")
        .bearer_auth(&old)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_rs256_app_issues_rs256_tokens() {
    let t = TestApp::spawn().await;
    let (_, key) = t.create_app("rsa", json!({"signing_alg": "RS256"})).await;
    let (res, _) = sign_up_at(&t.http, &t.server.base, "rsa", ORIGIN, "ann@example.com").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    let token = body["access_token"].as_str().unwrap();
    let (header, claims) = jwt(token);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(claims["aud"], "rsa");
    let jwks: Value = t
        .http
        .get(t.url("/apps/rsa/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
    assert_eq!(jwks["keys"][0]["kid"], header["kid"]);
    let verified = verify_token_at(&t.http, &t.server.base, "rsa", &key, token).await;
    assert_eq!(verified["valid"], true, "{verified}");
    assert_eq!(verified["user"]["email"], "ann@example.com");
    // Not at another app.
    assert_eq!(t.verify_token(token).await["valid"], false);
}

#[tokio::test]
async fn api_keys_are_listed_without_secrets_and_revoked_keys_stop_working() {
    let t = TestApp::spawn().await;
    let res = t
        .admin(Method::POST, "/admin/apps/acme/api-keys")
        .json(&json!({"name": "ci"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("lk_sk_"));
    let res = t
        .http
        .get(t.url("/apps/acme/users"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let res = t
        .admin(Method::GET, "/admin/apps/acme/api-keys")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(
        !text.contains(&secret) && !text.contains(&t.api_key),
        "no secret in the list: {text}"
    );
    let list: Value = serde_json::from_str(&text).unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|k| k.get("secret").is_none()), "{list}");
    let ci = items.iter().find(|k| k["id"] == id.as_str()).unwrap();
    assert_eq!(ci["name"], "ci");
    assert!(secret.starts_with(ci["prefix"].as_str().unwrap()));

    // Another app cannot revoke it; its own app can, once.
    t.create_app("other", json!({})).await;
    let res = t
        .admin(Method::DELETE, &format!("/admin/apps/other/api-keys/{id}"))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t
        .admin(Method::DELETE, &format!("/admin/apps/acme/api-keys/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = t
        .admin(Method::DELETE, &format!("/admin/apps/acme/api-keys/{id}"))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t
        .http
        .get(t.url("/apps/acme/users"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // The other key is untouched.
    let res = t.api(Method::GET, "/users").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let list: Value = t
        .admin(Method::GET, "/admin/apps/acme/api-keys")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ci = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id.as_str())
        .cloned();
    assert!(
        ci.is_none_or(|k| k["revoked_at"].is_string()),
        "revoked shows as revoked"
    );
    let res = t
        .admin(Method::GET, "/admin/apps/nope/api-keys")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn deleting_an_app_removes_it_and_everything_in_it() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let res = t
        .admin(Method::DELETE, "/admin/apps/acme")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = t.browser(Method::GET, "/config").send().await.unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t
        .admin(Method::GET, "/admin/apps/acme")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t
        .admin(Method::DELETE, "/admin/apps/acme")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    for table in ["users", "passkeys", "sessions", "api_keys", "signing_keys"] {
        assert_eq!(t.db.count(table).await, 0, "{table} emptied");
    }

    // An app made again with the same id starts empty: the old key, cookie and token are dead.
    t.create_app("acme", json!({})).await;
    let res = t.api(Method::GET, "/users").send().await.unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .http
        .get(t.url("/apps/acme/sessions/current"))
        .header("cookie", &signed.cookie)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .browser(Method::GET, "/sessions/current")
        .bearer_auth(signed.access_token())
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
