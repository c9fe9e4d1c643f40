//! Problem details (RFC 9457): the one way every failure leaves the server.
//!
//! Domain errors map to a status and a stable `code`; 5xx causes are logged here, once, and
//! shown to the caller only as a generic sentence.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::auth::Error;

/// An error on its way to becoming a problem-details response.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

impl From<crate::auth::store::StoreError> for ApiError {
    fn from(e: crate::auth::store::StoreError) -> Self {
        Self(e.into())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Builds a problem-details response.
pub fn problem(status: StatusCode, code: &str, detail: &str) -> Response {
    problem_with(status, code, detail, None)
}

/// Builds a problem-details response with one extension member.
pub fn problem_with(
    status: StatusCode,
    code: &str,
    detail: &str,
    extra: Option<(&str, serde_json::Value)>,
) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    let mut body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "code": code,
        "detail": detail,
    });
    if let (Some((name, value)), Some(map)) = (extra, body.as_object_mut()) {
        map.insert(name.to_owned(), value);
    }
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
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
            Error::InvalidCredential(_) | Error::UnknownCredential { .. } => {
                (StatusCode::UNAUTHORIZED, "invalid_credential")
            }
            Error::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Error::InvalidCode { .. } => (StatusCode::UNAUTHORIZED, "invalid_code"),
            Error::LinkOtherBrowser(_) => (StatusCode::FORBIDDEN, "link_other_browser"),
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
        let mut extra = match &self.0 {
            Error::InvalidCode { attempts_left, .. } => {
                Some(("attempts_left", json!(attempts_left)))
            }
            Error::RateLimited { retry_after, .. } => Some(("retry_after", json!(retry_after))),
            _ => None,
        };
        if let Error::UnknownCredential { credential_id, .. } = &self.0 {
            extra = Some((
                "unknown_credential",
                json!({ "credential_id": credential_id }),
            ));
        }
        let mut response = problem_with(status, code, &self.0.to_string(), extra);
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
