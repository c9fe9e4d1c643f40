//! Problem details (RFC 9457): the one way every failure leaves the server.
//!
//! Domain errors map to a status and a stable `code`; 5xx causes are logged here, once, and
//! shown to the caller only as a generic sentence.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::auth::Error;

/// An error on its way to becoming a problem-details response.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// An RFC 9457 problem details body (`application/problem+json`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`.
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: &'static str,
    /// The HTTP status's reason phrase.
    #[schema(example = "Bad Request")]
    pub title: &'static str,
    /// The HTTP status code.
    #[schema(example = 400)]
    pub status: u16,
    /// A stable, machine-readable error code, e.g. `invalid_request`, `unauthorized`,
    /// `forbidden`, `not_found`, `conflict`, `payload_too_large`, `rate_limited`,
    /// `challenge_expired`, `invalid_credential`, `invalid_code`, `origin_not_allowed`,
    /// `link_other_browser`.
    #[schema(example = "invalid_request")]
    pub code: &'static str,
    /// What was wrong with the input, as a sentence.
    pub detail: String,
    /// With `invalid_code`: attempts left on the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<i64>,
    /// With `rate_limited`: seconds to wait (also the `Retry-After` header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// With `invalid_credential` for a passkey this app does not know: its id, so the browser
    /// can be told to forget it (WebAuthn Signal API).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_credential: Option<UnknownCredential>,
}

/// The `unknown_credential` member of a problem.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnknownCredential {
    pub credential_id: String,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            code,
            detail: detail.into(),
            attempts_left: None,
            retry_after: None,
            unknown_credential: None,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

/// Builds a problem-details response.
pub fn problem(status: StatusCode, code: &'static str, detail: &str) -> Response {
    Problem::new(status, code, detail).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self.0 {
            Error::InvalidRequest(_) => (StatusCode::BAD_REQUEST, "invalid_request"),
            Error::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Error::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Error::OriginNotAllowed(_) => (StatusCode::FORBIDDEN, "origin_not_allowed"),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Error::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Error::ChallengeExpired(_) => (StatusCode::BAD_REQUEST, "challenge_expired"),
            Error::InvalidCredential(_)
            | Error::AssertionRefused { .. }
            | Error::UnknownCredential { .. } => (StatusCode::UNAUTHORIZED, "invalid_credential"),
            Error::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Error::InvalidCode { .. } => (StatusCode::UNAUTHORIZED, "invalid_code"),
            Error::ReauthenticationRequired(_) => {
                (StatusCode::UNAUTHORIZED, "reauthentication_required")
            }
            Error::LinkOtherBrowser(_) => (StatusCode::FORBIDDEN, "link_other_browser"),
            Error::OAuth { .. } => (StatusCode::BAD_REQUEST, "invalid_request"),
            Error::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                return problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "the server failed to handle this request; it has been logged",
                );
            }
        };
        // RFC 9457 extension members: what a client needs to act on the error.
        let mut body = Problem::new(status, code, self.0.to_string());
        match &self.0 {
            Error::InvalidCode { attempts_left, .. } => body.attempts_left = *attempts_left,
            Error::RateLimited { retry_after, .. } => body.retry_after = Some(*retry_after),
            Error::UnknownCredential { credential_id, .. } => {
                body.unknown_credential = Some(UnknownCredential {
                    credential_id: credential_id.clone(),
                });
            }
            _ => {}
        }
        let mut response = body.into_response();
        if let Error::RateLimited { retry_after, .. } = &self.0
            && let Ok(v) = HeaderValue::from_str(&retry_after.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
