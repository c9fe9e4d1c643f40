//! The axum extractors [`AuthUser`] and [`RequirePermission`]: a handler that takes one runs
//! only for requests carrying a valid Latchkey access token (`Authorization: Bearer …`,
//! RFC 6750 §2.1), and, for the second, one that grants a permission.
//!
//! The token is verified offline with the [`Client`] found in the router state (through
//! [`FromRef`], so the state may be the client itself or any struct holding one). Refusals are
//! RFC 9457 problem details with `WWW-Authenticate: Bearer` (RFC 6750 §3): 401 when the token is
//! missing or not valid; 503 when the app's keys could not be fetched, which is Latchkey's outage
//! and not the caller's fault.

use std::marker::PhantomData;
use std::ops::Deref;

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::{Error, TokenError};
use crate::{Claims, Client};

/// The verified claims of the request's access token.
///
/// ```no_run
/// use axum::{Router, routing::get};
/// use latchkey_client::{Client, axum::AuthUser};
///
/// async fn me(user: AuthUser) -> String {
///     format!("hello {}", user.sub)
/// }
///
/// # fn app(client: Client) -> Router {
/// Router::new().route("/me", get(me)).with_state(client)
/// # }
/// ```
///
/// `Option<AuthUser>` lets a request without an `Authorization` header through (as `None`) but
/// still refuses a bad token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthUser(pub Claims);

impl Deref for AuthUser {
    type Target = Claims;

    fn deref(&self) -> &Claims {
        &self.0
    }
}

/// Why [`AuthUser`] refused a request; its response is the refusal.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthRejection {
    /// No `Authorization` header.
    Missing,
    /// An `Authorization` header that is not `Bearer <token>`.
    NotBearer,
    /// A bearer token that failed verification.
    InvalidToken(TokenError),
    /// The app's keys could not be fetched from Latchkey.
    Unavailable(Error),
    /// A valid token without the permission the route needs.
    Forbidden(&'static str),
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let (status, code, detail, challenge) = match &self {
            Self::Missing => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this request needs an access token: send `Authorization: Bearer <token>`"
                    .to_owned(),
                "Bearer",
            ),
            Self::NotBearer => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the Authorization header must be `Bearer <access token>`".to_owned(),
                r#"Bearer error="invalid_request""#,
            ),
            Self::InvalidToken(why) => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                format!("the access token is not valid: {why}"),
                r#"Bearer error="invalid_token""#,
            ),
            Self::Forbidden(permission) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("this needs the permission {permission:?}"),
                r#"Bearer error="insufficient_scope""#,
            ),
            Self::Unavailable(e) => {
                tracing::error!(error = %e, "cannot verify access tokens: the app's keys are unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "access tokens cannot be verified right now; try again shortly".to_owned(),
                    "Bearer",
                )
            }
        };
        let body = json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "code": code,
            "detail": detail,
        });
        let mut res = (status, body.to_string()).into_response();
        let headers = res.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        res
    }
}

/// A permission a route needs, as a type: declare one with [`crate::permission!`].
pub trait PermissionKey {
    /// The permission's key, as the app's roles list it (e.g. `invoices:read`).
    const KEY: &'static str;
}

/// Declares a [`PermissionKey`] type: `permission!(pub InvoicesRead = "invoices:read");`.
#[macro_export]
macro_rules! permission {
    ($(#[$meta:meta])* $vis:vis $name:ident = $key:literal) => {
        $(#[$meta])*
        $vis struct $name;

        impl $crate::axum::PermissionKey for $name {
            const KEY: &'static str = $key;
        }
    };
}

/// The verified claims of a request whose access token grants the permission `P`; 403
/// (`forbidden`, with `WWW-Authenticate: Bearer error="insufficient_scope"`) when it does not.
///
/// ```no_run
/// use axum::{Router, routing::get};
/// use latchkey_client::{Client, axum::RequirePermission, permission};
///
/// permission!(InvoicesRead = "invoices:read");
///
/// async fn invoices(user: RequirePermission<InvoicesRead>) -> String {
///     format!("the invoices {} may see", user.sub)
/// }
///
/// # fn app(client: Client) -> Router {
/// Router::new().route("/invoices", get(invoices)).with_state(client)
/// # }
/// ```
///
/// The token says what the user could do when it was issued; a backend that must see a change
/// at once asks `Client::verify_token` instead.
pub struct RequirePermission<P: PermissionKey>(pub AuthUser, PhantomData<P>);

impl<P: PermissionKey> Deref for RequirePermission<P> {
    type Target = Claims;

    fn deref(&self) -> &Claims {
        &self.0
    }
}

impl<S, P> FromRequestParts<S> for RequirePermission<P>
where
    Client: FromRef<S>,
    S: Send + Sync,
    P: PermissionKey,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = <AuthUser as FromRequestParts<S>>::from_request_parts(parts, state).await?;
        if user.has_permission(P::KEY) {
            Ok(Self(user, PhantomData))
        } else {
            Err(AuthRejection::Forbidden(P::KEY))
        }
    }
}

/// The bearer token of the request: `None` without an `Authorization` header.
fn bearer(parts: &Parts) -> Result<Option<&str>, AuthRejection> {
    let Some(value) = parts.headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| AuthRejection::NotBearer)?;
    let (scheme, token) = value.split_once(' ').ok_or(AuthRejection::NotBearer)?;
    let token = token.trim();
    // RFC 7235 §2.1: the scheme is case-insensitive.
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(AuthRejection::NotBearer);
    }
    Ok(Some(token))
}

async fn verify(client: &Client, token: &str) -> Result<AuthUser, AuthRejection> {
    match client.verify_access_token(token).await {
        Ok(claims) => Ok(AuthUser(claims)),
        Err(Error::InvalidToken(why)) => Err(AuthRejection::InvalidToken(why)),
        Err(e) => Err(AuthRejection::Unavailable(e)),
    }
}

impl<S> FromRequestParts<S> for AuthUser
where
    Client: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let client = Client::from_ref(state);
        let token = bearer(parts)?.ok_or(AuthRejection::Missing)?;
        verify(&client, token).await
    }
}

impl<S> OptionalFromRequestParts<S> for AuthUser
where
    Client: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        let Some(token) = bearer(parts)? else {
            return Ok(None);
        };
        let client = Client::from_ref(state);
        verify(&client, token).await.map(Some)
    }
}
