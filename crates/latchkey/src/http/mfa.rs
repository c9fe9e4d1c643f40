//! Multi-factor authentication on the browser API: the signed-in user's second factors
//! (authenticator apps), backup codes, and re-authentication. The second step of a sign-in is
//! `POST /apps/{app}/sessions` (see `email`), or a passkey through `passkeys/authenticate/*`.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::Deserialize;

use super::AppState;
use super::browser::signed_in_response;
use super::error::ApiResult;
use super::extract::{JsonBody, Meta, PathParams, Signed};
use super::openapi::Problem;
use super::wire::SignInResponse;
use crate::auth::mfa::{ActivatedFactor, BackupCodes, Factors, Remover, TotpEnrollment};
use crate::auth::sign_in::SecondFactor;

/// The operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_factors,
    enroll_totp,
    totp_qr,
    verify_totp,
    remove_factor,
    regenerate_backup_codes,
    reauthenticate
))]
pub(super) struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/apps/{app}/mfa/factors", get(list_factors))
        .route("/apps/{app}/mfa/factors/{id}", delete(remove_factor))
        .route("/apps/{app}/mfa/totp", post(enroll_totp))
        .route("/apps/{app}/mfa/totp/{id}/qr.svg", get(totp_qr))
        .route("/apps/{app}/mfa/totp/{id}/verify", post(verify_totp))
        .route(
            "/apps/{app}/mfa/backup-codes",
            post(regenerate_backup_codes),
        )
        .route(
            "/apps/{app}/sessions/current/reauthenticate",
            post(reauthenticate),
        )
}

/// A response that holds a secret: never cached.
fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[utoipa::path(
    get, path = "/apps/{app}/mfa/factors", tag = "mfa",
    summary = "The current user's second factors",
    description = "The active factors and how many backup codes are left.",
    params(("app" = String, Path, description = "The app id")),
    responses(
        (status = 200, description = "The factors", body = Factors),
        (status = 401, description = "unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn list_factors(
    State(state): State<AppState>,
    Signed(app, p): Signed,
) -> ApiResult<Json<Factors>> {
    Ok(Json(state.auth.mfa().factors(&app, &p.user.id).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct EnrollRequest {
    /// What the user calls it (default "Authenticator app").
    name: Option<String>,
}

#[utoipa::path(
    post, path = "/apps/{app}/mfa/totp", tag = "mfa",
    summary = "Start enrolling an authenticator app",
    description = "A pending factor: its secret, `otpauth://` URI and QR code. It becomes active when `mfa/totp/{id}/verify` receives a first code from it (within 15 minutes). Any other pending factor of the user is dropped.",
    params(("app" = String, Path, description = "The app id")),
    request_body = EnrollRequest,
    responses(
        (status = 201, description = "The pending factor", body = TotpEnrollment),
        (status = 400, description = "invalid_request: a bad name, or the app's mfa setting is off", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: the user has as many factors as one may have", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn enroll_totp(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<EnrollRequest>,
) -> ApiResult<Response> {
    let enrollment = state
        .auth
        .mfa()
        .enroll_totp(&app, &p, req.name, &meta)
        .await?;
    Ok(no_store(
        (StatusCode::CREATED, Json(enrollment)).into_response(),
    ))
}

#[utoipa::path(
    get, path = "/apps/{app}/mfa/totp/{id}/qr.svg", tag = "mfa",
    summary = "A pending factor's QR code",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The pending factor's id"),
    ),
    responses(
        (status = 200, description = "The QR code of the factor's otpauth:// URI", body = String, content_type = "image/svg+xml"),
        (status = 401, description = "unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no pending factor with that id", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn totp_qr(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, id)): PathParams<(String, String)>,
) -> ApiResult<Response> {
    let svg = state.auth.mfa().pending_qr(&app, &p, &id).await?;
    let mut response = no_store(svg.into_response());
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    Ok(response)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct CodeRequest {
    /// A code the authenticator app shows now.
    code: String,
}

#[utoipa::path(
    post, path = "/apps/{app}/mfa/totp/{id}/verify", tag = "mfa",
    summary = "Activate a pending authenticator app with a first code",
    description = "The user's first factor also returns ten backup codes, shown this once.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The pending factor's id"),
    ),
    request_body = CodeRequest,
    responses(
        (status = 200, description = "The active factor (and backup codes with the first)", body = ActivatedFactor),
        (status = 400, description = "invalid_request: the code is not 6 digits", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "invalid_code: the code is not right; unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no pending factor with that id", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many wrong codes for this account", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn verify_totp(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<CodeRequest>,
) -> ApiResult<Response> {
    let activated = state
        .auth
        .mfa()
        .verify_totp(&app, &p, &id, &req.code, &meta)
        .await?;
    Ok(no_store(Json(activated).into_response()))
}

#[utoipa::path(
    delete, path = "/apps/{app}/mfa/factors/{id}", tag = "mfa",
    summary = "Remove one of the current user's factors",
    description = "Needs a recent authentication (within 5 minutes).",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The factor id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "reauthentication_required: the session's last authentication is over 5 minutes old; unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such factor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn remove_factor(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .mfa()
        .remove_factor(&app, &p.user.id, &id, Remover::User(&p.session), &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post, path = "/apps/{app}/mfa/backup-codes", tag = "mfa",
    summary = "Make a new set of backup codes",
    description = "Ten single-use codes, shown this once; the old set stops working. Needs a recent authentication (within 5 minutes).",
    params(("app" = String, Path, description = "The app id")),
    responses(
        (status = 200, description = "The new codes", body = BackupCodes),
        (status = 400, description = "invalid_request: the app's mfa setting is off", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "reauthentication_required: the session's last authentication is over 5 minutes old; unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn regenerate_backup_codes(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    Meta(meta): Meta,
) -> ApiResult<Response> {
    let codes = state
        .auth
        .mfa()
        .regenerate_backup_codes(&app, &p, &meta)
        .await?;
    Ok(no_store(Json(codes).into_response()))
}

/// `{"method": "totp"|"backup_code", "code"}`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct ReauthenticateRequest {
    method: SecondFactor,
    code: String,
}

#[utoipa::path(
    post, path = "/apps/{app}/sessions/current/reauthenticate", tag = "mfa",
    summary = "Prove it is you again, with a second-factor code",
    description = "Moves the session's `auth_time` to now and adds the factor to its `amr`, without a new session: the answer is the sign-in result of the session going on (new tokens; the old refresh token is spent). A passkey does the same through `passkeys/authenticate/*` while signed in.",
    params(("app" = String, Path, description = "The app id")),
    request_body = ReauthenticateRequest,
    responses(
        (status = 200, description = "The session, re-authenticated", body = SignInResponse),
        (status = 400, description = "invalid_request: a malformed code, or method passkey", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "invalid_code: the code is not right; unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many wrong codes for this account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn reauthenticate(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<ReauthenticateRequest>,
) -> ApiResult<Response> {
    let sign_in = state
        .auth
        .mfa()
        .reauthenticate(&app, p, req.method, &req.code, &meta)
        .await?;
    Ok(signed_in_response(&state, &app, StatusCode::OK, &sign_in))
}
