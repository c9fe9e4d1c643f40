//! Operations and standards endpoints: liveness, readiness, metrics, and each app's JWKS.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::AppState;
use super::error::{ApiResult, problem};
use super::extract::AppCtx;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
        .route("/apps/{app}/.well-known/jwks.json", get(jwks))
}

/// Liveness: the process answers.
async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: the store answers too.
async fn ready(State(state): State<AppState>) -> Response {
    if state.auth.store.ping().await {
        Json(json!({ "status": "ready" })).into_response()
    } else {
        problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "the database does not answer",
        )
    }
}

/// Prometheus text exposition.
async fn metrics(State(state): State<AppState>) -> Response {
    let mut response = state.metrics.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}

/// The app's public signing keys (current and recently retired).
async fn jwks(State(state): State<AppState>, AppCtx(app): AppCtx) -> ApiResult<Response> {
    let mut response = Json(state.auth.jwks(&app).await?).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(response)
}
