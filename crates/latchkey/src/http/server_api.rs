//! The server API (`/apps/{app}/…` called by the app's backend with an API key): token
//! verification, user management, a user's passkeys and sessions, and the audit log. No CORS.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;

use super::AppState;
use super::error::ApiResult;
use super::extract::{ApiKeyAuth, JsonBody, Meta, Paging, PathParams, QueryParams};
use super::openapi::Problem;
use super::wire::{EventResponse, List, Page, SessionResponse, TokenVerification};
use crate::auth::events::{EventFilter, EventKind};
use crate::auth::mfa::{Factors, Remover};
use crate::auth::passkeys::Passkey;
use crate::auth::sessions::RevokeReason;
use crate::auth::users::{NewUser, UserFilter, UserPatch};
use crate::auth::{Error, SessionId, User, UserId};
use crate::crypto::Secret;

/// The server API's operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        verify_token,
        list_users,
        create_user,
        get_user,
        update_user,
        delete_user,
        list_user_passkeys,
        delete_user_passkey,
        list_user_factors,
        delete_user_factor,
        list_user_sessions,
        revoke_user_sessions,
        revoke_user_session,
        list_events
    ),
    components(schemas(EventKind))
)]
pub(super) struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/apps/{app}/tokens/verify", post(verify_token))
        .route("/apps/{app}/users", get(list_users).post(create_user))
        .route(
            "/apps/{app}/users/{id}",
            get(get_user).patch(update_user).delete(delete_user),
        )
        .route("/apps/{app}/users/{id}/passkeys", get(list_user_passkeys))
        .route(
            "/apps/{app}/users/{id}/passkeys/{pid}",
            axum::routing::delete(delete_user_passkey),
        )
        .route("/apps/{app}/users/{id}/mfa/factors", get(list_user_factors))
        .route(
            "/apps/{app}/users/{id}/mfa/factors/{fid}",
            axum::routing::delete(delete_user_factor),
        )
        .route(
            "/apps/{app}/users/{id}/sessions",
            get(list_user_sessions).delete(revoke_user_sessions),
        )
        .route(
            "/apps/{app}/users/{id}/sessions/{sid}",
            axum::routing::delete(revoke_user_session),
        )
        .route("/apps/{app}/events", get(list_events))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct VerifyRequest {
    token: String,
}

/// Verifies an access token against the live session, or redeems an `auth_token` once.
#[utoipa::path(
    post, path = "/apps/{app}/tokens/verify", tag = "server",
    summary = "Verify an access token or redeem an auth_token",
    description = "An `auth_token` is consumed: a second redemption is invalid.",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "valid: true with the user, or valid: false with error (also once the session is revoked or the user disabled)", body = TokenVerification),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn verify_token(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    JsonBody(req): JsonBody<VerifyRequest>,
) -> ApiResult<Json<TokenVerification>> {
    let token = Secret::from_presented(req.token.trim().to_owned());
    let outcome = state.auth.sessions().verify_token(&app, &token).await?;
    Ok(Json(TokenVerification::of(outcome)))
}

#[derive(Deserialize)]
struct UserQuery {
    email: Option<String>,
    query: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/apps/{app}/users", tag = "server",
    summary = "List users",
    params(
        ("app" = String, Path, description = "The app id"),
        ("email" = Option<String>, Query, description = "Exact email"),
        ("query" = Option<String>, Query, description = "Search in email and names"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of users", body = Page<User>),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_users(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    QueryParams(q): QueryParams<UserQuery>,
) -> ApiResult<Json<Page<User>>> {
    let paging = Paging {
        limit: q.limit,
        cursor: q.cursor,
    };
    let limit = paging.limit()?;
    let filter = UserFilter {
        email: q.email,
        query: q.query,
        cursor: paging.cursor,
    };
    let users = state.auth.users().list(&app, &filter, limit + 1).await?;
    Ok(Json(Page::of(users, limit, |u| u.id.to_string())))
}

#[utoipa::path(
    post, path = "/apps/{app}/users", tag = "server",
    summary = "Create a user",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = NewUser,
    responses(
        (status = 201, description = "The new user", body = User),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: the email has an account", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn create_user(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    Meta(meta): Meta,
    JsonBody(new): JsonBody<NewUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let user = state.auth.users().create(&app, new, &meta).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

#[utoipa::path(
    get, path = "/apps/{app}/users/{id}", tag = "server",
    summary = "Get a user",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    responses(
        (status = 200, description = "The user", body = User),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn get_user(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, UserId)>,
) -> ApiResult<Json<User>> {
    Ok(Json(state.auth.users().get(&app, &id).await?))
}

#[utoipa::path(
    patch, path = "/apps/{app}/users/{id}", tag = "server",
    summary = "Update a user",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    request_body = UserPatch,
    responses(
        (status = 200, description = "The updated user", body = User),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: the new email has an account", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: the body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn update_user(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, UserId)>,
    Meta(meta): Meta,
    JsonBody(patch): JsonBody<UserPatch>,
) -> ApiResult<Json<User>> {
    Ok(Json(
        state.auth.users().update(&app, &id, patch, &meta).await?,
    ))
}

#[utoipa::path(
    delete, path = "/apps/{app}/users/{id}", tag = "server",
    summary = "Delete a user",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    responses(
        (status = 204, description = "Deleted, with the user's passkeys and sessions"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn delete_user(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, UserId)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state.auth.users().delete(&app, &id, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/apps/{app}/users/{id}/passkeys", tag = "server",
    summary = "List a user's passkeys",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    responses(
        (status = 200, description = "The user's passkeys", body = List<Passkey>),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_user_passkeys(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, UserId)>,
) -> ApiResult<Json<List<Passkey>>> {
    let user = state.auth.users().get(&app, &id).await?;
    let passkeys = state.auth.passkeys().list(&app, &user.id).await?;
    Ok(Json(passkeys.into()))
}

#[utoipa::path(
    get, path = "/apps/{app}/users/{id}/mfa/factors", tag = "server",
    summary = "A user's second factors",
    description = "The active factors and how many backup codes are left.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    responses(
        (status = 200, description = "The factors", body = Factors),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_user_factors(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, UserId)>,
) -> ApiResult<Json<Factors>> {
    Ok(Json(state.auth.mfa().factors(&app, &id).await?))
}

#[utoipa::path(
    delete, path = "/apps/{app}/users/{id}/mfa/factors/{fid}", tag = "server",
    summary = "Remove a user's second factor (an operator's reset)",
    description = "No recent authentication is needed: this is the operator's way to reset a user who lost their authenticator app. The user gets a security notice.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
        ("fid" = String, Path, description = "The factor id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app, user or factor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn delete_user_factor(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id, fid)): PathParams<(String, UserId, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .mfa()
        .remove_factor(&app, &id, &fid, Remover::Operator, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete, path = "/apps/{app}/users/{id}/passkeys/{pid}", tag = "server",
    summary = "Delete a user's passkey",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
        ("pid" = String, Path, description = "The passkey id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app, user or passkey", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn delete_user_passkey(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id, pid)): PathParams<(String, UserId, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .passkeys()
        .delete(&app, &id, &pid, Remover::Operator, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/apps/{app}/users/{id}/sessions", tag = "server",
    summary = "List a user's sessions",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    responses(
        (status = 200, description = "The user's active sessions", body = List<SessionResponse>),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_user_sessions(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, UserId)>,
) -> ApiResult<Json<List<SessionResponse>>> {
    let user = state.auth.users().get(&app, &id).await?;
    let sessions = state.auth.sessions().list(&app, &user.id).await?;
    let items = sessions
        .iter()
        .map(|s| SessionResponse::new(s, None))
        .collect::<Vec<_>>();
    Ok(Json(items.into()))
}

#[utoipa::path(
    delete, path = "/apps/{app}/users/{id}/sessions", tag = "server",
    summary = "Revoke all of a user's sessions",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    responses(
        (status = 204, description = "All revoked"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn revoke_user_sessions(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, UserId)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .sessions()
        .revoke_all(&app, &id, RevokeReason::RevokedByApi, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete, path = "/apps/{app}/users/{id}/sessions/{sid}", tag = "server",
    summary = "Revoke one of a user's sessions",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
        ("sid" = String, Path, description = "The session id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app, user or session", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn revoke_user_session(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id, sid)): PathParams<(String, UserId, SessionId)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .sessions()
        .revoke(&app, &id, &sid, RevokeReason::RevokedByApi, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct EventQuery {
    user_id: Option<UserId>,
    #[serde(rename = "type")]
    kind: Option<EventKind>,
    limit: Option<i64>,
    cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/apps/{app}/events", tag = "server",
    summary = "List audit events",
    params(
        ("app" = String, Path, description = "The app id"),
        ("user_id" = Option<String>, Query, description = "Only this user's events"),
        ("type" = Option<EventKind>, Query, description = "Only events of this type"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of audit events", body = Page<EventResponse>),
        (status = 400, description = "invalid_request: malformed or missing input", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_events(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    QueryParams(q): QueryParams<EventQuery>,
) -> ApiResult<Json<Page<EventResponse>>> {
    let paging = Paging {
        limit: q.limit,
        cursor: q.cursor,
    };
    let limit = paging.limit()?;
    if paging
        .cursor
        .as_deref()
        .is_some_and(|c| uuid::Uuid::parse_str(c).is_err())
    {
        return Err(Error::InvalidRequest("cursor is not one this API returned".to_owned()).into());
    }
    let filter = EventFilter {
        user_id: q.user_id,
        kind: q.kind,
        cursor: paging.cursor,
    };
    let events = state
        .auth
        .events()
        .list(&app.id, &filter, limit + 1)
        .await?;
    let events = events.iter().map(EventResponse::from).collect();
    Ok(Json(Page::of(events, limit, |e: &EventResponse| {
        e.id.clone()
    })))
}
