//! Operations and standards endpoints: liveness, readiness, metrics, and each app's JWKS.

use super::AppState;
use super::error::{ApiError, ApiResult, problem};
use super::extract::{AppCtx, Meta, PageLimit, bearer};
use super::openapi::Problem;
use super::wire::Status;
use crate::auth::Error;
use crate::auth::tokens::Jwks;
use crate::crypto::{ct_eq, hash_secret};
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The operations endpoints, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(health, ready, metrics, jwks))]
pub(super) struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
        .route("/apps/{app}/.well-known/jwks.json", get(jwks))
}

/// Liveness: the process answers.
#[utoipa::path(
    get, path = "/health", tag = "standards",
    summary = "Liveness",
    responses(
        (status = 200, description = "The process answers", body = Status),
    ),
)]
async fn health() -> Json<Status> {
    Json(Status { status: "ok" })
}

/// Readiness: the store answers too.
#[utoipa::path(
    get, path = "/ready", tag = "standards",
    summary = "Readiness",
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The storage answers too", body = Status),
        (status = 503, description = "not_ready: the database does not answer", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn ready(State(state): State<AppState>, _: PageLimit) -> Response {
    if state.auth.maintenance().ready().await {
        Json(Status { status: "ready" }).into_response()
    } else {
        problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "the database does not answer",
        )
    }
}

/// Prometheus text exposition.
#[utoipa::path(
    get, path = "/metrics", tag = "standards",
    summary = "Prometheus metrics",
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain; version=0.0.4"),
        (status = 401, description = "unauthorized: LATCHKEY_METRICS_TOKEN is set and the request does not carry it", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("metrics_token" = [])),
)]
async fn metrics(
    State(state): State<AppState>,
    _: PageLimit,
    headers: HeaderMap,
    Meta(meta): Meta,
) -> Response {
    if let Some(expected) = &state.config.metrics_token {
        // Compared as hashes, as keys are: in constant time, whatever the lengths.
        let matches = bearer(&headers)
            .is_some_and(|presented| ct_eq(&presented.hash(), &hash_secret(expected)));
        if !matches {
            let refused = Error::Unauthorized(
                "send the metrics token as Authorization: Bearer <token>".to_owned(),
            );
            return ApiError(state.auth.throttle().bad_key(&meta, refused)).into_response();
        }
    }
    let mut response = state.metrics.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}

/// The app's public signing keys (current and recently retired).
#[utoipa::path(
    get, path = "/apps/{app}/.well-known/jwks.json", tag = "standards",
    summary = "The app's JWKS",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The app's public signing keys (current and still-valid previous)", body = Jwks),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
)]
async fn jwks(
    State(state): State<AppState>,
    _: PageLimit,
    AppCtx(app): AppCtx,
) -> ApiResult<Response> {
    let mut response = Json(state.auth.tokens().jwks(&app).await?).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    // Public keys: any page may read them (a client of the OpenID Provider in a browser).
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Ok(response)
}
