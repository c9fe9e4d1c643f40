//! The harness: a real `latchkey serve` process per test on a fresh SQLite file, an app with an
//! API key, and sign-ups through the software authenticator, the way a browser would do them.
//!
//! The server binary is built once per test run with `cargo build -p latchkey` (this crate cannot
//! depend on another package's binary) into the same target directory as this test.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use latchkey_authenticator::CreateOptions;
use latchkey_client::Client;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The web origin of the test apps.
pub const ORIGIN: &str = "https://example.com";
/// The admin key every test server accepts.
pub const ADMIN_KEY: &str = "lk_admin_client-tests-only-admin-key";
/// The public URL the servers are configured with (so the issuer is known before the port is).
pub const PUBLIC_URL: &str = "http://localhost:8080";

/// `target/<profile>/latchkey`, built on first use.
fn server_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // This test runs from `target/<profile>/deps/`.
        let exe = std::env::current_exe().expect("test executable path");
        let profile_dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("target/<profile>")
            .to_owned();
        let target_dir = profile_dir.parent().expect("target dir").to_owned();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut cmd = std::process::Command::new(cargo);
        cmd.args(["build", "--quiet", "-p", "latchkey", "--bin", "latchkey"])
            .arg("--target-dir")
            .arg(&target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let binary = profile_dir.join(format!("latchkey{}", std::env::consts::EXE_SUFFIX));
        let out = cmd.output().expect("run cargo build -p latchkey");
        assert!(
            out.status.success() || binary.exists(),
            "cargo build -p latchkey failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if !out.status.success() {
            eprintln!(
                "warning: cargo build -p latchkey failed; testing the existing {}",
                binary.display()
            );
        }
        binary
    })
}

/// A running server with a data directory of its own, removed on drop.
pub struct TestServer {
    _child: Child,
    data_dir: PathBuf,
    /// Where it listens: `http://127.0.0.1:PORT`.
    pub base: String,
    pub http: reqwest::Client,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

impl TestServer {
    pub async fn start() -> Self {
        let binary = server_binary().clone();
        let id = uuid::Uuid::new_v4().simple().to_string();
        let data_dir = std::env::temp_dir().join(format!("latchkey-client-test-{id}"));
        std::fs::create_dir_all(&data_dir).expect("temp dir");
        let log = std::fs::File::create(data_dir.join("server.log")).expect("log file");
        let mut child = Command::new(binary)
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("LATCHKEY_LISTEN", "127.0.0.1:0")
            .env("LATCHKEY_PUBLIC_URL", PUBLIC_URL)
            .env("LATCHKEY_DATA_DIR", &data_dir)
            .env("LATCHKEY_ADMIN_KEY", ADMIN_KEY)
            .env("RUST_LOG", "info,sqlx=warn")
            .current_dir(&data_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .kill_on_drop(true)
            .spawn()
            .expect("start latchkey");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("latchkey did not start within 30 s")
            .expect("read stdout")
            .unwrap_or_else(|| {
                let log = std::fs::read_to_string(data_dir.join("server.log")).unwrap_or_default();
                panic!("latchkey exited at start:\n{log}")
            });
        let base = line
            .strip_prefix("latchkey listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self {
            _child: child,
            data_dir,
            base,
            http: reqwest::Client::new(),
        }
    }

    /// An admin-API request.
    pub async fn admin(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let res = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(ADMIN_KEY)
            .json(&body)
            .send()
            .await
            .expect("admin request");
        let status = res.status();
        let body = res.text().await.expect("admin body");
        assert!(status.is_success(), "{path}: {status} {body}");
        serde_json::from_str(&body).expect("admin json")
    }

    /// Creates app `id` (settings merged over the defaults) and an API key for it.
    pub async fn create_app(&self, id: &str, settings: Value) -> String {
        let mut body = json!({"id": id, "name": format!("App {id}"), "rp_id": "example.com",
            "origins": [ORIGIN]});
        if let (Some(b), Some(s)) = (body.as_object_mut(), settings.as_object()) {
            b.extend(s.clone());
        }
        self.admin(reqwest::Method::POST, "/admin/apps", body).await;
        let key = self
            .admin(
                reqwest::Method::POST,
                &format!("/admin/apps/{id}/api-keys"),
                json!({"name": "client tests"}),
            )
            .await;
        key["secret"].as_str().expect("secret").to_owned()
    }

    /// Changes an app's settings.
    pub async fn patch_app(&self, id: &str, patch: Value) {
        self.admin(reqwest::Method::PATCH, &format!("/admin/apps/{id}"), patch)
            .await;
    }

    /// Signs `email` up to `app` with a new passkey; returns the sign-in result.
    pub async fn sign_up(&self, app: &str, email: &str) -> SignIn {
        let options = self
            .browser(app, "/passkeys/register/options", &json!({"email": email}))
            .await;
        let (response, _credential) =
            latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN))
                .expect("authenticator create");
        SignIn(
            self.browser(app, "/passkeys/register/verify", &response)
                .await,
        )
    }

    async fn browser(&self, app: &str, path: &str, body: &Value) -> Value {
        let res = self
            .http
            .post(format!("{}/apps/{app}{path}", self.base))
            .header("origin", ORIGIN)
            .json(body)
            .send()
            .await
            .expect("browser request");
        let status = res.status();
        let body = res.text().await.expect("body");
        assert!(status.is_success(), "{path}: {status} {body}");
        serde_json::from_str(&body).expect("json")
    }
}

/// A sign-in result (API.md "Sign-in result").
pub struct SignIn(pub Value);

impl SignIn {
    pub fn access_token(&self) -> &str {
        self.0["access_token"].as_str().expect("access_token")
    }
    pub fn auth_token(&self) -> &str {
        self.0["auth_token"].as_str().expect("auth_token")
    }
    pub fn user_id(&self) -> &str {
        self.0["user"]["id"].as_str().expect("user id")
    }
    pub fn session_id(&self) -> &str {
        self.0["session"]["id"].as_str().expect("session id")
    }
}

/// A server with app `acme`, and a client for it that knows the server's public URL.
pub struct TestApp {
    pub server: TestServer,
    pub client: Client,
    pub api_key: String,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(json!({})).await
    }

    pub async fn spawn_with(settings: Value) -> Self {
        let server = TestServer::start().await;
        let api_key = server.create_app("acme", settings).await;
        let client = client_for(&server, "acme", &api_key);
        Self {
            server,
            client,
            api_key,
        }
    }

    pub async fn sign_up(&self, email: &str) -> SignIn {
        self.server.sign_up("acme", email).await
    }
}

/// A client for `app` on `server`.
pub fn client_for(server: &TestServer, app: &str, api_key: &str) -> Client {
    Client::builder(&server.base, app, api_key)
        .public_url(PUBLIC_URL)
        .build()
        .expect("client")
}

/// The reason a token was refused, or a panic if it was not.
pub fn token_error(
    r: latchkey_client::Result<latchkey_client::Claims>,
) -> latchkey_client::TokenError {
    match r {
        Err(latchkey_client::Error::InvalidToken(why)) => why,
        other => panic!("expected a refused token, got {other:?}"),
    }
}
