//! [`Client`]: one app's connection to a Latchkey server.
//!
//! It owns the HTTP client, the API key and the app's key cache; it is cheap to clone (one `Arc`)
//! so it can live in a web framework's state. Every server-API call is one method here that
//! builds the path from typed ids (percent-encoded segment by segment, so an id can never change
//! the path), sends the API key, and turns the answer into a typed value or an [`Error`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, RequestBuilder, Response, Url};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::error::{Error, Problem, Result};
use crate::token::{self, Claims, Expected, KeyCache};
use crate::types::{
    Event, EventQuery, Items, NewUser, Page, Passkey, PasskeyId, Session, SessionId, User, UserId,
    UserPatch, UserQuery, Verification, VerifyResponse,
};

/// Accepted clock difference between Latchkey and this backend when checking `exp`.
const DEFAULT_LEEWAY: Duration = Duration::from_secs(10);
/// Least time between two JWKS refreshes caused by unknown `kid`s.
const DEFAULT_JWKS_REFRESH_INTERVAL: Duration = Duration::from_secs(60);
/// How long fetched keys are trusted before they are fetched again.
const DEFAULT_JWKS_MAX_AGE: Duration = Duration::from_secs(3600);
/// Time limit of each request to Latchkey, when this crate builds the HTTP client.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How much of a non-problem error body to keep for the error message.
const MAX_ERROR_BODY: usize = 512;

/// A client for one app of a Latchkey server: offline access-token verification and the server
/// API. Clone it freely; clones share the connection pool and the key cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Where requests go (may be an internal address).
    base: Url,
    app_id: String,
    api_key: String,
    /// What tokens must name as `iss`: `PUBLIC_URL/apps/{app}`, or the app's domain's origin.
    issuer: String,
    leeway: Duration,
    keys: KeyCache,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base.as_str())
            .field("app_id", &self.inner.app_id)
            .field("issuer", &self.inner.issuer)
            .finish_non_exhaustive()
    }
}

/// Settings for a [`Client`] beyond the three [`Client::new`] takes.
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    app_id: String,
    api_key: String,
    public_url: Option<String>,
    issuer: Option<String>,
    leeway: Duration,
    jwks_refresh_interval: Duration,
    jwks_max_age: Duration,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("app_id", &self.app_id)
            .field("public_url", &self.public_url)
            .field("issuer", &self.issuer)
            .field("leeway", &self.leeway)
            .field("jwks_refresh_interval", &self.jwks_refresh_interval)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The server's configured `LATCHKEY_PUBLIC_URL`, when this backend reaches it at another
    /// address (`http://latchkey:8080` inside a cluster, say). Tokens' issuer is built from it.
    /// Defaults to the base URL.
    pub fn public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = Some(url.into());
        self
    }

    /// The app's issuer when it has its own domain (the app setting `domain`): that domain's
    /// origin, `https://login.example.com`, which its tokens name as `iss` (its configuration
    /// says so too, as `issuer`). Defaults to `PUBLIC_URL/apps/{app}`.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Clock difference tolerated when checking `exp` (default 10 seconds).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// How long the fetched keys are trusted before they are fetched again (default one hour),
    /// so a key the app retired stops being accepted. If Latchkey cannot be reached then, the
    /// cached keys go on being used.
    pub fn jwks_max_age(mut self, max_age: Duration) -> Self {
        self.jwks_max_age = max_age;
        self
    }

    /// Least time between two JWKS refreshes caused by tokens naming an unknown key (default one
    /// minute).
    pub fn jwks_refresh_interval(mut self, interval: Duration) -> Self {
        self.jwks_refresh_interval = interval;
        self
    }

    /// Uses this HTTP client (for its TLS, proxy or timeout settings) instead of building one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The client, or [`Error::Config`] if a URL is unusable.
    pub fn build(self) -> Result<Client> {
        let base = parse_base(&self.base_url)?;
        let public = match &self.public_url {
            Some(u) => parse_base(u)?,
            None => base.clone(),
        };
        if self.app_id.is_empty() || self.app_id.contains('/') {
            return Err(Error::Config(format!("{:?} is not an app id", self.app_id)));
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(DEFAULT_TIMEOUT)
                .user_agent(concat!("latchkey-client/", env!("CARGO_PKG_VERSION")))
                .build()?,
        };
        let issuer = self.issuer.unwrap_or_else(|| {
            format!(
                "{}/apps/{}",
                public.as_str().trim_end_matches('/'),
                self.app_id
            )
        });
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                app_id: self.app_id,
                api_key: self.api_key,
                issuer,
                leeway: self.leeway,
                keys: KeyCache::new(self.jwks_refresh_interval, self.jwks_max_age),
            }),
        })
    }
}

fn parse_base(raw: &str) -> Result<Url> {
    let url = Url::parse(raw).map_err(|e| Error::Config(format!("{raw:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(Error::Config(format!("{raw:?} is not an http(s) base URL")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "{raw:?} must not have a query or fragment"
        )));
    }
    Ok(url)
}

impl Client {
    /// A client for app `app_id` of the Latchkey server at `base_url` (its `PUBLIC_URL`, e.g.
    /// `https://auth.example.com`), authenticating server-API calls with `api_key`.
    pub fn new(
        base_url: impl Into<String>,
        app_id: impl Into<String>,
        api_key: impl Into<String>,
    ) -> Result<Self> {
        Self::builder(base_url, app_id, api_key).build()
    }

    /// Like [`Client::new`], with more settings before [`ClientBuilder::build`].
    pub fn builder(
        base_url: impl Into<String>,
        app_id: impl Into<String>,
        api_key: impl Into<String>,
    ) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            app_id: app_id.into(),
            api_key: api_key.into(),
            public_url: None,
            issuer: None,
            leeway: DEFAULT_LEEWAY,
            jwks_refresh_interval: DEFAULT_JWKS_REFRESH_INTERVAL,
            jwks_max_age: DEFAULT_JWKS_MAX_AGE,
            http: None,
        }
    }

    /// The app this client speaks for.
    pub fn app_id(&self) -> &str {
        &self.inner.app_id
    }

    /// The issuer (`iss`) tokens must carry: `PUBLIC_URL/apps/{app}`, or the origin of the
    /// app's own domain ([`ClientBuilder::issuer`]).
    pub fn issuer(&self) -> &str {
        &self.inner.issuer
    }

    /// `base/apps/{app}/<segments>`, each segment percent-encoded.
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            // Checked by `parse_base`: the base URL can hold segments.
            path.pop_if_empty()
                .extend(["apps", self.inner.app_id.as_str()])
                .extend(segments);
        }
        url
    }

    fn request(&self, method: Method, segments: &[&str]) -> RequestBuilder {
        self.inner
            .http
            .request(method, self.url(segments))
            .bearer_auth(&self.inner.api_key)
    }

    // ---- Offline verification ------------------------------------------------------------

    /// Verifies an access token offline: signature against the app's JWKS (fetched once and
    /// cached), issuer, audience, algorithm and expiry. Does not notice a revoked session or a
    /// disabled user before the token expires; [`Client::verify_token`] does.
    ///
    /// A refused token is [`Error::InvalidToken`]; [`Error::Http`] and friends mean the JWKS
    /// could not be fetched.
    pub async fn verify_access_token(&self, token: &str) -> Result<Claims> {
        self.verify_access_token_at(token, SystemTime::now()).await
    }

    /// [`Client::verify_access_token`] as of `now`, for tests of expiry.
    pub async fn verify_access_token_at(&self, token: &str, now: SystemTime) -> Result<Claims> {
        let expected = Expected {
            issuer: &self.inner.issuer,
            audience: &self.inner.app_id,
            leeway: self.inner.leeway,
        };
        token::verify(
            &self.inner.keys,
            || self.fetch_jwks(),
            token.trim(),
            &expected,
            now,
        )
        .await
    }

    /// `GET /apps/{app}/.well-known/jwks.json`, unauthenticated.
    async fn fetch_jwks(&self) -> Result<Vec<u8>> {
        let res = self
            .inner
            .http
            .get(self.url(&[".well-known", "jwks.json"]))
            .send()
            .await?;
        let res = check(res).await?;
        Ok(res.bytes().await?.to_vec())
    }

    // ---- Server API ----------------------------------------------------------------------

    /// Asks the server about a token (`POST /apps/{app}/tokens/verify`): an access token is
    /// checked against its live session (so a revoked session or a disabled or deleted user
    /// makes it invalid); an `auth_token` is redeemed, and invalid afterwards.
    pub async fn verify_token(&self, token: &str) -> Result<Verification> {
        let res = self
            .request(Method::POST, &["tokens", "verify"])
            .json(&json!({ "token": token }))
            .send()
            .await?;
        let wire: VerifyResponse = read(res, "POST /tokens/verify").await?;
        Verification::try_from(wire).map_err(|why| Error::Decode {
            what: "POST /tokens/verify",
            source: serde::de::Error::custom(why),
        })
    }

    /// Redeems the single-use `auth_token` a frontend got from a sign-in and handed to this
    /// backend: who signed in, or [`Verification::Invalid`] if it is unknown, expired (5
    /// minutes) or already redeemed.
    pub async fn redeem_auth_token(&self, auth_token: &str) -> Result<Verification> {
        self.verify_token(auth_token).await
    }

    /// One page of the app's users (`GET /apps/{app}/users`).
    pub async fn list_users(&self, query: &UserQuery) -> Result<Page<User>> {
        let res = self
            .request(Method::GET, &["users"])
            .query(query)
            .send()
            .await?;
        read(res, "GET /users").await
    }

    /// The first page of users matching `text` (email or names).
    pub async fn search_users(&self, text: &str) -> Result<Page<User>> {
        self.list_users(&UserQuery::search(text)).await
    }

    /// The user with this email, if there is one (case-insensitive).
    pub async fn find_user_by_email(&self, email: &str) -> Result<Option<User>> {
        let page = self.list_users(&UserQuery::email(email)).await?;
        Ok(page.items.into_iter().next())
    }

    /// One user (`GET /apps/{app}/users/{id}`); [`Error::is_not_found`] if there is none.
    pub async fn get_user(&self, id: &UserId) -> Result<User> {
        let res = self
            .request(Method::GET, &["users", id.as_str()])
            .send()
            .await?;
        read(res, "GET /users/{id}").await
    }

    /// Creates a user without a passkey (`POST /apps/{app}/users`); [`Error::is_conflict`] if
    /// the email has an account. They sign in by email code and may then add a passkey.
    pub async fn create_user(&self, user: &NewUser) -> Result<User> {
        let res = self
            .request(Method::POST, &["users"])
            .json(user)
            .send()
            .await?;
        read(res, "POST /users").await
    }

    /// Changes a user (`PATCH /apps/{app}/users/{id}`) and returns them as they are now.
    pub async fn update_user(&self, id: &UserId, patch: &UserPatch) -> Result<User> {
        let res = self
            .request(Method::PATCH, &["users", id.as_str()])
            .json(patch)
            .send()
            .await?;
        read(res, "PATCH /users/{id}").await
    }

    /// Deletes a user with their passkeys and sessions (`DELETE /apps/{app}/users/{id}`).
    pub async fn delete_user(&self, id: &UserId) -> Result<()> {
        self.delete(&["users", id.as_str()]).await
    }

    /// A user's passkeys (`GET /apps/{app}/users/{id}/passkeys`).
    pub async fn list_user_passkeys(&self, id: &UserId) -> Result<Vec<Passkey>> {
        self.list_items(
            &["users", id.as_str(), "passkeys"],
            "GET /users/{id}/passkeys",
        )
        .await
    }

    /// Removes one of a user's passkeys (`DELETE /apps/{app}/users/{id}/passkeys/{pid}`).
    pub async fn delete_user_passkey(&self, id: &UserId, passkey: &PasskeyId) -> Result<()> {
        self.delete(&["users", id.as_str(), "passkeys", passkey.as_str()])
            .await
    }

    /// A user's active sessions (`GET /apps/{app}/users/{id}/sessions`).
    pub async fn list_user_sessions(&self, id: &UserId) -> Result<Vec<Session>> {
        self.list_items(
            &["users", id.as_str(), "sessions"],
            "GET /users/{id}/sessions",
        )
        .await
    }

    /// Revokes one of a user's sessions (`DELETE /apps/{app}/users/{id}/sessions/{sid}`). Its
    /// refresh token stops working at once; its access tokens stop verifying online at once and
    /// offline when they expire.
    pub async fn revoke_user_session(&self, id: &UserId, session: &SessionId) -> Result<()> {
        self.delete(&["users", id.as_str(), "sessions", session.as_str()])
            .await
    }

    /// Revokes all of a user's sessions (`DELETE /apps/{app}/users/{id}/sessions`).
    pub async fn revoke_user_sessions(&self, id: &UserId) -> Result<()> {
        self.delete(&["users", id.as_str(), "sessions"]).await
    }

    /// One page of the app's audit log, newest first (`GET /apps/{app}/events`).
    pub async fn list_events(&self, query: &EventQuery) -> Result<Page<Event>> {
        let res = self
            .request(Method::GET, &["events"])
            .query(query)
            .send()
            .await?;
        read(res, "GET /events").await
    }

    async fn list_items<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        what: &'static str,
    ) -> Result<Vec<T>> {
        let res = self.request(Method::GET, segments).send().await?;
        Ok(read::<Items<T>>(res, what).await?.items)
    }

    async fn delete(&self, segments: &[&str]) -> Result<()> {
        let res = self.request(Method::DELETE, segments).send().await?;
        check(res).await.map(drop)
    }
}

/// The response if its status is a success, otherwise the error it describes.
async fn check(res: Response) -> Result<Response> {
    let status = res.status();
    if status.is_success() {
        return Ok(res);
    }
    let is_json = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/problem+json") || ct.contains("json"));
    let retry_after = res
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = res.bytes().await?;
    if is_json && let Ok(mut problem) = serde_json::from_slice::<Problem>(&body) {
        problem.status = status.as_u16();
        problem.retry_after = retry_after;
        return Err(Error::Api(problem));
    }
    let text = String::from_utf8_lossy(&body);
    Err(Error::UnexpectedResponse {
        status: status.as_u16(),
        body: text.chars().take(MAX_ERROR_BODY).collect(),
    })
}

/// The successful response's JSON body as `T`.
async fn read<T: DeserializeOwned>(res: Response, what: &'static str) -> Result<T> {
    let body = check(res).await?.bytes().await?;
    serde_json::from_slice(&body).map_err(|source| Error::Decode { what, source })
}
