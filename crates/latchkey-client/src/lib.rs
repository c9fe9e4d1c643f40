//! Latchkey for app backends.
//!
//! Latchkey is a self-hosted, passkey-first authentication server. Your
//! frontend signs people in against it (with `/sdk/latchkey.js` or the hosted login page); your
//! backend then needs to know who is calling. This crate gives it:
//!
//! - **Offline access-token verification**: [`Client::verify_access_token`] checks a JWT against
//!   the app's published keys (JWKS, fetched once and cached, refetched when the app rotates its
//!   key), its issuer, audience, algorithm and expiry, and returns typed [`Claims`]. No request to
//!   Latchkey per call.
//! - **The server API**, typed, with the app's API key: [`Client::verify_token`] (online: also
//!   notices revoked sessions and disabled users), [`Client::redeem_auth_token`], user
//!   management, a user's passkeys and sessions, and the audit log.
//! - **An axum extractor**, [`axum::AuthUser`] (feature `axum`, on by default), that lets a
//!   handler run only for requests with a valid `Authorization: Bearer` access token.
//!
//! # Quick start
//!
//! ```no_run
//! use axum::{Json, Router, routing::get};
//! use latchkey_client::{Client, axum::AuthUser};
//!
//! async fn whoami(user: AuthUser) -> Json<serde_json::Value> {
//!     Json(serde_json::json!({ "user_id": user.sub, "email": user.email }))
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // The server's public URL, the app id and an API key
//! // (`latchkey api-keys create --app my-app`).
//! let latchkey = Client::new("https://auth.example.com", "my-app", "lk_sk_…")?;
//!
//! // An auth token handed over by the frontend after sign-in: who is it?
//! if let Some(signed_in) = latchkey.redeem_auth_token("lk_at_…").await?.valid() {
//!     println!("{} signed in", signed_in.user.id);
//! }
//!
//! // Routes that need a signed-in user take `AuthUser`.
//! let app: Router = Router::new().route("/api/whoami", get(whoami)).with_state(latchkey);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! axum::serve(listener, app).await?;
//! # Ok(())
//! # }
//! ```
//!
//! A runnable version is `examples/axum_app.rs`.
//!
//! # Offline or online?
//!
//! Offline verification costs nothing per request but trusts a token until it expires (15
//! minutes by default) even if its session was revoked meanwhile. Where that matters (changing a
//! password, paying), ask the server with [`Client::verify_token`].
//!
//! # Features
//!
//! - `axum` (default): the [`axum::AuthUser`] extractor.
//! - `rustls-tls` (default): HTTPS through rustls with the webpki roots. Without it, bring your
//!   own [`reqwest::Client`] via [`ClientBuilder::http_client`].

mod client;
mod error;
mod token;
mod types;

#[cfg(feature = "axum")]
pub mod axum;

pub use client::{Client, ClientBuilder};
pub use error::{Error, Problem, Result, TokenError};
pub use token::Claims;
pub use types::{
    Event, EventId, EventQuery, NewUser, Page, Passkey, PasskeyId, Session, SessionId, User,
    UserId, UserPatch, UserQuery, Verification, VerifiedToken,
};

/// The HTTP client this crate uses, for [`ClientBuilder::http_client`].
pub use reqwest;
/// The date-time type of the API's timestamps.
pub use time::OffsetDateTime;
