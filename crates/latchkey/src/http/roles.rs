//! Roles and permissions on the server API (app API key): permissions, roles and their
//! permission lists, and users' app-wide roles.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::ApiResult;
use super::extract::{ApiKeyAuth, JsonBody, Meta, Paging, PathParams, QueryParams};
use super::openapi::Problem;
use super::wire::Page;
use crate::auth::UserId;
use crate::auth::roles::{NewPermission, NewRole, Permission, PermissionPatch, Role, RolePatch};

/// The operations, for the OpenAPI description.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_permissions,
    create_permission,
    update_permission,
    delete_permission,
    list_roles,
    create_role,
    get_role,
    update_role,
    delete_role,
    get_user_roles,
    set_user_roles
))]
pub(super) struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/apps/{app}/permissions",
            get(list_permissions).post(create_permission),
        )
        .route(
            "/apps/{app}/permissions/{key}",
            axum::routing::patch(update_permission).delete(delete_permission),
        )
        .route("/apps/{app}/roles", get(list_roles).post(create_role))
        .route(
            "/apps/{app}/roles/{key}",
            get(get_role).patch(update_role).delete(delete_role),
        )
        .route(
            "/apps/{app}/users/{id}/roles",
            get(get_user_roles).put(set_user_roles),
        )
}

#[utoipa::path(
    get, path = "/apps/{app}/permissions", tag = "server",
    summary = "List the app's permissions",
    params(
        ("app" = String, Path, description = "The app id"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "One page of permissions, by key", body = Page<Permission>),
        (status = 400, description = "invalid_request: a bad limit", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_permissions(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    QueryParams(q): QueryParams<Paging>,
) -> ApiResult<Json<Page<Permission>>> {
    let limit = q.limit()?;
    let rows = state
        .auth
        .roles()
        .list_permissions(&app, q.cursor.as_deref(), limit + 1)
        .await?;
    Ok(Json(Page::of(rows, limit, |p| p.key.clone())))
}

#[utoipa::path(
    post, path = "/apps/{app}/permissions", tag = "server",
    summary = "Create a permission",
    description = "A key the app checks, `[a-z0-9][a-z0-9:._-]{0,127}` (e.g. `invoices:read`).",
    params(("app" = String, Path, description = "The app id")),
    request_body = NewPermission,
    responses(
        (status = 201, description = "The permission", body = Permission),
        (status = 400, description = "invalid_request: a bad key or description", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: a permission with this key exists", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn create_permission(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    Meta(meta): Meta,
    JsonBody(new): JsonBody<NewPermission>,
) -> ApiResult<(StatusCode, Json<Permission>)> {
    let permission = state
        .auth
        .roles()
        .create_permission(&app, new, &meta)
        .await?;
    Ok((StatusCode::CREATED, Json(permission)))
}

#[utoipa::path(
    patch, path = "/apps/{app}/permissions/{key}", tag = "server",
    summary = "Change a permission's description",
    params(
        ("app" = String, Path, description = "The app id"),
        ("key" = String, Path, description = "The permission's key"),
    ),
    request_body = PermissionPatch,
    responses(
        (status = 200, description = "The permission", body = Permission),
        (status = 400, description = "invalid_request: a bad description", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such permission", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn update_permission(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, key)): PathParams<(String, String)>,
    Meta(meta): Meta,
    JsonBody(patch): JsonBody<PermissionPatch>,
) -> ApiResult<Json<Permission>> {
    Ok(Json(
        state
            .auth
            .roles()
            .update_permission(&app, &key, patch, &meta)
            .await?,
    ))
}

#[utoipa::path(
    delete, path = "/apps/{app}/permissions/{key}", tag = "server",
    summary = "Delete a permission",
    description = "It leaves every role that had it.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("key" = String, Path, description = "The permission's key"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such permission", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn delete_permission(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, key)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state
        .auth
        .roles()
        .delete_permission(&app, &key, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/apps/{app}/roles", tag = "server",
    summary = "List the app's roles",
    params(
        ("app" = String, Path, description = "The app id"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "One page of roles, by key, with their permissions", body = Page<Role>),
        (status = 400, description = "invalid_request: a bad limit", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn list_roles(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    QueryParams(q): QueryParams<Paging>,
) -> ApiResult<Json<Page<Role>>> {
    let limit = q.limit()?;
    let rows = state
        .auth
        .roles()
        .list_roles(&app, q.cursor.as_deref(), limit + 1)
        .await?;
    Ok(Json(Page::of(rows, limit, |r| r.key.clone())))
}

#[utoipa::path(
    post, path = "/apps/{app}/roles", tag = "server",
    summary = "Create a role",
    params(("app" = String, Path, description = "The app id")),
    request_body = NewRole,
    responses(
        (status = 201, description = "The role", body = Role),
        (status = 400, description = "invalid_request: a bad key or name, or a permission that does not exist", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflict: a role with this key exists", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such app", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn create_role(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    Meta(meta): Meta,
    JsonBody(new): JsonBody<NewRole>,
) -> ApiResult<(StatusCode, Json<Role>)> {
    let role = state.auth.roles().create_role(&app, new, &meta).await?;
    Ok((StatusCode::CREATED, Json(role)))
}

#[utoipa::path(
    get, path = "/apps/{app}/roles/{key}", tag = "server",
    summary = "One role",
    params(
        ("app" = String, Path, description = "The app id"),
        ("key" = String, Path, description = "The role's key"),
    ),
    responses(
        (status = 200, description = "The role", body = Role),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such role", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn get_role(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, key)): PathParams<(String, String)>,
) -> ApiResult<Json<Role>> {
    Ok(Json(state.auth.roles().get_role(&app, &key).await?))
}

#[utoipa::path(
    patch, path = "/apps/{app}/roles/{key}", tag = "server",
    summary = "Change a role",
    description = "`permissions` replaces the role's list; holders see the change at once in tokens/verify.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("key" = String, Path, description = "The role's key"),
    ),
    request_body = RolePatch,
    responses(
        (status = 200, description = "The role", body = Role),
        (status = 400, description = "invalid_request: a bad name, or a permission that does not exist", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such role", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn update_role(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, key)): PathParams<(String, String)>,
    Meta(meta): Meta,
    JsonBody(patch): JsonBody<RolePatch>,
) -> ApiResult<Json<Role>> {
    Ok(Json(
        state
            .auth
            .roles()
            .update_role(&app, &key, patch, &meta)
            .await?,
    ))
}

#[utoipa::path(
    delete, path = "/apps/{app}/roles/{key}", tag = "server",
    summary = "Delete a role",
    description = "Every user holding it loses it.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("key" = String, Path, description = "The role's key"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such role", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn delete_role(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, key)): PathParams<(String, String)>,
    Meta(meta): Meta,
) -> ApiResult<StatusCode> {
    state.auth.roles().delete_role(&app, &key, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `{"roles": […]}`.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct UserRoles {
    roles: Vec<String>,
}

#[utoipa::path(
    get, path = "/apps/{app}/users/{id}/roles", tag = "server",
    summary = "A user's app-wide roles",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    responses(
        (status = 200, description = "The user's roles, by key", body = UserRoles),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn get_user_roles(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, UserId)>,
) -> ApiResult<Json<UserRoles>> {
    let roles = state.auth.roles().user_roles(&app, &id).await?;
    Ok(Json(UserRoles { roles }))
}

#[utoipa::path(
    put, path = "/apps/{app}/users/{id}/roles", tag = "server",
    summary = "Replace a user's app-wide roles",
    description = "Each role must exist. tokens/verify and sessions/current/permissions show the change at once; access tokens at their next refresh.",
    params(
        ("app" = String, Path, description = "The app id"),
        ("id" = String, Path, description = "The user id"),
    ),
    request_body = UserRoles,
    responses(
        (status = 200, description = "The user's roles now", body = UserRoles),
        (status = 400, description = "invalid_request: a bad key, or a role that does not exist", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "unauthorized: no API key, or not one of this app's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not_found: no such user", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
async fn set_user_roles(
    State(state): State<AppState>,
    ApiKeyAuth(app): ApiKeyAuth,
    PathParams((_, id)): PathParams<(String, UserId)>,
    Meta(meta): Meta,
    JsonBody(body): JsonBody<UserRoles>,
) -> ApiResult<Json<UserRoles>> {
    let roles = state
        .auth
        .roles()
        .set_user_roles(&app, &id, &body.roles, &meta)
        .await?;
    Ok(Json(UserRoles { roles }))
}
