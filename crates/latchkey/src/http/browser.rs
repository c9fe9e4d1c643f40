//! The browser API (`/apps/{app}/…` called from the app's pages): passkey ceremonies, the
//! signed-in user's passkeys and sessions, and `/me`. CORS allows exactly the app's origins;
//! cookie-authenticated changes must carry an allowed `Origin` (see `extract`).

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::extract::{
    AppCtx, CookieSession, JsonBody, MaybeSigned, Meta, PathParams, RawBody, SESSION_COOKIE,
    SignInOrigin, Signed,
};
use super::wire::{PasskeyResponse, SessionResponse, SignInResponse, UserResponse};
use crate::auth::Error;
use crate::auth::passkey::{AuthenticateOptionsRequest, RegisterOptionsRequest};
use crate::auth::session::SignIn;
use crate::auth::user::UserPatch;
use crate::store::apps::App;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/apps/{app}/config", get(get_config))
        .route(
            "/apps/{app}/passkeys/register/options",
            post(start_registration),
        )
        .route(
            "/apps/{app}/passkeys/register/verify",
            post(finish_registration),
        )
        .route(
            "/apps/{app}/passkeys/authenticate/options",
            post(start_authentication),
        )
        .route(
            "/apps/{app}/passkeys/authenticate/verify",
            post(finish_authentication),
        )
        .route("/apps/{app}/passkeys", get(list_passkeys))
        .route(
            "/apps/{app}/passkeys/{id}",
            patch(rename_passkey).delete(delete_passkey),
        )
        .route("/apps/{app}/sessions/refresh", post(refresh_session))
        .route("/apps/{app}/sessions", get(list_sessions))
        .route(
            "/apps/{app}/sessions/current",
            get(current_session).delete(sign_out),
        )
        .route(
            "/apps/{app}/sessions/current/permissions",
            get(current_permissions),
        )
        .route(
            "/apps/{app}/sessions/{id}",
            axum::routing::delete(revoke_session),
        )
        .route("/apps/{app}/me", get(get_me).patch(update_me))
}

/// The `Set-Cookie` value for the session cookie, scoped to the app's paths.
pub(super) fn session_cookie_header(
    state: &AppState,
    app: &App,
    value: &str,
    max_age: i64,
) -> Option<HeaderValue> {
    let secure = if state.config.is_https() {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/apps/{}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
        app.id
    ))
    .ok()
}

/// The sign-in result, with the session cookie set when the session is new.
pub(super) fn sign_in_response(
    state: &AppState,
    app: &App,
    status: StatusCode,
    sign_in: &SignIn,
) -> Response {
    let mut response = (status, Json(SignInResponse::from(sign_in))).into_response();
    if !sign_in.cookie.is_empty()
        && let Some(cookie) =
            session_cookie_header(state, app, &sign_in.cookie, app.refresh_token_ttl)
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /apps/{app}/config`: what a login page needs to know. Public.
async fn get_config(State(state): State<AppState>, AppCtx(app): AppCtx) -> Json<serde_json::Value> {
    Json(json!({
        "app_id": app.id,
        "name": app.name,
        "rp_id": app.rp_id,
        "methods": state.auth.methods(&app),
        "social_providers": [],
        "sign_up_allowed": app.sign_up_allowed,
        "user_verification": app.user_verification,
    }))
}

/// WebAuthn L3 §7.1 step 1: creation options for a sign-up or an added passkey.
async fn start_registration(
    State(state): State<AppState>,
    _: SignInOrigin,
    MaybeSigned(app, principal): MaybeSigned,
    JsonBody(req): JsonBody<RegisterOptionsRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(
        state
            .auth
            .start_registration(&app, principal.as_ref(), req)
            .await?,
    ))
}

/// WebAuthn L3 §7.1: verifies the new credential, stores the passkey, signs in (201).
async fn finish_registration(
    State(state): State<AppState>,
    _: SignInOrigin,
    AppCtx(app): AppCtx,
    Meta(meta): Meta,
    RawBody(body): RawBody,
) -> ApiResult<Response> {
    let sign_in = state.auth.finish_registration(&app, &body, &meta).await?;
    Ok(sign_in_response(
        &state,
        &app,
        StatusCode::CREATED,
        &sign_in,
    ))
}

/// WebAuthn L3 §7.2 step 1: request options, discoverable unless an email is given.
async fn start_authentication(
    State(state): State<AppState>,
    _: SignInOrigin,
    AppCtx(app): AppCtx,
    JsonBody(req): JsonBody<AuthenticateOptionsRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(state.auth.start_authentication(&app, req).await?))
}

/// WebAuthn L3 §7.2: verifies the assertion and signs in.
async fn finish_authentication(
    State(state): State<AppState>,
    _: SignInOrigin,
    AppCtx(app): AppCtx,
    Meta(meta): Meta,
    RawBody(body): RawBody,
) -> ApiResult<Response> {
    let sign_in = state.auth.finish_authentication(&app, &body, &meta).await?;
    Ok(sign_in_response(&state, &app, StatusCode::OK, &sign_in))
}

async fn list_passkeys(
    State(state): State<AppState>,
    Signed(app, p): Signed,
) -> ApiResult<Json<serde_json::Value>> {
    let passkeys = state.auth.list_passkeys(&app, &p.user.id).await?;
    let items: Vec<PasskeyResponse> = passkeys.iter().map(Into::into).collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenameRequest {
    name: String,
}

async fn rename_passkey(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<RenameRequest>,
) -> ApiResult<Json<PasskeyResponse>> {
    let passkey = state
        .auth
        .rename_passkey(&app, &p.user.id, &id, &req.name, &meta)
        .await?;
    Ok(Json((&passkey).into()))
}

async fn delete_passkey(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .delete_passkey(&app, &p.user.id, &id, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RefreshRequest {
    refresh_token: Option<String>,
}

/// Rotates the refresh token (from the body) or refreshes the cookie's session.
/// An access token cannot refresh: only the refresh token or the browser's cookie can.
async fn refresh_session(
    State(state): State<AppState>,
    _: SignInOrigin,
    CookieSession(app, principal): CookieSession,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<RefreshRequest>,
) -> ApiResult<Response> {
    let sign_in = match (req.refresh_token, principal) {
        (Some(token), _) => state.auth.refresh(&app, &token, &meta).await?,
        (None, Some(p)) => state.auth.refresh_cookie_session(&app, p).await?,
        (None, None) => {
            return Err(Error::Unauthorized(
                "send refresh_token in the body, or the session cookie".to_owned(),
            )
            .into());
        }
    };
    Ok(sign_in_response(&state, &app, StatusCode::OK, &sign_in))
}

async fn list_sessions(
    State(state): State<AppState>,
    Signed(app, p): Signed,
) -> ApiResult<Json<serde_json::Value>> {
    let sessions = state.auth.list_sessions(&app, &p.user.id).await?;
    let items: Vec<SessionResponse> = sessions
        .iter()
        .map(|s| SessionResponse::new(s, Some(&p.session.id)))
        .collect();
    Ok(Json(json!({ "items": items })))
}

async fn current_session(Signed(_, p): Signed) -> Json<serde_json::Value> {
    Json(json!({
        "user": UserResponse::from(&p.user),
        "session": SessionResponse::new(&p.session, Some(&p.session.id)),
    }))
}

/// Roles and permissions of the signed-in user (none until roles exist).
async fn current_permissions(Signed(_, _p): Signed) -> Json<serde_json::Value> {
    Json(json!({ "roles": [], "permissions": [] }))
}

/// Signs out: revokes the session (if there still is one) and clears the cookie. Signing out
/// twice, or with a cookie whose session already ended, is not an error.
async fn sign_out(
    State(state): State<AppState>,
    MaybeSigned(app, principal): MaybeSigned,
    Meta(meta): Meta,
) -> ApiResult<Response> {
    if let Some(p) = principal {
        state
            .auth
            .revoke_session(&app, &p.user.id, &p.session.id, "sign_out", &meta)
            .await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(cookie) = session_cookie_header(&state, &app, "", 0) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

async fn revoke_session(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .revoke_session(&app, &p.user.id, &id, "revoked_by_user", &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn get_me(Signed(_, p): Signed) -> Json<UserResponse> {
    Json((&p.user).into())
}

async fn update_me(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    Meta(meta): Meta,
    JsonBody(patch): JsonBody<UserPatch>,
) -> ApiResult<Json<UserResponse>> {
    if patch.has_privileged_fields() {
        return Err(ApiError(Error::InvalidRequest(
            "only given_name, family_name, display_name and metadata can be changed here"
                .to_owned(),
        )));
    }
    let user = state
        .auth
        .update_user(&app, &p.user.id, patch, &meta)
        .await?;
    Ok(Json((&user).into()))
}
