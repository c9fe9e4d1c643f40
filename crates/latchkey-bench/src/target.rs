//! The servers `latchkey-bench` can drive, and what their adapters share.
//!
//! Each target is an adapter that turns the benchmark's four operations (sign up, sign in,
//! verify a token, refresh) into the target's own HTTP exchanges, with the same software
//! authenticator, so the work per operation is the same whichever server answers. The `email`,
//! `oidc` and `introspect` scenarios are Latchkey's alone (the peers implement no email sign-in
//! and no OpenID Provider): they call the Latchkey adapter directly.

use std::time::{Duration, Instant};

use clap::ValueEnum;
use latchkey_authenticator::{Credential, Key};
use serde_json::Value;

use crate::latchkey::Latchkey;
use crate::peers::better_auth::BetterAuth;
use crate::peers::handwritten::Handwritten;

/// The web origin every browser request carries.
pub const ORIGIN: &str = "https://example.com";
/// The relying party id every target is configured with.
pub const RP_ID: &str = "example.com";

/// Which server is under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TargetKind {
    /// Latchkey's browser and server APIs.
    Latchkey,
    /// better-auth with its passkey plugin (`bench/peers/better-auth`).
    BetterAuth,
    /// @simplewebauthn/server + jose + better-sqlite3 in a Node cluster
    /// (`bench/peers/handwritten`).
    Handwritten,
}

impl TargetKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Latchkey => "latchkey",
            Self::BetterAuth => "better-auth",
            Self::Handwritten => "handwritten",
        }
    }
}

/// Why one operation failed.
#[derive(Debug)]
pub enum Failure {
    /// A non-2xx answer: status, the problem's `code` (or `error`), and the body.
    Status {
        status: u16,
        code: String,
        body: String,
    },
    /// The request did not complete.
    Transport(String),
    /// A 2xx answer that says no (`valid: false`) or lacks what the operation needs.
    Refused { code: String, body: String },
    /// The software authenticator refused the server's options, or the client could not build
    /// its request.
    Client(String),
}

impl Failure {
    /// The counting key, e.g. `401 invalid_credential`.
    pub fn key(&self) -> String {
        match self {
            Self::Status { status, code, .. } => format!("{status} {code}"),
            Self::Transport(_) => "transport".to_owned(),
            Self::Refused { code, .. } => format!("refused {code}"),
            Self::Client(_) => "authenticator".to_owned(),
        }
    }

    pub fn detail(&self) -> String {
        let text = match self {
            Self::Status { body, .. } | Self::Refused { body, .. } => body.clone(),
            Self::Transport(e) | Self::Client(e) => e.clone(),
        };
        text.chars().take(300).collect()
    }

    /// The authenticator's refusal.
    pub fn authenticator(e: &latchkey_authenticator::Error) -> Self {
        Self::Client(format!("{e:?}"))
    }
}

/// A 2xx answer: its headers and JSON body.
pub struct Answer {
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

/// Sends `request` (labelled `label` in errors) and adds the time it took to `spent`. Any
/// non-2xx answer, or a body that is not JSON, is a [`Failure`].
pub async fn send(
    request: reqwest::RequestBuilder,
    label: &str,
    spent: &mut Duration,
) -> Result<Answer, Failure> {
    let started = Instant::now();
    let outcome = async {
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>((status, headers, body))
    }
    .await;
    *spent += started.elapsed();
    let (status, headers, body) =
        outcome.map_err(|e| Failure::Transport(format!("{label}: {e}")))?;
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    if !status.is_success() {
        let code = json
            .as_ref()
            .and_then(|v| {
                v.get("code")
                    .or_else(|| v.get("error"))
                    .or_else(|| v.get("message"))
            })
            .and_then(Value::as_str)
            .unwrap_or("-")
            .to_owned();
        return Err(Failure::Status {
            status: status.as_u16(),
            code,
            body: format!("{label}: {}", String::from_utf8_lossy(&body)),
        });
    }
    match json {
        Some(json) => Ok(Answer { headers, json }),
        None => Err(Failure::Refused {
            code: "not_json".to_owned(),
            body: format!("{label}: {}", String::from_utf8_lossy(&body)),
        }),
    }
}

/// `POST {url}` with a JSON body and the app's origin, through [`send`].
pub async fn post_json(
    http: &reqwest::Client,
    url: &str,
    bearer: Option<&str>,
    body: &Value,
    spent: &mut Duration,
) -> Result<Answer, Failure> {
    post_json_from(http, url, ORIGIN, bearer, body, spent).await
}

/// [`post_json`] from the page at `origin`.
pub async fn post_json_from(
    http: &reqwest::Client,
    url: &str,
    origin: &str,
    bearer: Option<&str>,
    body: &Value,
    spent: &mut Duration,
) -> Result<Answer, Failure> {
    let bytes = serde_json::to_vec(body).map_err(|e| Failure::Client(e.to_string()))?;
    let mut request = http
        .post(url)
        .header(reqwest::header::ORIGIN, origin)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(bytes);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    send(request, path_of(url), spent).await
}

/// The path of `url` (its query included), as errors name a request.
pub fn path_of(url: &str) -> &str {
    let rest = url.rsplit_once("://").map_or(url, |(_, rest)| rest);
    rest.find('/').map_or(rest, |i| &rest[i..])
}

/// Sends `request`, which a redirect answers (302 or 303; the client must not follow
/// redirects), adds the time it took to `spent`, and returns the `Location`. Any other answer
/// is a [`Failure`], as in [`send`].
pub async fn send_for_redirect(
    request: reqwest::RequestBuilder,
    label: &str,
    spent: &mut Duration,
) -> Result<String, Failure> {
    let started = Instant::now();
    let outcome = async {
        let response = request.send().await?;
        let status = response.status();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>((status, location, body))
    }
    .await;
    *spent += started.elapsed();
    let (status, location, body) =
        outcome.map_err(|e| Failure::Transport(format!("{label}: {e}")))?;
    match location {
        Some(location) if status == 302 || status == 303 => Ok(location),
        _ => {
            let code = serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|v| {
                    v.get("code")
                        .or_else(|| v.get("error"))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .unwrap_or_else(|| "-".to_owned());
            Err(Failure::Status {
                status: status.as_u16(),
                code,
                body: format!("{label}: {}", String::from_utf8_lossy(&body)),
            })
        }
    }
}

/// A string member of a JSON answer, or a [`Failure::Refused`] naming it.
pub fn member(result: &Value, name: &str) -> Result<String, Failure> {
    result[name]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Failure::Refused {
            code: format!("no_{name}"),
            body: result.to_string(),
        })
}

/// A token check's answer, `{"valid": true, …}` or `{"valid": false, "error"}`: the latter is
/// a [`Failure::Refused`].
pub fn expect_valid(result: &Value) -> Result<(), Failure> {
    if result["valid"] == Value::Bool(true) {
        return Ok(());
    }
    Err(Failure::Refused {
        code: format!(
            "valid_false:{}",
            result["error"].as_str().unwrap_or("no error given")
        ),
        body: result.to_string(),
    })
}

/// A user and the passkey the benchmark holds for it.
pub struct User {
    pub email: String,
    pub credential: Credential,
}

/// What a sign-up leaves behind: the user, and the target's access and refresh credentials
/// (opaque to the generator; each adapter knows what its `verify_token` and `refresh` take).
pub struct SignedUp {
    pub user: User,
    pub access_token: String,
    pub refresh_token: String,
}

/// The server under test, behind its adapter.
pub enum Target {
    Latchkey(Latchkey),
    BetterAuth(BetterAuth),
    Handwritten(Handwritten),
}

impl Target {
    /// A new user with a new passkey, on `key` (made before the clock started).
    pub async fn sign_up(
        &self,
        email: &str,
        key: Key,
        spent: &mut Duration,
    ) -> Result<SignedUp, Failure> {
        match self {
            Self::Latchkey(t) => t.sign_up(email, key, spent).await,
            Self::BetterAuth(t) => t.sign_up(email, key, spent).await,
            Self::Handwritten(t) => t.sign_up(email, key, spent).await,
        }
    }

    /// A passkey sign-in of `user`: discoverable, or by email where the target offers it.
    pub async fn sign_in(
        &self,
        user: &mut User,
        by_email: bool,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        match self {
            Self::Latchkey(t) => t.sign_in(user, by_email, spent).await,
            Self::BetterAuth(t) => t.sign_in(user, by_email, spent).await,
            Self::Handwritten(t) => t.sign_in(user, by_email, spent).await,
        }
    }

    /// What an app backend does to authenticate a request that carries `token`.
    pub async fn verify_token(&self, token: &str, spent: &mut Duration) -> Result<(), Failure> {
        match self {
            Self::Latchkey(t) => t.verify_token(token, spent).await,
            Self::BetterAuth(t) => t.verify_token(token, spent).await,
            Self::Handwritten(t) => t.verify_token(token, spent).await,
        }
    }

    /// Renews the session's credentials; rotates `refresh_token` in place.
    pub async fn refresh(
        &self,
        refresh_token: &mut String,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        match self {
            Self::Latchkey(t) => t.refresh(refresh_token, spent).await,
            Self::BetterAuth(t) => t.refresh(refresh_token, spent).await,
            Self::Handwritten(t) => t.refresh(refresh_token, spent).await,
        }
    }
}
