//! [`TestApp`]: what a test talks to. One server (in-process, or a process some suite started),
//! the test's database, the server's clock, and an app (`acme`) with an API key; one method per
//! endpoint (in `endpoints.rs`) and the ceremonies a software authenticator walks through.
//!
//! A `TestApp` is a cheap handle: its views ([`TestApp::with_bearer`], [`TestApp::for_app`],
//! [`TestApp::at`], …) share the server, the database and the clock, and differ only in who
//! calls and from where. The server stops and the database is dropped when the last handle goes.

use std::sync::Arc;
use std::time::Duration;

use latchkey::clock::Clock;
use latchkey::config::Config;
use latchkey_authenticator::{CreateOptions, Credential, GetOptions};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

use crate::db::TestDb;
use crate::helpers::{assert_json, session_cookie};
use crate::server::TestServer;

/// The web origin of the test apps (`rp_id` example.com).
pub const ORIGIN: &str = "https://example.com";
/// The admin key every test server accepts (`LATCHKEY_ADMIN_KEY`).
pub const ADMIN_KEY: &str = "lk_admin_test-only-admin-key-for-the-suite";
/// The public URL test servers are configured with: issuers, links in emails and the hosted
/// pages' own origin are on it, whatever port the server really listens on.
pub const PUBLIC_URL: &str = "http://localhost:8080";
/// The redirect URI every app made by [`TestApp::new_app`] allows.
pub const REDIRECT_URI: &str = "https://example.com/callback";

/// A test's server, database, clock and app, and who is calling (see the module docs).
#[derive(Clone)]
pub struct TestApp {
    /// The in-process server, when this harness started it. Declared before `db` so the server
    /// stops before its database is dropped.
    #[expect(
        dead_code,
        reason = "held, not read: the server stops when the last handle drops"
    )]
    server: Option<Arc<TestServer>>,
    /// The test's database.
    pub db: Arc<TestDb>,
    /// The in-process server's clock; `None` for a server in another process.
    clock: Option<Clock>,
    /// A client that follows no redirects (tests look at them).
    pub http: reqwest::Client,
    /// The server's address, `http://127.0.0.1:PORT`.
    pub base: String,
    /// The app browser and server-API calls go to.
    pub app: String,
    /// Its API key, for the server API.
    pub api_key: String,
    /// The key admin calls carry.
    pub admin_key: String,
    /// The `Origin` browser calls carry (the app's own, unless a view changed it).
    origin: Option<String>,
    /// A bearer access token browser calls carry.
    bearer: Option<String>,
    /// Cookies browser calls carry (`name=value` pairs).
    cookies: Vec<String>,
    /// An `X-Forwarded-For` header browser calls carry, as a proxy in front would add it.
    forwarded_for: Option<String>,
    /// The `Host` every call names (an app's own domain), instead of the server's address.
    host: Option<String>,
}

impl TestApp {
    /// A fresh in-process server on a fresh database, with app `acme` (rp_id example.com, origin
    /// https://example.com) and an API key for it.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// The same, with the server's configuration changed by `configure` first (SMTP, the
    /// sender address, a CA file…).
    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::new().await;
        let mut config = test_config(&db);
        configure(&mut config);
        let clock = Clock::system();
        let server = TestServer::start(config, clock.clone())
            .await
            .unwrap_or_else(|e| panic!("the test server did not start: {e:?}"));
        let base = server.base.clone();
        Self::new(Some(Arc::new(server)), db, Some(clock), base)
            .new_app("acme", json!({}))
            .await
    }

    /// A `TestApp` for a server that is not in-process: a `latchkey` process on `db`,
    /// listening at `base`. No app is made ([`TestApp::new_app`] makes one, [`TestApp::for_app`]
    /// names one that exists); its clock cannot be moved.
    pub fn attach(db: impl Into<Arc<TestDb>>, base: &str) -> Self {
        Self::new(None, db, None, base.to_owned())
    }

    fn new(
        server: Option<Arc<TestServer>>,
        db: impl Into<Arc<TestDb>>,
        clock: Option<Clock>,
        base: String,
    ) -> Self {
        Self {
            server,
            db: db.into(),
            clock,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("an HTTP client"),
            base,
            app: String::new(),
            api_key: String::new(),
            admin_key: ADMIN_KEY.to_owned(),
            origin: Some(ORIGIN.to_owned()),
            bearer: None,
            cookies: Vec::new(),
            forwarded_for: None,
            host: None,
        }
    }

    /// Creates app `id` (an admin call: the defaults of this harness with `settings` merged
    /// over them) and an API key for it; returns the view of this server for that app.
    pub async fn new_app(&self, id: &str, settings: Value) -> Self {
        let mut body = json!({"id": id, "name": format!("App {id}"), "rp_id": "example.com",
            "origins": [ORIGIN], "redirect_uris": [REDIRECT_URI]});
        if let (Some(b), Some(s)) = (body.as_object_mut(), settings.as_object()) {
            b.extend(s.clone());
        }
        assert_json(self.create_app(body).await, StatusCode::CREATED).await;
        let key = assert_json(
            self.create_api_key(id, json!({"name": "tests"})).await,
            StatusCode::CREATED,
        )
        .await;
        let secret = key["secret"].as_str().expect("an API key's secret");
        self.for_app(id, secret)
    }

    // ---- Views -------------------------------------------------------------------------------

    /// This server, for app `app` with API key `api_key`.
    pub fn for_app(&self, app: &str, api_key: &str) -> Self {
        Self {
            app: app.to_owned(),
            api_key: api_key.to_owned(),
            ..self.clone()
        }
    }

    /// Another server on the same database, listening at `base` (a second instance).
    pub fn at(&self, base: &str) -> Self {
        Self {
            server: None,
            clock: None,
            base: base.to_owned(),
            ..self.clone()
        }
    }

    /// Browser calls from `origin` instead of the app's own.
    pub fn with_origin(&self, origin: &str) -> Self {
        Self {
            origin: Some(origin.to_owned()),
            ..self.clone()
        }
    }

    /// Browser calls with no `Origin` header, as a backend or a navigation sends them.
    pub fn without_origin(&self) -> Self {
        Self {
            origin: None,
            ..self.clone()
        }
    }

    /// Browser calls with `Authorization: Bearer token` (an access token, or anything else).
    pub fn with_bearer(&self, token: &str) -> Self {
        Self {
            bearer: Some(token.to_owned()),
            ..self.clone()
        }
    }

    /// Browser calls with this `name=value` cookie, besides any the view already sends.
    pub fn with_cookie(&self, cookie: &str) -> Self {
        let mut cookies = self.cookies.clone();
        cookies.push(cookie.to_owned());
        Self {
            cookies,
            ..self.clone()
        }
    }

    /// Browser calls with `X-Forwarded-For: value`, as a proxy in front of the server adds it.
    pub fn with_forwarded_for(&self, value: &str) -> Self {
        Self {
            forwarded_for: Some(value.to_owned()),
            ..self.clone()
        }
    }

    /// Every call (browser, backend, admin, navigation) to `host`, as if this server were
    /// reached under that name (an app's own domain): the `Host` header names it.
    pub fn on_host(&self, host: &str) -> Self {
        Self {
            host: Some(host.to_owned()),
            ..self.clone()
        }
    }

    /// The `Host` this view's calls name, if not the server's address.
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// Server-API calls with this key instead of the app's; with none for `""`.
    pub fn with_api_key(&self, key: &str) -> Self {
        Self {
            api_key: key.to_owned(),
            ..self.clone()
        }
    }

    /// Admin calls with this key instead of the suite's; with none for `""`.
    pub fn with_admin_key(&self, key: &str) -> Self {
        Self {
            admin_key: key.to_owned(),
            ..self.clone()
        }
    }

    /// The app's backend: no `Origin`, its API key as the bearer token (for [`TestApp::request`]).
    pub fn as_backend(&self) -> Self {
        self.without_origin().with_bearer(&self.api_key)
    }

    /// The operator: no `Origin`, the admin key as the bearer token (for [`TestApp::request`]).
    pub fn as_admin(&self) -> Self {
        self.without_origin().with_bearer(&self.admin_key)
    }

    // ---- Time --------------------------------------------------------------------------------

    /// The server's clock. Panics for a server in another process: its clock is its own.
    pub fn clock(&self) -> &Clock {
        self.clock
            .as_ref()
            .expect("only an in-process server's clock can be reached")
    }

    /// Moves the server's clock `by` forward: codes, challenges, tokens, sessions and throttling
    /// windows age as if that time had passed.
    pub fn advance(&self, by: Duration) {
        let seconds = i64::try_from(by.as_secs()).expect("a reasonable duration");
        self.clock().advance(seconds);
    }

    // ---- Requests ----------------------------------------------------------------------------

    /// The URL of `path` (from the server's root) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The escape hatch, for requests no endpoint method sends (malformed bodies, odd paths,
    /// other methods): `method` to `path` from the server's root, with this view's `Origin`,
    /// bearer token and cookies.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let mut req = self.to(method, path);
        if let Some(origin) = &self.origin {
            req = req.header("origin", origin);
        }
        if let Some(token) = &self.bearer {
            req = req.bearer_auth(token);
        }
        if !self.cookies.is_empty() {
            req = req.header("cookie", self.cookies.join("; "));
        }
        if let Some(value) = &self.forwarded_for {
            req = req.header("x-forwarded-for", value);
        }
        req
    }

    /// A `GET` of `path` (from the server's root) as a browser navigates: the view's cookies
    /// (and forwarding header), no `Origin`, no bearer token.
    pub(crate) fn navigation(&self, path: &str) -> RequestBuilder {
        let mut req = self.to(Method::GET, path);
        if !self.cookies.is_empty() {
            req = req.header("cookie", self.cookies.join("; "));
        }
        if let Some(value) = &self.forwarded_for {
            req = req.header("x-forwarded-for", value);
        }
        req
    }

    /// A browser-API request to the app's `path`, as this view's browser sends it.
    pub(crate) fn browser(&self, method: Method, path: &str) -> RequestBuilder {
        self.request(method, &format!("/apps/{}{path}", self.app))
    }

    /// A server-API request to the app's `path`, from its backend with its API key.
    pub(crate) fn backend(&self, method: Method, path: &str) -> RequestBuilder {
        let req = self.to(method, &format!("/apps/{}{path}", self.app));
        bearer(req, &self.api_key)
    }

    /// An admin-API request with the admin key.
    pub(crate) fn operator(&self, method: Method, path: &str) -> RequestBuilder {
        bearer(self.to(method, path), &self.admin_key)
    }

    /// A bare request of `method` to `path` on this server, naming the view's `Host` if it has
    /// one.
    fn to(&self, method: Method, path: &str) -> RequestBuilder {
        let req = self.http.request(method, self.url(path));
        match &self.host {
            Some(host) => req.header("host", host),
            None => req,
        }
    }

    // ---- Ceremonies --------------------------------------------------------------------------

    /// Signs `email` up with a new ES256 passkey (from the app's origin): the sign-in result,
    /// the credential and the session cookie.
    pub async fn sign_up(&self, email: &str) -> SignedUp {
        self.sign_up_with(email, CreateOptions::new(ORIGIN)).await
    }

    /// [`TestApp::sign_up`] with an authenticator set up by `opts`.
    pub async fn sign_up_with(&self, email: &str, opts: CreateOptions) -> SignedUp {
        let (response, credential) = self.registration(json!({"email": email}), &opts).await;
        let res = self.finish_registration(&response).await;
        let cookie = session_cookie(&res).expect("the session cookie is set");
        let body = assert_json(res, StatusCode::CREATED).await;
        SignedUp {
            body,
            credential,
            cookie,
        }
    }

    /// Fresh registration options for `body` (asserted 200), answered by a new credential made
    /// with `opts`: the response to post, and the credential.
    pub async fn registration(&self, body: Value, opts: &CreateOptions) -> (Value, Credential) {
        let options = assert_json(self.register_options(body).await, StatusCode::OK).await;
        latchkey_authenticator::create(&options["publicKey"], opts)
            .expect("the authenticator makes a credential")
    }

    /// An assertion over fresh authentication options (by `email`, or discoverable), from the
    /// app's origin.
    pub async fn assertion(&self, credential: &mut Credential, email: Option<&str>) -> Value {
        self.assertion_with(credential, email, &GetOptions::new(ORIGIN))
            .await
    }

    /// [`TestApp::assertion`] with an authenticator set up by `opts`.
    pub async fn assertion_with(
        &self,
        credential: &mut Credential,
        email: Option<&str>,
        opts: &GetOptions,
    ) -> Value {
        let body = email.map_or_else(|| json!({}), |e| json!({"email": e}));
        let options = assert_json(self.authenticate_options(body).await, StatusCode::OK).await;
        latchkey_authenticator::get(&options["publicKey"], credential, opts)
            .expect("the authenticator makes an assertion")
    }

    /// Signs in with `credential` (by `email`, or discoverable); returns the verify response.
    pub async fn sign_in(&self, credential: &mut Credential, email: Option<&str>) -> Response {
        let assertion = self.assertion(credential, email).await;
        self.finish_authentication(&assertion).await
    }
}

/// `req` with `Authorization: Bearer key`, or with no `Authorization` for an empty key.
fn bearer(req: RequestBuilder, key: &str) -> RequestBuilder {
    if key.is_empty() {
        req
    } else {
        req.bearer_auth(key)
    }
}

/// The configuration of a test server on `db`: port 0, [`PUBLIC_URL`], the suite's admin key, a
/// master key generated into the data dir, the outbox for email.
fn test_config(db: &TestDb) -> Config {
    Config {
        listen: "127.0.0.1:0".to_owned(),
        public_url: PUBLIC_URL.to_owned(),
        data_dir: db.data_dir.clone(),
        database_url: Some(db.url.clone()),
        admin_key: Some(ADMIN_KEY.to_owned()),
        ..Config::default()
    }
}

/// What a sign-up gave back.
pub struct SignedUp {
    /// The sign-in result (API.md "Sign-in result").
    pub body: Value,
    /// The authenticator's credential, to sign in with again.
    pub credential: Credential,
    /// The session cookie, `latchkey_session=…`.
    pub cookie: String,
}

impl SignedUp {
    pub fn access_token(&self) -> &str {
        self.field("access_token")
    }

    pub fn refresh_token(&self) -> &str {
        self.field("refresh_token")
    }

    pub fn auth_token(&self) -> &str {
        self.field("auth_token")
    }

    pub fn user_id(&self) -> &str {
        self.body["user"]["id"].as_str().expect("a user id")
    }

    pub fn session_id(&self) -> &str {
        self.body["session"]["id"].as_str().expect("a session id")
    }

    fn field(&self, name: &str) -> &str {
        self.body[name]
            .as_str()
            .unwrap_or_else(|| panic!("no {name} in {}", self.body))
    }
}

/// The harness's own promises: a server per test that stops with its last handle, a clock every
/// view shares, and a log of its own.
#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_server_answers_until_its_last_handle_drops() {
        let t = TestApp::spawn().await;
        assert_eq!(t.health().await.status(), StatusCode::OK);
        let view = t.with_bearer("anything").for_app("acme", &t.api_key);
        drop(t);
        assert_eq!(view.health().await.status(), StatusCode::OK);
        let addr = view.base.strip_prefix("http://").unwrap().to_owned();
        let data_dir = view.db.data_dir.clone();
        drop(view);
        assert!(
            tokio::net::TcpStream::connect(&addr).await.is_err(),
            "nothing listens on {addr} any more"
        );
        assert!(!data_dir.exists(), "the data dir is removed");
    }

    #[tokio::test]
    async fn every_view_shares_the_servers_clock() {
        let t = TestApp::spawn().await;
        let other = t.new_app("other", json!({})).await.with_bearer("x");
        let before = other.clock().now();
        t.advance(Duration::from_secs(3600));
        assert!(other.clock().now() >= before + 3600);
        assert!(t.clock().now() >= before + 3600);
    }

    #[tokio::test]
    async fn each_server_logs_to_a_file_of_its_own() {
        let (a, b) = tokio::join!(TestApp::spawn(), TestApp::spawn());
        let log = |t: &TestApp| std::fs::read_to_string(t.db.data_dir.join("server.log")).unwrap();
        let port = |t: &TestApp| t.base.rsplit(':').next().unwrap().to_owned();
        let (log_a, log_b) = (log(&a), log(&b));
        assert!(log_a.contains(&port(&a)), "{log_a}");
        assert!(!log_a.contains(&port(&b)), "{log_a}");
        assert!(log_b.contains(&port(&b)), "{log_b}");
        assert!(!log_b.contains(&port(&a)), "{log_b}");
    }

    #[tokio::test]
    async fn a_server_that_cannot_start_says_why() {
        let db = TestDb::new().await;
        let mut config = test_config(&db);
        config.master_key = Some("not a key".to_owned());
        let err = TestServer::start(config, Clock::system())
            .await
            .err()
            .expect("no master key, no server");
        assert!(
            format!("{err:#}").contains("LATCHKEY_MASTER_KEY"),
            "{err:#}"
        );
    }
}
