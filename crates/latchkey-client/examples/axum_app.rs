//! An app backend protected by Latchkey.
//!
//! ```text
//! LATCHKEY_URL=http://localhost:8080 LATCHKEY_APP=demo LATCHKEY_API_KEY=lk_sk_… \
//!     cargo run -p latchkey-client --example axum_app
//! ```
//!
//! - `POST /api/session {"auth_token": "lk_at_…"}`: the frontend hands over the `auth_token` of a
//!   sign-in; the backend redeems it once with Latchkey and answers who signed in (this is where
//!   a real app would start its own session or look the user up in its database).
//! - `GET /api/me` with `Authorization: Bearer <access token>`: verified offline by `AuthUser`.
//! - `GET /api/hello`: works signed in or not (`Option<AuthUser>`).
//!
//! `LISTEN` (default `127.0.0.1:3000`) sets the address; `LATCHKEY_PUBLIC_URL`, when Latchkey is
//! reached at another address than its public one, the issuer its tokens name. The first line
//! on stdout is `app backend listening on http://ADDR`.

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use latchkey_client::axum::AuthUser;
use latchkey_client::{Client, Verification};
use serde::Deserialize;
use serde_json::{Value, json};

/// The backend's state: here only the Latchkey client, which `AuthUser` finds through `FromRef`.
#[derive(Clone)]
struct AppState {
    latchkey: Client,
}

impl FromRef<AppState> for Client {
    fn from_ref(state: &AppState) -> Client {
        state.latchkey.clone()
    }
}

/// Errors of this backend, answered as problem details.
enum AppError {
    /// The auth token was not accepted.
    InvalidAuthToken(String),
    /// Latchkey could not be asked.
    Latchkey(latchkey_client::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, detail) = match self {
            Self::InvalidAuthToken(reason) => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                format!("the auth token was not accepted: {reason}"),
            ),
            Self::Latchkey(e) => {
                // The cause goes to the log, not to the caller.
                tracing::error!(error = %e, "latchkey request failed");
                (
                    StatusCode::BAD_GATEWAY,
                    "bad_gateway",
                    "the sign-in service could not be reached".to_owned(),
                )
            }
        };
        let body = json!({"type": "about:blank", "status": status.as_u16(), "code": code,
            "title": status.canonical_reason(), "detail": detail});
        (
            status,
            [("content-type", "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}

impl From<latchkey_client::Error> for AppError {
    fn from(e: latchkey_client::Error) -> Self {
        Self::Latchkey(e)
    }
}

#[derive(Deserialize)]
struct SessionRequest {
    auth_token: String,
}

/// Redeems the frontend's `auth_token` (single use: a replay is refused).
async fn create_session(
    State(state): State<AppState>,
    Json(req): Json<SessionRequest>,
) -> Result<Json<Value>, AppError> {
    match state.latchkey.redeem_auth_token(&req.auth_token).await? {
        Verification::Valid(signed_in) => Ok(Json(json!({
            "user_id": signed_in.user.id,
            "email": signed_in.user.email,
            "session_id": signed_in.session_id,
            "amr": signed_in.amr,
        }))),
        Verification::Invalid { reason } => Err(AppError::InvalidAuthToken(reason)),
    }
}

/// Only for requests with a valid access token.
async fn me(user: AuthUser) -> Json<Value> {
    Json(json!({
        "user_id": user.sub,
        "session_id": user.sid,
        "email": user.email,
        "email_verified": user.email_verified,
        "amr": user.amr,
    }))
}

/// For everyone; a bad token is still refused.
async fn hello(user: Option<AuthUser>) -> String {
    match user {
        Some(user) => format!("hello, {}\n", user.email.as_deref().unwrap_or("stranger")),
        None => "hello, anonymous\n".to_owned(),
    }
}

/// The backend's routes on a Latchkey client: separate from `main`, so that the crate's tests
/// serve exactly this router.
pub fn router(latchkey: Client) -> Router {
    Router::new()
        .route("/api/session", post(create_session))
        .route("/api/me", get(me))
        .route("/api/hello", get(hello))
        .with_state(AppState { latchkey })
}

fn env(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    std::env::var(name).map_err(|_| format!("set {name}").into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let mut builder = Client::builder(
        env("LATCHKEY_URL")?,
        env("LATCHKEY_APP")?,
        env("LATCHKEY_API_KEY")?,
    );
    // When this backend reaches Latchkey at an internal address, its tokens still name the
    // public one as their issuer.
    if let Ok(public_url) = std::env::var("LATCHKEY_PUBLIC_URL") {
        builder = builder.public_url(public_url);
    }
    let latchkey = builder.build()?;
    let listen = std::env::var("LISTEN").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("app backend listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router(latchkey)).await?;
    Ok(())
}
