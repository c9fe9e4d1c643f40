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

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::extract::{
    AppCtx, CookieSession, JsonBody, MaybeSigned, Meta, PageLimit, PathParams, RawBody,
    RefreshLimit, SESSION_COOKIE, SignInOrigin, Signed,
};
use super::openapi::{CredentialOptions, Problem, PublicKeyCredentialJson};
use super::wire::{
    AppConfig, CurrentSession, List, SecondFactorRequired, SessionResponse, SignInResponse,
};
use crate::auth::mfa::Remover;
use crate::auth::organizations::Membership;
use crate::auth::passkeys::{AuthenticateOptionsRequest, Passkey, RegisterOptionsRequest};
use crate::auth::roles::Access;
use crate::auth::sessions::RevokeReason;
use crate::auth::users::UserPatch;
use crate::auth::{App, Error, SessionId, SignIn, SignInOutcome, User};
use crate::crypto::Secret;

/// The browser API's operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    get_config,
    start_registration,
    finish_registration,
    start_authentication,
    finish_authentication,
    list_passkeys,
    rename_passkey,
    delete_passkey,
    refresh_session,
    list_sessions,
    current_session,
    current_permissions,
    sign_out,
    sign_out_everywhere,
    revoke_session,
    get_me,
    update_me,
    my_organizations,
    switch_organization,
    accept_invitation
))]
pub(super) struct Api;

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
        .route(
            "/apps/{app}/sessions",
            get(list_sessions).delete(sign_out_everywhere),
        )
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
        .route("/apps/{app}/me/organizations", get(my_organizations))
        .route(
            "/apps/{app}/sessions/current/organization",
            post(switch_organization),
        )
        .route(
            "/apps/{app}/invitations/{token}/accept",
            post(accept_invitation),
        )
}

/// How a sign-in call answers: the sign-in result with `status` and the session cookie (when
/// the session is new), or 200 asking for a second factor, with no session and no cookie.
pub(super) fn sign_in_response(
    state: &AppState,
    app: &App,
    status: StatusCode,
    outcome: &SignInOutcome,
) -> Response {
    match outcome {
        SignInOutcome::SignedIn(sign_in) => signed_in_response(state, app, status, sign_in),
        SignInOutcome::SecondFactorRequired(pending) => {
            let mut response = Json(SecondFactorRequired::from(pending)).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
    }
}

/// The sign-in result with `status`, and the session cookie when the session is new.
pub(super) fn signed_in_response(
    state: &AppState,
    app: &App,
    status: StatusCode,
    sign_in: &SignIn,
) -> Response {
    let mut response = (status, Json(SignInResponse::from(sign_in))).into_response();
    if let Some(cookie) = &sign_in.cookie
        && let Some(cookie) =
            state.cookie_header(app, SESSION_COOKIE, cookie.expose(), app.refresh_token_ttl)
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /apps/{app}/config`: what a login page needs to know. Public.
#[utoipa::path(
    get, path = "/apps/{app}/config", tag = "browser",
    summary = "The app's public configuration",
    description = "What a login page needs to know. Public.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The app's public configuration", body = AppConfig),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn get_config(
    State(state): State<AppState>,
    _: PageLimit,
    AppCtx(app): AppCtx,
) -> Json<AppConfig> {
    Json(AppConfig::new(&app, state.auth.tokens().issuer(&app)))
}

/// WebAuthn L3 §7.1 step 1: creation options for a sign-up or an added passkey.
#[utoipa::path(
    post, path = "/apps/{app}/passkeys/register/options", tag = "browser",
    summary = "Start a passkey registration",
    description = "Signed in: adds a passkey to the current user. Not signed in: starts a sign-up for `email`.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = RegisterOptionsRequest,
    responses(
        (status = 200, description = "Creation options for navigator.credentials.create()", body = CredentialOptions),
        (status = 400, description = "invalid_request: bad input, or sign-up is disabled for the app", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: that email has an account", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("session_cookie" = []), ("access_token" = [])),
)]
async fn start_registration(
    State(state): State<AppState>,
    _: SignInOrigin,
    MaybeSigned(app, principal): MaybeSigned,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<RegisterOptionsRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(
        state
            .auth
            .passkeys()
            .start_registration(&app, principal.as_ref(), req, &meta)
            .await?,
    ))
}

/// WebAuthn L3 §7.1: verifies the new credential, stores the passkey, signs in (201).
#[utoipa::path(
    post, path = "/apps/{app}/passkeys/register/verify", tag = "browser",
    summary = "Finish a passkey registration and sign in",
    description = "The `PublicKeyCredential` JSON from `navigator.credentials.create()`, plus an optional `name`. The ceremony is found from the challenge in `clientDataJSON`.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = PublicKeyCredentialJson,
    responses(
        (status = 201, description = "Signed in: the sign-in result; sets the session cookie", body = SignInResponse),
        (status = 400, description = "invalid_request or challenge_expired: malformed credential, or the ceremony expired or was used", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "invalid_credential: the attestation failed verification", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: the credential's origin is not one of the app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: the email got an account meanwhile, or the passkey is already registered", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn finish_registration(
    State(state): State<AppState>,
    _: SignInOrigin,
    AppCtx(app): AppCtx,
    Meta(meta): Meta,
    RawBody(body): RawBody,
) -> ApiResult<Response> {
    let outcome = state
        .auth
        .passkeys()
        .finish_registration(&app, &body, &meta)
        .await?;
    Ok(sign_in_response(
        &state,
        &app,
        StatusCode::CREATED,
        &outcome,
    ))
}

/// WebAuthn L3 §7.2 step 1: request options, discoverable unless an email is given.
#[utoipa::path(
    post, path = "/apps/{app}/passkeys/authenticate/options", tag = "browser",
    summary = "Start a passkey sign-in",
    description = "Without `email`: a discoverable (username-less) request with empty `allowCredentials`, fit for conditional mediation.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = AuthenticateOptionsRequest,
    responses(
        (status = 200, description = "Request options for navigator.credentials.get()", body = CredentialOptions),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn start_authentication(
    State(state): State<AppState>,
    _: SignInOrigin,
    AppCtx(app): AppCtx,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<AuthenticateOptionsRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(
        state
            .auth
            .passkeys()
            .start_authentication(&app, req, &meta)
            .await?,
    ))
}

/// WebAuthn L3 §7.2: verifies the assertion and signs in.
#[utoipa::path(
    post, path = "/apps/{app}/passkeys/authenticate/verify", tag = "browser",
    summary = "Finish a passkey sign-in",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = PublicKeyCredentialJson,
    responses(
        (status = 200, description = "Signed in: the sign-in result; sets the session cookie", body = SignInResponse),
        (status = 400, description = "invalid_request or challenge_expired", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "invalid_credential: the assertion failed verification or the passkey is unknown", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
)]
async fn finish_authentication(
    State(state): State<AppState>,
    _: SignInOrigin,
    MaybeSigned(app, requester): MaybeSigned,
    Meta(meta): Meta,
    RawBody(body): RawBody,
) -> ApiResult<Response> {
    let outcome = state
        .auth
        .passkeys()
        .finish_authentication(&app, &body, requester.as_ref(), &meta)
        .await?;
    Ok(sign_in_response(&state, &app, StatusCode::OK, &outcome))
}

#[utoipa::path(
    get, path = "/apps/{app}/passkeys", tag = "browser",
    summary = "List the current user's passkeys",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 200, description = "The current user's passkeys", body = List<Passkey>),
        (status = 401, description = "unauthorized: no or bad session", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn list_passkeys(
    State(state): State<AppState>,
    Signed(app, p): Signed,
) -> ApiResult<Json<List<Passkey>>> {
    let passkeys = state.auth.passkeys().list(&app, &p.user.id).await?;
    Ok(Json(passkeys.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct RenameRequest {
    name: String,
}

#[utoipa::path(
    patch, path = "/apps/{app}/passkeys/{id}", tag = "browser",
    summary = "Rename one of the current user's passkeys",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The passkey id (credential id, base64url)"),
    ),
    request_body = RenameRequest,
    responses(
        (status = 200, description = "The renamed passkey", body = Passkey),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no or bad session", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or passkey", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn rename_passkey(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<RenameRequest>,
) -> ApiResult<Json<Passkey>> {
    let passkey = state
        .auth
        .passkeys()
        .rename(&app, &p.user.id, &id, &req.name, &meta)
        .await?;
    Ok(Json(passkey))
}

#[utoipa::path(
    delete, path = "/apps/{app}/passkeys/{id}", tag = "browser",
    summary = "Delete one of the current user's passkeys",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The passkey id (credential id, base64url)"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "unauthorized: no or bad session", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or passkey", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn delete_passkey(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .passkeys()
        .delete(&app, &p.user.id, &id, Remover::User(&p.session), &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct RefreshRequest {
    refresh_token: Option<String>,
}

/// Rotates the refresh token (from the body) or refreshes the cookie's session.
/// An access token cannot refresh: only the refresh token or the browser's cookie can.
#[utoipa::path(
    post, path = "/apps/{app}/sessions/refresh", tag = "browser",
    summary = "Refresh a session",
    description = "With `refresh_token` in the body, or the session cookie. An access token cannot refresh.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new sign-in result; the old refresh token stops working", body = SignInResponse),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no, unknown or already-rotated refresh token (a reused one revokes the session)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many requests (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("session_cookie" = [])),
)]
async fn refresh_session(
    State(state): State<AppState>,
    _: RefreshLimit,
    _: SignInOrigin,
    CookieSession(app, principal): CookieSession,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<RefreshRequest>,
) -> ApiResult<Response> {
    let sessions = state.auth.sessions();
    let sign_in = match (req.refresh_token, principal) {
        (Some(token), _) => {
            sessions
                .refresh(&app, &Secret::from_presented(token), &meta)
                .await?
        }
        (None, Some(p)) => sessions.refresh_cookie_session(&app, p).await?,
        (None, None) => {
            return Err(Error::Unauthorized(
                "send refresh_token in the body, or the session cookie".to_owned(),
            )
            .into());
        }
    };
    Ok(signed_in_response(&state, &app, StatusCode::OK, &sign_in))
}

#[utoipa::path(
    get, path = "/apps/{app}/sessions", tag = "browser",
    summary = "List the current user's sessions",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 200, description = "The current user's active sessions", body = List<SessionResponse>),
        (status = 401, description = "unauthorized: no or bad session", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn list_sessions(
    State(state): State<AppState>,
    Signed(app, p): Signed,
) -> ApiResult<Json<List<SessionResponse>>> {
    let sessions = state.auth.sessions().list(&app, &p.user.id).await?;
    let current = Some(&p.session.id);
    let items = sessions
        .iter()
        .map(|s| SessionResponse::new(s, current))
        .collect::<Vec<_>>();
    Ok(Json(items.into()))
}

#[utoipa::path(
    get, path = "/apps/{app}/sessions/current", tag = "browser",
    summary = "The current user and session",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 200, description = "The signed-in user and session", body = CurrentSession),
        (status = 401, description = "unauthorized: no or bad session", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn current_session(Signed(_, p): Signed) -> Json<CurrentSession> {
    Json(CurrentSession {
        user: p.user.clone(),
        session: SessionResponse::new(&p.session, Some(&p.session.id)),
    })
}

/// What the signed-in user may do: the session's organization, the user's roles and the union
/// of their permissions, as they stand now.
#[utoipa::path(
    get, path = "/apps/{app}/sessions/current/permissions", tag = "browser",
    summary = "The current user's roles and permissions",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 200, description = "Roles and permissions", body = Access),
        (status = 401, description = "unauthorized: no or bad session", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn current_permissions(
    State(state): State<AppState>,
    Signed(app, p): Signed,
) -> ApiResult<Json<Access>> {
    Ok(Json(
        state
            .auth
            .roles()
            .access(&app, &p.user.id, p.session.org_id.as_deref())
            .await?,
    ))
}

/// Signs out: revokes the session (if there still is one) and clears the cookie. Signing out
/// twice, or with a cookie whose session already ended, is not an error.
#[utoipa::path(
    delete, path = "/apps/{app}/sessions/current", tag = "browser",
    summary = "Sign out",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("session_cookie" = []), ("access_token" = [])),
)]
async fn sign_out(
    State(state): State<AppState>,
    MaybeSigned(app, principal): MaybeSigned,
    Meta(meta): Meta,
) -> ApiResult<Response> {
    if let Some(p) = principal {
        state
            .auth
            .sessions()
            .revoke(
                &app,
                &p.user.id,
                &p.session.id,
                RevokeReason::SignOut,
                &meta,
            )
            .await?;
    }
    Ok(signed_out(&state, &app))
}

/// The answer to a sign-out: 204, and the session cookie cleared.
fn signed_out(state: &AppState, app: &App) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(cookie) = state.cookie_header(app, SESSION_COOKIE, "", 0) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// Signs out everywhere: revokes every session of the current user, this one included, and
/// clears the cookie.
#[utoipa::path(
    delete, path = "/apps/{app}/sessions", tag = "browser",
    summary = "Sign out everywhere",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 204, description = "Every session of the user is revoked; the cookie is cleared"),
        (status = 401, description = "unauthorized: no or bad session", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn sign_out_everywhere(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    Meta(meta): Meta,
) -> ApiResult<Response> {
    state
        .auth
        .sessions()
        .revoke_all(&app, &p.user.id, RevokeReason::SignOut, &meta)
        .await?;
    Ok(signed_out(&state, &app))
}

#[utoipa::path(
    delete, path = "/apps/{app}/sessions/{id}", tag = "browser",
    summary = "Revoke one of the current user's other sessions",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The session id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "unauthorized: no or bad session", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or session", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn revoke_session(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, id)): PathParams<(String, SessionId)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .sessions()
        .revoke(&app, &p.user.id, &id, RevokeReason::RevokedByUser, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/apps/{app}/me", tag = "browser",
    summary = "The current user",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 200, description = "The current user", body = User),
        (status = 401, description = "unauthorized: no or bad session", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn get_me(Signed(_, p): Signed) -> Json<User> {
    Json(p.user)
}

#[utoipa::path(
    patch, path = "/apps/{app}/me", tag = "browser",
    summary = "Update the current user",
    description = "May change `given_name`, `family_name`, `display_name`, `metadata`; not `email`.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = UserPatch,
    responses(
        (status = 200, description = "The updated user", body = User),
        (status = 400, description = "invalid_request: bad input, or a field only the backend may change (email, email_verified, disabled)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no or bad session", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn update_me(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    Meta(meta): Meta,
    JsonBody(patch): JsonBody<UserPatch>,
) -> ApiResult<Json<User>> {
    if patch.has_privileged_fields() {
        return Err(ApiError(Error::InvalidRequest(
            "only given_name, family_name, display_name and metadata can be changed here"
                .to_owned(),
        )));
    }
    let user = state
        .auth
        .users()
        .update(&app, &p.user.id, patch, &meta)
        .await?;
    Ok(Json(user))
}

/// The signed-in user's organizations and their roles there.
#[utoipa::path(
    get, path = "/apps/{app}/me/organizations", tag = "browser",
    summary = "The current user's organizations",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    responses(
        (status = 200, description = "The memberships, by organization id", body = List<Membership>),
        (status = 401, description = "unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn my_organizations(
    State(state): State<AppState>,
    Signed(app, p): Signed,
) -> ApiResult<Json<List<Membership>>> {
    Ok(Json(
        state
            .auth
            .organizations()
            .of_user(&app, &p.user.id)
            .await?
            .into(),
    ))
}

/// `{"org_id": "…"}`, or `{"org_id": null}` to act for no organization.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct SwitchOrganization {
    #[schema(nullable = true)]
    org_id: Option<String>,
}

#[utoipa::path(
    post, path = "/apps/{app}/sessions/current/organization", tag = "browser",
    summary = "Act for one of your organizations",
    description = "Sets the session's active organization (the user must be a member; `null` leaves it). The answer is the sign-in result of the session going on: new tokens whose `org_id`, `roles` and `permissions` are the organization's (the old refresh token is spent). A session has at most one active organization; it ends if the membership or the organization does.",
    params(("app" = String, Path, description = "The app id")),
    request_body = SwitchOrganization,
    responses(
        (status = 200, description = "The session, now acting for the organization", body = SignInResponse),
        (status = 400, description = "invalid_request: a malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "forbidden: not a member of that organization (or there is none); origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn switch_organization(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    Meta(meta): Meta,
    JsonBody(req): JsonBody<SwitchOrganization>,
) -> ApiResult<Response> {
    let sign_in = state
        .auth
        .organizations()
        .switch(&app, p, req.org_id, &meta)
        .await?;
    Ok(signed_in_response(&state, &app, StatusCode::OK, &sign_in))
}

#[utoipa::path(
    post, path = "/apps/{app}/invitations/{token}/accept", tag = "browser",
    summary = "Accept an invitation to an organization",
    description = "`token` is the `lk_inv_…` of the invitation's link. The signed-in user must be signed in with the invited address (the link proves it, so an unverified address becomes verified); they become a member with the invited roles. Switch to the organization with `sessions/current/organization`.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("token" = String, Path, description = "The invitation link's token"),
    ),
    responses(
        (status = 200, description = "The membership", body = Membership),
        (status = 401, description = "unauthorized: not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "forbidden: the invitation is for another address; origin_not_allowed: a cookie-authenticated change without an allowed Origin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app, or the invitation does not exist, was withdrawn, used or has expired", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "rate_limited: too many attempts from this network (see Retry-After)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("session_cookie" = []), ("access_token" = [])),
)]
async fn accept_invitation(
    State(state): State<AppState>,
    Signed(app, p): Signed,
    PathParams((_, token)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<Json<Membership>> {
    let membership = state
        .auth
        .organizations()
        .accept(&app, &p, &token, &meta)
        .await?;
    Ok(Json(membership))
}
