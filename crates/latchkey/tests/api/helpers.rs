//! The test harness: a real `latchkey` process per test, on a fresh SQLite file or a fresh
//! PostgreSQL database (when `LATCHKEY_TEST_DATABASE_URL` is set), and a client with one method
//! per thing a test does.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use latchkey_authenticator::{CreateOptions, Credential, GetOptions};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use sqlx::{Connection, Row};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The web origin of the test app.
pub const ORIGIN: &str = "https://example.com";
/// The admin key every test server accepts (`LATCHKEY_ADMIN_KEY`).
pub const ADMIN_KEY: &str = "lk_admin_test-only-admin-key-for-the-suite";
/// The public URL the servers are configured with.
pub const PUBLIC_URL: &str = "http://localhost:8080";

/// A database for one test: a SQLite file in a temporary directory, or a fresh PostgreSQL
/// database, dropped at the end.
pub struct TestDb {
    pub url: String,
    pub data_dir: PathBuf,
    pg_admin_url: Option<(String, String)>,
}

impl TestDb {
    pub async fn new() -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let data_dir = std::env::temp_dir().join(format!("latchkey-test-{id}"));
        std::fs::create_dir_all(&data_dir).expect("temp dir");
        match std::env::var("LATCHKEY_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(base) => {
                let name = format!("latchkey_test_{id}");
                let mut conn = sqlx::PgConnection::connect(&base)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("LATCHKEY_TEST_DATABASE_URL={base} is not reachable: {e}")
                    });
                sqlx::query(&format!("create database {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                let mut url = url::Url::parse(&base).expect("LATCHKEY_TEST_DATABASE_URL is a URL");
                url.set_path(&name);
                Self {
                    url: url.to_string(),
                    data_dir,
                    pg_admin_url: Some((base, name)),
                }
            }
            None => Self {
                url: format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.join("latchkey.db").display()
                ),
                data_dir,
                pg_admin_url: None,
            },
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg_admin_url.is_some()
    }

    /// A direct connection, for checking what the server stored.
    pub async fn connect(&self) -> sqlx::AnyConnection {
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("connect to test database")
    }

    /// Rows in `table`.
    pub async fn count(&self, table: &str) -> i64 {
        let mut conn = self.connect().await;
        sqlx::query(&format!("select count(*) as n from {table}"))
            .fetch_one(&mut conn)
            .await
            .expect("count")
            .try_get::<i64, _>("n")
            .expect("count column")
    }

    /// Row counts of every table that holds user state, to show a refused request changed nothing.
    pub async fn snapshot(&self) -> Vec<(String, i64)> {
        let mut out = Vec::new();
        for table in [
            "users",
            "passkeys",
            "sessions",
            "refresh_tokens",
            "auth_tokens",
            "ceremonies",
            "api_keys",
            "apps",
        ] {
            out.push((table.to_owned(), self.count(table).await));
        }
        out
    }

    /// Runs a statement (used to age rows instead of sleeping).
    pub async fn execute(&self, sql: &str) {
        let mut conn = self.connect().await;
        sqlx::query(sql).execute(&mut conn).await.expect("execute");
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some((base, name)) = self.pg_admin_url.take() {
            // Drop runs outside any runtime we may block: use a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&base).await {
                        let _ =
                            sqlx::query(&format!("drop database if exists {name} with (force)"))
                                .execute(&mut conn)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// A running `latchkey serve` process.
pub struct TestServer {
    child: Child,
    pub base: String,
}

impl TestServer {
    pub async fn start(db: &TestDb) -> Self {
        Self::start_with(db, &[]).await
    }

    pub async fn start_with(db: &TestDb, env: &[(&str, &str)]) -> Self {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(db.data_dir.join("server.log"))
            .expect("log file");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_latchkey"));
        cmd.arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("LATCHKEY_LISTEN", "127.0.0.1:0")
            .env("LATCHKEY_PUBLIC_URL", PUBLIC_URL)
            .env("LATCHKEY_DATA_DIR", &db.data_dir)
            .env("LATCHKEY_DATABASE_URL", &db.url)
            .env("LATCHKEY_ADMIN_KEY", ADMIN_KEY)
            .env("RUST_LOG", "info,sqlx=warn")
            .current_dir(&db.data_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .kill_on_drop(true);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start latchkey");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "latchkey did not start; see {}",
                    db.data_dir.join("server.log").display()
                )
            })
            .expect("read stdout")
            .unwrap_or_else(|| {
                let log =
                    std::fs::read_to_string(db.data_dir.join("server.log")).unwrap_or_default();
                panic!("latchkey exited at start:\n{log}")
            });
        let base = line
            .strip_prefix("latchkey listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self { child, base }
    }

    /// Ends the process with SIGKILL: nothing gets a chance to flush.
    pub async fn kill(&mut self) {
        let _ = self.child.kill().await;
    }

    /// Sends SIGTERM and waits for the exit status.
    pub async fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().expect("running");
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(pid.to_string())
            .status();
        tokio::time::timeout(Duration::from_secs(20), self.child.wait())
            .await
            .expect("exits after SIGTERM")
            .expect("wait")
    }
}

/// A test app on a test server, with its API key.
pub struct TestApp {
    pub db: TestDb,
    pub server: TestServer,
    pub http: reqwest::Client,
    pub app: String,
    pub api_key: String,
}

impl TestApp {
    /// A fresh server with one app `acme` (rp_id example.com, origin https://example.com).
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    /// The same, with extra environment for the server (e.g. `LATCHKEY_SMTP_URL`).
    pub async fn spawn_with(env: &[(&str, &str)]) -> Self {
        let db = TestDb::new().await;
        let server = TestServer::start_with(&db, env).await;
        let mut t = Self {
            db,
            server,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            app: String::new(),
            api_key: String::new(),
        };
        let (app, key) = t.create_app("acme", json!({})).await;
        t.app = app;
        t.api_key = key;
        t
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    /// Creates an app (settings merged over the defaults) and an API key for it.
    pub async fn create_app(&self, id: &str, settings: Value) -> (String, String) {
        let mut body = json!({"id": id, "name": format!("App {id}"), "rp_id": "example.com", "origins": [ORIGIN],
            "redirect_uris": ["https://example.com/callback"]});
        if let (Some(b), Some(s)) = (body.as_object_mut(), settings.as_object()) {
            for (k, v) in s {
                b.insert(k.clone(), v.clone());
            }
        }
        let res = self
            .admin(Method::POST, "/admin/apps")
            .json(&body)
            .send()
            .await
            .expect("create app");
        assert_eq!(
            res.status(),
            StatusCode::CREATED,
            "{}",
            res.text().await.unwrap_or_default()
        );
        let res = self
            .admin(Method::POST, &format!("/admin/apps/{id}/api-keys"))
            .json(&json!({"name": "tests"}))
            .send()
            .await
            .expect("create key");
        assert_eq!(res.status(), StatusCode::CREATED);
        let key: Value = res.json().await.expect("key json");
        (
            id.to_owned(),
            key["secret"].as_str().expect("secret").to_owned(),
        )
    }

    pub fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(ADMIN_KEY)
    }

    /// A server-API request for the test app with its API key.
    pub fn api(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(&format!("/apps/{}{path}", self.app)))
            .bearer_auth(&self.api_key)
    }

    /// A browser-API request for the test app, from its origin.
    pub fn browser(&self, method: Method, path: &str) -> RequestBuilder {
        self.browser_for(&self.app, method, path)
    }

    pub fn browser_for(&self, app: &str, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(&format!("/apps/{app}{path}")))
            .header("origin", ORIGIN)
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.browser(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Registration options for a sign-up.
    pub async fn register_options(&self, body: Value) -> Value {
        let res = self.post("/passkeys/register/options", &body).await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("options")
    }

    /// Signs up `email` with a new ES256 passkey: returns the sign-in result, the credential and
    /// the session cookie.
    pub async fn sign_up(&self, email: &str) -> SignedUp {
        self.sign_up_with(email, CreateOptions::new(ORIGIN)).await
    }

    pub async fn sign_up_with(&self, email: &str, opts: CreateOptions) -> SignedUp {
        let options = self.register_options(json!({"email": email})).await;
        let (response, credential) = latchkey_authenticator::create(&options["publicKey"], &opts)
            .expect("authenticator create");
        let res = self.post("/passkeys/register/verify", &response).await;
        assert_eq!(res.status(), StatusCode::CREATED, "sign-up refused");
        let cookie = session_cookie(&res).expect("session cookie set");
        let body: Value = res.json().await.expect("sign-in result");
        SignedUp {
            body,
            credential,
            cookie,
        }
    }

    /// Authentication options (discoverable without email).
    pub async fn authenticate_options(&self, email: Option<&str>) -> Value {
        let body = email.map_or_else(|| json!({}), |e| json!({"email": e}));
        let res = self.post("/passkeys/authenticate/options", &body).await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("options")
    }

    /// An assertion for fresh options, ready to post.
    pub async fn assertion(&self, credential: &mut Credential, email: Option<&str>) -> Value {
        let options = self.authenticate_options(email).await;
        latchkey_authenticator::get(&options["publicKey"], credential, &GetOptions::new(ORIGIN))
            .expect("authenticator get")
    }

    /// Signs in with the credential; returns the response.
    pub async fn sign_in(&self, credential: &mut Credential, email: Option<&str>) -> Response {
        let assertion = self.assertion(credential, email).await;
        self.post("/passkeys/authenticate/verify", &assertion).await
    }

    /// `POST /tokens/verify`.
    pub async fn verify_token(&self, token: &str) -> Value {
        let res = self
            .api(Method::POST, "/tokens/verify")
            .json(&json!({"token": token}))
            .send()
            .await
            .expect("verify");
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("verify json")
    }

    /// The app's events of one type.
    pub async fn events(&self, kind: &str) -> Vec<Value> {
        let res = self
            .api(Method::GET, &format!("/events?type={kind}&limit=200"))
            .send()
            .await
            .expect("events");
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.expect("events json");
        body["items"].as_array().cloned().unwrap_or_default()
    }
}

/// What a sign-up gave back.
pub struct SignedUp {
    pub body: Value,
    pub credential: Credential,
    pub cookie: String,
}

impl SignedUp {
    pub fn access_token(&self) -> &str {
        self.body["access_token"].as_str().expect("access_token")
    }
    pub fn user_id(&self) -> &str {
        self.body["user"]["id"].as_str().expect("user id")
    }
}

/// The `latchkey_session=…` pair from a response's `Set-Cookie`, ready for a `Cookie` header.
pub fn session_cookie(res: &Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("latchkey_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// Asserts a problem-details response with `status` and `code`; returns its body.
pub async fn assert_problem(res: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status, "unexpected status");
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(ct, "application/problem+json");
    let body: Value = res.json().await.expect("problem json");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status.as_u16());
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    body
}
