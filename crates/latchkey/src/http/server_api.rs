//! The server API (`/apps/{app}/…` called by the app's backend with an API key): token
//! verification, user management, a user's passkeys and sessions, and the audit log. No CORS.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiResult;
use super::extract::{ApiKeyAuth, JsonBody, Meta, Page, PathParams, QueryParams};
use super::openapi::{EventPage, PasskeyList, Problem, SessionList, TokenVerification, UserPage};
use super::wire::{EventResponse, PasskeyResponse, SessionResponse, UserResponse, page};
use crate::auth::Error;
use crate::auth::user::{NewUser, UserPatch};
use crate::clock::rfc3339;

/// The server API's operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    verify_token,
    list_users,
    create_user,
    get_user,
    update_user,
    delete_user,
    list_user_passkeys,
    delete_user_passkey,
    list_user_sessions,
    revoke_user_sessions,
    revoke_user_session,
    list_events
))]
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
) -> ApiResult<Json<Value>> {
    Ok(Json(
        match state.auth.verify_token(&app, req.token.trim()).await? {
            Ok(v) => json!({
                "valid": true,
                "user": UserResponse::from(&v.user),
                "session_id": v.session_id,
                "amr": v.amr,
                "expires_at": rfc3339(v.expires_at),
            }),
            Err(error) => json!({ "valid": false, "error": error }),
        },
    ))
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
        (status = 200, description = "A page of users", body = UserPage),
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
) -> ApiResult<Json<Value>> {
    let paging = Page {
        limit: q.limit,
        cursor: q.cursor,
    };
    let limit = paging.limit()?;
    let users = state
        .auth
        .list_users(
            &app,
            q.email.as_deref(),
            q.query.as_deref(),
            paging.cursor.as_deref(),
            limit + 1,
        )
        .await?;
    Ok(Json(page(
        users,
        limit,
        |u| u.id.clone(),
        |u| UserResponse::from(u),
    )))
}

#[utoipa::path(
    post, path = "/apps/{app}/users", tag = "server",
    summary = "Create a user",
    params(
        ("app" = String, Path, description = "The app id"),
    ),
    request_body = NewUser,
    responses(
        (status = 201, description = "The new user", body = UserResponse),
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
) -> ApiResult<(StatusCode, Json<UserResponse>)> {
    let user = state.auth.create_user(&app, new, &meta).await?;
    Ok((StatusCode::CREATED, Json((&user).into())))
}

#[utoipa::path(
    get, path = "/apps/{app}/users/{id}", tag = "server",
    summary = "Get a user",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    responses(
        (status = 200, description = "The user", body = UserResponse),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn get_user(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, String)>,
) -> ApiResult<Json<UserResponse>> {
    Ok(Json((&state.auth.get_user(&app, &id).await?).into()))
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
        (status = 200, description = "The updated user", body = UserResponse),
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
    PathParams((_, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
    JsonBody(patch): JsonBody<UserPatch>,
) -> ApiResult<Json<UserResponse>> {
    Ok(Json(
        (&state.auth.update_user(&app, &id, patch, &meta).await?).into(),
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
    PathParams((_, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state.auth.delete_user(&app, &id, &meta).await?;
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
        (status = 200, description = "The user's passkeys", body = PasskeyList),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_user_passkeys(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, String)>,
) -> ApiResult<Json<Value>> {
    let user = state.auth.get_user(&app, &id).await?;
    let passkeys = state.auth.list_passkeys(&app, &user.id).await?;
    let items: Vec<PasskeyResponse> = passkeys.iter().map(Into::into).collect();
    Ok(Json(json!({ "items": items })))
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
    PathParams((_, id, pid)): PathParams<(String, String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state.auth.delete_passkey(&app, &id, &pid, &meta).await?;
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
        (status = 200, description = "The user's active sessions", body = SessionList),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app or user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_user_sessions(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, String)>,
) -> ApiResult<Json<Value>> {
    let user = state.auth.get_user(&app, &id).await?;
    let sessions = state.auth.list_sessions(&app, &user.id).await?;
    let items: Vec<SessionResponse> = sessions
        .iter()
        .map(|s| SessionResponse::new(s, None))
        .collect();
    Ok(Json(json!({ "items": items })))
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
    PathParams((_, id)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state.auth.revoke_all_sessions(&app, &id, &meta).await?;
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
    PathParams((_, id, sid)): PathParams<(String, String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .revoke_session(&app, &id, &sid, "revoked_by_api", &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct EventQuery {
    user_id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/apps/{app}/events", tag = "server",
    summary = "List audit events",
    params(
        ("app" = String, Path, description = "The app id"),
        ("user_id" = Option<String>, Query, description = "Only this user's events"),
        ("type" = Option<String>, Query, description = "Only events of this type"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of audit events", body = EventPage),
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
) -> ApiResult<Json<Value>> {
    let paging = Page {
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
    let events = state
        .auth
        .list_events(
            &app,
            q.user_id.as_deref(),
            q.kind.as_deref(),
            paging.cursor.as_deref(),
            limit + 1,
        )
        .await?;
    Ok(Json(page(
        events,
        limit,
        |e| e.id.clone(),
        |e| EventResponse::from(e),
    )))
}
